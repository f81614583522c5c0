package report

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// readFrame reads the top-level columns of a Parquet file that want accepts into a Frame.
// Strings (BYTE_ARRAY) become string columns; integers, floats, booleans, DECIMALs (scaled to
// business units) and DATEs (days) become numbers. Nested or repeated columns are skipped. A
// file that is not Parquet returns ErrCorrupt; bad data never panics.
func readFrame(path string, want func(name string) bool) (fr *Frame, err error) {
	// The frame check keeps a corrupt trailer from making parquet-go allocate what it claims.
	pf, closeFile, err := pq.OpenFile(path)
	if err != nil {
		if errors.Is(err, pq.ErrCorrupt) {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return nil, err
	}
	defer closeFile()
	// parquet-go may panic on some malformed pages; data must only ever error.
	defer func() {
		if r := recover(); r != nil {
			fr, err = nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, r)
		}
	}()
	n := pf.NumRows()
	fr = NewFrame(int(n))
	schema := pf.Schema()
	for _, field := range schema.Fields() {
		name := field.Name()
		if !field.Leaf() || field.Repeated() || !want(name) {
			continue
		}
		leaf, ok := schema.Lookup(name)
		if !ok {
			continue
		}
		if err := readColumn(pf, fr, name, leaf); err != nil {
			return nil, fmt.Errorf("%w: %s column %q: %v", ErrCorrupt, path, name, err)
		}
	}
	return fr, nil
}

// readColumn reads one leaf column of every row group into fr.
func readColumn(pf *parquet.File, fr *Frame, name string, leaf parquet.LeafColumn) error {
	t := leaf.Node.Type()
	isString := t.Kind() == parquet.ByteArray || t.Kind() == parquet.FixedLenByteArray
	scale := 1.0
	if lt := t.LogicalType(); lt != nil {
		if dec, ok := lt.Value.(*format.DecimalType); ok {
			if isString {
				return nil // DECIMAL over bytes: not written by rfm; leave the column out
			}
			scale = math.Pow(10, float64(dec.Scale))
		}
	}
	var strs []string
	var nums []float64
	store := func(v parquet.Value) {
		if isString {
			if v.IsNull() {
				strs = append(strs, "")
			} else {
				strs = append(strs, string(v.ByteArray()))
			}
			return
		}
		x := math.NaN()
		switch v.Kind() {
		case parquet.Boolean:
			x = 0
			if v.Boolean() {
				x = 1
			}
		case parquet.Int32:
			x = float64(v.Int32()) / scale
		case parquet.Int64:
			x = float64(v.Int64()) / scale
		case parquet.Float:
			x = float64(v.Float())
		case parquet.Double:
			x = v.Double()
		}
		if v.IsNull() {
			x = math.NaN()
		}
		nums = append(nums, x)
	}
	for g, rg := range pf.RowGroups() {
		chunks := rg.ColumnChunks()
		if leaf.ColumnIndex >= len(chunks) {
			return fmt.Errorf("row group %d lacks the column", g)
		}
		if err := readChunk(chunks[leaf.ColumnIndex], store); err != nil {
			return fmt.Errorf("row group %d: %v", g, err)
		}
	}
	got := len(nums)
	if isString {
		got = len(strs)
	}
	if got != fr.Len() {
		return fmt.Errorf("%d values, want %d rows", got, fr.Len())
	}
	if isString {
		fr.SetStrings(name, strs)
	} else {
		fr.SetNumbers(name, nums)
	}
	return nil
}

// readChunk passes every value of a column chunk to store.
func readChunk(cc parquet.ColumnChunk, store func(parquet.Value)) error {
	pages := cc.Pages()
	defer pages.Close()
	buf := make([]parquet.Value, 1024)
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		vr := p.Values()
		for {
			k, err := vr.ReadValues(buf)
			for _, v := range buf[:k] {
				store(v)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				parquet.Release(p)
				return err
			}
		}
		parquet.Release(p)
	}
}
