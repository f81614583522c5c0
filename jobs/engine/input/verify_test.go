package input_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
)

// TestVerifyFirstColumnFirst checks that of two bad columns Verify reports the one first in the
// file, every time: the customer id (the first column) is not valid UTF-8 and the page header
// of the amount (the last column) is destroyed.
func TestVerifyFirstColumnFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.parquet")
	inputtest.Write(t, path, 0,
		inputtest.Column{Name: "customer", Node: parquet.String(), Values: []any{"ok", "a\xff"}},
		inputtest.Column{Name: "day", Node: parquet.Date(), Values: []any{1, 2}},
		inputtest.Column{Name: "value", Node: parquet.Int(64), Values: []any{1, 2}})
	files, err := input.Inspect([]string{path}, engine.Columns{CustomerID: "customer", Timestamp: "day", Amount: "value"})
	if err != nil {
		t.Fatal(err)
	}
	if c := files[0].Columns; c[input.RoleCustomerID].Leaf != 0 || c[input.RoleAmount].Leaf != 2 {
		t.Fatalf("columns %+v: want the customer id first and the amount last", c)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, int64(len(data)))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	off := pf.Metadata().RowGroups[0].Columns[2].MetaData.DataPageOffset
	for i := off; i < off+8; i++ {
		data[i] = 0xff
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The amount column alone is a corrupt page.
	amountOnly := files[0]
	amountOnly.Columns = map[string]input.Column{input.RoleAmount: files[0].Columns[input.RoleAmount]}
	if err := input.Verify(context.Background(), []input.File{amountOnly}); !errors.Is(err, input.ErrCorruptPage) {
		t.Fatalf("amount alone: got %v, want %v", err, input.ErrCorruptPage)
	}
	for range 20 {
		if err := input.Verify(context.Background(), files); !errors.Is(err, input.ErrBadString) {
			t.Fatalf("got %v, want %v", err, input.ErrBadString)
		}
	}
}
