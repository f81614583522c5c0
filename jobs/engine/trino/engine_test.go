package trino

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

func opt(n parquet.Node) parquet.Node { return parquet.Optional(n) }

func day(v string) int32 {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		panic(err)
	}
	return int32(t.Unix() / 86400)
}

func micros(v string) int64 {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		panic(err)
	}
	return t.UnixMicro()
}

// fixture is a test file and the request that reads it.
type fixture struct {
	name string
	cols []inputtest.Column
	req  engine.Request
	want *feature.Table // hand-computed, when given
	// skipNative leaves the native engine out of the comparison, for a known disagreement.
	skipNative string
}

func fixtures() []fixture {
	std := engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount", Cost: "cost"}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return []fixture{{
		// The DuckDB engine's hand-computed case (jobs/engine/duckdb/engine_test.go).
		name: "hand computed",
		cols: []inputtest.Column{
			{Name: "customer_id", Node: opt(parquet.String()), Values: []any{"x", "x", "x", "x", "x", "y", nil, "z", "z", "z", "w"}},
			{Name: "order_id", Node: opt(parquet.Int(64)), Values: []any{1, 1, 2, nil, nil, 3, 4, 5, 6, 7, 8}},
			{Name: "ts", Node: parquet.Timestamp(parquet.Microsecond), Values: []any{
				micros("2024-01-01T10:00:00Z"), micros("2024-01-01T23:00:00Z"), micros("2024-01-01T11:00:00Z"),
				micros("2024-02-01T00:00:00Z"), micros("2024-02-01T00:00:01Z"), micros("2024-01-05T00:00:00Z"),
				micros("2024-01-05T00:00:00Z"), micros("2024-01-06T00:00:00Z"), micros("2024-03-01T00:00:00Z"),
				micros("2023-01-01T00:00:00Z"), micros("2024-01-31T23:59:59.999999Z")}},
			{Name: "amount", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{10.004, 5.005, -3.0, 7.5, 2.5, -20.0, 1.0, nil, 100.0, 100.0, 1.0}},
			{Name: "cost", Node: parquet.Leaf(parquet.DoubleType), Values: []any{4.0, 2.0, -1.0, 3.0, 1.0, -8.0, 0.0, 0.0, 50.0, 50.0, 0.0}},
		},
		req: engine.Request{Columns: std, AsOfDay: day("2024-02-29"), StartDay: day("2023-06-01"), MoneyScale: 2},
		want: &feature.Table{
			MoneyScale: 2, HasCost: true,
			CustomerID:    []string{"w", "x", "y"},
			FirstPurchase: []int32{day("2024-01-31"), day("2024-01-01"), feature.NoDate},
			LastPurchase:  []int32{day("2024-01-31"), day("2024-02-01"), feature.NoDate},
			Frequency:     []int64{1, 3, 0},
			Orders:        []int64{1, 4, 1},
			Rows:          []int64{1, 5, 1},
			PurchaseDays:  []int64{1, 2, 0},
			Monetary:      []int64{100, 1000 + 501 - 300 + 750 + 250, -2000},
			PurchaseValue: []int64{100, 1501 + 750 + 250, 0},
			FirstDayValue: []int64{100, 1501, 0},
			Cost:          []int64{0, 400 + 200 - 100 + 300 + 100, -800},
		},
	}, {
		// Local days across New York's change to daylight saving time on 2024-03-10.
		name: "new york days",
		cols: []inputtest.Column{
			{Name: "customer_id", Node: parquet.Int(64), Values: []any{1, 1, 1, 1}},
			{Name: "order_id", Node: parquet.Int(64), Values: []any{1, 2, 3, 4}},
			{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Millisecond, true), Values: []any{
				micros("2024-03-10T04:59:59Z") / 1000, micros("2024-03-10T05:00:00Z") / 1000,
				micros("2024-03-11T03:59:59Z") / 1000, micros("2024-03-11T04:00:00Z") / 1000}},
			{Name: "amount", Node: parquet.Int(32), Values: []any{1, 2, 3, 4}},
		},
		req: engine.Request{Columns: engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount"},
			AsOfDay: day("2024-03-10"), StartDay: feature.NoDate, Location: ny, MoneyScale: 2},
		want: &feature.Table{
			MoneyScale: 2, CustomerID: []string{"1"},
			FirstPurchase: []int32{day("2024-03-09")}, LastPurchase: []int32{day("2024-03-10")},
			Frequency: []int64{3}, Orders: []int64{3}, Rows: []int64{3}, PurchaseDays: []int64{2},
			Monetary: []int64{600}, PurchaseValue: []int64{600}, FirstDayValue: []int64{100}, Cost: []int64{0},
		},
	}, {
		// A DOUBLE customer id (one not an integer), ISO-8601 strings (one unparseable), a
		// DECIMAL amount, and a column name with a space.
		name: "strings, double ids, decimals",
		cols: []inputtest.Column{
			{Name: "Customer ID", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{12345.0, 12345.0, 7.5, 99.0, 99.0, nil}},
			{Name: "Invoice", Node: parquet.String(), Values: []any{"A1", "A1", "A2", "C3", "A4", "A5"}},
			{Name: "InvoiceDate", Node: parquet.String(), Values: []any{"2011-12-01 08:00:00", "2011-12-01T09:30", "2011-12-02", "2011-12-03 10:00:00+01:00", "not a date", "2011-12-04"}},
			{Name: "Amount", Node: parquet.Decimal(3, 12, parquet.Int64Type), Values: []any{1234, 5005, 1000, -2500, 100, 100}},
		},
		req: engine.Request{Columns: engine.Columns{CustomerID: "Customer ID", OrderID: "Invoice", Timestamp: "InvoiceDate", Amount: "Amount"},
			AsOfDay: day("2011-12-09"), StartDay: feature.NoDate, MoneyScale: 2},
	}, {
		// Quantity × unit price without an order column, a zero-value order counted as a
		// purchase, and a DATE timestamp.
		name: "quantity times price, zero net",
		cols: []inputtest.Column{
			{Name: "cust", Node: parquet.String(), Values: []any{"a", "a", "b", "b", "c"}},
			{Name: "d", Node: parquet.Date(), Values: []any{19000, 19000, 19001, 19002, 19003}},
			{Name: "qty", Node: parquet.Int(32), Values: []any{2, -1, 3, 0, 1}},
			{Name: "price", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{1.255, 1.255, 0.1, 9.99, nil}},
		},
		req: engine.Request{Columns: engine.Columns{CustomerID: "cust", Timestamp: "d", Quantity: "qty", UnitPrice: "price"},
			AsOfDay: 19002, StartDay: 19001, MoneyScale: 2, ZeroNetIsPurchase: true},
		// b's order on day 19002 is 0 × 9.99 = 0: with ZeroNetIsPurchase it is a purchase (net ≥ 0)
		// on all three engines.
	}}
}

