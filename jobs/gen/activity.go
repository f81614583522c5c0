package gen

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// Activities of the synthetic activity table, with the unit of their quantity.
const (
	ActivityOrder          = "order"           // lines picked
	ActivityDelivery       = "delivery"        // parcels
	ActivityReturn         = "return"          // returned parcels
	ActivitySupport        = "support_contact" // minutes
	ActivitySalesVisit     = "sales_visit"     // hours; travel expenses as direct cost
	ActivityMarketingTouch = "marketing_touch" // contacts
)

// ActivityRow is one activity as written with integer customer ids.
type ActivityRow struct {
	CustomerID int64     `parquet:"customer_id"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Activity   string    `parquet:"activity,dict"`
	Quantity   float64   `parquet:"quantity"`
	Cost       *int64    `parquet:"cost,decimal(2:18),optional"`
}

type stringActivityRow struct {
	CustomerID string    `parquet:"customer_id,dict"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Activity   string    `parquet:"activity,dict"`
	Quantity   float64   `parquet:"quantity"`
	Cost       *int64    `parquet:"cost,decimal(2:18),optional"`
}

// WriteActivityFile writes the activity table of the data set opt describes (the same Options
// as WriteFile, so the activities belong to the same customers and orders). maxRows > 0 stops
// after that many rows.
//
// The model, for a cost-to-serve analysis that has something to find:
//   - every order is picked (ActivityOrder, quantity = its lines) and delivered 1–3 days later
//     (ActivityDelivery, 1 parcel); every return is ActivityReturn (1 parcel);
//   - support contacts (minutes, exponential with mean 12) follow an order with a probability
//     that falls with the customer's basket size: about 60% for the smallest baskets, under 5%
//     for the largest, so small customers are the support-heavy ones;
//   - customers with the largest baskets (about the top 15%) get a sales visit (1–3 hours, with
//     travel expenses as direct cost) after about one order in five;
//   - every customer gets a marketing touch about every 45 days from its first order to the
//     end of the data, lapsed or not, as mailing lists do.
func WriteActivityFile(path string, opt Options, maxRows int) error {
	if err := opt.normalize(); err != nil {
		return err
	}
	return create(path, func(f io.Writer) error {
		a := newActivityGenerator(opt, maxRows)
		if !opt.StringIDs {
			return writeRows(f, opt, a.run)
		}
		ids := stringIDs(opt.Customers)
		return writeRows(f, opt, func(put func(stringActivityRow) error) error {
			return a.run(func(r ActivityRow) error {
				return put(stringActivityRow{ids[r.CustomerID-1], r.TS, r.Activity, r.Quantity, r.Cost})
			})
		})
	})
}

// activityGenerator replays the transaction generator and derives activities from its orders,
// with a random source of its own so the transactions replay unchanged.
type activityGenerator struct {
	g       *generator
	rng     *rand.Rand
	maxRows int
	rows    int
	// minLog and spanLog bound the customers' log basket sizes, to scale support by size.
	minLog, spanLog float64
	bigLog          float64 // log basket size above which customers get sales visits
}

func newActivityGenerator(opt Options, maxRows int) *activityGenerator {
	g := newGenerator(opt)
	a := &activityGenerator{g: g, rng: rand.New(rand.NewPCG(opt.Seed, 0xac71_7e5)), maxRows: maxRows}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range g.customers {
		lo, hi = min(lo, c.basketLog), max(hi, c.basketLog)
	}
	a.minLog, a.spanLog = lo, max(hi-lo, 1e-9)
	a.bigLog = math.Log(2500) + 0.6 // one standard deviation above the typical basket
	return a
}

var errEnough = fmt.Errorf("gen: enough activity rows")

// run emits the activities of every order of the replayed transactions, then the marketing
// touches.
func (a *activityGenerator) run(emit func(ActivityRow) error) error {
	put := func(r ActivityRow) error {
		if a.maxRows > 0 && a.rows >= a.maxRows {
			return errEnough
		}
		a.rows++
		return emit(r)
	}
	var cur Row
	lines := 0
	flush := func() error {
		if lines == 0 {
			return nil
		}
		return a.order(cur, lines, put)
	}
	err := a.g.run(func(r *Row, _, _ bool) error {
		if lines > 0 && r.OrderID == cur.OrderID {
			lines++
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		cur, lines = *r, 1
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = a.marketing(put)
	}
	if err == errEnough {
		return nil
	}
	return err
}

// order emits the activities that follow one order (or return) of lines lines.
func (a *activityGenerator) order(r Row, lines int, put func(ActivityRow) error) error {
	rng := a.rng
	id := r.CustomerID
	c := a.g.customers[id-1]
	if r.Amount < 0 {
		return put(ActivityRow{CustomerID: id, TS: r.TS, Activity: ActivityReturn, Quantity: 1})
	}
	if err := put(ActivityRow{CustomerID: id, TS: r.TS, Activity: ActivityOrder, Quantity: float64(lines)}); err != nil {
		return err
	}
	later := func(maxDays int) time.Time {
		return r.TS.Add(time.Duration(1+rng.IntN(maxDays))*24*time.Hour + time.Duration(rng.IntN(3600))*time.Second)
	}
	if err := put(ActivityRow{CustomerID: id, TS: later(3), Activity: ActivityDelivery, Quantity: 1}); err != nil {
		return err
	}
	small := 1 - (c.basketLog-a.minLog)/a.spanLog // 1 for the smallest basket, 0 for the largest
	if rng.Float64() < 0.03+0.6*small*small {
		minutes := math.Round(1 + rng.ExpFloat64()*12) // whole minutes, at least 1
		if err := put(ActivityRow{CustomerID: id, TS: later(10), Activity: ActivitySupport, Quantity: minutes}); err != nil {
			return err
		}
	}
	if c.basketLog > a.bigLog && rng.Float64() < 0.2 {
		travel := int64(1500 + rng.IntN(6000))
		if err := put(ActivityRow{CustomerID: id, TS: later(20), Activity: ActivitySalesVisit, Quantity: float64(1 + rng.IntN(3)), Cost: &travel}); err != nil {
			return err
		}
	}
	return nil
}

// marketing emits a touch about every 45 days from each customer's first day to the end.
func (a *activityGenerator) marketing(put func(ActivityRow) error) error {
	for i, c := range a.g.customers {
		for d := c.first + a.rng.IntN(45); d < a.g.opt.Days; d += 30 + a.rng.IntN(31) {
			ts := a.g.start.Add(time.Duration(d)*24*time.Hour + 9*time.Hour)
			if err := put(ActivityRow{CustomerID: int64(i + 1), TS: ts, Activity: ActivityMarketingTouch, Quantity: 1}); err != nil {
				return err
			}
		}
	}
	return nil
}
