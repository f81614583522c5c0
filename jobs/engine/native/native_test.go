package native_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

const none = feature.NoDate

// customer is one expected feature row.
type customer struct {
	id                                                  string
	first, last                                         int32
	freq, orders, rows, days, monetary, value, firstDay int64
	cost                                                int64
}

func rowsOf(t *feature.Table) []customer {
	var out []customer
	for i := range t.Len() {
		out = append(out, customer{t.CustomerID[i], t.FirstPurchase[i], t.LastPurchase[i], t.Frequency[i], t.Orders[i],
			t.Rows[i], t.PurchaseDays[i], t.Monetary[i], t.PurchaseValue[i], t.FirstDayValue[i], t.Cost[i]})
	}
	return out
}

func checkTable(t *testing.T, got *feature.Table, want []customer) {
	t.Helper()
	if err := got.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	g := rowsOf(got)
	if len(g) != len(want) {
		t.Errorf("got %d customers %+v, want %d %+v", len(g), g, len(want), want)
		return
	}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("customer %d:\n got %+v\nwant %+v", i, g[i], want[i])
		}
	}
}

func aggregate(t *testing.T, req engine.Request) *engine.Result {
	t.Helper()
	res, err := native.New().Aggregate(context.Background(), req)
	if err != nil {
		t.Fatalf("Aggregate: %v", err)
	}
	if got := res.Counts.Used + res.Counts.AfterAsOf + res.Counts.BeforeWindow + res.Counts.RejectedTotal(); got != res.Counts.Read {
		t.Errorf("got used+after+before+rejected = %d, want rows read %d", got, res.Counts.Read)
	}
	return res
}

// us returns microseconds since the epoch at hour h of day d.
func us(d, h int) int64 { return (int64(d)*24 + int64(h)) * 3600 * 1_000_000 }

// orderFixture writes the multi-row-order file whose expected table is worked out by hand in
// TestOrders; rowGroup rows per row group split order 2 (rows 2–3) across groups 0 and 1, and
// order 5 (rows 6 and 10) across groups 2 and 3.
func orderFixture(t *testing.T, rowGroup int) string {
	path := filepath.Join(t.TempDir(), "orders.parquet")
	opt := parquet.Optional
	inputtest.Write(t, path, rowGroup,
		inputtest.Column{Name: "customer", Node: opt(parquet.String()), Values: []any{
			"A", "A", "A", "A", "B", "A", "C", nil, "A", "C", "C", "D", "D", "B", "B"}},
		inputtest.Column{Name: "order", Node: opt(parquet.Int(64)), Values: []any{
			1, 1, 2, 2, 3, 4, 5, 6, 6, 7, 5, 8, 9, 10, 10}},
		inputtest.Column{Name: "ts", Node: opt(parquet.Timestamp(parquet.Microsecond)), Values: []any{
			us(100, 1), us(100, 2), us(101, 23), us(102, 0), us(100, 5), us(103, 1), us(99, 12), us(100, 0),
			us(110, 0), us(50, 0), us(104, 0), us(100, 0), nil, us(100, 3), us(100, 4)}},
		inputtest.Column{Name: "amount", Node: opt(parquet.Decimal(2, 18, parquet.Int64Type)), Values: []any{
			1000, 550, 200, 100, -400, -1675, 701, 100, 100, 100, 100, nil, 100, 400, -400}},
		inputtest.Column{Name: "cost", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{
			0.5, nil, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}},
	)
	return path
}

var orderColumns = engine.Columns{CustomerID: "customer", OrderID: "order", Timestamp: "ts", Amount: "amount", Cost: "cost"}

