package parquetio

import (
	"math"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Column is one output column: its name, its Parquet leaf type, and how to fill a batch of
// its values (already carrying their repetition and definition levels) from row start on,
// using s for the batch's payloads.
type Column struct {
	Name string
	node parquet.Node
	fill func(dst []parquet.Value, start, col int, s *scratch)
	// noBounds leaves the column's page bounds out of the column index: for free text,
	// where min and max prune nothing and cost a string comparison per value.
	noBounds bool
}

// scratch holds one batch's payloads (and, for optional columns, which rows are null) on
// their way into Values (see setWords and setStrings).
type scratch struct {
	words []uint64
	strs  []string
	null  []bool
}

func newScratch() *scratch {
	return &scratch{make([]uint64, rowsPerBatch), make([]string, rowsPerBatch), make([]bool, rowsPerBatch)}
}

// nulls returns the null flags of an n-row batch, nil for a required column.
func (s *scratch) nulls(n int, optional bool) []bool {
	if !optional {
		return nil
	}
	return s.null[:n]
}

// optionalNode returns node, optional when optional, and the definition level of a value.
func optionalNode(node parquet.Node, optional bool) (parquet.Node, int) {
	if optional {
		return parquet.Optional(node), 1
	}
	return node, 0
}

// gather sets out[i] to the payload of row start+i and, when null is not nil, null[i] to
// whether the row is null.
func gather[P uint64 | string](out []P, null []bool, start int, get func(i int) (P, bool)) {
	for i := range out {
		var ok bool
		out[i], ok = get(start + i)
		if null != nil {
			null[i] = !ok
		}
	}
}

// fixed is a column of a fixed-width kind (that of zero) whose row i has payload word(i)
// (see payload); when optional, null where word's ok is false.
func fixed(name string, node parquet.Node, zero parquet.Value, optional bool, word func(i int) (w uint64, ok bool)) Column {
	node, def := optionalNode(node, optional)
	return Column{Name: name, node: node, fill: func(dst []parquet.Value, start, col int, s *scratch) {
		words, null := s.words[:len(dst)], s.nulls(len(dst), optional)
		gather(words, null, start, word)
		layout.setWords(dst, zero.Level(0, def, col), col, words, null)
	}}
}

// ints is fixed over a slice of integers, null where a value equals null when nullable: a
// loop over the slice rather than a function call per row.
func ints[T int8 | int32 | int64](name string, node parquet.Node, zero parquet.Value, v []T, nullable bool, null T) Column {
	node, def := optionalNode(node, nullable)
	return Column{Name: name, node: node, fill: func(dst []parquet.Value, start, col int, s *scratch) {
		words, isNull := s.words[:len(dst)], s.nulls(len(dst), nullable)
		for i, x := range v[start : start+len(dst)] {
			words[i] = uint64(x)
			if isNull != nil {
				isNull[i] = x == null
			}
		}
		layout.setWords(dst, zero.Level(0, def, col), col, words, isNull)
	}}
}

// text is a UTF-8 column whose row i is get(i); when optional, null where ok is false.
func text(name string, node parquet.Node, optional bool, get func(i int) (v string, ok bool)) Column {
	node, def := optionalNode(node, optional)
	return Column{Name: name, node: node, fill: func(dst []parquet.Value, start, col int, s *scratch) {
		strs, null := s.strs[:len(dst)], s.nulls(len(dst), optional)
		gather(strs, null, start, get)
		layout.setStrings(dst, parquet.ByteArrayValue(nil).Level(0, def, col), col, strs, null)
	}}
}

// Int64 is a required INT64 column.
func Int64(name string, v []int64) Column {
	return ints(name, parquet.Int(64), parquet.Int64Value(0), v, false, 0)
}

// Int32 is a required INT32 column.
func Int32(name string, v []int32) Column {
	return ints(name, parquet.Int(32), parquet.Int32Value(0), v, false, 0)
}

// SmallInt is an INT32 column of int8 values; zero is written as null when zeroIsNull.
func SmallInt(name string, v []int8, zeroIsNull bool) Column {
	return ints(name, parquet.Int(32), parquet.Int32Value(0), v, zeroIsNull, 0)
}

// Float64 is a required DOUBLE column.
func Float64(name string, v []float64) Column {
	return fixed(name, parquet.Leaf(parquet.DoubleType), parquet.DoubleValue(0), false, func(i int) (uint64, bool) { return math.Float64bits(v[i]), true })
}

// OptionalFloat64 is a DOUBLE column, null where valid(i) is false.
func OptionalFloat64(name string, v []float64, valid func(i int) bool) Column {
	return OptionalFloat64Func(name, func(i int) (float64, bool) { return v[i], valid(i) })
}

// Money is a DECIMAL(18, scale) column of minor units.
func Money(name string, v []int64, scale int) Column {
	return ints(name, moneyNode(scale), parquet.Int64Value(0), v, false, 0)
}

func moneyNode(scale int) parquet.Node { return parquet.Decimal(scale, 18, parquet.Int64Type) }

// Date is a DATE column of days since 1970-01-01; feature.NoDate is null.
func Date(name string, v []int32) Column {
	return ints(name, parquet.Date(), parquet.Int32Value(0), v, true, feature.NoDate)
}

// ConstDate is a DATE column holding one day on every row (the as_of column).
func ConstDate(name string, day int32) Column {
	return fixed(name, parquet.Date(), parquet.Int32Value(0), false, func(int) (uint64, bool) { return uint64(day), true })
}

// OptionalInt32 is an INT32 column, null where valid(i) is false.
func OptionalInt32(name string, v []int32, valid func(i int) bool) Column {
	return fixed(name, parquet.Int(32), parquet.Int32Value(0), true, func(i int) (uint64, bool) { return uint64(v[i]), valid(i) })
}

// OptionalInt64 is an INT64 column, null where valid(i) is false.
func OptionalInt64(name string, v []int64, valid func(i int) bool) Column {
	return fixed(name, parquet.Int(64), parquet.Int64Value(0), true, func(i int) (uint64, bool) { return uint64(v[i]), valid(i) })
}

// Bool is a required BOOLEAN column.
func Bool(name string, v []bool) Column {
	return fixed(name, parquet.Leaf(parquet.BooleanType), parquet.BooleanValue(false), false, func(i int) (uint64, bool) {
		if v[i] {
			return 1, true
		}
		return 0, true
	})
}

// Key is a plain-encoded UTF-8 column for unique values (customer ids), where a dictionary
// would only add a hash lookup per row.
func Key(name string, v []string) Column {
	return text(name, parquet.String(), false, func(i int) (string, bool) { return v[i], true })
}

// Text is a plain-encoded UTF-8 column of free text (one sentence per row), without page
// bounds.
func Text(name string, v []string) Column {
	c := Key(name, v)
	c.noBounds = true
	return c
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
	return text(name, dictString(), false, func(i int) (string, bool) { return v[i], true })
}

// OptionalString is a dictionary-encoded UTF-8 column with "" written as null.
func OptionalString(name string, v []string) Column {
	return text(name, dictString(), true, func(i int) (string, bool) { return v[i], v[i] != "" })
}

// The Func columns compute row i's value when it is written instead of reading a slice: long
// tables whose cells derive from a few indexes (the cost-to-serve long form) need not hold a
// string per cell.

// StringFunc is a dictionary-encoded UTF-8 column of few distinct values.
func StringFunc(name string, get func(i int) string) Column {
	return text(name, dictString(), false, func(i int) (string, bool) { return get(i), true })
}

// OptionalKeyFunc is a plain-encoded UTF-8 column of mostly distinct values, null where ok is
// false.
func OptionalKeyFunc(name string, get func(i int) (v string, ok bool)) Column {
	return text(name, parquet.String(), true, get)
}

// OptionalFloat64Func is a DOUBLE column, null where ok is false.
func OptionalFloat64Func(name string, get func(i int) (v float64, ok bool)) Column {
	return fixed(name, parquet.Leaf(parquet.DoubleType), parquet.DoubleValue(0), true, func(i int) (uint64, bool) {
		v, ok := get(i)
		return math.Float64bits(v), ok
	})
}

// Float64Func is a required DOUBLE column.
func Float64Func(name string, get func(i int) float64) Column {
	return fixed(name, parquet.Leaf(parquet.DoubleType), parquet.DoubleValue(0), false, func(i int) (uint64, bool) {
		return math.Float64bits(get(i)), true
	})
}

// DateFunc is a required DATE column of days since 1970-01-01.
func DateFunc(name string, get func(i int) int32) Column {
	return fixed(name, parquet.Date(), parquet.Int32Value(0), false, func(i int) (uint64, bool) { return uint64(get(i)), true })
}

// MoneyFunc is a DECIMAL(18, scale) column of minor units.
func MoneyFunc(name string, scale int, get func(i int) int64) Column {
	return fixed(name, moneyNode(scale), parquet.Int64Value(0), false, func(i int) (uint64, bool) { return uint64(get(i)), true })
}

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
