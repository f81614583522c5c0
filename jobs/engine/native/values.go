package native

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// view is a typed view of the dense (non-null) values of a page or a dictionary; exactly one of
// its slices is set, chosen by the column's physical type.
type view struct {
	i32     []int32
	i64     []int64
	f32     []float32
	f64     []float64
	i96     []deprecated.Int96
	data    []byte   // BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY contents
	offsets []uint32 // BYTE_ARRAY: value k is data[offsets[k]:offsets[k+1]]
	size    int      // FIXED_LEN_BYTE_ARRAY: value k is data[k*size:(k+1)*size]
	n       int
}

func (v *view) load(d encoding.Values, phys format.Type) {
	*v = view{}
	switch phys {
	case format.Int32:
		v.i32 = d.Int32()
		v.n = len(v.i32)
	case format.Int64:
		v.i64 = d.Int64()
		v.n = len(v.i64)
	case format.Int96:
		v.i96 = d.Int96()
		v.n = len(v.i96)
	case format.Float:
		v.f32 = d.Float()
		v.n = len(v.f32)
	case format.Double:
		v.f64 = d.Double()
		v.n = len(v.f64)
	case format.ByteArray:
		v.data, v.offsets = d.ByteArray()
		v.n = max(len(v.offsets)-1, 0)
	case format.FixedLenByteArray:
		v.data, v.size = d.FixedLenByteArray()
		if v.size > 0 {
			v.n = len(v.data) / v.size
		}
	default:
		panic(fmt.Sprintf("native: physical type %s", phys))
	}
}

func (v *view) bytes(k int) []byte {
	if v.size > 0 {
		return v.data[k*v.size : (k+1)*v.size]
	}
	return v.data[v.offsets[k]:v.offsets[k+1]]
}

// cursor walks one column chunk row by row, page by page.
type cursor struct {
	col    input.Column
	pages  parquet.Pages
	page   parquet.Page
	defs   []byte // definition levels of the page; nil for a required column
	row, n int    // next row in the page, rows in the page
	dense  int    // next dense value in the page
	idx    []int32
	dict   parquet.Dictionary
	values view // the page's values, or the dictionary's when idx != nil
	k      int  // after next returned true: index of the row's value in values
	dicts  int  // dictionaries loaded so far: a change tells per-entry caches to reset

	base    int  // seek: the chunk row of the page's first row
	present bool // seek: whether the row sought is not null
}

func newCursor(chunk parquet.ColumnChunk, col input.Column) *cursor {
	return &cursor{col: col, pages: chunk.Pages()}
}

// next advances to the next row; it reports whether the row's value is present (not null), in
// which case c.k indexes it in c.values.
func (c *cursor) next() (bool, error) {
	for c.row >= c.n {
		if err := c.readPage(); err != nil {
			return false, err
		}
	}
	r := c.row
	c.row++
	if c.defs != nil && c.defs[r] == 0 {
		return false, nil
	}
	c.k = c.dense
	c.dense++
	if c.idx != nil {
		c.k = int(c.idx[c.k])
		if c.k < 0 || c.k >= c.values.n {
			return false, badIndex(c, int32(c.k))
		}
	}
	return true, nil
}

// seek moves to row (of the chunk; rows sought must increase) and sets c.present, and c.k
// when the value is present.
func (c *cursor) seek(row int) error {
	for row >= c.base+c.n {
		c.base += c.n
		if err := c.readPage(); err != nil {
			return err
		}
	}
	r := row - c.base
	if c.defs == nil {
		c.dense += r - c.row
	} else {
		for _, d := range c.defs[c.row:r] {
			c.dense += int(d)
		}
	}
	c.row = r
	var err error
	c.present, err = c.next()
	return err
}

// readPage loads the next page, checking that its levels and values agree.
func (c *cursor) readPage() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: column %q: %v", ErrCorrupt, c.col.Name, p)
		}
	}()
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	page, err := c.pages.ReadPage()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: column %q ends before the row group's last row", ErrCorrupt, c.col.Name)
	}
	if err != nil {
		return input.ReadError(ErrCorrupt, fmt.Sprintf("column %q", c.col.Name), err)
	}
	c.page = page
	c.row, c.n, c.dense = 0, int(page.NumRows()), 0
	c.defs = nil
	present := c.n
	if c.col.Optional {
		c.defs = page.DefinitionLevels()
		if len(c.defs) != c.n {
			return fmt.Errorf("%w: column %q: %d definition levels for %d rows", ErrCorrupt, c.col.Name, len(c.defs), c.n)
		}
		present = 0
		for _, d := range c.defs {
			if d > 1 {
				return fmt.Errorf("%w: column %q: definition level %d", ErrCorrupt, c.col.Name, d)
			}
			present += int(d)
		}
	}
	data := page.Data()
	if dict := page.Dictionary(); dict != nil {
		c.idx = data.Int32()
		if dict != c.dict {
			c.dict = dict
			c.dicts++
			c.values.load(dict.Page().Data(), c.col.Physical)
		}
		if len(c.idx) != present {
			return fmt.Errorf("%w: column %q: %d values for %d non-null rows", ErrCorrupt, c.col.Name, len(c.idx), present)
		}
		return nil
	}
	c.idx, c.dict = nil, nil
	c.values.load(data, c.col.Physical)
	if c.values.n != present {
		return fmt.Errorf("%w: column %q: %d values for %d non-null rows", ErrCorrupt, c.col.Name, c.values.n, present)
	}
	return nil
}

// close releases the last page and the page reader.
func (c *cursor) close() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	c.pages.Close()
}
