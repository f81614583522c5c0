package input

import (
	"context"
	"fmt"
	"io"
	"os"

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
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrNotParquet, f.Path, err)
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
