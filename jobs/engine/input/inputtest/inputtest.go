// Package inputtest writes small Parquet files for the tests of the input package and of the
// engines: flat schemas of named columns, nulls where a value is nil, and a chosen number of
// rows per row group so that tests can split orders across row groups.
package inputtest

import (
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// Column is one column of a test file: its name, its Parquet node (parquet.Optional(...) for a
// nullable column) and one value per row, nil meaning null. Values are converted to the node's
// physical type: any Go integer to INT32/INT64, any float to FLOAT/DOUBLE, string or []byte to
// BYTE_ARRAY, deprecated.Int96 to INT96.
type Column struct {
	Name   string
	Node   parquet.Node
	Values []any
}

// Write writes the columns to path, starting a new row group every rowGroupRows rows (0: one row
// group). All columns must have the same number of values.
func Write(t testing.TB, path string, rowGroupRows int, cols ...Column) {
	t.Helper()
	if err := write(path, rowGroupRows, cols); err != nil {
		t.Fatalf("inputtest: writing %s: %v", path, err)
	}
}

func write(path string, rowGroupRows int, cols []Column) error {
	group := parquet.Group{}
	byName := map[string]Column{}
	n := -1
	for _, c := range cols {
		group[c.Name] = c.Node
		byName[c.Name] = c
		if n >= 0 && len(c.Values) != n {
			return fmt.Errorf("column %s has %d values, want %d", c.Name, len(c.Values), n)
		}
		n = len(c.Values)
	}
	schema := parquet.NewSchema("tx", group)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := parquet.NewWriter(f, schema)
	leaves := schema.Columns()
	for r := 0; r < n; r++ {
		row := make(parquet.Row, len(leaves))
		for i, p := range leaves {
			c := byName[p[0]]
			v := c.Values[r]
			if v == nil {
				row[i] = parquet.Value{}.Level(0, 0, i)
				continue
			}
			def := 0
			if c.Node.Optional() {
				def = 1
			}
			pv, err := value(c.Node.Type().Kind(), v)
			if err != nil {
				return fmt.Errorf("column %s row %d: %v", c.Name, r, err)
			}
			row[i] = pv.Level(0, def, i)
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			return err
		}
		if rowGroupRows > 0 && (r+1)%rowGroupRows == 0 && r+1 < n {
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}

func value(kind parquet.Kind, v any) (parquet.Value, error) {
	switch kind {
	case parquet.Boolean:
		if b, ok := v.(bool); ok {
			return parquet.BooleanValue(b), nil
		}
	case parquet.Int32:
		if i, ok := integer(v); ok {
			return parquet.Int32Value(int32(i)), nil
		}
	case parquet.Int64:
		if i, ok := integer(v); ok {
			return parquet.Int64Value(i), nil
		}
	case parquet.Float:
		if x, ok := float(v); ok {
			return parquet.FloatValue(float32(x)), nil
		}
	case parquet.Double:
		if x, ok := float(v); ok {
			return parquet.DoubleValue(x), nil
		}
	case parquet.ByteArray:
		switch s := v.(type) {
		case string:
			return parquet.ByteArrayValue([]byte(s)), nil
		case []byte:
			return parquet.ByteArrayValue(s), nil
		}
	case parquet.FixedLenByteArray:
		if b, ok := v.([]byte); ok {
			return parquet.FixedLenByteArrayValue(b), nil
		}
	case parquet.Int96:
		if x, ok := v.(deprecated.Int96); ok {
			return parquet.Int96Value(x), nil
		}
	}
	return parquet.Value{}, fmt.Errorf("cannot write %T as %s", v, kind)
}

func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint32:
		return int64(x), true
	}
	return 0, false
}

func float(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

// OneRowShort rewrites a Parquet file's footer to claim one row fewer (in the file and its first
// row group) than its pages hold, as a faulty writer might.
func OneRowShort(t testing.TB, data []byte) []byte {
	t.Helper()
	return rewriteFooter(t, data, func(meta *format.FileMetaData) {
		meta.NumRows--
		meta.RowGroups[0].NumRows--
	})
}

// ClaimRows rewrites a one-row-group Parquet file's footer to claim n rows (in the file and its
// row group), whatever its pages hold: a corrupt count a reader must not trust.
func ClaimRows(t testing.TB, data []byte, n int64) []byte {
	t.Helper()
	return rewriteFooter(t, data, func(meta *format.FileMetaData) {
		meta.NumRows = n
		meta.RowGroups[0].NumRows = n
	})
}

func rewriteFooter(t testing.TB, data []byte, edit func(*format.FileMetaData)) []byte {
	t.Helper()
	footer := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	body := data[:len(data)-8-footer]
	var meta format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), data[len(body):len(data)-8], &meta); err != nil {
		t.Fatalf("inputtest: reading the footer: %v", err)
	}
	edit(&meta)
	rewritten, err := thrift.Marshal(new(thrift.CompactProtocol), &meta)
	if err != nil {
		t.Fatalf("inputtest: writing the footer: %v", err)
	}
	out := binary.LittleEndian.AppendUint32(append(append([]byte(nil), body...), rewritten...), uint32(len(rewritten)))
	return append(out, "PAR1"...)
}
