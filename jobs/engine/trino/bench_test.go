package trino

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

// BenchmarkAggregate times one Aggregate on the test server at several sizes (rows; customers
// = rows/20, 4 lines per order), the request's round trips and planning included.
func BenchmarkAggregate(b *testing.B) {
	s := needServer(b)
	for _, n := range []int{1e3, 1e4, 1e5} {
		path := filepath.Join(b.TempDir(), "tx.parquet")
		ids, orders, days, amounts := make([]any, n), make([]any, n), make([]any, n), make([]any, n)
		for i := range ids {
			ids[i], orders[i], days[i], amounts[i] = (i/4*7919)%(n/20), i/4, 19000+i%365, float64(i%1000)/7
		}
		inputtest.Write(b, path, 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Int(64), Values: ids},
			inputtest.Column{Name: "order_id", Node: parquet.Int(64), Values: orders},
			inputtest.Column{Name: "ts", Node: parquet.Date(), Values: days},
			inputtest.Column{Name: "amount", Node: parquet.Leaf(parquet.DoubleType), Values: amounts})
		cols := engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount"}
		e := New(s.register(b, cols, path))
		req := engine.Request{Columns: cols, AsOfDay: 19400, StartDay: feature.NoDate, MoneyScale: 2}
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Aggregate(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAggregateFile compares Trino with the embedded engines on a large file named by
// RFM_TRINO_BENCH_FILE (columns customer_id, order_id, ts, amount, cost; as-of
// RFM_TRINO_BENCH_AS_OF, default 2024-12-30), e.g. the 20M-row /tmp/bench/tx20m.parquet;
// RFM_TRINO_BENCH_ENGINES picks some of trino, trino-parquet, duckdb, native. Without the file
// it reports that it measured nothing.
func BenchmarkAggregateFile(b *testing.B) {
	path := os.Getenv("RFM_TRINO_BENCH_FILE")
	if path == "" {
		b.Skip("set RFM_TRINO_BENCH_FILE to a large Parquet file to compare the engines on it")
	}
	s := needServer(b)
	asOf := os.Getenv("RFM_TRINO_BENCH_AS_OF")
	if asOf == "" {
		asOf = "2024-12-30"
	}
	t, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		b.Fatal(err)
	}
	cols := engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount", Cost: "cost"}
	req := engine.Request{Files: []string{path}, Columns: cols, AsOfDay: int32(t.Unix() / 86400), StartDay: feature.NoDate, MoneyScale: 2}
	opts := s.register(b, cols, path)
	engines := map[string]engine.Engine{"trino": New(opts), "trino-parquet": New(s.parquetResults(opts)), "duckdb": duckdb.New(), "native": native.New()}
	only := os.Getenv("RFM_TRINO_BENCH_ENGINES") // e.g. "trino,trino-parquet"; default all
	for _, name := range []string{"trino", "trino-parquet", "duckdb", "native"} {
		if only != "" && !slices.Contains(strings.Split(only, ","), name) {
			continue
		}
		e := engines[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := e.Aggregate(context.Background(), req)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Features.Len()), "customers")
			}
		})
	}
}
