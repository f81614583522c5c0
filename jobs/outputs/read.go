package outputs

import (
	"errors"
	"fmt"
	"slices"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// Customers is what a later run needs of an earlier date's customers output: the assignments
// that migration compares. Rows are in file order (the writer sorts them by CustomerID).
type Customers struct {
	CustomerID []string
	Segment    []string // "" for a null
	Monetary   []int64  // minor units at MoneyScale decimals
	MoneyScale int
	// Columns older outputs may lack: nil when the file has no such column.
	Tier             []string // "" for a null
	Profit           []int64  // minor units at MoneyScale decimals; 0 for a null
	TierPeriodsBelow []int32  // consecutive periods below the held tier (status protection)
}

// Len is the number of customers.
func (c *Customers) Len() int { return len(c.CustomerID) }

// Customers returns the columns of Customers this date's customers table holds, as
// ReadCustomers reads them back from it (a series hands them to its next date in memory).
func (d *Date) Customers() *Customers {
	t := d.Features
	c := &Customers{CustomerID: t.CustomerID, Segment: d.Scores.Segment, Monetary: t.Monetary, MoneyScale: t.MoneyScale}
	if d.Profit != nil {
		c.Tier, c.Profit = tierNames(d.Profit.Tiers.Tiers, d.TierOf()), d.Profit.Result.Profit
	}
	if h := d.heldTiers(); h != nil {
		c.TierPeriodsBelow = h.PeriodsBelow
	}
	return c
}

// ReadCustomers reads the columns of Customers from a customers output file. A file that is not
// Parquet, is truncated or has corrupt pages returns parquetio.ErrCorrupt; missing required
// columns (customer_id, segment, monetary) or columns of the wrong type return
// parquetio.ErrSchema. It never panics on bad data.
func ReadCustomers(path string) (*Customers, error) {
	names := []string{"customer_id", "segment", "monetary", "tier", "profit", "tier_periods_below"}
	t, err := pq.ReadTable(path, func(name string) bool { return slices.Contains(names, name) })
	if err != nil {
		return nil, err
	}
	r := typedReader{t: t}
	c := &Customers{
		CustomerID: r.strings("customer_id", true),
		Segment:    r.strings("segment", true),
		Monetary:   r.money("monetary", true),
		Tier:       r.strings("tier", false),
		Profit:     r.money("profit", false),
	}
	if col, ok := r.col("tier_periods_below", false, pq.KindInt); ok {
		if !col.Int32() {
			r.fail("column %q is %v, want INT32", col.Name, col.Physical)
		} else {
			c.TierPeriodsBelow = make([]int32, len(col.Ints))
			for i, x := range col.Ints {
				c.TierPeriodsBelow[i] = int32(x)
			}
		}
	}
	c.MoneyScale = r.scale
	if err := errors.Join(r.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// typedReader checks the columns of a table read back against the types a reader wants,
// collecting every mismatch.
type typedReader struct {
	t        *pq.Table
	errs     []error
	scale    int
	hasScale bool // a money column was read: scale is set
}

func (r *typedReader) fail(format string, a ...any) {
	r.errs = append(r.errs, fmt.Errorf("%w: %s %s", pq.ErrSchema, r.t.Path, fmt.Sprintf(format, a...)))
}

func (r *typedReader) col(name string, required bool, kind pq.Kind) (*pq.Col, bool) {
	c, ok := r.t.Col(name)
	if !ok {
		if required {
			r.fail("has no column %q", name)
		}
		return nil, false
	}
	if c.Kind != kind {
		r.fail("column %q is %v, want %s", name, c.Physical, map[pq.Kind]string{pq.KindString: "a string", pq.KindInt: "an integer", pq.KindFloat: "a floating-point number"}[kind])
		return nil, false
	}
	return c, true
}

func (r *typedReader) strings(name string, required bool) []string {
	if c, ok := r.col(name, required, pq.KindString); ok {
		return c.Strings
	}
	return nil
}

// money reads a DECIMAL column; every money column of a file must have the same scale.
func (r *typedReader) money(name string, required bool) []int64 {
	c, ok := r.col(name, required, pq.KindInt)
	if !ok {
		return nil
	}
	if !c.Decimal {
		r.fail("column %q is %v, want DECIMAL over INT64 or INT32", name, c.Physical)
		return nil
	}
	if r.hasScale && c.Scale != r.scale {
		r.fail("column %q has %d decimals, monetary %d", name, c.Scale, r.scale)
		return nil
	}
	r.scale, r.hasScale = c.Scale, true
	return c.Ints
}

func (r *typedReader) floats(name string) []float64 {
	if c, ok := r.col(name, true, pq.KindFloat); ok {
		return c.Floats
	}
	return nil
}

func (r *typedReader) ints(name string) []int64 {
	if c, ok := r.col(name, true, pq.KindInt); ok {
		return c.Ints
	}
	return nil
}

// TierShare is one tier of a committed date's pyramid: its share of the customers beside its
// share of the profit.
type TierShare struct {
	Tier          string
	Customers     int64
	CustomerShare float64
	ProfitShare   float64
}

// WhalePeak is the top of a committed date's whale curve: the most profitable CustomerShare of
// the customers make ProfitShare of the profit; the rest destroy ProfitDestroyed (currency
// units).
type WhalePeak struct {
	CustomerShare, ProfitShare, ProfitDestroyed float64
}

// ReadPyramid reads the tiers, best first, and the whale peak of a date from the files of its
// tiers and pareto tables.
func ReadPyramid(tiersPath, paretoPath string) ([]TierShare, WhalePeak, error) {
	var peak WhalePeak
	t, err := pq.ReadTable(tiersPath, nil)
	if err != nil {
		return nil, peak, err
	}
	r := typedReader{t: t}
	names, customers := r.strings("tier", true), r.ints("customers")
	cs, ps := r.floats("customer_share"), r.floats("profit_share")
	if err := errors.Join(r.errs...); err != nil {
		return nil, peak, err
	}
	tiers := make([]TierShare, t.Rows)
	for k := range tiers {
		tiers[k] = TierShare{names[k], customers[k], cs[k], ps[k]}
	}
	p, err := pq.ReadTable(paretoPath, func(name string) bool { return name == "metric" || name == "value" })
	if err != nil {
		return nil, peak, err
	}
	r = typedReader{t: p}
	metric, value := r.strings("metric", true), r.floats("value")
	if err := errors.Join(r.errs...); err != nil {
		return nil, peak, err
	}
	for i, m := range metric {
		switch m {
		case "whale_peak_customer_share":
			peak.CustomerShare = value[i]
		case "whale_peak_profit_share":
			peak.ProfitShare = value[i]
		case "profit_destroyed":
			peak.ProfitDestroyed = value[i]
		}
	}
	return tiers, peak, nil
}
