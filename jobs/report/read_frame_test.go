package report

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestReadFrameChecksTheFooterFirst: a file whose trailer claims a footer of 4 GB is corrupt
// before parquet-go may allocate a buffer of that size (the 17-byte case the parquetio fuzz
// target found); the report reads outputs through the same checked open.
func TestReadFrameChecksTheFooterFirst(t *testing.T) {
	b := []byte("PAR1\x15\x00\x15\x00\x00")
	b = binary.LittleEndian.AppendUint32(b, 0xFFFFFFF0)
	b = append(b, "PAR1"...)
	path := filepath.Join(t.TempDir(), "data.parquet")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readFrame(path, func(string) bool { return true })
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("reading a 17-byte file allocated %d bytes, want under 1 MiB: the frame was not checked first", got)
	}
}
