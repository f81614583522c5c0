package input

import (
	"errors"
	"fmt"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/rfmjob/rfm/jobs/parquetio"
)

// openParquet opens path (a file, or an s3:// object read by ranged GETs: obj) and decodes its
// footer after checking that the footer's length fits in the file, so a corrupt trailer never
// makes the Parquet reader allocate what it claims. Any failure, a panic in the decoder
// included, is an error naming the file: ErrNotParquet for its content, the object store's
// kind for a read the store failed (ReadError). close releases the file.
func openParquet(path string) (pf *parquet.File, obj *objstore.Reader, close func() error, err error) {
	r, size, obj, closeSource, err := parquetio.OpenReader(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("input: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			pf, obj, close, err = nil, nil, nil, fmt.Errorf("%w: %s: corrupt footer: %v", ErrNotParquet, path, p)
		}
		if err != nil {
			closeSource()
		}
	}()
	if err := checkFooterLength(r, size); err != nil {
		return nil, nil, nil, ReadError(ErrNotParquet, path, err)
	}
	pf, err = parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, nil, nil, ReadError(ErrNotParquet, path, err)
	}
	return pf, obj, closeSource, nil
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
// a row group's chunks in parallel, and nothing of the other columns. close releases the file.
func OpenParquet(f File) (pf *parquet.File, close func() error, err error) {
	pf, obj, close, err := openParquet(f.Path)
	if err != nil {
		return nil, nil, err
	}
	if obj != nil {
		var leaves []int
		for _, c := range f.Columns {
			leaves = append(leaves, c.Leaf)
		}
		obj.Segments(parquetio.ChunkSegments(pf, leaves, false))
	}
	return pf, close, nil
}
