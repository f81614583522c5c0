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

// benchIntRow is the same line with integer customer and invoice ids.
type benchIntRow struct {
	Customer int64   `parquet:"customer"`
	Invoice  int64   `parquet:"invoice"`
	TS       int64   `parquet:"ts,timestamp(microsecond)"`
	Quantity int64   `parquet:"quantity"`
	Price    float64 `parquet:"price"`
}

// benchFile writes n rows (customers = n/50, 5 lines per invoice, 1M rows per row group) once
// per size and id kind into dir.
func benchFile(b *testing.B, dir string, n int, strings bool) string {
	path := filepath.Join(dir, fmt.Sprintf("bench-%d-%v.parquet", n, strings))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	customers := max(n/50, 1)
	row := func(i int) benchIntRow {
		inv := i / 5
		return benchIntRow{Customer: int64((inv * 7919) % customers), Invoice: int64(inv),
			TS: (1_600_000_000 + int64(inv)*600) * 1_000_000, Quantity: int64(i%7 - 1), Price: float64(i%1000) / 100}
	}
	if strings {
		err = writeRows(f, n, func(i int) benchRow {
			r := row(i)
			return benchRow{Customer: fmt.Sprintf("C%07d", r.Customer), Invoice: fmt.Sprintf("INV%08d", r.Invoice),
				TS: r.TS, Quantity: r.Quantity, Price: r.Price}
		})
	} else {
		err = writeRows(f, n, row)
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func writeRows[T any](f *os.File, n int, row func(int) T) error {
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(1<<20))
	buf := make([]T, 0, 4096)
	for i := range n {
		buf = append(buf, row(i))
		if len(buf) == cap(buf) || i == n-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return w.Close()
}

var benchDir string

// BenchmarkAggregate aggregates 1e3 … 1e7 rows with string and integer ids.
func BenchmarkAggregate(b *testing.B) {
	if benchDir == "" {
		d, err := os.MkdirTemp("", "native-bench")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
		b.Cleanup(func() { os.RemoveAll(d) })
	}
	for _, strings := range []bool{false, true} {
		for _, n := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
			b.Run(fmt.Sprintf("strings=%v/rows=%d", strings, n), func(b *testing.B) {
				path := benchFile(b, benchDir, n, strings)
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
}