// TestOrders checks a hand-computed table: multi-row orders, an order split across row groups
// and one whose rows are not adjacent, a return netting, a customer with only returns and a
// zero-net order, nulls in each column, rows after the as-of day and before the window.
func TestOrders(t *testing.T) {
	// Hand computation (as-of day 105, window from day 60, cents):
	// A: order 1 = 10.00 + 5.50 on day 100; order 2 = 2.00 + 1.00, day 101 (rows in two row
	//    groups); order 4 = -16.75 on day 103; order 6 is after the as-of day. 3 orders, 2
	//    purchases on days 100 and 101, monetary 15.50 + 3.00 - 16.75 = 1.75, purchases 18.50,
	//    first day 15.50; cost 0.50 × 4 (one null cost counts 0).
	// B: order 3 = -4.00; order 10 = 4.00 - 4.00 = 0 (not a purchase): 2 orders, 3 rows.
	// C: order 5 = 7.01 (day 99) + 1.00 (day 104) = 8.01 on day 99; order 7 is before the window.
	// D: one null amount, one null timestamp: no used row, so no customer row.
	want := []customer{
		{"A", 100, 101, 2, 3, 5, 2, 175, 1850, 1550, 200},
		{"B", none, none, 0, 2, 3, 0, -400, 0, 0, 150},
		{"C", 99, 99, 1, 1, 2, 1, 801, 801, 801, 100},
	}
	wantCounts := engine.Counts{Read: 15, Used: 10, AfterAsOf: 1, BeforeWindow: 1, Rejected: map[string]int64{
		engine.RejectNullCustomer: 1, engine.RejectNullAmount: 1, engine.RejectNullTimestamp: 1}}
	wantRejected := []struct {
		row    int64
		reason string
	}{{7, engine.RejectNullCustomer}, {11, engine.RejectNullAmount}, {12, engine.RejectNullTimestamp}}
	for _, rowGroup := range []int{0, 3, 4} {
		for _, threads := range []int{1, 3} {
			t.Run(fmt.Sprintf("rowgroup=%d/threads=%d", rowGroup, threads), func(t *testing.T) {
				path := orderFixture(t, rowGroup)
				res := aggregate(t, engine.Request{Files: []string{path}, Columns: orderColumns,
					AsOfDay: 105, StartDay: 60, MoneyScale: 2, Threads: threads})
				checkTable(t, res.Features, want)
				if !res.Features.HasCost || res.Features.MoneyScale != 2 {
					t.Errorf("got HasCost %v MoneyScale %d, want true 2", res.Features.HasCost, res.Features.MoneyScale)
				}
				if !reflect.DeepEqual(res.Counts, wantCounts) {
					t.Errorf("got counts %+v, want %+v", res.Counts, wantCounts)
				}
				if len(res.Rejected) != len(wantRejected) {
					t.Fatalf("got %d rejected rows %+v, want %d", len(res.Rejected), res.Rejected, len(wantRejected))
				}
				for i, w := range wantRejected {
					if g := res.Rejected[i]; g.Row != w.row || g.Reason != w.reason || g.File != path {
						t.Errorf("rejected %d: got %s row %d %s, want %s row %d %s", i, g.File, g.Row, g.Reason, path, w.row, w.reason)
					}
				}
				if g := res.Rejected[1]; g.CustomerID != "D" || g.OrderID != "8" || g.Timestamp != "1970-04-11 00:00:00+00" || g.Amount != "" {
					t.Errorf("got raw values %+v, want D, 8, 1970-04-11 00:00:00+00 and an empty amount", g)
				}
			})
		}
	}
}

