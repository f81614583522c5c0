package native_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

// benchRow is a typical transaction line: string customer and invoice ids, a UTC timestamp,
// quantity and unit price; an invoice's lines are adjacent, as exports usually write them.
type benchRow struct {
	Customer string  `parquet:"customer,dict"`
	Invoice  string  `parquet:"invoice"`
	TS       int64   `parquet:"ts,timestamp(microsecond)"`
	Quantity int64   `parquet:"quantity"`
	Price    float64 `parquet:"price"`
}

// benchFile writes n rows (customers = n/50, 5 lines per invoice, 1M rows per row group) once
// per size into dir.
func benchFile(b *testing.B, dir string, n int) string {
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.parquet", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := parquet.NewGenericWriter[benchRow](f, parquet.MaxRowsPerRowGroup(1<<20))
	customers := max(n/50, 1)
	buf := make([]benchRow, 0, 4096)
	for i := range n {
		inv := i / 5
		c := (inv * 7919) % customers
		buf = append(buf, benchRow{
			Customer: fmt.Sprintf("C%07d", c), Invoice: fmt.Sprintf("INV%08d", inv),
			TS:       (1_600_000_000 + int64(inv)*600) * 1_000_000,
			Quantity: int64(i%7 - 1), Price: float64(i%1000) / 100,
		})
		if len(buf) == cap(buf) || i == n-1 {
			if _, err := w.Write(buf); err != nil {
				b.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

var benchDir string

func BenchmarkAggregate(b *testing.B) {
	if benchDir == "" {
		d, err := os.MkdirTemp("", "native-bench")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
		b.Cleanup(func() { os.RemoveAll(d) })
	}
	for _, n := range []int{1e3, 1e5, 1e6} {
		path := benchFile(b, benchDir, n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			req := engine.Request{Files: []string{path}, AsOfDay: 30000, StartDay: none, MoneyScale: 2,
				Columns: engine.Columns{CustomerID: "customer", OrderID: "invoice", Timestamp: "ts", Quantity: "quantity", UnitPrice: "price"}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := native.New().Aggregate(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
