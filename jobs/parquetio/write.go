package parquetio

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/parquet-go/parquet-go"
)

// rowsPerBatch is the number of values handed to a column writer at a time; rowsPerGroup the
// rows of a row group.
const (
	rowsPerBatch    = 8192
	rowsPerGroup    = 1 << 20
	minRowsPerGroup = 1 << 16
)

// writeGroup writes rows [start, end) of cols as one row group.
func writeGroup(rg *parquet.ConcurrentRowGroupWriter, cols []Column, start, end int) error {
	batch := make([]parquet.Value, rowsPerBatch)
	for c, col := range cols {
		cw := rg.ColumnWriters()[c]
		for b := start; b < end; b += rowsPerBatch {
			vals := batch[:min(rowsPerBatch, end-b)]
			col.fill(vals, b, c)
			if _, err := cw.WriteRowValues(vals); err != nil {
				return fmt.Errorf("column %s: %w", col.Name, err)
			}
		}
	}
	return rg.Flush()
}

// WriteFile writes n rows of cols to path as one Parquet file named after table, syncing it to
// disk before returning so a later rename publishes complete bytes. The caller owns atomicity
// (write into a staging directory, then rename).
func WriteFile(path, table string, n int, cols []Column) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	schema := schemaOf(table, cols)
	// Page bounds go to the column index and the row group statistics; repeating them in
	// every data page header (DataPageStatistics) computed them twice.
	w := parquet.NewWriter(bw, schema, parquet.Compression(&fastSnappy{}),
		parquet.CreatedBy("rfm", "", ""), parquet.PageBufferSize(1<<20), parquet.DataPageStatistics(false))
	// Row groups are encoded and compressed concurrently (one per core) and committed in
	// order; within a row group, column by column, a batch of values at a time.
	group := rowsPerGroup
	if workers := runtime.GOMAXPROCS(0); n/workers < group {
		group = max((n+workers-1)/workers, minRowsPerGroup)
	}
	var starts []int
	for s := 0; s < n; s += group {
		starts = append(starts, s)
	}
	for wave := 0; wave < len(starts); wave += runtime.GOMAXPROCS(0) {
		ws := starts[wave:min(len(starts), wave+runtime.GOMAXPROCS(0))]
		rgs := make([]*parquet.ConcurrentRowGroupWriter, len(ws))
		errs := make([]error, len(ws))
		var wg sync.WaitGroup
		for k, s := range ws {
			rgs[k] = w.BeginRowGroup()
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[k] = writeGroup(rgs[k], cols, s, min(s+group, n))
			}()
		}
		wg.Wait()
		for k, rg := range rgs {
			if errs[k] != nil {
				return fmt.Errorf("parquetio: %s: %w", path, errs[k])
			}
			if _, err := rg.Commit(); err != nil {
				return fmt.Errorf("parquetio: %s: %w", path, err)
			}
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("parquetio: %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
