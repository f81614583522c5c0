package parquetio

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
)

// withLayout runs f with the writer's Value layout set to l.
func withLayout(l valueLayout, f func()) {
	saved := layout
	layout = l
	defer func() { layout = saved }()
	f()
}

func TestLayoutProbed(t *testing.T) {
	// With the pinned parquet-go the probe must find the payload fields; otherwise every
	// value is built the slow way and the writer is many times slower.
	if !layout.ok {
		t.Fatalf("parquet.Value layout not recognised (%+v): the writer fills batches the slow way", layout)
	}
}

// allColumns has one column of every constructor over 7 rows that include nulls, negative
// numbers, -0.0, NaN and empty strings, and, for each, whether it is optional and the Value
// parquet-go's own constructors make for row i (levels aside).
func allColumns() (cols []Column, optional []bool, want []func(i int) parquet.Value) {
	i64 := []int64{0, -1, math.MaxInt64, math.MinInt64, 42, 7, -900}
	i32 := []int32{0, -1, math.MaxInt32, math.MinInt32, feature.NoDate, 19000, -3}
	i8 := []int8{0, 1, -1, 5, 0, 127, -128}
	f64 := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), -1.5, 1e300, 3}
	bools := []bool{true, false, false, true, true, false, true}
	strs := []string{"", "a", "Champions", "", "ünïcode", "a", "x y"}
	odd := func(i int) bool { return i%2 == 1 }
	null := parquet.Value{}
	add := func(c Column, opt bool, w func(i int) parquet.Value) {
		cols, optional, want = append(cols, c), append(optional, opt), append(want, w)
	}
	add(Int64("int64", i64), false, func(i int) parquet.Value { return parquet.Int64Value(i64[i]) })
	add(Int32("int32", i32), false, func(i int) parquet.Value { return parquet.Int32Value(i32[i]) })
	add(SmallInt("small", i8, false), false, func(i int) parquet.Value { return parquet.Int32Value(int32(i8[i])) })
	add(SmallInt("small_null", i8, true), true, func(i int) parquet.Value {
		if i8[i] == 0 {
			return null
		}
		return parquet.Int32Value(int32(i8[i]))
	})
	add(Float64("double", f64), false, func(i int) parquet.Value { return parquet.DoubleValue(f64[i]) })
	add(OptionalFloat64("double_null", f64, odd), true, func(i int) parquet.Value {
		if !odd(i) {
			return null
		}
		return parquet.DoubleValue(f64[i])
	})
	add(Money("money", i64, 2), false, func(i int) parquet.Value { return parquet.Int64Value(i64[i]) })
	add(MoneyFunc("money_func", 2, func(i int) int64 { return i64[i] * 3 }), false, func(i int) parquet.Value { return parquet.Int64Value(i64[i] * 3) })
	add(Date("date", i32), true, func(i int) parquet.Value {
		if i32[i] == feature.NoDate {
			return null
		}
		return parquet.Int32Value(i32[i])
	})
	add(ConstDate("as_of", 20000), false, func(int) parquet.Value { return parquet.Int32Value(20000) })
	add(OptionalInt32("int32_null", i32, odd), true, func(i int) parquet.Value {
		if !odd(i) {
			return null
		}
		return parquet.Int32Value(i32[i])
	})
	add(OptionalInt64("int64_null", i64, odd), true, func(i int) parquet.Value {
		if !odd(i) {
			return null
		}
		return parquet.Int64Value(i64[i])
	})
	add(Bool("bool", bools), false, func(i int) parquet.Value { return parquet.BooleanValue(bools[i]) })
	text := func(i int) parquet.Value { return parquet.ByteArrayValue(unsafeBytes(strs[i])) }
	textOrNull := func(i int) parquet.Value {
		if strs[i] == "" {
			return null
		}
		return text(i)
	}
	add(Key("key", strs), false, text)
	add(OptionalKey("key_null", strs), true, textOrNull)
	add(String("dict", strs), false, text)
	add(OptionalString("dict_null", strs), true, textOrNull)
	add(StringFunc("dict_func", func(i int) string { return strs[i] }), false, text)
	add(OptionalKeyFunc("key_func", func(i int) (string, bool) { return strs[i], odd(i) }), true, func(i int) parquet.Value {
		if !odd(i) {
			return null
		}
		return text(i)
	})
	add(OptionalFloat64Func("double_func", func(i int) (float64, bool) { return f64[i], !odd(i) }), true, func(i int) parquet.Value {
		if odd(i) {
			return null
		}
		return parquet.DoubleValue(f64[i])
	})
	return cols, optional, want
}

// TestFillMatchesConstructors requires every column's batch, filled through the probed
// layout and the slow way alike, to equal bit for bit the Values parquet-go's constructors
// and Level make, and each column's node to be optional exactly where nulls are written.
func TestFillMatchesConstructors(t *testing.T) {
	cols, optional, want := allColumns()
	const rows, from = 5, 2 // a batch that does not start at row 0
	for _, l := range []valueLayout{layout, {}} {
		withLayout(l, func() {
			for c, col := range cols {
				if got := col.node.Optional(); got != optional[c] {
					t.Errorf("%s: optional = %v, want %v", col.Name, got, optional[c])
				}
				dst := make([]parquet.Value, rows)
				col.fill(dst, from, c, newScratch())
				for i, got := range dst {
					w := want[c](from + i)
					def := 0
					if optional[c] && !w.IsNull() {
						def = 1
					}
					w = w.Level(0, def, c)
					if got != w {
						t.Errorf("layout ok=%v, %s row %d: got %#v, want %#v", l.ok, col.Name, from+i, got, w)
					}
				}
			}
		})
	}
}

// TestFillLayoutsWriteSameFile writes one table with the probed layout and the slow way and
// requires identical bytes.
func TestFillLayoutsWriteSameFile(t *testing.T) {
	cols, _, _ := allColumns()
	dir := t.TempDir()
	var files [2][]byte
	for k, l := range []valueLayout{layout, {}} {
		withLayout(l, func() {
			path := filepath.Join(dir, []string{"fast", "slow"}[k]+".parquet")
			if err := WriteFile(path, "all", 7, cols); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files[k] = b
		})
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Fatalf("the probed layout wrote %d bytes that differ from the slow way's %d", len(files[0]), len(files[1]))
	}
}

// BenchmarkFillBatch fills an INT64 and an optional DATE batch of 8192 values with the
// probed layout and with parquet-go's constructors and Level.
func BenchmarkFillBatch(b *testing.B) {
	v := make([]int64, rowsPerBatch)
	d := make([]int32, rowsPerBatch)
	for i := range v {
		v[i], d[i] = int64(i)*37, int32(19000+i%700)
	}
	dst, s := make([]parquet.Value, rowsPerBatch), newScratch()
	for _, l := range []valueLayout{layout, {}} {
		name := map[bool]string{true: "probed", false: "constructors"}[l.ok]
		for _, col := range []Column{Int64("int64", v), Date("date", d)} {
			b.Run(name+"/"+col.Name, func(b *testing.B) {
				withLayout(l, func() {
					for b.Loop() {
						col.fill(dst, 0, 3, s)
					}
				})
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rowsPerBatch), "ns/value")
			})
		}
	}
}
