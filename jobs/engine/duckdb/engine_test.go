package duckdb

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

type row struct {
	CustomerID *string   `parquet:"customer_id,optional"`
	OrderID    *int64    `parquet:"order_id,optional"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Amount     *float64  `parquet:"amount,optional"`
	Cost       float64   `parquet:"cost"`
}

func s(v string) *string   { return &v }
func i(v int64) *int64     { return &v }
func f(v float64) *float64 { return &v }

func at(v string) time.Time {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		panic(err)
	}
	return t
}

func dayOf(v string) int32 {
	t, _ := time.Parse("2006-01-02", v)
	return int32(t.Unix() / 86400)
}

// TestAggregateHandComputed checks the reference SQL against a table computed by hand.
func TestAggregateHandComputed(t *testing.T) {
	rows := []row{
		{s("x"), i(1), at("2024-01-01T10:00:00Z"), f(10.004), 4},   // order 1: 10.00 + 5.01 = 15.01 (10.004·100 = 1000.4 → 1000)
		{s("x"), i(1), at("2024-01-01T23:00:00Z"), f(5.005), 2},    // 5.005·100 is exactly 500.5 in doubles → 501 (half away)
		{s("x"), i(2), at("2024-01-01T11:00:00Z"), f(-3), -1},      // order 2, same day, a return
		{s("x"), nil, at("2024-02-01T00:00:00Z"), f(7.5), 3},       // no order id: its own order
		{s("x"), nil, at("2024-02-01T00:00:01Z"), f(2.5), 1},       // and another one
		{s("y"), i(3), at("2024-01-05T00:00:00Z"), f(-20), -8},     // only a return
		{nil, i(4), at("2024-01-05T00:00:00Z"), f(1), 0},           // rejected: null customer
		{s("z"), i(5), at("2024-01-06T00:00:00Z"), nil, 0},         // rejected: null amount
		{s("z"), i(6), at("2024-03-01T00:00:00Z"), f(100), 50},     // after as-of
		{s("z"), i(7), at("2023-01-01T00:00:00Z"), f(100), 50},     // before the window
		{s("w"), i(8), at("2024-01-31T23:59:59.999999Z"), f(1), 0}, // last microsecond of the window
	}
	path := filepath.Join(t.TempDir(), "tx.parquet")
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	req := engine.Request{
		Files:      []string{path},
		Columns:    engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount", Cost: "cost"},
		AsOfDay:    dayOf("2024-02-29"),
		StartDay:   dayOf("2023-06-01"),
		MoneyScale: 2,
	}
	res, err := New().Aggregate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := engine.Counts{Read: 11, Used: 7, AfterAsOf: 1, BeforeWindow: 1,
		Rejected: map[string]int64{engine.RejectNullCustomer: 1, engine.RejectNullAmount: 1}}
	if !reflect.DeepEqual(res.Counts, wantCounts) {
		t.Errorf("counts = %+v, want %+v", res.Counts, wantCounts)
	}
	if len(res.Rejected) != 2 || res.Rejected[0].Row != 6 || res.Rejected[1].Row != 7 || res.Rejected[1].Reason != engine.RejectNullAmount {
		t.Errorf("rejected = %+v, want rows 6 (null customer) and 7 (null amount)", res.Rejected)
	}
	// Rounding is per row, after multiplying by 10^scale in float64: 10.004 → 1000, 5.005 → 501.
	want := &feature.Table{
		MoneyScale:    2,
		HasCost:       true,
		CustomerID:    []string{"w", "x", "y"},
		FirstPurchase: []int32{dayOf("2024-01-31"), dayOf("2024-01-01"), feature.NoDate},
		LastPurchase:  []int32{dayOf("2024-01-31"), dayOf("2024-02-01"), feature.NoDate},
		Frequency:     []int64{1, 3, 0},
		Orders:        []int64{1, 4, 1},
		Rows:          []int64{1, 5, 1},
		PurchaseDays:  []int64{1, 2, 0},
		Monetary:      []int64{100, 1000 + 501 - 300 + 750 + 250, -2000},
		PurchaseValue: []int64{100, 1501 + 750 + 250, 0},
		FirstDayValue: []int64{100, 1501, 0},
		Cost:          []int64{0, 400 + 200 - 100 + 300 + 100, -800},
	}
	if err := res.Features.Check(); err != nil {
		t.Error(err)
	}
	if !reflect.DeepEqual(res.Features, want) {
		t.Errorf("features =\n%+v\nwant\n%+v", res.Features, want)
	}
}

// TestAggregateTimeZone checks that days are local days of the configured zone, across a
// daylight-saving change (New York, 2024-03-10).
func TestAggregateTimeZone(t *testing.T) {
	rows := []row{
		{s("a"), i(1), at("2024-03-10T04:59:59Z"), f(1), 0}, // 23:59:59 EST on 03-09
		{s("a"), i(2), at("2024-03-10T05:00:00Z"), f(1), 0}, // 00:00 EST on 03-10
		{s("a"), i(3), at("2024-03-11T03:59:59Z"), f(1), 0}, // 23:59:59 EDT on 03-10
		{s("a"), i(4), at("2024-03-11T04:00:00Z"), f(1), 0}, // 00:00 EDT on 03-11: after as-of
	}
	path := filepath.Join(t.TempDir(), "tx.parquet")
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	res, err := New().Aggregate(context.Background(), engine.Request{
		Files:   []string{path},
		Columns: engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount"},
		AsOfDay: dayOf("2024-03-10"), StartDay: feature.NoDate, Location: ny, MoneyScale: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	ft := res.Features
	if res.Counts.AfterAsOf != 1 || ft.Frequency[0] != 3 || ft.FirstPurchase[0] != dayOf("2024-03-09") || ft.LastPurchase[0] != dayOf("2024-03-10") || ft.PurchaseDays[0] != 2 {
		t.Errorf("got after-as-of %d, frequency %d, days %d..%d (%d distinct); want 1, 3, 03-09..03-10 (2)",
			res.Counts.AfterAsOf, ft.Frequency[0], ft.FirstPurchase[0], ft.LastPurchase[0], ft.PurchaseDays[0])
	}
}

// TestAggregateNoFiles: an empty file list is input's ErrNoFiles, not a panic on files[0].
func TestAggregateNoFiles(t *testing.T) {
	res, err := New().Aggregate(context.Background(), engine.Request{
		Columns: engine.Columns{CustomerID: "customer_id", Timestamp: "ts", Amount: "amount"}, MoneyScale: 2})
	if !errors.Is(err, input.ErrNoFiles) || res != nil {
		t.Errorf("got result %v, error %v; want no result and ErrNoFiles", res != nil, err)
	}
}
