package native_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

func TestErrors(t *testing.T) {
	good := orderFixture(t, 0)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Keep the footer, destroy the pages: the footer reads, the pages do not.
	pages := append([]byte(nil), data...)
	footer := int(uint32(data[len(data)-8]) | uint32(data[len(data)-7])<<8 | uint32(data[len(data)-6])<<16)
	for i := 4; i < len(pages)-8-footer; i++ {
		pages[i] = 0xff
	}
	badText := filepath.Join(dir, "utf8.parquet")
	inputtest.Write(t, badText, 2,
		inputtest.Column{Name: "customer", Node: parquet.String(), Values: []any{"ok", "ok", "a\xff\xfe"}},
		inputtest.Column{Name: "ts", Node: parquet.Date(), Values: []any{1, 2, 3}},
		inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: []any{1, 2, 3}})
	tests := []struct {
		name string
		path string
		cols engine.Columns
		want error
	}{
		{"invalid UTF-8 customer id", badText, engine.Columns{CustomerID: "customer", Timestamp: "ts", Amount: "amount"}, input.ErrBadString},
		{"corrupt pages", write("pages.parquet", pages), orderColumns, native.ErrCorrupt},
		{"more values than rows", write("rows.parquet", inputtest.OneRowShort(t, data)), orderColumns, native.ErrCorrupt},
		{"truncated", write("truncated.parquet", data[:len(data)-20]), orderColumns, input.ErrNotParquet},
		{"not Parquet", write("text.parquet", []byte("customer,ts\nA,2010-01-01\n")), orderColumns, input.ErrNotParquet},
		{"missing column", good, engine.Columns{CustomerID: "client", Timestamp: "ts", Amount: "amount"}, input.ErrMissingColumn},
		{"wrong type", good, engine.Columns{CustomerID: "customer", Timestamp: "amount", Amount: "amount"}, input.ErrColumnType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := native.New().Aggregate(context.Background(), engine.Request{Files: []string{tt.path}, Columns: tt.cols, AsOfDay: 200, StartDay: none, MoneyScale: 2})
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), filepath.Base(tt.path)) {
				t.Errorf("got %q, want it to name %s", err, filepath.Base(tt.path))
			}
		})
	}
	// The invalid id is row 2, in the second row group: the error names the row and the value
	// as input.Verify does.
	_, err = native.New().Aggregate(context.Background(), engine.Request{Files: []string{badText}, Threads: 2,
		Columns: engine.Columns{CustomerID: "customer", Timestamp: "ts", Amount: "amount"}, AsOfDay: 200, StartDay: none, MoneyScale: 2})
	if want := `row 2, column "customer": customer id "a\xff\xfe" is not valid UTF-8`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want it to contain %s", err, want)
	}
	// Flipping bytes anywhere must never panic: an error naming the file, or a table.
	for off := 4; off < len(data)-8; off += 7 {
		b := append([]byte(nil), data...)
		b[off] ^= 0x5a
		p := write("flip.parquet", b)
		_, err := native.New().Aggregate(context.Background(), engine.Request{Files: []string{p}, Columns: orderColumns, AsOfDay: 200, StartDay: none, MoneyScale: 2})
		if err != nil && !strings.Contains(err.Error(), "flip.parquet") {
			t.Errorf("byte %d flipped: got %q, want it to name flip.parquet", off, err)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := native.New().Aggregate(ctx, engine.Request{Files: []string{orderFixture(t, 2)}, Columns: orderColumns, AsOfDay: 200, StartDay: none, MoneyScale: 2})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
