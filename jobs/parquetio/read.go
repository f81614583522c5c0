package parquetio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Errors of reading earlier outputs back, wrapped with the file and column at fault; test with
// errors.Is.
var (
	// ErrCorrupt reports a file that is not readable Parquet (truncated, overwritten, garbage).
	ErrCorrupt = errors.New("parquetio: corrupt file")
	// ErrSchema reports a readable file whose columns are missing or of an unexpected type.
	ErrSchema = errors.New("parquetio: unexpected schema")
)

// Customers is what a later run needs of an earlier date's customers output: the assignments
// that migration compares. Rows are in file order (the writer sorts them by CustomerID).
type Customers struct {
	CustomerID []string
	Segment    []string // "" for a null
	Monetary   []int64  // minor units at MoneyScale decimals
	MoneyScale int
	// Columns older outputs may lack: nil when the file has no such column.
	Tier             []string // "" for a null
	Profit           []int64  // minor units at MoneyScale decimals; 0 for a null
	TierPeriodsBelow []int32  // consecutive periods below the held tier (status protection)
}

// Len is the number of customers.
func (c *Customers) Len() int { return len(c.CustomerID) }

// ReadCustomers reads the columns of Customers from a customers output file. A file that is not
// Parquet, is truncated or has corrupt pages returns ErrCorrupt; missing required columns
// (customer_id, segment, monetary) or columns of the wrong type return ErrSchema. It never
// panics on bad data.
func ReadCustomers(path string) (c *Customers, err error) {
	pf, closeFile, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer closeFile()
	// parquet-go may panic on some malformed pages; data must only ever error.
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, r)
		}
	}()
	r := customersReader{path: path, file: pf}
	return r.read()
}

// OpenFile opens a Parquet file for reading after checking its frame (magic bytes, a footer
// length that fits), so a corrupt trailer can never make parquet-go allocate what it claims;
// a file that fails the check or that parquet-go cannot open returns an error wrapping
// ErrCorrupt. Callers still recover from panics while reading pages. close closes the file.
func OpenFile(path string) (pf *parquet.File, close func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: %v", ErrCorrupt, path, r)
		}
		if err != nil {
			f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if err := checkFrame(f, st.Size()); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	if pf, err = parquet.OpenFile(f, st.Size()); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	return pf, f.Close, nil
}

