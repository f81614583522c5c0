package native

import (
	"math"
	"strconv"

	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// customerLookup finds a customer id's row in the feature table: by integer value for integer
// and floating id columns, by bytes for strings.
type customerLookup struct {
	byString map[string]int32
	byInt    map[int64]int32
	// dense[v] is the row of integer id v when every integer id is in [0, len(dense)), ids
	// being usually dense: one array access instead of a hash lookup. −1: no such customer.
	dense []int32
}

// intRow returns the row of integer id v, −1 when it has none.
func (lk *customerLookup) intRow(v int64) int32 {
	if lk.dense != nil {
		if v >= 0 && v < int64(len(lk.dense)) {
			return lk.dense[v]
		}
		return -1
	}
	row, ok := lk.byInt[v]
	return orMinus(row, ok)
}

func newCustomerLookup(ids []string, files []input.File) *customerLookup {
	lk := &customerLookup{}
	numeric, text := false, false
	for _, f := range files {
		if f.Columns[input.RoleCustomerID].Kind == input.KindString {
			text = true
		} else {
			numeric = true
		}
	}
	if text {
		lk.byString = make(map[string]int32, len(ids))
		for i, id := range ids {
			lk.byString[id] = int32(i)
		}
	}
	if !numeric {
		return lk
	}
	// The integer value of each id printed canonically (as the engines print integer ids);
	// −1 marks the others, which no integer id matches.
	vals := make([]int64, len(ids))
	maxID := int64(-1)
	dense := true
	var buf []byte
	for i, id := range ids {
		v, err := strconv.ParseInt(id, 10, 64)
		if buf = strconv.AppendInt(buf[:0], v, 10); err != nil || string(buf) != id {
			vals[i] = -1
			continue
		}
		vals[i] = v
		dense = dense && v >= 0
		maxID = max(maxID, v)
	}
	if dense && maxID < 4*int64(len(ids))+1024 {
		lk.dense = make([]int32, maxID+1)
		for i := range lk.dense {
			lk.dense[i] = -1
		}
		for i, v := range vals {
			if v >= 0 {
				lk.dense[v] = int32(i)
			}
		}
		return lk
	}
	lk.byInt = make(map[int64]int32, len(ids))
	for i, v := range vals {
		if v != -1 || ids[i] == "-1" {
			lk.byInt[v] = int32(i)
		}
	}
	return lk
}

// customerRow returns the feature-table row of the current customer id (−1 when the customer
// has no transactions in the window); ok is false for a floating id that is not an integer.
func (s *activityScanner) customerRow(c *activityColumn, buf *[]byte) (int32, bool) {
	lk := s.lookup
	find := func() (int32, bool) {
		switch c.Col().Physical {
		case format.ByteArray:
			row, ok := lk.byString[string(c.Bytes())]
			return orMinus(row, ok), true
		case format.Int32, format.Int64:
			return lk.intRow(c.Integer()), true
		}
		x := c.Float()
		if x != math.Trunc(x) || math.Abs(x) >= 9.2e18 {
			return 0, false
		}
		return lk.intRow(int64(x)), true
	}
	d, entries, gen, dict := c.Dictionary()
	if !dict {
		return find()
	}
	// Dictionary pages: resolve each dictionary entry once.
	c.reset(gen)
	if c.dictRows == nil {
		c.dictRows = make([]int32, entries)
		for i := range c.dictRows {
			c.dictRows[i] = unresolved
		}
	}
	if row := c.dictRows[d]; row != unresolved {
		return row, row != badID
	}
	row, ok := find()
	if !ok {
		row = badID
	}
	c.dictRows[d] = row
	return row, ok
}

const (
	unresolved = math.MinInt32
	badID      = math.MinInt32 + 1
)

func orMinus(row int32, ok bool) int32 {
	if !ok {
		return -1
	}
	return row
}

// activityColumn reads one column of the activity table with the native engine's reader (so
// values, money and days read exactly as the transactions') and caches, per dictionary entry,
// what the scanner derives from a value: customer rows and text.
type activityColumn struct {
	*Column
	gen      int // dictionary generation the caches belong to
	dictRows []int32
	dictText []string
	// intern holds the strings of plain pages, so that a repeated value is one string.
	intern map[string]string
}

// reset drops the per-entry caches when a new dictionary was loaded.
func (c *activityColumn) reset(gen int) {
	if gen != c.gen {
		c.gen, c.dictRows, c.dictText = gen, nil, nil
	}
}

// text returns the current value as text: strings as they are (each dictionary entry
// converted once), numbers in decimal.
func (c *activityColumn) text() string {
	d, entries, gen, dict := c.Dictionary()
	if !dict {
		return c.plainText()
	}
	c.reset(gen)
	if c.dictText == nil {
		c.dictText = make([]string, entries)
	}
	if s := c.dictText[d]; s != "" {
		return s
	}
	s := c.plainText()
	c.dictText[d] = s
	return s
}

func (c *activityColumn) plainText() string {
	switch c.Col().Physical {
	case format.ByteArray, format.FixedLenByteArray:
		b := c.Bytes()
		if s, ok := c.intern[string(b)]; ok {
			return s
		}
		if c.intern == nil {
			c.intern = map[string]string{}
		}
		s := string(b)
		if len(c.intern) < 1<<16 {
			c.intern[s] = s
		}
		return s
	case format.Int32, format.Int64:
		return strconv.FormatInt(c.Integer(), 10)
	}
	return strconv.FormatFloat(c.Float(), 'g', -1, 64)
}