// TestAgreesWithEmbeddedEngines runs each fixture through Trino, DuckDB and the native engine
// and requires identical features and row counts, and the hand-computed table where given.
func TestAgreesWithEmbeddedEngines(t *testing.T) {
	s := needServer(t)
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tx.parquet")
			inputtest.Write(t, path, 3, fx.cols...)
			req := fx.req
			req.Files = []string{path}
			opts := s.register(t, req.Columns, path)
			got, err := New(opts).Aggregate(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if err := got.Features.Check(); err != nil {
				t.Error(err)
			}
			viaParquet, err := New(s.parquetResults(opts)).Aggregate(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(viaParquet.Features, got.Features) {
				t.Errorf("features read back from Parquet =\n%+v\nstreamed\n%+v", viaParquet.Features, got.Features)
			}
			if left, _ := os.ReadDir(filepath.Join(s.root, "results")); len(left) != 0 {
				t.Errorf("results directory keeps %d entries after the run, want none", len(left))
			}
			if fx.want != nil && !reflect.DeepEqual(got.Features, fx.want) {
				t.Errorf("trino features =\n%+v\nwant (by hand)\n%+v", got.Features, fx.want)
			}
			refs := []engine.Engine{duckdb.New(), native.New()}
			if fx.skipNative != "" {
				t.Logf("compared with duckdb only: %s", fx.skipNative)
				refs = refs[:1]
			}
			for _, ref := range refs {
				want, err := ref.Aggregate(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				compare(t, ref.Name(), got, want)
			}
		})
	}
}

// compare requires equal features, counts, and the same rejected rows by reason and customer
// (Trino knows no row numbers, and prints raw values in its own way).
func compare(t *testing.T, refName string, got, want *engine.Result) {
	t.Helper()
	if !reflect.DeepEqual(got.Features, want.Features) {
		g, w := got.Features, want.Features
		for i := 0; i < min(g.Len(), w.Len()); i++ {
			if g.CustomerID[i] != w.CustomerID[i] || g.Monetary[i] != w.Monetary[i] || g.Frequency[i] != w.Frequency[i] ||
				g.FirstPurchase[i] != w.FirstPurchase[i] || g.LastPurchase[i] != w.LastPurchase[i] || g.Orders[i] != w.Orders[i] {
				t.Errorf("customer %d: trino %s m=%d f=%d o=%d days %d..%d, %s %s m=%d f=%d o=%d days %d..%d", i,
					g.CustomerID[i], g.Monetary[i], g.Frequency[i], g.Orders[i], g.FirstPurchase[i], g.LastPurchase[i], refName,
					w.CustomerID[i], w.Monetary[i], w.Frequency[i], w.Orders[i], w.FirstPurchase[i], w.LastPurchase[i])
				break
			}
		}
		t.Errorf("trino features differ from %s (%d vs %d customers)", refName, g.Len(), w.Len())
	}
	if !reflect.DeepEqual(got.Counts, want.Counts) {
		t.Errorf("trino counts = %+v, %s counts = %+v", got.Counts, refName, want.Counts)
	}
	key := func(rs []engine.Rejected) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Reason+" "+r.CustomerID)
		}
		slices.Sort(out)
		return out
	}
	if g, w := key(got.Rejected), key(want.Rejected); !slices.Equal(g, w) {
		t.Errorf("trino rejected %d rows, %s %d; first trino %v, %s %v", len(g), refName, len(w), g[:min(3, len(g))], refName, w[:min(3, len(w))])
	}
	for _, r := range got.Rejected {
		if r.Row != -1 {
			t.Errorf("trino rejected row %+v has row number %d, want -1", r, r.Row)
			break
		}
	}
}

