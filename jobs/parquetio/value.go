package parquetio

import (
	"math"
	"runtime"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// Filling a batch with parquet.Int64Value(x).Level(r, d, c) costs about 30 ns a value here
// (go test -bench FillBatch): Level is not inlined, and the byte stores of its levels stall
// the wider load that returns the Value. That was most of the writer's CPU time. The values
// of one column's batch share their kind and levels, so a batch is filled from one template
// Value whose payload (a 64-bit word, and a pointer for byte arrays) is set in place, from
// payloads the column first gathers into a scratch slice: about 1.5 ns a value.
//
// parquet.Value keeps those fields unexported. Their offsets are found once by probing
// Values that parquet-go constructs, and accepted only if setting them reproduces, bit for
// bit, the Values parquet-go constructs with the same payload and levels. If parquet-go ever
// lays Value out differently, the probe fails and every value is constructed the slow way.

// valueLayout holds the byte offsets of parquet.Value's payload word and pointer.
type valueLayout struct {
	ok        bool
	word, ptr uintptr
}

var layout = probeLayout()

func probeLayout() valueLayout {
	const size = unsafe.Sizeof(parquet.Value{})
	if size%8 != 0 {
		return valueLayout{}
	}
	const pattern = 0x0123456789abcdef
	word := func(v *parquet.Value, off uintptr) uint64 { return *(*uint64)(unsafe.Add(unsafe.Pointer(v), off)) }
	text := []byte("probe")
	iv, bv := parquet.Int64Value(pattern), parquet.ByteArrayValue(text)
	l := valueLayout{word: size, ptr: size}
	for off := uintptr(0); off < size; off += 8 {
		if word(&iv, off) == pattern && word(&bv, off) == uint64(len(text)) {
			l.word = off
		}
		// Compared as integers: the other words are not pointers.
		if *(*uintptr)(unsafe.Add(unsafe.Pointer(&bv), off)) == uintptr(unsafe.Pointer(&text[0])) {
			l.ptr = off
		}
	}
	runtime.KeepAlive(text)
	if l.word == size || l.ptr == size || l.word == l.ptr {
		return valueLayout{}
	}
	l.ok = true
	// The offsets must rebuild what the constructors build, levels and column included.
	for _, v := range []parquet.Value{
		parquet.Int64Value(-7).Level(0, 1, 3), parquet.Int32Value(-7).Level(0, 0, 11),
		parquet.DoubleValue(-2.5).Level(0, 1, 0), parquet.BooleanValue(true).Level(0, 0, 2),
	} {
		got := make([]parquet.Value, 1)
		l.setWords(got, zeroOf(v.Kind()).Level(v.RepetitionLevel(), v.DefinitionLevel(), v.Column()), v.Column(), []uint64{payload(v)}, nil)
		if got[0] != v {
			return valueLayout{}
		}
	}
	want := parquet.ByteArrayValue(text).Level(0, 1, 5)
	got := make([]parquet.Value, 1)
	l.setStrings(got, parquet.ByteArrayValue(nil).Level(0, 1, 5), 5, []string{unsafe.String(&text[0], len(text))}, nil)
	if got[0] != want {
		return valueLayout{}
	}
	return l
}

// zeroOf is a zero value of a fixed-width kind the writer uses.
func zeroOf(k parquet.Kind) parquet.Value {
	switch k {
	case parquet.Boolean:
		return parquet.BooleanValue(false)
	case parquet.Int32:
		return parquet.Int32Value(0)
	case parquet.Int64:
		return parquet.Int64Value(0)
	case parquet.Double:
		return parquet.DoubleValue(0)
	}
	panic("parquetio: no fixed-width zero of kind " + k.String())
}

// payload is the 64-bit word parquet-go stores for a fixed-width value: Int32 sign-extended,
// Double as its IEEE bits, Boolean 0 or 1.
func payload(v parquet.Value) uint64 {
	switch v.Kind() {
	case parquet.Boolean:
		if v.Boolean() {
			return 1
		}
		return 0
	case parquet.Int32:
		return uint64(v.Int32())
	case parquet.Int64:
		return uint64(v.Int64())
	case parquet.Double:
		return math.Float64bits(v.Double())
	}
	panic("parquetio: no payload word for kind " + v.Kind().String())
}

// setWords stores into dst[i] the template t with payload words[i], or a null Value of
// column col where null[i] (null nil: no nulls).
func (l valueLayout) setWords(dst []parquet.Value, t parquet.Value, col int, words []uint64, null []bool) {
	nv := parquet.Value{}.Level(0, 0, col)
	for i, w := range words {
		switch {
		case null != nil && null[i]:
			dst[i] = nv
		case l.ok:
			d := &dst[i]
			*d = t
			*(*uint64)(unsafe.Add(unsafe.Pointer(d), l.word)) = w
		default:
			dst[i] = rebuildWord(t, w)
		}
	}
}

// setStrings stores into dst[i] the byte-array template t holding strs[i] (the Value refers
// to the string's bytes), or a null Value of column col where null[i] (null nil: no nulls).
func (l valueLayout) setStrings(dst []parquet.Value, t parquet.Value, col int, strs []string, null []bool) {
	nv := parquet.Value{}.Level(0, 0, col)
	for i, s := range strs {
		switch {
		case null != nil && null[i]:
			dst[i] = nv
		case l.ok:
			d := &dst[i]
			*d = t
			*(**byte)(unsafe.Add(unsafe.Pointer(d), l.ptr)) = unsafe.StringData(s)
			*(*uint64)(unsafe.Add(unsafe.Pointer(d), l.word)) = uint64(len(s))
		default:
			dst[i] = parquet.ByteArrayValue(unsafeBytes(s)).Level(t.RepetitionLevel(), t.DefinitionLevel(), t.Column())
		}
	}
}

// rebuildWord constructs t's kind with payload w and t's levels, the slow way.
func rebuildWord(t parquet.Value, w uint64) parquet.Value {
	var v parquet.Value
	switch t.Kind() {
	case parquet.Boolean:
		v = parquet.BooleanValue(w != 0)
	case parquet.Int32:
		v = parquet.Int32Value(int32(w))
	case parquet.Int64:
		v = parquet.Int64Value(int64(w))
	case parquet.Double:
		v = parquet.DoubleValue(math.Float64frombits(w))
	default:
		panic("parquetio: no fixed-width kind " + t.Kind().String())
	}
	return v.Level(t.RepetitionLevel(), t.DefinitionLevel(), t.Column())
}

// unsafeBytes views s as bytes without copying; the writer copies values it keeps.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
