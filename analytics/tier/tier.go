package tier

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/internal/par"
	"github.com/rfmjob/rfm/analytics/profit"
)

// Result holds one row per customer, in the table's order, and the per-tier summary.
type Result struct {
	// Tiers names the tiers, best first; Tier[i] indexes it.
	Tiers []string
	Tier  []int32
	// Reason says in a sentence why the customer is in its tier.
	Reason []string
	// NextTier is the tier the customer reaches by the smallest profit increase that moves it
	// up, everyone else fixed; "" for the top tier and when no higher tier can hold anyone.
	NextTier []string
	// NextTierGap is that increase in minor units of profit (of revenue with BasisRevenue):
	// the customer's value plus the gap lands in NextTier, one unit less does not. For an
	// unprofitable customer it is the distance to break-even. 0 when NextTier is "".
	NextTierGap []int64
	// NextTierRevenue is the additional revenue that brings NextTierGap at the customer's own
	// gross margin rate (gross_margin/revenue, cost to serve held fixed), rounded up; 0 when
	// that rate is <= 0 or undefined. With BasisRevenue it equals NextTierGap.
	NextTierRevenue []int64
	// DowngradeRisk is how far the customer's value is above its tier's floor: the largest
	// decrease, everyone else fixed, that keeps it in its tier (one unit more moves it down).
	// 0 in the bottom tier.
	DowngradeRisk []int64
	// Activities names the cost-to-serve activities of TierSummary.ActivityCost.
	Activities []string
	// Summary has one row per tier, best first; Total sums all customers.
	Summary []TierSummary
	Total   TierSummary
}

// TierSummary describes the customers of one tier: the pyramid (CustomerShare) beside the
// inverted pyramid (ProfitShare).
type TierSummary struct {
	Tier          string
	Customers     int64
	CustomerShare float64
	// Money sums, minor units, and their shares of the totals over all customers (0 when that
	// total is <= 0).
	Revenue, GrossMargin, CostToServe, Profit                     int64
	RevenueShare, GrossMarginShare, CostToServeShare, ProfitShare float64
	// MeanRecencyDays averages the caller's recency over the tier's customers that have one
	// (>= 0); MeanFrequency and MeanMonetary average Table.Frequency and Table.Monetary. 0 for
	// an empty tier.
	MeanRecencyDays, MeanFrequency, MeanMonetary float64
	// ActivityCost[a] is the tier's cost of Result.Activities[a].
	ActivityCost []int64
}

