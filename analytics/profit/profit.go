package profit

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Activity is one activity's per-customer record, aggregated by the caller from the activity
// table. Every non-nil slice is aligned with the feature table's rows.
type Activity struct {
	// Name matches a key of Config.Rates.
	Name string
	// Quantity holds the units per customer (orders picked, minutes of support, returns); Count
	// holds them as integers. Set at most one; nil means the activity has only direct cost.
	Quantity []float64
	Count    []int64
	// DirectCost holds cost already in minor units per customer (nil: none); it is added to the
	// rated cost and needs no rate.
	DirectCost []int64
}

func (a *Activity) hasQuantity() bool { return a.Quantity != nil || a.Count != nil }

func (a *Activity) quantity(i int) float64 {
	if a.Count != nil {
		return float64(a.Count[i])
	}
	return a.Quantity[i]
}

// Input is what Compute prices: the feature table and, optionally, per-customer margin rates
// and activity records.
type Input struct {
	// Table supplies revenue (Monetary), cost of goods (Cost, when HasCost) and Orders.
	Table *feature.Table
	// MarginRates, when non-nil, gives each customer's gross margin rate (at most 1); it is
	// used only when the table has no cost column.
	MarginRates []float64
	// Activities lists the activity records; when empty, Config.OrderCost prices Orders.
	Activities []Activity
}

// COGSSource says where cost of goods came from.
type COGSSource uint8

// The sources of cost of goods, in order of precedence.
const (
	COGSCostColumn  COGSSource = iota // the table's Cost column (Table.HasCost)
	COGSMarginRates                   // Input.MarginRates, one rate per customer
	COGSMarginRate                    // Config.MarginRate for everyone
	COGSNone                          // nothing known: cogs is 0, gross margin equals revenue
)

func (s COGSSource) String() string {
	switch s {
	case COGSCostColumn:
		return "cost_column"
	case COGSMarginRates:
		return "customer_margin_rates"
	case COGSMarginRate:
		return "default_margin_rate"
	case COGSNone:
		return "none"
	}
	return fmt.Sprintf("COGSSource(%d)", uint8(s))
}

// Result holds one row per customer, in the table's order, and the totals. Money is in the
// table's minor units.
type Result struct {
	COGSSource COGSSource
	// Activities names the costed activities in input order (OrderHandling when the order
	// cost applied); Ignored names the unknown activities skipped under IgnoreUnknown.
	Activities []string
	Ignored    []string

	Revenue     []int64 // Table.Monetary
	CostOfGoods []int64
	GrossMargin []int64 // Revenue − CostOfGoods
	CostToServe []int64 // Σ over activities of ActivityCost
	Profit      []int64 // GrossMargin − CostToServe
	// ActivityCost[a][i] is customer i's cost of activity Activities[a].
	ActivityCost [][]int64
	// ProfitMargin is Profit/Revenue and CostToServeRatio is CostToServe/Revenue, both 0
	// when Revenue <= 0.
	ProfitMargin     []float64
	CostToServeRatio []float64
	// ProfitRank is 1 for the highest profit, ties broken by customer id ascending.
	ProfitRank []int64
	// Order lists the rows by ProfitRank: Order[r−1] is the row of rank r (RankOrder of
	// Profit), for callers that rank by profit again.
	Order []int32
	// CumProfitShare is the profit of the customers ranked at or above this one over the total
	// profit (it exceeds 1 where the whale curve is above 1); 0 when the total is <= 0.
	CumProfitShare []float64

	Totals Totals
	Whale  Whale
}

// Totals sums the customer columns exactly.
type Totals struct {
	Customers                                              int64
	Revenue, CostOfGoods, GrossMargin, CostToServe, Profit int64
	// ActivityCost[a] sums ActivityCost[a][·].
	ActivityCost []int64
}