// TestOnlineRetail compares the engines on the real UCI Online Retail exports: half a million
// rows each, nullable DOUBLE customer ids, cancellations, quantity × price, a naive TIMESTAMP in
// one file and ISO-8601 STRING dates in the other.
func TestOnlineRetail(t *testing.T) {
	s := needServer(t)
	for _, tc := range []struct {
		file, customer, order, price string
		asOf                         string
	}{
		{"online_retail_uci352_2010-2011.parquet", "CustomerID", "InvoiceNo", "UnitPrice", "2011-12-09"},
		{"online_retail_II_sheet_2009-2010.parquet", "Customer ID", "Invoice", "Price", "2010-12-09"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "..", "testdata", "online_retail", tc.file)
			cols := engine.Columns{CustomerID: tc.customer, OrderID: tc.order, Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: tc.price}
			req := engine.Request{Files: []string{path}, Columns: cols, AsOfDay: day(tc.asOf), StartDay: day(tc.asOf) - 364, MoneyScale: 2}
			got, err := New(s.register(t, cols, path)).Aggregate(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Features.Len() < 4000 {
				t.Errorf("%d customers, want over 4,000", got.Features.Len())
			}
			for _, ref := range []engine.Engine{duckdb.New(), native.New()} {
				want, err := ref.Aggregate(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				compare(t, ref.Name(), got, want)
			}
		})
	}
}

// TestErrors checks that each failure returns its sentinel and no result.
func TestErrors(t *testing.T) {
	s := needServer(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	inputtest.Write(t, good, 0,
		inputtest.Column{Name: "customer_id", Node: parquet.Int(64), Values: []any{1, 2}},
		inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{19000, 19000}},
		inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: []any{100, 200}},
		inputtest.Column{Name: "note", Node: parquet.String(), Values: []any{"a", "b"}},
	)
	cols := engine.Columns{CustomerID: "customer_id", Timestamp: "ts", Amount: "amount"}
	withNote := cols
	withNote.OrderID = "note" // declares note in the table
	goodOpts := s.register(t, withNote, good)
	// 2,000 rows of 9e15 minor units each (the most a row may hold) overflow BIGINT when one
	// customer's rows are summed: the server fails while aggregating, after reading.
	huge := filepath.Join(dir, "huge.parquet")
	ids, days, amounts := make([]any, 2000), make([]any, 2000), make([]any, 2000)
	for i := range ids {
		ids[i], days[i], amounts[i] = 1, 19000, int64(9e13) // × 100 = 9e15 minor units
	}
	inputtest.Write(t, huge, 0,
		inputtest.Column{Name: "customer_id", Node: parquet.Int(64), Values: ids},
		inputtest.Column{Name: "ts", Node: parquet.Date(), Values: days},
		inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: amounts})
	hugeOpts := s.register(t, cols, huge)

	closed, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	with := func(o Options, f func(*Options)) Options { f(&o); return o }
	for _, tc := range []struct {
		name string
		opts Options
		cols engine.Columns
		want error
	}{
		{"unreachable server", with(goodOpts, func(o *Options) {
			o.Server, o.RetryTimeout = fmt.Sprintf("http://127.0.0.1:%d", closed), time.Second
		}), cols, ErrUnreachable},
		{"no server configured", with(goodOpts, func(o *Options) { o.Server = "" }), cols, ErrConfig},
		{"access denied", with(goodOpts, func(o *Options) { o.User = "intruder" }), cols, ErrAuth},
		{"missing table", with(goodOpts, func(o *Options) { o.Table = "no_such_table" }), cols, ErrMissingTable},
		{"missing schema", with(goodOpts, func(o *Options) { o.Schema = "no_such_schema" }), cols, ErrMissingTable},
		{"missing column", goodOpts, engine.Columns{CustomerID: "customer_id", Timestamp: "ts", Amount: "price"}, ErrMissingColumn},
		{"wrong column type", goodOpts, engine.Columns{CustomerID: "customer_id", Timestamp: "ts", Amount: "note"}, ErrColumnType},
		{"fails midway", hugeOpts, cols, ErrQuery},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := engine.Request{Columns: tc.cols, AsOfDay: 19001, StartDay: feature.NoDate, MoneyScale: 2}
			res, err := New(tc.opts).Aggregate(context.Background(), req)
			if !errors.Is(err, tc.want) || res != nil {
				t.Errorf("got result %v, error %v; want no result and %v", res != nil, err, tc.want)
			}
			t.Logf("error reads: %v", err)
		})
	}
}