// checkFrame verifies the magic bytes and that the footer length fits in the file before
// parquet-go allocates a buffer of whatever length a corrupt trailer claims.
func checkFrame(f io.ReaderAt, size int64) error {
	const magic = "PAR1"
	if size < 12 {
		return fmt.Errorf("%d bytes, too short for Parquet", size)
	}
	head := make([]byte, 4)
	tail := make([]byte, 8)
	if _, err := f.ReadAt(head, 0); err != nil {
		return err
	}
	if _, err := f.ReadAt(tail, size-8); err != nil {
		return err
	}
	if string(head) != magic || string(tail[4:]) != magic {
		return fmt.Errorf("no PAR1 magic at the start and end")
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footer > size-12 {
		return fmt.Errorf("footer of %d bytes claimed in a %d-byte file", footer, size)
	}
	return nil
}

type customersReader struct {
	path string
	file *parquet.File
}

// column is one column to read: its leaf index and how to store each value (null or not).
type column struct {
	name  string
	index int
	store func(v parquet.Value) error
}

func (r *customersReader) read() (*Customers, error) {
	c := &Customers{}
	schema := r.file.Schema()
	var cols []column
	find := func(name string, required bool) (parquet.LeafColumn, bool, error) {
		leaf, ok := schema.Lookup(name)
		if !ok && required {
			return leaf, false, fmt.Errorf("%w: %s has no column %q", ErrSchema, r.path, name)
		}
		return leaf, ok, nil
	}
	stringCol := func(name string, required bool, dst *[]string) error {
		leaf, ok, err := find(name, required)
		if !ok {
			return err
		}
		if leaf.Node.Type().Kind() != parquet.ByteArray {
			return fmt.Errorf("%w: %s column %q is %s, want a string", ErrSchema, r.path, name, leaf.Node.Type())
		}
		*dst = []string{}
		cols = append(cols, column{name, leaf.ColumnIndex, func(v parquet.Value) error {
			if v.IsNull() {
				*dst = append(*dst, "")
			} else {
				*dst = append(*dst, string(v.ByteArray()))
			}
			return nil
		}})
		return nil
	}
	moneyScale := -1
	moneyCol := func(name string, required bool, dst *[]int64) error {
		leaf, ok, err := find(name, required)
		if !ok {
			return err
		}
		scale, err := r.decimalScale(name, leaf.Node)
		if err != nil {
			return err
		}
		if moneyScale >= 0 && scale != moneyScale {
			return fmt.Errorf("%w: %s column %q has %d decimals, monetary %d", ErrSchema, r.path, name, scale, moneyScale)
		}
		moneyScale = scale
		*dst = []int64{}
		cols = append(cols, column{name, leaf.ColumnIndex, func(v parquet.Value) error {
			switch {
			case v.IsNull():
				*dst = append(*dst, 0)
			case v.Kind() == parquet.Int64:
				*dst = append(*dst, v.Int64())
			default:
				*dst = append(*dst, int64(v.Int32()))
			}
			return nil
		}})
		return nil
	}
	int32Col := func(name string, dst *[]int32) error {
		leaf, ok, _ := find(name, false)
		if !ok {
			return nil
		}
		if leaf.Node.Type().Kind() != parquet.Int32 {
			return fmt.Errorf("%w: %s column %q is %s, want INT32", ErrSchema, r.path, name, leaf.Node.Type())
		}
		*dst = []int32{}
		cols = append(cols, column{name, leaf.ColumnIndex, func(v parquet.Value) error {
			if v.IsNull() {
				*dst = append(*dst, 0)
			} else {
				*dst = append(*dst, v.Int32())
			}
			return nil
		}})
		return nil
	}
	if err := errors.Join(
		stringCol("customer_id", true, &c.CustomerID),
		stringCol("segment", true, &c.Segment),
		moneyCol("monetary", true, &c.Monetary),
		stringCol("tier", false, &c.Tier),
		moneyCol("profit", false, &c.Profit),
		int32Col("tier_periods_below", &c.TierPeriodsBelow),
	); err != nil {
		return nil, err
	}
	c.MoneyScale = moneyScale
	for g, rg := range r.file.RowGroups() {
		chunks := rg.ColumnChunks()
		for _, col := range cols {
			if col.index >= len(chunks) {
				return nil, fmt.Errorf("%w: %s row group %d lacks column %q", ErrCorrupt, r.path, g, col.name)
			}
			n, err := readChunk(chunks[col.index], col.store)
			if err != nil {
				return nil, fmt.Errorf("%w: %s row group %d column %q: %v", ErrCorrupt, r.path, g, col.name, err)
			}
			if n != rg.NumRows() {
				return nil, fmt.Errorf("%w: %s row group %d column %q has %d values, want %d rows", ErrCorrupt, r.path, g, col.name, n, rg.NumRows())
			}
		}
	}
	return c, nil
}

// decimalScale returns the scale of a DECIMAL column stored as INT64 or INT32.
func (r *customersReader) decimalScale(name string, node parquet.Node) (int, error) {
	t := node.Type()
	var dec *format.DecimalType
	if lt := t.LogicalType(); lt != nil {
		dec, _ = lt.Value.(*format.DecimalType)
	}
	if dec == nil || (t.Kind() != parquet.Int64 && t.Kind() != parquet.Int32) {
		return 0, fmt.Errorf("%w: %s column %q is %s, want DECIMAL over INT64 or INT32", ErrSchema, r.path, name, t)
	}
	if s := int(dec.Scale); s < 0 || s > 18 {
		return 0, fmt.Errorf("%w: %s column %q has scale %d, want 0..18", ErrSchema, r.path, name, s)
	}
	return int(dec.Scale), nil
}

// readChunk passes every value of a column chunk to store and returns how many there were.
func readChunk(cc parquet.ColumnChunk, store func(parquet.Value) error) (int64, error) {
	pages := cc.Pages()
	defer pages.Close()
	buf := make([]parquet.Value, 1024)
	var n int64
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		vr := p.Values()
		for {
			k, err := vr.ReadValues(buf)
			for _, v := range buf[:k] {
				if err := store(v); err != nil {
					parquet.Release(p)
					return n, err
				}
			}
			n += int64(k)
			if err == io.EOF {
				break
			}
			if err != nil {
				parquet.Release(p)
				return n, err
			}
		}
		parquet.Release(p)
	}
}
