package parquetio

import (
	"reflect"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Column is one output column: its name, its Parquet leaf type, and how to fill a batch of
// its values (already carrying their repetition and definition levels) from row start on.
type Column struct {
	Name string
	node parquet.Node
	fill func(dst []parquet.Value, start, col int)
}

// required and optional build the fill function of a column from a per-row value; optional
// treats a null Value (kind 0) as missing.
func required(get func(i int) parquet.Value) func([]parquet.Value, int, int) {
	return func(dst []parquet.Value, start, col int) {
		for i := range dst {
			dst[i] = get(start+i).Level(0, 0, col)
		}
	}
}

func optional(get func(i int) parquet.Value) func([]parquet.Value, int, int) {
	return func(dst []parquet.Value, start, col int) {
		for i := range dst {
			v := get(start + i)
			if v.IsNull() {
				dst[i] = v.Level(0, 0, col)
			} else {
				dst[i] = v.Level(0, 1, col)
			}
		}
	}
}

// Int64 is a required INT64 column.
func Int64(name string, v []int64) Column {
	return Column{name, parquet.Int(64), func(dst []parquet.Value, start, col int) {
		for i, x := range v[start : start+len(dst)] {
			dst[i] = parquet.Int64Value(x).Level(0, 0, col)
		}
	}}
}

// Int32 is a required INT32 column.
func Int32(name string, v []int32) Column {
	return Column{name, parquet.Int(32), func(dst []parquet.Value, start, col int) {
		for i, x := range v[start : start+len(dst)] {
			dst[i] = parquet.Int32Value(x).Level(0, 0, col)
		}
	}}
}

// SmallInt is an INT32 column of int8 values; zero is written as null when zeroIsNull.
func SmallInt(name string, v []int8, zeroIsNull bool) Column {
	if !zeroIsNull {
		return Column{name, parquet.Int(32), required(func(i int) parquet.Value { return parquet.Int32Value(int32(v[i])) })}
	}
	return Column{name, parquet.Optional(parquet.Int(32)), optional(func(i int) parquet.Value {
		if v[i] == 0 {
			return parquet.Value{}
		}
		return parquet.Int32Value(int32(v[i]))
	})}
}

// Float64 is a required DOUBLE column.
func Float64(name string, v []float64) Column {
	return Column{name, parquet.Leaf(parquet.DoubleType), func(dst []parquet.Value, start, col int) {
		for i, x := range v[start : start+len(dst)] {
			dst[i] = parquet.DoubleValue(x).Level(0, 0, col)
		}
	}}
}

// OptionalFloat64 is a DOUBLE column, null where valid(i) is false.
func OptionalFloat64(name string, v []float64, valid func(i int) bool) Column {
	return OptionalFloat64Func(name, func(i int) (float64, bool) { return v[i], valid(i) })
}

// Money is a DECIMAL(18, scale) column of minor units.
func Money(name string, v []int64, scale int) Column {
	c := Int64(name, v)
	c.node = moneyNode(scale)
	return c
}

func moneyNode(scale int) parquet.Node { return parquet.Decimal(scale, 18, parquet.Int64Type) }

// Date is a DATE column of days since 1970-01-01; feature.NoDate is null.
func Date(name string, v []int32) Column {
	return Column{name, parquet.Optional(parquet.Date()), func(dst []parquet.Value, start, col int) {
		for i, x := range v[start : start+len(dst)] {
			if x == feature.NoDate {
				dst[i] = parquet.Value{}.Level(0, 0, col)
			} else {
				dst[i] = parquet.Int32Value(x).Level(0, 1, col)
			}
		}
	}}
}

// ConstDate is a DATE column holding one day on every row (the as_of column).
func ConstDate(name string, day int32) Column {
	return Column{name, parquet.Date(), func(dst []parquet.Value, _, col int) {
		v := parquet.Int32Value(day).Level(0, 0, col)
		for i := range dst {
			dst[i] = v
		}
	}}
}

// OptionalInt32 is an INT32 column, null where valid(i) is false.
func OptionalInt32(name string, v []int32, valid func(i int) bool) Column {
	return Column{name, parquet.Optional(parquet.Int(32)), optional(func(i int) parquet.Value {
		if !valid(i) {
			return parquet.Value{}
		}
		return parquet.Int32Value(v[i])
	})}
}

// OptionalInt64 is an INT64 column, null where valid(i) is false.
func OptionalInt64(name string, v []int64, valid func(i int) bool) Column {
	return Column{name, parquet.Optional(parquet.Int(64)), optional(func(i int) parquet.Value {
		if !valid(i) {
			return parquet.Value{}
		}
		return parquet.Int64Value(v[i])
	})}
}

// Bool is a required BOOLEAN column.
func Bool(name string, v []bool) Column {
	return Column{name, parquet.Leaf(parquet.BooleanType), func(dst []parquet.Value, start, col int) {
		for i, x := range v[start : start+len(dst)] {
			dst[i] = parquet.BooleanValue(x).Level(0, 0, col)
		}
	}}
}

// Key is a plain-encoded UTF-8 column for unique values (customer ids), where a dictionary
// would only add a hash lookup per row.
func Key(name string, v []string) Column {
	return Column{name, parquet.String(), func(dst []parquet.Value, start, col int) {
		for i, x := range v[start : start+len(dst)] {
			dst[i] = parquet.ByteArrayValue(unsafeBytes(x)).Level(0, 0, col)
		}
	}}
}

// OptionalKey is a plain-encoded UTF-8 column of mostly distinct values with "" written as
// null: a dictionary of a million customer ids would cost a hash insert per row and then be
// abandoned for plain encoding once it outgrows its page.
func OptionalKey(name string, v []string) Column {
	return OptionalKeyFunc(name, func(i int) (string, bool) { return v[i], v[i] != "" })
}

// dictString is the node of the dictionary-encoded UTF-8 columns.
func dictString() parquet.Node { return parquet.Encoded(parquet.String(), &parquet.RLEDictionary) }

// String is a dictionary-encoded UTF-8 column.
func String(name string, v []string) Column {
	c := Key(name, v)
	c.node = dictString()
	return c
}

// OptionalString is a dictionary-encoded UTF-8 column with "" written as null.
func OptionalString(name string, v []string) Column {
	c := OptionalKey(name, v)
	c.node = parquet.Optional(dictString())
	return c
}

// The Func columns compute row i's value when it is written instead of reading a slice: long
// tables whose cells derive from a few indexes (the cost-to-serve long form) need not hold a
// string per cell.

// StringFunc is a dictionary-encoded UTF-8 column of few distinct values.
func StringFunc(name string, get func(i int) string) Column {
	return Column{name, dictString(), required(func(i int) parquet.Value {
		return parquet.ByteArrayValue(unsafeBytes(get(i)))
	})}
}

// OptionalKeyFunc is a plain-encoded UTF-8 column of mostly distinct values, null where ok is
// false.
func OptionalKeyFunc(name string, get func(i int) (v string, ok bool)) Column {
	return Column{name, parquet.Optional(parquet.String()), optional(func(i int) parquet.Value {
		v, ok := get(i)
		if !ok {
			return parquet.Value{}
		}
		return parquet.ByteArrayValue(unsafeBytes(v))
	})}
}

// OptionalFloat64Func is a DOUBLE column, null where ok is false.
func OptionalFloat64Func(name string, get func(i int) (v float64, ok bool)) Column {
	return Column{name, parquet.Optional(parquet.Leaf(parquet.DoubleType)), optional(func(i int) parquet.Value {
		v, ok := get(i)
		if !ok {
			return parquet.Value{}
		}
		return parquet.DoubleValue(v)
	})}
}

// MoneyFunc is a DECIMAL(18, scale) column of minor units.
func MoneyFunc(name string, scale int, get func(i int) int64) Column {
	return Column{name, moneyNode(scale), required(func(i int) parquet.Value { return parquet.Int64Value(get(i)) })}
}

// unsafeBytes views s as bytes without copying; the writer copies values it keeps.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// orderedGroup is a Parquet group whose fields keep their declared order (parquet.Group sorts
// them by name, which would scatter related columns in BI tools).
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g orderedGroup) Fields() []parquet.Field { return g.fields }

type orderedField struct {
	parquet.Node
	name string
}

func (f orderedField) Name() string                           { return f.name }
func (f orderedField) Value(base reflect.Value) reflect.Value { return base }
func (f orderedField) Encoding() encoding.Encoding            { return f.Node.Encoding() }
func (f orderedField) Compression() compress.Codec            { return f.Node.Compression() }

func schemaOf(name string, cols []Column) *parquet.Schema {
	g := orderedGroup{Group: parquet.Group{}}
	for _, c := range cols {
		g.Group[c.Name] = c.node
		g.fields = append(g.fields, orderedField{Node: c.node, name: c.Name})
	}
	return parquet.NewSchema(name, g)
}
