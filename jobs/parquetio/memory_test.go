package parquetio

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
)

// everyKind is a table of n rows with a column of every constructor, nulls included, over
// more than one batch.
func everyKind(n int) []Column {
	ids, seg, opt := make([]string, n), make([]string, n), make([]string, n)
	days, i32 := make([]int32, n), make([]int32, n)
	i64, money := make([]int64, n), make([]int64, n)
	small := make([]int8, n)
	f64 := make([]float64, n)
	flags := make([]bool, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c%06d", i)
		seg[i] = []string{"Champions", "Lost", "At Risk"}[i%3]
		if i%4 != 0 {
			opt[i] = seg[(i+1)%n]
		}
		days[i] = int32(19000 + i%700)
		if i%9 == 0 {
			days[i] = -1 << 31 // feature.NoDate
		}
		i32[i], i64[i], money[i] = int32(i%1000-500), int64(i)*1_000_003, int64(i*37%100000-5000)
		small[i] = int8(i % 6)
		f64[i] = float64(i) / 7
		flags[i] = i%3 == 0
	}
	valid := func(i int) bool { return i%5 != 0 }
	return []Column{Key("customer_id", ids), ConstDate("as_of", 20000), Date("first", days), Int32("i32", i32),
		Int64("i64", i64), Money("monetary", money, 2), SmallInt("score", small, true), SmallInt("cluster", small, false),
		String("segment", seg), OptionalString("next_tier", opt), OptionalKey("ref", opt), Text("reason", ids),
		Float64("share", f64), OptionalFloat64("p_alive", f64, valid), OptionalInt32("oi32", i32, valid),
		OptionalInt64("oi64", i64, valid), Bool("flag", flags),
		StringFunc("sf", func(i int) string { return seg[i] }), Float64Func("ff", func(i int) float64 { return math.Sqrt(float64(i)) }),
		DateFunc("df", func(i int) int32 { return days[i] & 0xffff }), MoneyFunc("mf", 4, func(i int) int64 { return money[i] * 3 })}
}

// TestTableOfIsWhatReadTableReads checks that the in-memory table of a run's columns equals, column
// for column and value for value, the file WriteFile writes read back with ReadTable.
func TestTableOfIsWhatReadTableReads(t *testing.T) {
	const n = 3*rowsPerBatch + 17
	cols := everyKind(n)
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := WriteFile(path, "customers", n, cols); err != nil {
		t.Fatal(err)
	}
	for _, want := range []func(string) bool{nil, func(name string) bool { return name == "monetary" || name == "next_tier" || name == "flag" }} {
		read, err := ReadTable(path, want)
		if err != nil {
			t.Fatal(err)
		}
		mem, err := TableOf(n, cols, want)
		if err != nil {
			t.Fatal(err)
		}
		if mem.Rows != read.Rows || len(mem.Cols) != len(read.Cols) {
			t.Fatalf("TableOf has %d rows, %d columns; the file %d rows, %d columns", mem.Rows, len(mem.Cols), read.Rows, len(read.Cols))
		}
		for k, rc := range read.Cols {
			mc := mem.Cols[k]
			if !reflect.DeepEqual(mc, rc) {
				t.Errorf("column %d: in memory %s %+v..., read back %s %+v...", k, mc.Name, head(mc), rc.Name, head(rc))
			}
		}
	}
}

func head(c *Col) string {
	return fmt.Sprintf("kind %d decimal %v scale %d date %v valid %v strs %q ints %v floats %v", c.Kind, c.Decimal, c.Scale, c.Date,
		c.Valid[:3], c.Strings[:min(3, len(c.Strings))], c.Ints[:min(3, len(c.Ints))], c.Floats[:min(3, len(c.Floats))])
}
