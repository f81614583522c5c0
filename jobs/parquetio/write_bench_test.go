package parquetio

import (
	"fmt"
	"path/filepath"
	"testing"
)

// customersLike is a customers-like table of n rows: 2 strings, 2 dates, money, 5 int64 and 4
// small ints, one double.
func customersLike(n int) []Column {
	{
		ids := make([]string, n)
		seg := make([]string, n)
		days := make([]int32, n)
		v := make([]int64, n)
		small := make([]int8, n)
		share := make([]float64, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%07d", i)
			seg[i] = []string{"Champions", "Lost", "At Risk"}[i%3]
			days[i] = int32(19000 + i%700)
			v[i] = int64(i * 37 % 100000)
			small[i] = int8(1 + i%5)
			share[i] = float64(i) / float64(n)
		}
		cols := []Column{Key("customer_id", ids), ConstDate("as_of", 20000), Date("first", days), Date("last", days),
			Int64("frequency", v), Int64("orders", v), Money("monetary", v, 2), SmallInt("r", small, true),
			SmallInt("f", small, true), SmallInt("m", small, true), String("segment", seg), Int64("rank", v),
			Float64("share", share)}
		return cols
	}
}

// BenchmarkWriteCustomers writes customersLike tables.
func BenchmarkWriteCustomers(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		cols := customersLike(n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			b.ReportAllocs()
			dir := b.TempDir()
			for i := 0; i < b.N; i++ {
				if err := WriteFile(filepath.Join(dir, fmt.Sprint(i, ".parquet")), "customers", n, cols); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadTable reads customersLike tables back with ReadTable, every column (the report
// reads nine of the customers table's columns this way, migration six).
func BenchmarkReadTable(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		path := filepath.Join(b.TempDir(), "customers.parquet")
		if err := WriteFile(path, "customers", n, customersLike(n)); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				t, err := ReadTable(path, nil)
				if err != nil || t.Rows != n {
					b.Fatal(t, err)
				}
			}
		})
	}
}
