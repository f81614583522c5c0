package parquetio

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzScratch(f *testing.F) {
	good, _ := os.ReadFile(writeCustomers(f, f.TempDir(), true))
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.parquet")
		os.WriteFile(path, data, 0o644)
		done := make(chan struct{})
		go func() { ReadCustomers(path); close(done) }()
		s := time.Now()
		select {
		case <-done:
			if time.Since(s) > 300*time.Millisecond {
				os.WriteFile("/tmp/slow.parquet", data, 0o644)
				os.Exit(4)
			}
		case <-time.After(2 * time.Second):
			os.WriteFile("/tmp/hang.parquet", data, 0o644)
			os.Exit(3)
		}
	})
}
