package report

import (
	"fmt"
	"math"
)

// Frame is one output table read back for the report: named columns of equal length, each
// either numbers (float64, NaN for a null) or strings ("" for a null). Money arrives in business
// units (DECIMAL scale applied), dates as days since 1970-01-01. A Frame holds only the columns
// the report asked for; a column the file lacks is simply absent, so every chart can test for
// what it needs.
type Frame struct {
	n     int
	nums  map[string][]float64
	strs  map[string][]string
	order []string // column names in the order first set
}

// NewFrame returns an empty frame of n rows.
func NewFrame(n int) *Frame {
	return &Frame{n: n, nums: map[string][]float64{}, strs: map[string][]string{}}
}

// Len is the number of rows.
func (f *Frame) Len() int {
	if f == nil {
		return 0
	}
	return f.n
}

// SetNumbers adds (or replaces) a numeric column; it panics if v has the wrong length.
func (f *Frame) SetNumbers(name string, v []float64) *Frame {
	f.note(name, len(v))
	delete(f.strs, name)
	f.nums[name] = v
	return f
}

// SetStrings adds (or replaces) a string column; it panics if v has the wrong length.
func (f *Frame) SetStrings(name string, v []string) *Frame {
	f.note(name, len(v))
	delete(f.nums, name)
	f.strs[name] = v
	return f
}

// Numbers returns a numeric column, or false when the frame (possibly nil) has none by that
// name.
func (f *Frame) Numbers(name string) ([]float64, bool) {
	if f == nil {
		return nil, false
	}
	v, ok := f.nums[name]
	return v, ok
}

// Strings returns a string column, or false when the frame (possibly nil) has none by that name.
func (f *Frame) Strings(name string) ([]string, bool) {
	if f == nil {
		return nil, false
	}
	v, ok := f.strs[name]
	return v, ok
}

// Columns lists the column names in the order they were first set (file order for a frame read
// from a file).
func (f *Frame) Columns() []string {
	if f == nil {
		return nil
	}
	return append([]string(nil), f.order...)
}

// note checks the length of a column about to be set and records its name in the order when
// the frame has no column of that name yet, of either kind.
func (f *Frame) note(name string, n int) {
	if n != f.n {
		panic(fmt.Sprintf("report: column %q has %d values, frame has %d rows", name, n, f.n))
	}
	_, isNum := f.nums[name]
	_, isStr := f.strs[name]
	if !isNum && !isStr {
		f.order = append(f.order, name)
	}
}

// firstNumbers returns the first of the named numeric columns the frame has.
func (f *Frame) firstNumbers(names ...string) ([]float64, bool) {
	for _, n := range names {
		if v, ok := f.Numbers(n); ok {
			return v, true
		}
	}
	return nil, false
}

// firstStrings returns the first of the named string columns the frame has.
func (f *Frame) firstStrings(names ...string) ([]string, bool) {
	for _, n := range names {
		if v, ok := f.Strings(n); ok {
			return v, true
		}
	}
	return nil, false
}

func isNull(x float64) bool { return math.IsNaN(x) }