// Compute prices every customer of in.Table: cost of goods, cost to serve, profit, rank and
// the whale curve. It returns errors wrapping ErrConfig, ErrUnknownActivity,
// ErrDuplicateActivity, ErrQuantity, ErrMarginRate or ErrOverflow. It panics if in.Table is
// nil or a slice of in is not aligned with the table's rows.
func Compute(in Input, cfg Config) (*Result, error) {
	t := in.Table
	if t == nil {
		panic("profit: nil table")
	}
	n := t.Len()
	checkLen := func(what string, l int) {
		if l != n {
			panic(fmt.Sprintf("profit: %s has %d rows, table has %d", what, l, n))
		}
	}
	checkLen("Monetary", len(t.Monetary))
	checkLen("Orders", len(t.Orders))
	if t.HasCost {
		checkLen("Cost", len(t.Cost))
	}
	if in.MarginRates != nil {
		checkLen("MarginRates", len(in.MarginRates))
	}
	for _, a := range in.Activities {
		if a.Quantity != nil && a.Count != nil {
			panic(fmt.Sprintf("profit: activity %q sets both Quantity and Count", a.Name))
		}
		if a.Quantity != nil {
			checkLen("activity "+a.Name+" Quantity", len(a.Quantity))
		}
		if a.Count != nil {
			checkLen("activity "+a.Name+" Count", len(a.Count))
		}
		if a.DirectCost != nil {
			checkLen("activity "+a.Name+" DirectCost", len(a.DirectCost))
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}

	acts, ignored, err := activities(in, cfg)
	if err != nil {
		return nil, err
	}
	r := &Result{
		Revenue:          t.Monetary,
		CostOfGoods:      make([]int64, n),
		GrossMargin:      make([]int64, n),
		CostToServe:      make([]int64, n),
		Profit:           make([]int64, n),
		ActivityCost:     make([][]int64, len(acts)),
		ProfitMargin:     make([]float64, n),
		CostToServeRatio: make([]float64, n),
		Ignored:          ignored,
		Totals:           Totals{Customers: int64(n), ActivityCost: make([]int64, len(acts))},
	}
	for a := range acts {
		r.Activities = append(r.Activities, acts[a].Name)
		r.ActivityCost[a] = make([]int64, n)
	}
	if err := costOfGoods(r, in, cfg); err != nil {
		return nil, err
	}
	if err := costToServe(r, t, acts); err != nil {
		return nil, err
	}
	tot := &r.Totals
	for i := range n {
		rev, gm := r.Revenue[i], r.GrossMargin[i]
		p, ok := sub(gm, r.CostToServe[i])
		if !ok {
			return nil, fmt.Errorf("%w: profit of customer %q", ErrOverflow, t.CustomerID[i])
		}
		r.Profit[i] = p
		if rev > 0 {
			r.ProfitMargin[i] = float64(p) / float64(rev)
			r.CostToServeRatio[i] = float64(r.CostToServe[i]) / float64(rev)
		}
		var okR, okC, okG, okS, okP bool
		tot.Revenue, okR = add(tot.Revenue, rev)
		tot.CostOfGoods, okC = add(tot.CostOfGoods, r.CostOfGoods[i])
		tot.GrossMargin, okG = add(tot.GrossMargin, gm)
		tot.CostToServe, okS = add(tot.CostToServe, r.CostToServe[i])
		tot.Profit, okP = add(tot.Profit, p)
		if !(okR && okC && okG && okS && okP) {
			return nil, fmt.Errorf("%w: totals at customer %q", ErrOverflow, t.CustomerID[i])
		}
	}
	if err := rankAndWhale(r, t.CustomerID); err != nil {
		return nil, err
	}
	return r, nil
}

// pricedActivity is an activity record with its rate (0 for direct cost only).
type pricedActivity struct {
	Activity
	rate float64
}

// activities returns the activity records to cost: the caller's, minus unknown ones under
// IgnoreUnknown, or the order-handling activity when there are none.
func activities(in Input, cfg Config) (acts []pricedActivity, ignored []string, err error) {
	if len(in.Activities) == 0 {
		if cfg.OrderCost == 0 {
			return nil, nil, nil
		}
		orders := Activity{Name: OrderHandling, Count: in.Table.Orders}
		return []pricedActivity{{orders, cfg.OrderCost}}, nil, nil
	}
	seen := make(map[string]bool, len(in.Activities))
	var unknown, dup []string
	for _, a := range in.Activities {
		if seen[a.Name] {
			dup = append(dup, a.Name)
			continue
		}
		seen[a.Name] = true
		rate, ok := cfg.Rates[a.Name]
		if a.hasQuantity() && !ok {
			unknown = append(unknown, a.Name)
			continue
		}
		acts = append(acts, pricedActivity{a, rate})
	}
	if len(dup) > 0 {
		return nil, nil, fmt.Errorf("%w: %q", ErrDuplicateActivity, dup)
	}
	if len(unknown) > 0 && !cfg.IgnoreUnknown {
		return nil, nil, fmt.Errorf("%w: %s (known rates: %s)", ErrUnknownActivity, quoteAll(unknown), quoteAll(rateNames(cfg)))
	}
	return acts, unknown, nil
}

func rateNames(cfg Config) []string {
	names := make([]string, 0, len(cfg.Rates))
	for name := range cfg.Rates {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func quoteAll(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// costOfGoods fills CostOfGoods and GrossMargin from the first source that applies.
func costOfGoods(r *Result, in Input, cfg Config) error {
	t := in.Table
	switch {
	case t.HasCost:
		r.COGSSource = COGSCostColumn
		copy(r.CostOfGoods, t.Cost)
	case in.MarginRates != nil:
		r.COGSSource = COGSMarginRates
		for i, rev := range r.Revenue {
			m := in.MarginRates[i]
			if !validMarginRate(m) {
				return fmt.Errorf("%w: customer %q has margin rate %v, want a finite number <= 1", ErrMarginRate, t.CustomerID[i], m)
			}
			c, ok := roundMoney(float64(rev) * (1 - m))
			if !ok {
				return fmt.Errorf("%w: cost of goods of customer %q", ErrOverflow, t.CustomerID[i])
			}
			r.CostOfGoods[i] = c
		}
	case cfg.MarginRate != 0:
		r.COGSSource = COGSMarginRate
		for i, rev := range r.Revenue {
			c, ok := roundMoney(float64(rev) * (1 - cfg.MarginRate))
			if !ok {
				return fmt.Errorf("%w: cost of goods of customer %q", ErrOverflow, t.CustomerID[i])
			}
			r.CostOfGoods[i] = c
		}
	default:
		r.COGSSource = COGSNone
	}
	for i, rev := range r.Revenue {
		gm, ok := sub(rev, r.CostOfGoods[i])
		if !ok {
			return fmt.Errorf("%w: gross margin of customer %q", ErrOverflow, t.CustomerID[i])
		}
		r.GrossMargin[i] = gm
	}
	return nil
}

// costToServe fills ActivityCost, CostToServe and Totals.ActivityCost: per customer and
// activity, round_half_away(quantity × rate) + direct cost.
func costToServe(r *Result, t *feature.Table, acts []pricedActivity) error {
	for a := range acts {
		act, rate := &acts[a].Activity, acts[a].rate
		cost := r.ActivityCost[a]
		var total int64
		for i := range cost {
			var c int64
			if act.hasQuantity() {
				q := act.quantity(i)
				if math.IsNaN(q) || math.IsInf(q, 0) || q < 0 {
					return fmt.Errorf("%w: customer %q, activity %q: quantity %v, want a finite number >= 0", ErrQuantity, t.CustomerID[i], act.Name, q)
				}
				var ok bool
				if c, ok = roundMoney(q * rate); !ok {
					return fmt.Errorf("%w: customer %q, activity %q: %v × %v", ErrOverflow, t.CustomerID[i], act.Name, q, rate)
				}
			}
			var ok1, ok2, ok3 = true, true, true
			if act.DirectCost != nil {
				c, ok1 = add(c, act.DirectCost[i])
			}
			cost[i] = c
			r.CostToServe[i], ok2 = add(r.CostToServe[i], c)
			total, ok3 = add(total, c)
			if !(ok1 && ok2 && ok3) {
				return fmt.Errorf("%w: cost to serve of customer %q, activity %q", ErrOverflow, t.CustomerID[i], act.Name)
			}
		}
		r.Totals.ActivityCost[a] = total
	}
	return nil
}

// roundMoney rounds x to whole minor units, half away from zero, and reports whether the
// result fits in int64.
func roundMoney(x float64) (int64, bool) {
	x = math.Round(x)
	if !(x >= -9.223372036854775e18 && x <= 9.223372036854775e18) {
		return 0, false
	}
	return int64(x), true
}

func add(a, b int64) (int64, bool) {
	s := a + b
	return s, (b >= 0) == (s >= a)
}

func sub(a, b int64) (int64, bool) {
	d := a - b
	return d, (b >= 0) == (d <= a)
}