// TestCustomerIDs checks each id type, floating ids (17850.0 → "17850", 1.5 and NaN rejected),
// DOUBLE amounts rounded half away from zero, and rows without an order id column.
func TestCustomerIDs(t *testing.T) {
	tests := []struct {
		name    string
		node    parquet.Node
		ids     []any
		bad     int64
		wantIDs [2]string
	}{
		{"int64", parquet.Int(64), []any{17850, 17850, 12, 12}, 0, [2]string{"12", "17850"}},
		{"int32", parquet.Int(32), []any{17850, 17850, 12, 12}, 0, [2]string{"12", "17850"}},
		{"string", parquet.String(), []any{"17850", "17850", "12", "12"}, 0, [2]string{"12", "17850"}},
		{"double", parquet.Leaf(parquet.DoubleType), []any{17850.0, 17850.0, 12.0, 1.5}, 1, [2]string{"12", "17850"}},
		{"float", parquet.Leaf(parquet.FloatType), []any{17850.0, 17850.0, 12.0, math.NaN()}, 1, [2]string{"12", "17850"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ids.parquet")
			inputtest.Write(t, path, 0,
				inputtest.Column{Name: "id", Node: tt.node, Values: tt.ids},
				inputtest.Column{Name: "day", Node: parquet.Date(), Values: []any{10, 10, 11, 11}},
				// 0.125 × 100 = 12.5 rounds to 13; 2.675 is 2.67499999999999982 as a float64 but
				// its product by 100 rounds to exactly 267.5 (Python: 2.675*100 == 267.5), so 268.
				inputtest.Column{Name: "amount", Node: parquet.Leaf(parquet.DoubleType), Values: []any{0.125, 2.675, -1.0, 5.0}},
			)
			res := aggregate(t, engine.Request{Files: []string{path}, Columns: engine.Columns{CustomerID: "id", Timestamp: "day", Amount: "amount"},
				AsOfDay: 20, StartDay: none, MoneyScale: 2})
			twelve := customer{tt.wantIDs[0], 11, 11, 1, 2, 2, 1, 400, 500, 500, 0}
			if tt.bad > 0 {
				twelve = customer{tt.wantIDs[0], none, none, 0, 1, 1, 0, -100, 0, 0, 0}
			}
			checkTable(t, res.Features, []customer{twelve, {tt.wantIDs[1], 10, 10, 2, 2, 2, 1, 281, 281, 281, 0}})
			if got := res.Counts.Rejected[engine.RejectBadCustomer]; got != tt.bad {
				t.Errorf("got %d bad customer ids, want %d", got, tt.bad)
			}
		})
	}
}

// TestTimestamps gives every row its own customer so that FirstPurchase shows the row's day.
// Expected days come from the time package, not from the engine's arithmetic.
func TestTimestamps(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string, loc *time.Location) int32 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		y, m, d := tm.In(loc).Date()
		return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	instants := []string{"2009-12-01T07:45:00Z", "2009-12-01T03:00:00Z", "2009-11-30T23:00:00Z", "2009-12-01T00:00:00Z",
		"1969-12-31T23:59:59Z", "1960-06-15T12:00:00.5Z", "2021-03-14T06:59:59Z", "2021-03-14T07:00:00Z"}
	strs := []any{"2009-12-01 07:45:00", "2009-12-01T03:00:00Z", "2009-12-01T01:00:00+02:00", "2009-12-01",
		"1969-12-31 23:59:59", "1960-06-15 12:00:00.5", "2021-03-14 01:59:59-0500", "2021-03-14T03:00:00-04"}
	times := make([]time.Time, len(instants))
	for i, s := range instants {
		times[i], _ = time.Parse(time.RFC3339Nano, s)
	}
	ints := func(f func(time.Time) int64) []any {
		out := make([]any, len(times))
		for i, tm := range times {
			out[i] = f(tm)
		}
		return out
	}
	tests := []struct {
		name   string
		node   parquet.Node
		values []any
	}{
		{"string", parquet.String(), strs},
		{"timestamp ms UTC", parquet.Timestamp(parquet.Millisecond), ints(time.Time.UnixMilli)},
		{"timestamp us naive", parquet.TimestampAdjusted(parquet.Microsecond, false), ints(time.Time.UnixMicro)},
		{"timestamp ns UTC", parquet.Timestamp(parquet.Nanosecond), ints(time.Time.UnixNano)},
	}
	for _, tt := range tests {
		for _, loc := range []*time.Location{nil, ny} {
			t.Run(fmt.Sprintf("%s/%v", tt.name, loc), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "ts.parquet")
				ids := make([]any, len(tt.values))
				amounts := make([]any, len(tt.values))
				for i := range ids {
					ids[i], amounts[i] = fmt.Sprintf("r%d", i), 1
				}
				inputtest.Write(t, path, 0,
					inputtest.Column{Name: "id", Node: parquet.String(), Values: ids},
					inputtest.Column{Name: "ts", Node: tt.node, Values: tt.values},
					inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: amounts})
				res := aggregate(t, engine.Request{Files: []string{path}, Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
					AsOfDay: 30000, StartDay: none, MoneyScale: 2, Location: loc})
				zone := loc
				if zone == nil {
					zone = time.UTC
				}
				if res.Features.Len() != len(instants) {
					t.Fatalf("got %d customers, want %d", res.Features.Len(), len(instants))
				}
				for i, s := range instants {
					if got, want := res.Features.FirstPurchase[i], day(s, zone); got != want {
						t.Errorf("row %d (%v): got day %d, want %d", i, tt.values[i], got, want)
					}
				}
			})
		}
	}
}

func TestDatesAndBadStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ts.parquet")
	inputtest.Write(t, path, 0,
		inputtest.Column{Name: "id", Node: parquet.String(), Values: []any{"a", "b", "c", "d", "e", "f"}},
		inputtest.Column{Name: "ts", Node: parquet.Optional(parquet.String()), Values: []any{
			"2010-13-01", "yesterday", "", "2010-02-29", nil, "2012-02-29 23:59:59.999999"}},
		inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: []any{1, 1, 1, 1, 1, 1}})
	res := aggregate(t, engine.Request{Files: []string{path}, Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
		AsOfDay: 30000, StartDay: none, MoneyScale: 0})
	if got := res.Counts.Rejected[engine.RejectBadTimestamp]; got != 4 {
		t.Errorf("got %d bad timestamps, want 4: %+v", got, res.Rejected)
	}
	if got := res.Counts.Rejected[engine.RejectNullTimestamp]; got != 1 {
		t.Errorf("got %d null timestamps, want 1", got)
	}
	// 2012-02-29 is day 15399 (time.Date(2012, 2, 29) / 86400 s).
	checkTable(t, res.Features, []customer{{"f", 15399, 15399, 1, 1, 1, 1, 1, 1, 1, 0}})

	dates := filepath.Join(t.TempDir(), "dates.parquet")
	inputtest.Write(t, dates, 0,
		inputtest.Column{Name: "id", Node: parquet.String(), Values: []any{"a", "b"}},
		inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{-1, 15399}},
		inputtest.Column{Name: "amount", Node: parquet.Int(32), Values: []any{2, 3}})
	ny, _ := time.LoadLocation("America/New_York")
	res = aggregate(t, engine.Request{Files: []string{dates}, Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
		AsOfDay: 30000, StartDay: none, MoneyScale: 1, Location: ny})
	// A DATE is its own day in every zone; MoneyScale 1: 2 → 20 tenths.
	checkTable(t, res.Features, []customer{{"a", -1, -1, 1, 1, 1, 1, 20, 20, 20, 0}, {"b", 15399, 15399, 1, 1, 1, 1, 30, 30, 30, 0}})
}

