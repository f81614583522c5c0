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
	batch, s := make([]parquet.Value, rowsPerBatch), newScratch()
	for c, col := range cols {
		cw := rg.ColumnWriters()[c]
		for b := start; b < end; b += rowsPerBatch {
			vals := batch[:min(rowsPerBatch, end-b)]
			col.fill(vals, b, c, s)
			if _, err := cw.WriteRowValues(vals); err != nil {
				return fmt.Errorf("column %s: %w", col.Name, err)
			}
		}
	}
	return rg.Flush()
}

// groupStarts splits n rows into row groups of at most rowsPerGroup rows (at least
// minRowsPerGroup, unless n is smaller), their number a multiple of workers when the rows allow,
// so that no core is left alone with the last group: 2.4M rows on 2 cores are 4 groups, not
// 1M + 1M + 0.4M.
func groupStarts(n, workers int) []int {
	if n == 0 {
		return nil
	}
	groups := max(1, (n+rowsPerGroup-1)/rowsPerGroup)
	groups = (groups + workers - 1) / workers * workers
	groups = max(1, min(groups, n/minRowsPerGroup))
	size := (n + groups - 1) / groups
	var starts []int
	for s := 0; s < n; s += size {
		starts = append(starts, s)
	}
	return starts
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
	opts := []parquet.WriterOption{schema, parquet.Compression(&fastSnappy{}),
		parquet.CreatedBy("rfm", "", ""), parquet.PageBufferSize(1 << 20), parquet.DataPageStatistics(false)}
	for _, c := range cols {
		if c.noBounds {
			opts = append(opts, parquet.SkipPageBounds(c.Name))
		}
	}
	w := parquet.NewWriter(bw, opts...)
	// Row groups are encoded and compressed concurrently, one per core at a time, and
	// committed in order as soon as each is done, so that committing one (a serial copy into
	// the file) overlaps with encoding the next.
	workers := runtime.GOMAXPROCS(0)
	starts := groupStarts(n, workers)
	rgs := make([]*parquet.ConcurrentRowGroupWriter, len(starts))
	for k := range rgs {
		rgs[k] = w.BeginRowGroup()
	}
	errs := make([]error, len(starts))
	done := make([]chan struct{}, len(starts))
	for k := range starts {
		done[k] = make(chan struct{})
	}
	// At most workers+1 groups are encoded ahead of the commit, so that memory holds a few
	// encoded groups, not the whole file.
	ahead := make(chan struct{}, workers+1)
	next := make(chan int)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(next)
		for k := range starts {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			next <- k
		}
	})
	for range min(workers, len(starts)) {
		wg.Go(func() {
			for k := range next {
				select {
				case <-stop:
				default:
					end := n
					if k+1 < len(starts) {
						end = starts[k+1]
					}
					errs[k] = writeGroup(rgs[k], cols, starts[k], end)
				}
				close(done[k])
			}
		})
	}
	defer wg.Wait()
	for k, rg := range rgs {
		<-done[k]
		if errs[k] != nil {
			close(stop)
			return fmt.Errorf("parquetio: %s: %w", path, errs[k])
		}
		if _, err := rg.Commit(); err != nil {
			close(stop)
			return fmt.Errorf("parquetio: %s: %w", path, err)
		}
		<-ahead
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("parquetio: %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
