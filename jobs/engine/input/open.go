package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/rfmjob/rfm/jobs/parquetio"
)

// openSource opens a local file or an s3:// object for reading at offsets.
func openSource(path string) (r io.ReaderAt, size int64, close func() error, err error) {
	if objstore.IsURL(path) {
		o, err := objstore.Open(context.Background(), path)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("input: %w", err)
		}
		return o, o.Size(), o.Close, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("input: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, fmt.Errorf("input: %w", err)
	}
	return f, info.Size(), f.Close, nil
}

// openers bounds the files opened at once: enough to overlap an object store's round trips.
const openers = 16

// eachFile calls do(i) for i in [0, n), up to openers at a time, and waits for all.
func eachFile(n int, do func(i int)) {
	sem := make(chan struct{}, openers)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			do(i)
		})
	}
	wg.Wait()
}

// OpenAll opens every inspected file for reading its pages, concurrently (OpenParquet); close
// closes them. On an error, the first in file order is returned and every file is closed.
func OpenAll(files []File) (opened []*parquet.File, close func(), err error) {
	opened = make([]*parquet.File, len(files))
	closers := make([]func() error, len(files))
	errs := make([]error, len(files))
	eachFile(len(files), func(i int) { opened[i], closers[i], errs[i] = OpenParquet(files[i]) })
	close = func() {
		for _, c := range closers {
			if c != nil {
				c()
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			close()
			return nil, nil, err
		}
	}
	return opened, close, nil
}

// ReadError describes a failure to read an input file at where ("path: row group 3, column
// \"amount\""): a failure of the object store (not found, changed, refused, unavailable) is
// that, wrapped so that callers and jobs.Classify see its kind; anything else is kind, the
// file's content at fault.
func ReadError(kind error, where string, err error) error {
	for _, e := range []error{objstore.ErrNotFound, objstore.ErrChanged, objstore.ErrAccessDenied, objstore.ErrUnavailable} {
		if errors.Is(err, e) {
			return fmt.Errorf("input: %s: %w", where, err)
		}
	}
	return fmt.Errorf("%w: %s: %v", kind, where, err)
}

// OpenParquet opens an inspected file for reading the pages of its mapped columns. An object
// (s3://) is told which column chunks those are, so that it fetches each with one ranged GET,
// a row group's chunks in parallel, and nothing of the other columns. The error of a file that
// cannot be opened or decoded names it; close releases the file.
func OpenParquet(f File) (pf *parquet.File, close func() error, err error) {
	r, size, closeSource, err := openSource(f.Path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: corrupt footer: %v", ErrNotParquet, f.Path, p)
		}
		if err != nil {
			closeSource()
		}
	}()
	pf, err = parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, nil, ReadError(ErrNotParquet, f.Path, err)
	}
	if o, ok := r.(*objstore.Reader); ok {
		var leaves []int
		for _, c := range f.Columns {
			leaves = append(leaves, c.Leaf)
		}
		o.Segments(parquetio.ChunkSegments(pf, leaves, false))
	}
	return pf, closeSource, nil
}