// TestAmounts checks conversions to minor units, each row being its own customer.
func TestAmounts(t *testing.T) {
	tests := []struct {
		name  string
		cols  []inputtest.Column
		scale int
		want  []int64 // per row, math.MinInt64 for non_finite_amount
	}{
		{"decimal rescaled half away from zero", []inputtest.Column{{Name: "amount", Node: parquet.Decimal(3, 18, parquet.Int64Type),
			Values: []any{1005, -1005, 1004, 123}}}, 2, []int64{101, -101, 100, 12}},
		{"decimal with fewer digits", []inputtest.Column{{Name: "amount", Node: parquet.Decimal(1, 9, parquet.Int32Type),
			Values: []any{15, -7}}}, 2, []int64{150, -70}},
		{"double", []inputtest.Column{{Name: "amount", Node: parquet.Leaf(parquet.DoubleType),
			Values: []any{0.005, -0.005, math.NaN(), math.Inf(1), 1e14, 9e13}}}, 2, []int64{1, -1, math.MinInt64, math.MinInt64, math.MinInt64, 9_000_000_000_000_000}},
		{"integer", []inputtest.Column{{Name: "amount", Node: parquet.Int(64), Values: []any{7, -3, 9_000_000_000_000_001}}}, 0,
			[]int64{7, -3, math.MinInt64}},
		{"unsigned int32 above 2^31", []inputtest.Column{{Name: "amount", Node: parquet.Uint(32), Values: []any{3_000_000_000, 7}}}, 2,
			[]int64{300_000_000_000, 700}},
		{"quantity × unit price", []inputtest.Column{
			{Name: "q", Node: parquet.Int(64), Values: []any{3, -2, 7}},
			// 3 × 0.1 = 0.30000000000000004 → 30; -2 × 1.005 = -2.01 → -201; 7 × 1.25 = 8.75 → 875
			{Name: "p", Node: parquet.Leaf(parquet.DoubleType), Values: []any{0.1, 1.005, 1.25}}}, 2, []int64{30, -201, 875}},
		{"quantity × decimal unit price", []inputtest.Column{
			{Name: "q", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.5, 2}},
			{Name: "p", Node: parquet.Decimal(2, 10, parquet.Int64Type), Values: []any{333, -5}}}, 2, []int64{500, -10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.want)
			ids, days := make([]any, n), make([]any, n)
			for i := range ids {
				ids[i], days[i] = fmt.Sprintf("r%d", i), 5
			}
			cols := append([]inputtest.Column{{Name: "id", Node: parquet.String(), Values: ids}, {Name: "day", Node: parquet.Date(), Values: days}}, tt.cols...)
			path := filepath.Join(t.TempDir(), "amounts.parquet")
			inputtest.Write(t, path, 0, cols...)
			c := engine.Columns{CustomerID: "id", Timestamp: "day", Amount: "amount"}
			if len(tt.cols) == 2 {
				c = engine.Columns{CustomerID: "id", Timestamp: "day", Quantity: "q", UnitPrice: "p"}
			}
			res := aggregate(t, engine.Request{Files: []string{path}, Columns: c, AsOfDay: 10, StartDay: none, MoneyScale: tt.scale})
			got := map[string]int64{}
			for i, id := range res.Features.CustomerID {
				got[id] = res.Features.Monetary[i]
			}
			var bad int64
			for i, w := range tt.want {
				id := fmt.Sprintf("r%d", i)
				if w == math.MinInt64 {
					bad++
					if _, ok := got[id]; ok {
						t.Errorf("row %d: got amount %d, want it rejected", i, got[id])
					}
					continue
				}
				if got[id] != w {
					t.Errorf("row %d: got %d minor units, want %d", i, got[id], w)
				}
			}
			if g := res.Counts.Rejected[engine.RejectNonFiniteAmount]; g != bad {
				t.Errorf("got %d non-finite amounts, want %d", g, bad)
			}
		})
	}
}

func TestEmptyAndSingle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "one.parquet")
	inputtest.Write(t, path, 0,
		inputtest.Column{Name: "id", Node: parquet.String(), Values: []any{"only"}},
		inputtest.Column{Name: "day", Node: parquet.Date(), Values: []any{7}},
		inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: []any{5}})
	cols := engine.Columns{CustomerID: "id", Timestamp: "day", Amount: "amount"}
	res := aggregate(t, engine.Request{Files: []string{path}, Columns: cols, AsOfDay: 7, StartDay: 7, MoneyScale: 2})
	checkTable(t, res.Features, []customer{{"only", 7, 7, 1, 1, 1, 1, 500, 500, 500, 0}})
	res = aggregate(t, engine.Request{Files: []string{path}, Columns: cols, AsOfDay: 6, StartDay: none, MoneyScale: 2})
	checkTable(t, res.Features, nil)
	if res.Counts.AfterAsOf != 1 || res.Features.HasCost {
		t.Errorf("got %+v HasCost %v, want one row after the as-of day and no cost", res.Counts, res.Features.HasCost)
	}
}
