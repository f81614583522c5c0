package jobs

import (
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// view is an optional analysis of a run (clusters, predicted value, profitability, migration):
// it adds columns to the customers table, after the RFM and Pareto columns, and tables of its
// own. A view that is turned off is simply absent, so its columns and tables are too.
type view interface {
	customerColumns() []pq.Column
	tables() []table
	// warnings are remarks for the manifest (a fit that did not converge, a default applied).
	warnings() []string
}

// longTable builds the long-form tables views use for reports (section, name, value rows),
// so that one hive-partitioned table per directory holds parts of different shapes.
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

func (l *longTable) table(name string, asOfDay int32) table {
	return table{name, len(l.section), []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.String("section", l.section),
		pq.String("name", l.name),
		pq.OptionalString("label", l.label),
		pq.Int64("index", l.index),
		pq.Float64("value", l.value),
	}}
}
