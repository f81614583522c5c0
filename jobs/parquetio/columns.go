package parquetio

import (
	"reflect"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Column is one output column: its name, its Parquet leaf type, and how to read row i.
type Column struct {
	Name  string
	node  parquet.Node
	value func(i int) parquet.Value // a null is parquet.Value{} (kind 0)
}

// Int64 is a required INT64 column.
func Int64(name string, v []int64) Column {
	return Column{name, parquet.Int(64), func(i int) parquet.Value { return parquet.Int64Value(v[i]) }}
}

// Int32 is a required INT32 column.
func Int32(name string, v []int32) Column {
	return Column{name, parquet.Int(32), func(i int) parquet.Value { return parquet.Int32Value(v[i]) }}
}

// SmallInt is an INT32 column of int8 values; zero is written as null when zeroIsNull.
func SmallInt(name string, v []int8, zeroIsNull bool) Column {
	node := parquet.Node(parquet.Int(32))
	if zeroIsNull {
		node = parquet.Optional(node)
	}
	return Column{name, node, func(i int) parquet.Value {
		if zeroIsNull && v[i] == 0 {
			return parquet.Value{}
		}
		return parquet.Int32Value(int32(v[i]))
	}}
}

// Float64 is a required DOUBLE column.
func Float64(name string, v []float64) Column {
	return Column{name, parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return parquet.DoubleValue(v[i]) }}
}

// OptionalFloat64 is a DOUBLE column, null where valid(i) is false.
func OptionalFloat64(name string, v []float64, valid func(i int) bool) Column {
	return Column{name, parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
		if !valid(i) {
			return parquet.Value{}
		}
		return parquet.DoubleValue(v[i])
	}}
}

// Money is a DECIMAL(18, scale) column of minor units.
func Money(name string, v []int64, scale int) Column {
	return Column{name, parquet.Decimal(scale, 18, parquet.Int64Type), func(i int) parquet.Value { return parquet.Int64Value(v[i]) }}
}

// Date is a DATE column of days since 1970-01-01; feature.NoDate is null.
func Date(name string, v []int32) Column {
	return Column{name, parquet.Optional(parquet.Date()), func(i int) parquet.Value {
		if v[i] == feature.NoDate {
			return parquet.Value{}
		}
		return parquet.Int32Value(v[i])
	}}
}

// ConstDate is a DATE column holding one day on every row (the as_of column).
func ConstDate(name string, day int32) Column {
	return Column{name, parquet.Date(), func(int) parquet.Value { return parquet.Int32Value(day) }}
}

// OptionalInt32 is an INT32 column, null where valid(i) is false.
func OptionalInt32(name string, v []int32, valid func(i int) bool) Column {
	return Column{name, parquet.Optional(parquet.Int(32)), func(i int) parquet.Value {
		if !valid(i) {
			return parquet.Value{}
		}
		return parquet.Int32Value(v[i])
	}}
}

// String is a dictionary-encoded UTF-8 column.
func String(name string, v []string) Column {
	return Column{name, parquet.Encoded(parquet.String(), &parquet.RLEDictionary), func(i int) parquet.Value {
		return parquet.ByteArrayValue(unsafeBytes(v[i]))
	}}
}

// OptionalString is a dictionary-encoded UTF-8 column with "" written as null.
func OptionalString(name string, v []string) Column {
	return Column{name, parquet.Optional(parquet.Encoded(parquet.String(), &parquet.RLEDictionary)), func(i int) parquet.Value {
		if v[i] == "" {
			return parquet.Value{}
		}
		return parquet.ByteArrayValue(unsafeBytes(v[i]))
	}}
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

// OptionalInt64 is an INT64 column, null where valid(i) is false.
func OptionalInt64(name string, v []int64, valid func(i int) bool) Column {
	return Column{name, parquet.Optional(parquet.Int(64)), func(i int) parquet.Value {
		if !valid(i) {
			return parquet.Value{}
		}
		return parquet.Int64Value(v[i])
	}}
}
