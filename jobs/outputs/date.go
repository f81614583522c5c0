package outputs

import (
	"github.com/rfmjob/rfm/analytics/cluster"
	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/migration"
	"github.com/rfmjob/rfm/analytics/pareto"
	"github.com/rfmjob/rfm/analytics/profit"
	"github.com/rfmjob/rfm/analytics/rfm"
	"github.com/rfmjob/rfm/analytics/tier"
	"github.com/rfmjob/rfm/jobs/engine"
)

// Date is everything computed for one as-of date: the one immutable result the tables are
// written from. The views (Profit, Clusters, CLV, Migration) are nil when they are off.
type Date struct {
	AsOfDay  int32
	Features *feature.Table
	Scores   *rfm.Scores
	Segments []rfm.SegmentSummary
	Pareto   *pareto.Result
	Rejected []engine.Rejected

	Profit    *Profit
	Clusters  *Clusters
	CLV       *CLV
	Migration *Migration
}

// Profit is the profit view: profit per customer, the earned tiers, and each customer's
// quantity of every costed activity.
type Profit struct {
	Result *profit.Result
	Tiers  *tier.Result
	// Quantity[a][i] is customer i's quantity of Result.Activities[a]; nil for an activity
	// costed by its direct cost alone.
	Quantity [][]float64
	// PerCustomer writes the customer rows of the cost_to_serve table.
	PerCustomer bool
}

// Clusters is the cluster view; Result is nil when the clusters were skipped (too few
// customers), and every label is then −1.
type Clusters struct {
	Result *cluster.Result
	Labels []int32
	Names  []string
}

// CLV is the predicted-value view; Result is nil when the models could not be fitted. With
// tiers, PredictedTier and UpgradePotential compare each customer's CLV rank with the tier
// they hold (tier.Predict). Periods writes the clv_periods table.
type CLV struct {
	Result           *clv.Result
	Periods          bool
	PredictedTier    []string
	UpgradePotential []bool
}

// Migration compares the date with the previous one of its series; Result is nil when it was
// skipped.
type Migration struct {
	Result   *migration.Result
	PrevDay  int32
	HasTiers bool
	// Held is set under status protection: the tier each customer holds after the grace
	// rules, which the customers table's tier column then shows.
	Held *Held
}

// Held is the outcome of status protection for every customer of the date.
type Held struct {
	Tier         []int32  // index into the tier ladder
	Reason       []string // the earned tier's reason, and why protection applied when it did
	Earned       []string // the tier earned this period
	PeriodsBelow []int32  // consecutive periods below the held tier, carried to the next date
}

// TierOf is the tier each customer holds: under status protection the held one, else the
// earned one; nil without the profit view.
func (d *Date) TierOf() []int32 {
	switch {
	case d.Profit == nil:
		return nil
	case d.Migration != nil && d.Migration.Held != nil:
		return d.Migration.Held.Tier
	}
	return d.Profit.Tiers.Tier
}

// periodGroups are the groups the CLV table sums the months of the horizon by: the segments,
// in the summary's order, and the tiers held, in the ladder's order, when profit is on.
func (d *Date) periodGroups() []periodGroup {
	seg := periodGroup{grain: "segment", of: make([]int32, d.Features.Len())}
	index := map[string]int32{}
	for _, sg := range d.Segments {
		index[sg.Segment] = int32(len(seg.names))
		seg.names = append(seg.names, sg.Segment)
	}
	for i, name := range d.Scores.Segment {
		k, ok := index[name]
		if !ok {
			k = -1
		}
		seg.of[i] = k
	}
	groups := []periodGroup{seg}
	if held := d.TierOf(); held != nil {
		groups = append(groups, periodGroup{grain: "tier", names: d.Profit.Tiers.Tiers, of: held})
	}
	return groups
}

// Tables returns every table of the date, customers first, in the order they are written. The
// customers table carries the RFM and Pareto columns, then each view's columns in the order
// profit, clusters, CLV, migration.
func (d *Date) Tables() []Table {
	cust := d.customers()
	tables := []Table{cust, d.segments(), d.pareto(), d.rejected()}
	if d.Profit != nil {
		tables[0].Cols = append(tables[0].Cols, d.profitColumns()...)
		tables = append(tables, d.tierTable(), d.costToServeTable())
	}
	if d.Clusters != nil {
		tables[0].Cols = append(tables[0].Cols, d.Clusters.columns()...)
		tables = append(tables, d.Clusters.tables(d.AsOfDay)...)
	}
	if d.CLV != nil {
		tables[0].Cols = append(tables[0].Cols, d.CLV.columns(d.AsOfDay)...)
		tables = append(tables, d.CLV.tables(d.AsOfDay, d.Features.CustomerID, d.periodGroups())...)
	}
	if d.Migration != nil {
		tables[0].Cols = append(tables[0].Cols, d.Migration.columns()...)
		tables = append(tables, d.Migration.tables(d.AsOfDay, d.Features.MoneyScale)...)
	}
	return tables
}
