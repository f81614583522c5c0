package parquetio

import (
	"bufio"
	"fmt"
	"os"

	"github.com/parquet-go/parquet-go"
)

// rowsPerBatch bounds the rows buffered before each WriteRows call.
const rowsPerBatch = 4096

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
	w := parquet.NewWriter(bw, schema, parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy("rfm", "", ""), parquet.PageBufferSize(1<<20))
	rows := make([]parquet.Row, 0, rowsPerBatch)
	flat := make([]parquet.Value, rowsPerBatch*len(cols))
	for start := 0; start < n; start += rowsPerBatch {
		end := min(start+rowsPerBatch, n)
		rows = rows[:0]
		for i := start; i < end; i++ {
			row := flat[(i-start)*len(cols) : (i-start+1)*len(cols)]
			for c, col := range cols {
				v := col.value(i)
				def := 0
				if col.node.Optional() && !v.IsNull() {
					def = 1
				}
				row[c] = v.Level(0, def, c)
			}
			rows = append(rows, row)
		}
		if _, err := w.WriteRows(rows); err != nil {
			return fmt.Errorf("parquetio: %s: %w", path, err)
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
