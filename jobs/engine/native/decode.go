package native

import (
	"fmt"
	"hash/maphash"
	"math"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// Value states of a decoded row, per column.
const (
	stateOK   uint8 = iota
	stateNull       // the value is null
	stateBad        // present but unusable: a bad id, timestamp or amount
)

// vector is one column of a row group decoded into one int64 per row: an id key, a day, an
// amount in minor units or a float's bits, depending on the converter. state is nil when every
// row is stateOK.
type vector struct {
	v     []int64
	state []uint8
	buf   []uint8 // state's storage, kept across row groups
}

func (x *vector) ok(r int) bool { return x.state == nil || x.state[r] == stateOK }

// converter converts the n dense values of a page or dictionary (c.values) into out and st.
type converter func(c *cursor, out []int64, st []uint8)

// decodeColumn decodes the rows of one column chunk into x, converting each page's values (or
// its dictionary's, once per dictionary) with conv.
func decodeColumn(chunk parquet.ColumnChunk, col input.Column, rows int, conv converter, x *vector, scratch *[]int64, scratchSt *[]uint8) (err error) {
	c := newCursor(chunk, col)
	defer c.close()
	x.v = grow(x.v, rows)
	x.state = nil
	setState := func(r int, s uint8) {
		if s == stateOK && x.state == nil {
			return
		}
		if x.state == nil {
			x.buf = growBytes(x.buf, rows)
			clear(x.buf)
			x.state = x.buf
		}
		x.state[r] = s
	}
	var dict parquet.Dictionary
	var dense []int64
	var denseSt []uint8
	denseBad := false
	for row := 0; row < rows; {
		if err := c.readPage(); err != nil {
			return err
		}
		if row+c.n > rows {
			return fmt.Errorf("%w: column %q has more values than the row group's %d rows", ErrCorrupt, col.Name, rows)
		}
		if c.idx == nil || c.dict != dict {
			n := c.values.n
			*scratch, *scratchSt = grow(*scratch, n), growBytes(*scratchSt, n)
			dense, denseSt = (*scratch)[:n], (*scratchSt)[:n]
			clear(denseSt)
			conv(c, dense, denseSt)
			denseBad = false
			for _, s := range denseSt {
				if s != stateOK {
					denseBad = true
					break
				}
			}
			dict = c.dict
		}
		out := x.v[row : row+c.n]
		switch {
		case c.defs == nil && c.idx == nil:
			copy(out, dense)
			if denseBad {
				for r, s := range denseSt {
					setState(row+r, s)
				}
			}
		case c.defs == nil:
			for r, k := range c.idx {
				if uint(k) >= uint(len(dense)) {
					return badIndex(c, k)
				}
				out[r] = dense[k]
			}
			if denseBad {
				for r, k := range c.idx {
					setState(row+r, denseSt[k])
				}
			}
		default:
			j := 0
			for r, d := range c.defs {
				if d == 0 {
					out[r] = 0
					setState(row+r, stateNull)
					continue
				}
				k := int32(j)
				if c.idx != nil {
					k = c.idx[j]
					if uint(k) >= uint(len(dense)) {
						return badIndex(c, k)
					}
				}
				j++
				out[r] = dense[k]
				if denseBad {
					setState(row+r, denseSt[k])
				}
			}
		}
		row += c.n
	}
	return nil
}

func badIndex(c *cursor, k int32) error {
	return fmt.Errorf("%w: column %q: dictionary index %d out of range [0,%d)", ErrCorrupt, c.col.Name, k, c.values.n)
}

func grow(s []int64, n int) []int64 {
	if cap(s) < n {
		return make([]int64, n)
	}
	return s[:n]
}

func growBytes(s []uint8, n int) []uint8 {
	if cap(s) < n {
		return make([]uint8, n)
	}
	return s[:n]
}

// strings is a row group's distinct-enough string values: every dictionary entry, and every
// value of plain pages interned by content. Rows refer to entries by index; two entries may
// hold the same bytes (a dictionary with duplicates), so consumers compare contents.
type stringTable struct {
	data    []byte
	offsets []int32 // entry i is data[offsets[i]:offsets[i+1]]
	hashes  []uint64
	intern  map[string]int64 // plain pages only
	hash    bool             // compute hashes (customer ids)
}

var idSeed = maphash.MakeSeed()

func (t *stringTable) reset(hash bool) {
	t.data, t.offsets, t.hashes = t.data[:0], append(t.offsets[:0], 0), t.hashes[:0]
	t.intern, t.hash = nil, hash
}

func (t *stringTable) len() int { return len(t.offsets) - 1 }

func (t *stringTable) at(i int64) []byte { return t.data[t.offsets[i]:t.offsets[i+1]] }

func (t *stringTable) add(b []byte) int64 {
	t.data = append(t.data, b...)
	t.offsets = append(t.offsets, int32(len(t.data)))
	if t.hash {
		t.hashes = append(t.hashes, maphash.Bytes(idSeed, b))
	}
	return int64(len(t.offsets) - 2)
}

// stringConverter maps a dictionary's entries to new table entries one to one, and interns the
// values of plain pages.
func stringConverter(t *stringTable) converter {
	return func(c *cursor, out []int64, _ []uint8) {
		if c.idx != nil {
			for k := range out {
				out[k] = t.add(c.values.bytes(k))
			}
			return
		}
		if t.intern == nil {
			t.intern = map[string]int64{}
		}
		for k := range out {
			b := c.values.bytes(k)
			i, ok := t.intern[string(b)]
			if !ok {
				i = t.add(b)
				t.intern[string(b)] = i
			}
			out[k] = i
		}
	}
}

// idConverter converts numeric ids to int64 keys. A customer id key is the id's integer value
// (a floating id must be a finite integer below 9.2e18, else it is stateBad); an order id key
// (loose) of a floating column is the bits of the float, with -0 and NaNs made one value, so
// that two keys are equal exactly when the ids print the same.
func idConverter(col input.Column, loose bool) converter {
	return func(c *cursor, out []int64, st []uint8) {
		v := &c.values
		switch col.Physical {
		case format.Int64:
			copy(out, v.i64)
			return
		case format.Int32:
			for k, x := range v.i32 {
				if col.Unsigned {
					out[k] = int64(uint32(x))
				} else {
					out[k] = int64(x)
				}
			}
			return
		}
		for k := range out {
			var x float64
			if col.Physical == format.Float {
				x = float64(v.f32[k])
			} else {
				x = v.f64[k]
			}
			integral := x == math.Trunc(x) && math.Abs(x) < 9.2e18
			switch {
			case !loose && integral:
				out[k] = int64(x)
			case !loose:
				st[k] = stateBad
			case integral:
				out[k] = int64(math.Float64bits(float64(int64(x))))
			case math.IsNaN(x):
				out[k] = int64(math.Float64bits(math.NaN()))
			default:
				out[k] = int64(math.Float64bits(x))
			}
		}
	}
}

// dayConverter converts timestamps to days (see dayer); unparsable strings are stateBad.
func dayConverter(col input.Column, days *dayer) converter {
	return func(c *cursor, out []int64, st []uint8) {
		v := &c.values
		switch {
		case col.Kind == input.KindDate:
			for k, d := range v.i32 {
				out[k] = int64(d)
			}
		case col.Kind == input.KindString:
			for k := range out {
				us, ok := parseISO(v.bytes(k))
				if !ok {
					st[k] = stateBad
					continue
				}
				out[k] = int64(days.day(us, 1_000_000))
			}
		case col.Physical == format.Int96:
			for k, x := range v.i96 {
				out[k] = int64(days.day(int96Micros(x), 1_000_000))
			}
		default:
			per := perSecond(col.Unit)
			if days.loc == nil {
				perDay := per * 86400
				for k, x := range v.i64 {
					out[k] = floorDiv(x, perDay)
				}
				return
			}
			for k, x := range v.i64 {
				out[k] = int64(days.day(x, per))
			}
		}
	}
}

// moneyConverter converts amounts to minor units; NaN, ±Inf and out-of-range amounts are
// stateBad.
func moneyConverter(col input.Column, scale int) converter {
	return func(c *cursor, out []int64, st []uint8) {
		if col.Physical == format.Int64 && (col.Kind == input.KindInt64 || col.Kind == input.KindDecimal) {
			shift := scale
			if col.Kind == input.KindDecimal {
				shift -= col.Scale
			}
			if shift >= 0 && shift < len(pow10) {
				p := pow10[shift]
				lim := maxMinor / p
				for k, x := range c.values.i64 {
					if x > lim || x < -lim {
						st[k] = stateBad
						continue
					}
					out[k] = x * p
				}
				return
			}
		}
		for k := range out {
			c.k = k
			m, ok := money(c, scale)
			if !ok {
				st[k] = stateBad
			}
			out[k] = m
		}
	}
}

// floatConverter converts quantities and unit prices to float64 bits.
func floatConverter(c *cursor, out []int64, _ []uint8) {
	for k := range out {
		c.k = k
		out[k] = int64(math.Float64bits(float(c)))
	}
}