// Assign puts every customer of t into one tier by the profit in p (profit.Compute on the same
// table), with its reason, next tier, gap and downgrade risk, and summarises the tiers.
// recencyDays, aligned with the table (days since the last purchase, negative for none), may
// be nil. It returns errors wrapping ErrConfig or ErrOverflow. It panics if p or recencyDays
// is not aligned with t.
func Assign(t *feature.Table, p *profit.Result, recencyDays []int32, cfg Config) (*Result, error) {
	n := t.Len()
	if len(p.Profit) != n || len(p.Revenue) != n || len(p.GrossMargin) != n || len(p.CostToServe) != n ||
		len(t.Frequency) != n || len(t.Monetary) != n {
		panic(fmt.Sprintf("tier: profit result or table columns not aligned with %d customers", n))
	}
	if recencyDays != nil && len(recencyDays) != n {
		panic(fmt.Sprintf("tier: recencyDays has %d rows, want %d", len(recencyDays), n))
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	value := p.Profit
	if cfg.Method == MethodThresholds && cfg.Basis == BasisRevenue {
		value = p.Revenue
	}
	r := &Result{
		Tiers:           cfg.Tiers,
		Tier:            make([]int32, n),
		Reason:          make([]string, n),
		NextTier:        make([]string, n),
		NextTierGap:     make([]int64, n),
		NextTierRevenue: make([]int64, n),
		DowngradeRisk:   make([]int64, n),
		Activities:      p.Activities,
	}
	a := &assigner{cfg: cfg, ids: t.CustomerID, value: value, scale: t.MoneyScale, r: r, reasons: newReasonWriter(r.Reason),
		leadSuffix: " is below break-even (" + cfg.Tiers[len(cfg.Tiers)-1] + ": profit < 0)"}
	if len(p.Order) == n && cfg.Method != MethodThresholds {
		a.order = p.Order // profit's own ranking: the same order RankOrder would return
	}
	switch cfg.Method {
	case MethodShare:
		a.rank()
		a.share()
	case MethodCumulative:
		a.rank()
		a.cumulative()
	case MethodThresholds:
		a.thresholds()
	}
	a.reasons.flush()
	for i := range n {
		if r.NextTier[i] == "" {
			continue
		}
		if cfg.Basis == BasisRevenue && cfg.Method == MethodThresholds {
			r.NextTierRevenue[i] = r.NextTierGap[i]
		} else {
			r.NextTierRevenue[i] = revenueFor(r.NextTierGap[i], p.Revenue[i], p.GrossMargin[i])
		}
	}
	if err := summarize(r, t, p, recencyDays); err != nil {
		return nil, err
	}
	return r, nil
}

// assigner holds one assignment's working state.
type assigner struct {
	cfg   Config
	ids   []string
	value []int64 // profit, or revenue for BasisRevenue
	scale int
	order []int32 // rows by value descending, ties by id
	// sortedIDs reports whether ids ascend strictly with the row.
	sortedIDs bool
	r         *Result
	reasons   *reasonWriter
	// leadSuffix ends the reason of every unprofitable customer.
	leadSuffix string
}

func (a *assigner) rank() {
	if a.order == nil {
		a.order = profit.RankOrder(a.ids, a.value)
	}
	a.sortedIDs = true
	for i := 1; i < len(a.ids) && a.sortedIDs; i++ {
		a.sortedIDs = a.ids[i-1] < a.ids[i]
	}
}

// positionChunk is the number of rank positions a goroutine takes at a time (a variable so
// that tests can compare splits).
var positionChunk = 1 << 16

// positions calls f over consecutive ranges of rank positions [lo, hi) covering a.order, on
// the cores (par.Chunks), each range with its own reason writer. f must write only the rows of
// its positions (distinct rows: a.order is a permutation), so the result does not depend on
// the split.
func (a *assigner) positions(f func(lo, hi int, w *reasonWriter)) {
	par.Chunks(len(a.order), positionChunk, 0, func(_, lo, hi int) {
		w := newReasonWriter(a.r.Reason)
		f(lo, hi, w)
		w.flush()
	})
}

// setTier records customer i's tier; its reason goes to a.reasons.
func (a *assigner) setTier(i int32, tier int) { a.r.Tier[i] = int32(tier) }

// setNext records the next tier reached at value v' = a.value[i] + gap.
func (a *assigner) setNext(i int32, tier int, gap int64) {
	a.r.NextTier[i] = a.cfg.Tiers[tier]
	a.r.NextTierGap[i] = gap
}

// idBefore reports whether row x's id sorts before row j's: by row when the ids are sorted,
// as feature.Table's are, which avoids touching the strings.
func (a *assigner) idBefore(x, j int32) bool {
	if a.sortedIDs {
		return x < j
	}
	return a.ids[x] < a.ids[j]
}

// ahead reports whether row x, at value v, ranks ahead of row j.
func (a *assigner) ahead(v int64, x, j int32) bool {
	return v > a.value[j] || (v == a.value[j] && a.idBefore(x, j))
}

// beat returns the smallest value that ranks row x ahead of row j.
func (a *assigner) beat(x, j int32) int64 {
	if a.idBefore(x, j) {
		return a.value[j]
	}
	return satAdd(a.value[j], 1)
}

// revenueFor returns ⌈gap · revenue / grossMargin⌉, the revenue that brings gap of margin at
// the customer's gross margin rate; 0 when the rate is not positive.
func revenueFor(gap, revenue, grossMargin int64) int64 {
	if gap <= 0 || revenue <= 0 || grossMargin <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(gap), uint64(revenue))
	if hi >= uint64(grossMargin) {
		return math.MaxInt64
	}
	q, rem := bits.Div64(hi, lo, uint64(grossMargin))
	if rem != 0 {
		q++
	}
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(q)
}

func satAdd(a, b int64) int64 {
	s := a + b
	if (b >= 0) != (s >= a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

func satSub(a, b int64) int64 {
	if b == math.MinInt64 {
		if a >= 0 {
			return math.MaxInt64
		}
		return a - b
	}
	return satAdd(a, -b)
}
