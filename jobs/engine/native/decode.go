package native

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// Value states of a decoded row, per column.
const (
	stateOK      uint8 = iota
	stateNull          // the value is null
	stateBad           // present but unusable: a bad id, timestamp or amount
	stateBadText       // a string customer id that is not valid UTF-8: an error, not a rejection
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

// columnReader decodes one column chunk into vectors a window of rows at a time, converting
// each page's values (or its dictionary's, once per dictionary) with conv.
type columnReader struct {
	c        *cursor
	conv     converter
	dict     parquet.Dictionary // the dictionary dense was converted from
	dense    []int64            // the converted values of the page or dictionary
	denseSt  []uint8
	denseBad bool // some denseSt is not stateOK
}

func (cr *columnReader) open(chunk parquet.ColumnChunk, col input.Column, conv converter) {
	cr.c, cr.conv, cr.dict = newCursor(chunk, col), conv, nil
}

func (cr *columnReader) close() {
	if cr.c != nil {
		cr.c.close()
		cr.c = nil
	}
}

// end returns ErrCorrupt when the current page holds rows beyond the row group's last one, of
// which there are rows: the column's rows would not line up with the other columns'.
func (cr *columnReader) end(rows int) error { return cr.c.end(rows) }

func (c *cursor) end(rows int) error {
	if c.row < c.n {
		return fmt.Errorf("%w: column %q has more values than the row group's %d rows", ErrCorrupt, c.col.Name, rows)
	}
	return nil
}

// fill decodes the next rows rows into x, keeping its place in the page in the cursor's row
// and (on pages with definition levels) dense counters.
func (cr *columnReader) fill(x *vector, rows int) error {
	c := cr.c
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
	for done := 0; done < rows; {
		if c.row >= c.n {
			if err := c.readPage(); err != nil {
				return err
			}
			if c.idx == nil || c.dict != cr.dict {
				n := c.values.n
				cr.dense, cr.denseSt = grow(cr.dense, n), growBytes(cr.denseSt, n)
				clear(cr.denseSt)
				cr.conv(c, cr.dense, cr.denseSt)
				cr.denseBad = slices.ContainsFunc(cr.denseSt, func(s uint8) bool { return s != stateOK })
				cr.dict = c.dict
			}
			continue
		}
		m := min(rows-done, c.n-c.row)
		out := x.v[done : done+m]
		dense, denseSt := cr.dense, cr.denseSt
		switch {
		case c.defs == nil && c.idx == nil:
			copy(out, dense[c.row:c.row+m])
			if cr.denseBad {
				for r, s := range denseSt[c.row : c.row+m] {
					setState(done+r, s)
				}
			}
		case c.defs == nil:
			idx := c.idx[c.row : c.row+m]
			for r, k := range idx {
				if uint(k) >= uint(len(dense)) {
					return badIndex(c, k)
				}
				out[r] = dense[k]
			}
			if cr.denseBad {
				for r, k := range idx {
					setState(done+r, denseSt[k])
				}
			}
		default:
			for r, d := range c.defs[c.row : c.row+m] {
				if d == 0 {
					out[r] = 0
					setState(done+r, stateNull)
					continue
				}
				k := int32(c.dense)
				if c.idx != nil {
					k = c.idx[c.dense]
					if uint(k) >= uint(len(dense)) {
						return badIndex(c, k)
					}
				}
				c.dense++
				out[r] = dense[k]
				if cr.denseBad {
					setState(done+r, denseSt[k])
				}
			}
		}
		c.row += m
		done += m
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

// stringTable holds a row group's string values: every dictionary entry, and the values of
// plain pages, a run of equal values stored once. Rows refer to entries by index; two entries
// may hold the same bytes, so consumers compare contents.
type stringTable struct {
	data    []byte
	offsets []int32 // entry i is data[offsets[i]:offsets[i+1]]
	hashes  []uint64
	hash    bool // compute hashes (customer ids)
}

var idSeed = maphash.MakeSeed()

func (t *stringTable) reset(hash bool) {
	t.data, t.offsets, t.hashes, t.hash = t.data[:0], append(t.offsets[:0], 0), t.hashes[:0], hash
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

// stringConverter maps a dictionary's entries to new table entries one to one, and the values
// of plain pages to an entry per run of equal values. Customer ids (t.hash) that are not valid
// UTF-8 are stateBadText.
func stringConverter(t *stringTable) converter {
	return func(c *cursor, out []int64, st []uint8) {
		for k := range out {
			b := c.values.bytes(k)
			if t.hash && !utf8.Valid(b) {
				st[k] = stateBadText
			}
			if n := t.len(); c.idx == nil && n > 0 && string(t.at(int64(n-1))) == string(b) {
				out[k] = int64(n - 1)
				continue
			}
			out[k] = t.add(b)
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
		case col.Kind == input.KindString, col.Physical == format.Int96:
			for k := range out {
				d, ok := dayAt(col, v, k, days)
				if !ok {
					st[k] = stateBad
					continue
				}
				out[k] = int64(d)
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

// dayAt is the day of value k of v, a timestamp-like column's page or dictionary values;
// false for a string that is not ISO-8601.
func dayAt(col input.Column, v *view, k int, days *dayer) (int32, bool) {
	switch {
	case col.Kind == input.KindDate:
		return v.i32[k], true
	case col.Kind == input.KindString:
		us, ok := parseISO(v.bytes(k))
		if !ok {
			return 0, false
		}
		return days.day(us, 1_000_000), true
	case col.Physical == format.Int96:
		return days.day(int96Micros(v.i96[k]), 1_000_000), true
	}
	return days.day(v.i64[k], perSecond(col.Unit)), true
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
