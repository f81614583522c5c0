package parquetio

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
)

// TestReadTableInflatedRowCount: a footer claiming 2^31−1 rows for a 3-row file is ErrCorrupt,
// and the reader does not size its columns by the claim (at most maxPresize rows each).
func TestReadTableInflatedRowCount(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ok.parquet")
	if err := WriteFile(path, "t", 3, []Column{String("id", []string{"a", "b", "c"}), Int64("n", []int64{1, 2, 3}), Float64("x", []float64{1, 2, 3})}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "claims.parquet")
	if err := os.WriteFile(bad, inputtest.ClaimRows(t, data, 1<<31-1), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = ReadTable(bad, nil)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("ReadTable of a footer claiming 2^31-1 rows: %v, want ErrCorrupt", err)
	}
	// Three columns sized for maxPresize rows: a valid flag and a 16-byte string, an int64
	// or a float64 each, about 50 MB at most; sized by the claim it would be over 60 GB.
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("allocated %d MB reading a 3-row file", got>>20)
	}
}
