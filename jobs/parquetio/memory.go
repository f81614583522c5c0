package parquetio

import (
	"runtime"
	"sync"

	"github.com/parquet-go/parquet-go"
)

// TableOf is the table ReadTable would return for a file that WriteFile wrote from rows of cols,
// without the file: the columns want accepts (nil: all) are filled as WriteFile fills them and
// each value is stored as ReadTable stores the value it decodes, so a reader of the outputs (the
// report) can take a run's tables from memory and get what it would read back. Path is "".
func TableOf(rows int, cols []Column, want func(name string) bool) (*Table, error) {
	t := &Table{Rows: rows}
	var index []int
	for c, col := range cols {
		if want != nil && !want(col.Name) {
			continue
		}
		rc, err := newCol(col.Name, col.node.Type())
		if err != nil {
			return nil, err
		}
		t.Cols, index = append(t.Cols, rc), append(index, c)
	}
	// One column per core at a time, as ReadTable reads them.
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, rc := range t.Cols {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			rc.fillFrom(cols[index[i]], index[i], rows)
		})
	}
	wg.Wait()
	return t, nil
}

// fillFrom stores rows values of col (the c-th column of its table) in batches.
func (rc *Col) fillFrom(col Column, c, rows int) {
	rc.Valid = make([]bool, 0, rows)
	switch rc.Kind {
	case KindString:
		rc.Strings = make([]string, 0, rows)
		rc.intern = map[string]string{}
	case KindFloat:
		rc.Floats = make([]float64, 0, rows)
	default:
		rc.Ints = make([]int64, 0, rows)
	}
	defer func() { rc.intern = nil }()
	batch, s := make([]parquet.Value, rowsPerBatch), newScratch()
	for b := 0; b < rows; b += rowsPerBatch {
		vals := batch[:min(rowsPerBatch, rows-b)]
		col.fill(vals, b, c, s)
		for _, v := range vals {
			rc.store(v) // never fails
		}
	}
}
