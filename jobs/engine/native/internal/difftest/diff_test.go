package difftest

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
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

type fixture struct {
	name  string
	files func(t *testing.T) []string
	req   engine.Request // Files filled from files
}

func write(t *testing.T, name string, rowGroup int, cols ...inputtest.Column) []string {
	path := filepath.Join(t.TempDir(), name)
	inputtest.Write(t, path, rowGroup, cols...)
	return []string{path}
}

func ids(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = fmt.Sprintf("c%d", i%3)
	}
	return out
}

func fixtures(t *testing.T) []fixture {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	opt := parquet.Optional
	us := func(s string) any {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMicro()
	}
	retail := func(file string) []string {
		return []string{filepath.Join("..", "..", "..", "..", "..", "testdata", "online_retail", file)}
	}
	return []fixture{
		{"orders split across row groups", func(t *testing.T) []string {
			return write(t, "orders.parquet", 3,
				inputtest.Column{Name: "customer", Node: opt(parquet.String()), Values: []any{"A", "A", "A", "A", "B", "A", "C", nil, "A", "C", "C", "D", "D", "B", "B"}},
				inputtest.Column{Name: "order", Node: opt(parquet.Int(64)), Values: []any{1, 1, 2, 2, 3, 4, 5, 6, 6, 7, 5, 8, nil, 10, 10}},
				inputtest.Column{Name: "ts", Node: opt(parquet.Timestamp(parquet.Microsecond)), Values: []any{
					us("2024-01-01T10:00:00Z"), us("2024-01-01T23:59:59.999999Z"), us("2024-01-02T00:00:00Z"), us("2024-01-03T05:00:00Z"),
					us("2024-01-01T05:00:00Z"), us("2024-01-04T01:00:00Z"), us("2023-12-31T12:00:00Z"), us("2024-01-01T00:00:00Z"),
					us("2024-02-10T00:00:00Z"), us("2023-06-01T00:00:00Z"), us("2024-01-05T00:00:00Z"), us("2024-01-05T00:00:00Z"),
					us("2024-01-06T00:00:00Z"), nil, us("2024-01-01T04:00:00Z")}},
				inputtest.Column{Name: "amount", Node: opt(parquet.Decimal(3, 18, parquet.Int64Type)), Values: []any{
					10005, 5505, 2000, 1000, -4000, -16750, 7015, 1000, 1000, 1000, 1000, nil, -1005, 4000, -4000}},
				inputtest.Column{Name: "cost", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{
					0.5, nil, 0.25, 0.125, 0.5, math.NaN(), 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "customer", OrderID: "order", Timestamp: "ts", Amount: "amount", Cost: "cost"},
			AsOfDay: 19730, StartDay: 19700, MoneyScale: 2, Threads: 2}},
		{"float ids and double amounts, no order id, New York", func(t *testing.T) []string {
			return write(t, "ids.parquet", 2,
				inputtest.Column{Name: "id", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{17850.0, 17850.0, 1.5, math.NaN(), 12.0, -0.0, nil, 12.0}},
				inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Millisecond, false), Values: []any{
					int64(1291185000000), int64(1291170000000), 0, 0, int64(-86400001), int64(1615705199000), 0, int64(1615705200000)}},
				inputtest.Column{Name: "amount", Node: opt(parquet.Leaf(parquet.DoubleType)), Values: []any{
					0.125, 2.675, 1.0, 1.0, -1.005, math.Inf(1), 1.0, 1e14}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
			AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2, Location: ny}},
		{"string timestamps, int32 ids, quantity × price", func(t *testing.T) []string {
			return write(t, "strings.parquet", 0,
				inputtest.Column{Name: "id", Node: parquet.Int(32), Values: []any{1, 2, 3, 4, 5, 6, 7, 8, 9}},
				inputtest.Column{Name: "inv", Node: parquet.String(), Values: ids(9)},
				inputtest.Column{Name: "ts", Node: opt(parquet.String()), Values: []any{
					"2009-12-01 07:45:00", "2009-12-01T07:45:00Z", "2009-12-01T01:00:00+02:00", "2009-12-01",
					"2009-13-01", "yesterday", nil, "1969-12-31 23:59:59.5", "2009-12-01 07:45"}},
				inputtest.Column{Name: "q", Node: opt(parquet.Int(64)), Values: []any{3, -2, 7, 1, 1, 1, 1, nil, 5}},
				inputtest.Column{Name: "p", Node: parquet.Decimal(2, 9, parquet.Int32Type), Values: []any{10, 1005, 125, 1, 1, 1, 1, 1, 333}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "id", OrderID: "inv", Timestamp: "ts", Quantity: "q", UnitPrice: "p"},
			AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2}},
		{"dates, scale 0", func(t *testing.T) []string {
			return write(t, "dates.parquet", 0,
				inputtest.Column{Name: "id", Node: parquet.String(), Values: []any{"a", "b", "a"}},
				inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{-1, 15399, 15399}},
				inputtest.Column{Name: "amount", Node: parquet.Decimal(2, 18, parquet.Int64Type), Values: []any{150, -250, 49}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
			AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 0, Location: ny}},
		// Amounts at the 9e15-minor-unit bound, and int32 amounts whose minor units overflow
		// int32: the DuckDB engine's integer arithmetic must widen before scaling.
		{"int32 amounts beyond int32 in minor units", func(t *testing.T) []string {
			return write(t, "int32.parquet", 0,
				inputtest.Column{Name: "id", Node: parquet.Int(64), Values: []any{1, 1, 2, 3}},
				inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{19000, 19001, 19000, 19002}},
				inputtest.Column{Name: "amount", Node: parquet.Int(32), Values: []any{2_000_000_000, -2_147_483_648, 2_147_483_647, 7}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
			AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2}},
		{"int64 amounts at the bound", func(t *testing.T) []string {
			return write(t, "int64.parquet", 0,
				inputtest.Column{Name: "id", Node: parquet.Int(64), Values: []any{1, 2, 3, 4, 5, 6}},
				inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{19000, 19000, 19000, 19000, 19000, 19000}},
				inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: []any{
					int64(90_000_000_000_000), int64(90_000_000_000_001), int64(-90_000_000_000_000), int64(-90_000_000_000_001),
					int64(math.MinInt64), int64(math.MaxInt64)}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
			AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2}},
		{"decimal(18,1) amounts at the bound, scale 2", func(t *testing.T) []string {
			return write(t, "dec.parquet", 0,
				inputtest.Column{Name: "id", Node: parquet.String(), Values: []any{"a", "b", "c", "d", "e"}},
				inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{19000, 19000, 19000, 19000, 19000}},
				inputtest.Column{Name: "amount", Node: parquet.Decimal(1, 18, parquet.Int64Type), Values: []any{
					int64(900_000_000_000_000), int64(900_000_000_000_001), int64(-900_000_000_000_000),
					int64(999_999_999_999_999_999), int64(-15)}})
		}, engine.Request{Columns: engine.Columns{CustomerID: "id", Timestamp: "ts", Amount: "amount"},
			AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2}},
		{"online retail UCI", func(t *testing.T) []string { return retail("online_retail_uci352_2010-2011.parquet") },
			engine.Request{Columns: engine.Columns{CustomerID: "CustomerID", OrderID: "InvoiceNo", Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "UnitPrice"},
				AsOfDay: 15300, StartDay: 15000, MoneyScale: 2, Location: ny}},
		{"online retail II", func(t *testing.T) []string { return retail("online_retail_II_sheet_2009-2010.parquet") },
			engine.Request{Columns: engine.Columns{CustomerID: "Customer ID", OrderID: "Invoice", Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "Price"},
				AsOfDay: 14900, StartDay: feature.NoDate, MoneyScale: 2}},
	}
}

// TestNativeMatchesDuckDB runs both engines on every fixture and reports every difference.
func TestNativeMatchesDuckDB(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			req := fx.req
			req.Files = fx.files(t)
			got, err := native.New().Aggregate(context.Background(), req)
			if err != nil {
				t.Fatalf("native: %v", err)
			}
			want, err := duckdb.New().Aggregate(context.Background(), req)
			if err != nil {
				t.Fatalf("duckdb: %v", err)
			}
			t.Logf("counts %+v, %d customers, %d rejected", got.Counts, got.Features.Len(), len(got.Rejected))
			if !reflect.DeepEqual(got.Counts, want.Counts) {
				t.Errorf("counts: native %+v, duckdb %+v", got.Counts, want.Counts)
			}
			compareTables(t, got.Features, want.Features)
			if len(got.Rejected) != len(want.Rejected) {
				t.Errorf("native rejected %d rows, duckdb %d", len(got.Rejected), len(want.Rejected))
			}
			shown := 0
			for i := range min(len(got.Rejected), len(want.Rejected)) {
				if got.Rejected[i] != want.Rejected[i] && shown < 10 {
					t.Errorf("rejected row %d:\nnative %+v\nduckdb %+v", i, got.Rejected[i], want.Rejected[i])
					shown++
				}
			}
		})
	}
}

func compareTables(t *testing.T, got, want *feature.Table) {
	t.Helper()
	if got.MoneyScale != want.MoneyScale || got.HasCost != want.HasCost {
		t.Errorf("native scale %d cost %v, duckdb %d %v", got.MoneyScale, got.HasCost, want.MoneyScale, want.HasCost)
	}
	if got.Len() != want.Len() {
		t.Errorf("native has %d customers, duckdb %d", got.Len(), want.Len())
	}
	row := func(tb *feature.Table, i int) string {
		return fmt.Sprintf("%s first=%d last=%d freq=%d orders=%d rows=%d days=%d monetary=%d value=%d firstday=%d cost=%d",
			tb.CustomerID[i], tb.FirstPurchase[i], tb.LastPurchase[i], tb.Frequency[i], tb.Orders[i], tb.Rows[i],
			tb.PurchaseDays[i], tb.Monetary[i], tb.PurchaseValue[i], tb.FirstDayValue[i], tb.Cost[i])
	}
	shown := 0
	for i := range min(got.Len(), want.Len()) {
		if g, w := row(got, i), row(want, i); g != w && shown < 10 {
			t.Errorf("customer %d:\nnative %s\nduckdb %s", i, g, w)
			shown++
		}
	}
}
