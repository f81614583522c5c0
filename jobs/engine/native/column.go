package native

import (
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// Column reads one column chunk row by row with the engine's own decoding and conversions, for
// the job's other Parquet inputs (the activity table of the profit view), so that their
// values, money and days are read exactly as the transactions' are. Errors wrap ErrCorrupt.
type Column struct {
	c *cursor
}

// NewColumn opens col's chunk of a row group; Close releases it.
func NewColumn(chunk parquet.ColumnChunk, col input.Column) *Column {
	return &Column{c: newCursor(chunk, col)}
}

// Close releases the current page and the page reader.
func (c *Column) Close() { c.c.close() }

// Next advances to the next row and reports whether its value is present (not null).
func (c *Column) Next() (bool, error) { return c.c.next() }

// End returns an error wrapping ErrCorrupt when, after its rows rows were read, the chunk
// still holds values: its rows would not line up with the other columns'.
func (c *Column) End(rows int) error { return c.c.end(rows) }

// Col is the column being read.
func (c *Column) Col() input.Column { return c.c.col }

// Bytes is the current BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value; the slice is valid until Next.
func (c *Column) Bytes() []byte { return c.c.values.bytes(c.c.k) }

// Integer is the current INT32 (unsigned when annotated so) or INT64 value.
func (c *Column) Integer() int64 { return integer(c.c) }

// Float is the current numeric value as float64 (DECIMAL: unscaled / 10^scale).
func (c *Column) Float() float64 { return float(c.c) }

// Minor is the current amount in minor units (10^scale per unit), rounded half away from zero
// as the engine rounds transaction amounts; false for NaN, ±Inf and |value| > 9e15.
func (c *Column) Minor(scale int) (int64, bool) { return money(c.c, scale) }

// Day is the current timestamp-like value's day in days' time zone, as the engine computes a
// transaction's day; false for a string that is not ISO-8601.
func (c *Column) Day(days *Days) (int32, bool) { return dayAt(c.c.col, &c.c.values, c.c.k, days.d) }

// Dictionary reports, for a dictionary-encoded page, the current row's entry, the number of
// entries and a generation that changes whenever a new dictionary is loaded — so a caller can
// cache one result per entry; ok is false on a plain page.
func (c *Column) Dictionary() (entry, entries, generation int, ok bool) {
	if c.c.idx == nil {
		return 0, 0, 0, false
	}
	return c.c.k, c.c.values.n, c.c.dicts, true
}

// Days turns instants into days in a time zone (nil or UTC: UTC), caching zone periods.
type Days struct{ d *dayer }

// NewDays returns the day converter of loc.
func NewDays(loc *time.Location) *Days { return &Days{d: newDayer(loc)} }
