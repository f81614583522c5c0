// Package gen writes deterministic synthetic transaction histories to Parquet: for the demo, for
// benchmarks at any size, and for tests. The same Options always give the same bytes.
//
// The model is meant to look like a real retailer's export, not like uniform noise:
//   - customer value is heavy-tailed: each customer's purchase rate is Pareto(α = 1.6) weighted,
//     so about a fifth of the customers make most of the revenue;
//   - customers arrive uniformly over the span and lapse after an exponential lifetime, so
//     recency and frequency carry signal;
//   - demand is seasonal (November–December peak, busier weekends);
//   - orders have 1–5 lines with log-normal amounts around a per-customer basket size, and a
//     cost of goods at a per-line margin of 25–45%;
//   - about 4% of orders are followed by a return (a separate order with negative amount);
//   - with Options.BadRowShare > 0, that share of rows has a null customer_id or a null amount,
//     as real exports do.
package gen

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"time"

	"github.com/parquet-go/parquet-go"
)

// ErrOptions is wrapped by every error about invalid Options.
var ErrOptions = errors.New("gen: invalid options")

// Options describe a synthetic data set.
type Options struct {
	Customers    int     // number of distinct customers (≥ 1)
	Transactions int     // rows (order lines) to write (≥ 1)
	Seed         uint64  // random seed
	Start        string  // first day, YYYY-MM-DD; default 2023-01-01
	Days         int     // span in days; default 730
	StringIDs    bool    // customer_id as "C0000042" strings instead of integers
	BadRowShare  float64 // share of rows with a null customer_id or amount; default 0
	RowGroupRows int     // rows per row group; default 1,048,576
}

// Row is one order line as written with integer customer ids.
type Row struct {
	CustomerID int64     `parquet:"customer_id"`
	OrderID    int64     `parquet:"order_id"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Amount     int64     `parquet:"amount,decimal(2:18)"`
	Cost       int64     `parquet:"cost,decimal(2:18)"`
}

type stringRow struct {
	CustomerID string    `parquet:"customer_id,dict"`
	OrderID    int64     `parquet:"order_id"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Amount     int64     `parquet:"amount,decimal(2:18)"`
	Cost       int64     `parquet:"cost,decimal(2:18)"`
}

