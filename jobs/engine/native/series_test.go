package native_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

// seriesFixture writes a random history over days 0–199 meant to stress a series: orders
// whose rows straddle the cuts, in and out of input order, returns of earlier orders on later
// days (order ids back inside a customer's range, the general path), zero-net orders, rows
// without an order id, and null customers and amounts.
func seriesFixture(t *testing.T, seed uint64, stringIDs bool) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var cust, order, ts, amount []any
	row := func(c, o int, day int, amt int64) {
		var id any = int64(c)
		if stringIDs {
			id = fmt.Sprintf("C%03d", c)
		}
		if rng.IntN(200) == 0 {
			id = nil
		}
		var oid any = int64(o)
		if o < 0 {
			oid = nil
		}
		var a any = amt
		if rng.IntN(300) == 0 {
			a = nil
		}
		cust, order, ts, amount = append(cust, id), append(order, oid), append(ts, us(day, rng.IntN(24))), append(amount, a)
	}
	next := 1
	for range 900 {
		c := rng.IntN(60)
		day := rng.IntN(200)
		o := next
		next++
		switch rng.IntN(10) {
		case 0: // an order id that goes back: a customer's range is entered
			o = rng.IntN(next)
		case 1:
			o = -1
		}
		lines := 1 + rng.IntN(4)
		for l := range lines {
			d := day
			if rng.IntN(4) == 0 { // a line on a later day: the order straddles cuts
				d = min(199, day+rng.IntN(40))
			}
			amt := int64(rng.IntN(5000)) - 300
			if l == 0 && rng.IntN(20) == 0 {
				amt = 0
			}
			row(c, o, d, amt)
			if rng.IntN(6) == 0 { // someone else's row in between
				row(rng.IntN(60), next, rng.IntN(200), int64(rng.IntN(900)))
				next++
			}
		}
		if rng.IntN(8) == 0 { // a return of this order, later
			row(c, o, min(199, day+1+rng.IntN(60)), -int64(rng.IntN(3000)))
		}
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("series-%d.parquet", seed))
	opt := parquet.Optional
	idNode := opt(parquet.Int(64))
	if stringIDs {
		idNode = opt(parquet.String())
	}
	inputtest.Write(t, path, 97,
		inputtest.Column{Name: "customer", Node: idNode, Values: cust},
		inputtest.Column{Name: "order", Node: opt(parquet.Int(64)), Values: order},
		inputtest.Column{Name: "ts", Node: opt(parquet.Timestamp(parquet.Microsecond)), Values: ts},
		inputtest.Column{Name: "amount", Node: opt(parquet.Decimal(2, 18, parquet.Int64Type)), Values: amount},
	)
	return path
}

// TestSeriesMatchesEachDate checks that every date of a series gets exactly the result
// Aggregate gives for that date alone: features, counts and rejected rows, for integer and
// string ids, one and several partitions, and cuts daily, weekly, monthly and irregular.
func TestSeriesMatchesEachDate(t *testing.T) {
	cutSets := map[string][]int32{
		"daily":     seq(40, 80, 1),
		"weekly":    seq(3, 199, 7),
		"monthly":   seq(30, 199, 30),
		"irregular": {0, 1, 17, 18, 60, 150, 199, 250},
	}
	for _, stringIDs := range []bool{false, true} {
		for seed := range uint64(3) {
			path := seriesFixture(t, seed, stringIDs)
			for name, cuts := range cutSets {
				for _, threads := range []int{1, 3} {
					zero := seed == 2
					t.Run(fmt.Sprintf("strings=%v/seed=%d/%s/threads=%d", stringIDs, seed, name, threads), func(t *testing.T) {
						req := engine.Request{Files: []string{path}, Columns: engine.Columns{CustomerID: "customer", OrderID: "order", Timestamp: "ts", Amount: "amount"},
							StartDay: none, MoneyScale: 2, Threads: threads, ZeroNetIsPurchase: zero}
						checkSeries(t, req, cuts)
						// A fixed window start (a holdout period) holds for every date.
						req.StartDay = 35
						checkSeries(t, req, cuts)
					})
				}
			}
		}
	}
}

func checkSeries(t *testing.T, req engine.Request, cuts []int32) {
	t.Helper()
	var got []int
	err := native.New().AggregateSeries(context.Background(), req, cuts, func(i int, res *engine.Result) error {
		got = append(got, i)
		one := req
		one.AsOfDay = cuts[i]
		want := aggregate(t, one)
		if g, w := rowsOf(res.Features), rowsOf(want.Features); !reflect.DeepEqual(g, w) {
			for j := range min(len(g), len(w)) {
				if g[j] != w[j] {
					t.Errorf("day %d, customer %d:\n got %+v\nwant %+v", cuts[i], j, g[j], w[j])
					break
				}
			}
			t.Fatalf("day %d: %d customers, want %d", cuts[i], len(g), len(w))
		}
		if !reflect.DeepEqual(res.Counts, want.Counts) {
			t.Errorf("day %d: counts %+v, want %+v", cuts[i], res.Counts, want.Counts)
		}
		if !reflect.DeepEqual(res.Rejected, want.Rejected) {
			t.Errorf("day %d: %d rejected rows, want %d", cuts[i], len(res.Rejected), len(want.Rejected))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cuts) {
		t.Errorf("each called for %v, want %d dates", got, len(cuts))
	}
}

func seq(from, to, step int32) []int32 {
	var out []int32
	for d := from; d <= to; d += step {
		out = append(out, d)
	}
	return out
}

// TestSeriesRefuses checks the series' preconditions and that an error of each stops it.
func TestSeriesRefuses(t *testing.T) {
	path := seriesFixture(t, 1, false)
	req := engine.Request{Files: []string{path}, Columns: engine.Columns{CustomerID: "customer", OrderID: "order", Timestamp: "ts", Amount: "amount"}, StartDay: none, MoneyScale: 2}
	each := func(int, *engine.Result) error { t.Error("each called"); return nil }
	if err := native.New().AggregateSeries(context.Background(), req, []int32{5, 5}, each); err == nil {
		t.Error("repeated day: no error")
	}
	stop := fmt.Errorf("stop")
	var calls []int32
	err := native.New().AggregateSeries(context.Background(), req, []int32{50, 100, 150}, func(i int, res *engine.Result) error {
		calls = append(calls, int32(i))
		if i == 1 {
			return stop
		}
		return nil
	})
	if err != stop || !slices.Equal(calls, []int32{0, 1}) {
		t.Errorf("got %v after calls %v, want the callback's error after 0, 1", err, calls)
	}
}
