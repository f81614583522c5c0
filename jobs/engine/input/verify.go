package input

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// ErrCorruptPage: a page of a mapped column does not match its checksum or does not decode.
var ErrCorruptPage = errors.New("input: corrupt page")

// ErrBadString: a string customer id is not valid UTF-8.
var ErrBadString = errors.New("input: invalid UTF-8")

// Verify reads every page of the mapped columns of files with parquet-go, which checks each
// page's CRC-32 where the writer stored one, and decodes every value, so a corrupt file is an
// error naming the file, row group and column instead of reaching an engine that may crash on
// it or read changed values (DuckDB 1.1.2 does both, see the hardening corpus). String customer
// ids must be valid UTF-8, since outputs are UTF-8. Engines that read with parquet-go do these
// checks as they go; the DuckDB engine calls Verify first.
func Verify(ctx context.Context, files []File) error {
	for _, f := range files {
		if err := verifyFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

func verifyFile(ctx context.Context, f File) (err error) {
	pf, closeFile, err := OpenParquet(f)
	if err != nil {
		return err
	}
	defer closeFile()
	rg, col := -1, ""
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: row group %d, column %q: %v", ErrCorruptPage, f.Path, rg, col, p)
		}
	}()
	// The roles in file order, so that of two bad columns the same one is reported every run.
	roles := slices.SortedFunc(maps.Keys(f.Columns), func(a, b string) int {
		return cmp.Or(cmp.Compare(f.Columns[a].Leaf, f.Columns[b].Leaf), cmp.Compare(a, b))
	})
	values := make([]parquet.Value, 4096)
	var row int64
	for g, group := range pf.RowGroups() {
		rg = g
		chunks := group.ColumnChunks()
		for _, role := range roles {
			c := f.Columns[role]
			if err := ctx.Err(); err != nil {
				return err
			}
			col = c.Name
			checkUTF8 := role == RoleCustomerID && c.Physical == format.ByteArray
			pages := chunks[c.Leaf].Pages()
			seen := int64(0)
			for {
				page, err := pages.ReadPage()
				if err == io.EOF {
					break
				}
				if err != nil {
					pages.Close()
					return ReadError(ErrCorruptPage, fmt.Sprintf("%s: row group %d, column %q", f.Path, g, c.Name), err)
				}
				vr := page.Values()
				for {
					n, err := vr.ReadValues(values)
					if checkUTF8 {
						for i, v := range values[:n] {
							if !v.IsNull() && !utf8.Valid(v.ByteArray()) {
								pages.Close()
								return fmt.Errorf("%w: %s: row %d, column %q: customer id %q is not valid UTF-8",
									ErrBadString, f.Path, row+seen+int64(i), c.Name, v.ByteArray())
							}
						}
					}
					seen += int64(n)
					if err == io.EOF {
						break
					}
					if err != nil {
						pages.Close()
						return ReadError(ErrCorruptPage, fmt.Sprintf("%s: row group %d, column %q", f.Path, g, c.Name), err)
					}
				}
				parquet.Release(page)
			}
			pages.Close()
		}
		row += group.NumRows()
	}
	return nil
}
