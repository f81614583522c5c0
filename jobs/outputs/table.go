package outputs

import (
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// Output tables.
const (
	TableCustomers   = "customers"
	TableSegments    = "segments"
	TablePareto      = "pareto"
	TableRejected    = "rejected"
	TableTiers       = "tiers"
	TableCostToServe = "cost_to_serve"
	TableClusters    = "clusters"
	TableCLV         = "clv"
	TableMigration   = "migration"
	TableCLVHoldout  = "clv_holdout"
	TableCLVPeriods  = "clv_periods"
	TableCLVTracking = "clv_tracking"
)

// Table is one output table ready to write: its name, row count and columns.
type Table struct {
	Name string
	Rows int
	Cols []pq.Column
}

// longTable builds the long-form tables of the views (section, name, label, index, value
// rows), so that one hive-partitioned table per directory holds parts of different shapes.
type longTable struct {
	section, name, label []string
	index                []int64
	value                []float64
}

func (l *longTable) add(section, name, label string, index int64, value float64) {
	l.section = append(l.section, section)
	l.name = append(l.name, name)
	l.label = append(l.label, label)
	l.index = append(l.index, index)
	l.value = append(l.value, value)
}

func (l *longTable) table(name string, asOfDay int32) Table {
	return Table{name, len(l.section), []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.String("section", l.section),
		pq.String("name", l.name),
		pq.OptionalString("label", l.label),
		pq.Int64("index", l.index),
		pq.Float64("value", l.value),
	}}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