type nullableRow struct {
	CustomerID *int64    `parquet:"customer_id,optional"`
	OrderID    int64     `parquet:"order_id"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Amount     *int64    `parquet:"amount,decimal(2:18),optional"`
	Cost       int64     `parquet:"cost,decimal(2:18)"`
}

func (o *Options) normalize() error {
	if o.Customers < 1 || o.Transactions < 1 {
		return fmt.Errorf("%w: want at least 1 customer and 1 transaction, got %d and %d", ErrOptions, o.Customers, o.Transactions)
	}
	if o.Start == "" {
		o.Start = "2023-01-01"
	}
	if o.Days == 0 {
		o.Days = 730
	}
	if o.RowGroupRows == 0 {
		o.RowGroupRows = 1 << 20
	}
	if o.BadRowShare < 0 || o.BadRowShare > 1 {
		return fmt.Errorf("%w: bad row share %g outside 0..1", ErrOptions, o.BadRowShare)
	}
	if _, err := time.Parse("2006-01-02", o.Start); err != nil {
		return fmt.Errorf("%w: start %q is not YYYY-MM-DD", ErrOptions, o.Start)
	}
	return nil
}

// End returns the last day of the data set (YYYY-MM-DD).
func (o Options) End() string {
	o.normalize()
	t, _ := time.Parse("2006-01-02", o.Start)
	return t.AddDate(0, 0, o.Days-1).Format("2006-01-02")
}

// customer is one synthetic customer's behaviour.
type customer struct {
	first, last int     // active days, offsets from Start
	basketLog   float64 // log of the typical line amount in cents
}

// WriteFile writes the data set to path (the file is created or truncated).
func WriteFile(path string, opt Options) error {
	if err := opt.normalize(); err != nil {
		return err
	}
	return create(path, func(f io.Writer) error {
		g := newGenerator(opt)
		switch {
		case opt.StringIDs:
			ids := stringIDs(opt.Customers)
			return writeRows(f, opt, func(put func(stringRow) error) error {
				return g.run(func(r *Row, _, _ bool) error {
					return put(stringRow{ids[r.CustomerID-1], r.OrderID, r.TS, r.Amount, r.Cost})
				})
			})
		case opt.BadRowShare > 0:
			return writeRows(f, opt, func(put func(nullableRow) error) error {
				return g.run(func(r *Row, nullCustomer, nullAmount bool) error {
					nr := nullableRow{OrderID: r.OrderID, TS: r.TS, Cost: r.Cost}
					if !nullCustomer {
						id := r.CustomerID
						nr.CustomerID = &id
					}
					if !nullAmount {
						a := r.Amount
						nr.Amount = &a
					}
					return put(nr)
				})
			})
		default:
			return writeRows(f, opt, func(put func(Row) error) error {
				return g.run(func(r *Row, _, _ bool) error { return put(*r) })
			})
		}
	})
}

// create creates (or truncates) path and writes it with write, returning write's error, else
// the close's.
func create(path string, write func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return write(f)
}

// stringIDs are the customer ids of Options.StringIDs: "C0000001" for customer 1, and so on.
func stringIDs(customers int) []string {
	ids := make([]string, customers)
	for i := range ids {
		ids[i] = fmt.Sprintf("C%07d", i+1)
	}
	return ids
}

// writeRows writes the rows produce puts, in batches, as one Parquet file.
func writeRows[T any](f io.Writer, opt Options, produce func(put func(T) error) error) error {
	w := parquet.NewGenericWriter[T](f, parquet.Compression(&parquet.Snappy), parquet.MaxRowsPerRowGroup(int64(opt.RowGroupRows)), parquet.CreatedBy("rfm gen", "", ""))
	buf := make([]T, 0, 8192)
	err := produce(func(r T) error {
		buf = append(buf, r)
		if len(buf) == cap(buf) {
			_, err := w.Write(buf)
			buf = buf[:0]
			return err
		}
		return nil
	})
	if err == nil {
		_, err = w.Write(buf)
	}
	if err == nil {
		err = w.Close()
	}
	return err
}

type generator struct {
	opt       Options
	rng       *rand.Rand
	start     time.Time
	customers []customer
	cumWeight []float64 // cumulative purchase weights, for sampling a customer
	dayWeight []float64 // seasonality per day offset, max 1
}

func newGenerator(opt Options) *generator {
	g := &generator{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x5eed_cafe))}
	g.start, _ = time.Parse("2006-01-02", opt.Start)
	g.customers = make([]customer, opt.Customers)
	g.cumWeight = make([]float64, opt.Customers)
	total := 0.0
	for i := range g.customers {
		first := g.rng.IntN(opt.Days)
		life := int(g.rng.ExpFloat64() * float64(opt.Days) / 2)
		last := min(first+life, opt.Days-1)
		// Pareto(α = 1.6) purchase weight, times the active span so that long-lived customers
		// buy more in total.
		w := math.Pow(1-g.rng.Float64(), -1/1.6) * float64(last-first+30)
		total += w
		g.cumWeight[i] = total
		g.customers[i] = customer{first: first, last: last, basketLog: math.Log(2500) + 0.6*g.rng.NormFloat64()}
	}
	g.dayWeight = make([]float64, opt.Days)
	for d := range g.dayWeight {
		t := g.start.AddDate(0, 0, d)
		w := 0.6
		if m := t.Month(); m == time.November || m == time.December {
			w += 0.3
		}
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w += 0.1
		}
		g.dayWeight[d] = w
	}
	return g
}

// pickCustomer samples a customer index proportionally to its weight.
func (g *generator) pickCustomer() int {
	x := g.rng.Float64() * g.cumWeight[len(g.cumWeight)-1]
	return sort.SearchFloat64s(g.cumWeight, x)
}

// pickDay samples a day in [first, last] with the seasonal weights (rejection sampling).
func (g *generator) pickDay(c customer) int {
	for {
		d := c.first + g.rng.IntN(c.last-c.first+1)
		if g.rng.Float64() < g.dayWeight[d] {
			return d
		}
	}
}

// run emits exactly opt.Transactions rows. The first pass gives every customer one order, so
// the data set has exactly opt.Customers customers when there are rows enough.
func (g *generator) run(emit func(r *Row, nullCustomer, nullAmount bool) error) error {
	rows := 0
	orderID := int64(0)
	next := 0 // customers not yet given their first order
	var row Row
	for rows < g.opt.Transactions {
		ci := next
		if next < len(g.customers) {
			next++
		} else {
			ci = g.pickCustomer()
		}
		c := g.customers[ci]
		day := g.pickDay(c)
		ts := g.start.Add(time.Duration(day)*24*time.Hour + time.Duration(g.rng.IntN(86400))*time.Second)
		orderID++
		lines := 1 + g.rng.IntN(5)
		var returned int64
		for l := 0; l < lines && rows < g.opt.Transactions; l++ {
			amount := int64(math.Round(math.Exp(c.basketLog + 0.5*g.rng.NormFloat64())))
			if amount < 50 {
				amount = 50
			}
			cost := amount * int64(55+g.rng.IntN(21)) / 100
			row = Row{CustomerID: int64(ci + 1), OrderID: orderID, TS: ts, Amount: amount, Cost: cost}
			if err := g.emit(&row, emit); err != nil {
				return err
			}
			rows++
			if l == 0 {
				returned = amount
			}
		}
		// A return of the first line, 1–30 days later, for about 4% of orders.
		if rows < g.opt.Transactions && g.rng.Float64() < 0.04 {
			rd := day + 1 + g.rng.IntN(30)
			if rd < g.opt.Days {
				orderID++
				rts := g.start.Add(time.Duration(rd)*24*time.Hour + time.Duration(g.rng.IntN(86400))*time.Second)
				row = Row{CustomerID: int64(ci + 1), OrderID: orderID, TS: rts, Amount: -returned, Cost: -returned * 60 / 100}
				if err := g.emit(&row, emit); err != nil {
					return err
				}
				rows++
			}
		}
	}
	return nil
}

func (g *generator) emit(r *Row, emit func(*Row, bool, bool) error) error {
	nullCustomer, nullAmount := false, false
	if g.opt.BadRowShare > 0 && g.rng.Float64() < g.opt.BadRowShare {
		if g.rng.IntN(2) == 0 {
			nullCustomer = true
		} else {
			nullAmount = true
		}
	}
	return emit(r, nullCustomer, nullAmount)
}
