package report

import (
	"errors"
	"fmt"
	"math"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// readFrame reads the top-level columns of a Parquet file that want accepts into a Frame,
// through parquetio's one reader. Strings become string columns; integers, floats, booleans,
// DECIMALs (scaled to business units) and DATEs (days) become numbers (NaN for a null). A file
// that is not Parquet returns ErrCorrupt; bad data never panics.
func readFrame(path string, want func(name string) bool) (*Frame, error) {
	t, err := pq.ReadTable(path, want)
	if errors.Is(err, pq.ErrCorrupt) || errors.Is(err, pq.ErrSchema) {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err != nil {
		return nil, err
	}
	return frameOf(t), nil
}

// frameOf is the Frame of a table read back (or taken from memory, pq.TableOf).
func frameOf(t *pq.Table) *Frame {
	fr := NewFrame(t.Rows)
	for _, c := range t.Cols {
		if c.Kind == pq.KindString {
			fr.SetStrings(c.Name, c.Strings)
			continue
		}
		nums := make([]float64, t.Rows)
		unit := math.Pow10(c.Scale)
		for i := range nums {
			switch {
			case !c.Valid[i]:
				nums[i] = math.NaN()
			case c.Kind == pq.KindFloat:
				nums[i] = c.Floats[i]
			default:
				nums[i] = float64(c.Ints[i]) / unit
			}
		}
		fr.SetNumbers(c.Name, nums)
	}
	return fr
}
