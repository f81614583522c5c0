package parquetio

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestScratchHang(t *testing.T) {
	good, _ := os.ReadFile(writeCustomers(t, t.TempDir(), true))
	rng := rand.New(rand.NewPCG(1, 1))
	path := filepath.Join(t.TempDir(), "x.parquet")
	for k := 0; k < 3000; k++ {
		b := slices.Clone(good)
		for j := 0; j < 1+rng.IntN(4); j++ {
			switch rng.IntN(4) {
			case 0:
				b[rng.IntN(len(b))] = byte(rng.IntN(256))
			case 1:
				i := rng.IntN(len(b))
				b = slices.Insert(b, i, byte(rng.IntN(256)), byte(rng.IntN(256)))
			case 2:
				i := rng.IntN(len(b) - 2)
				b = slices.Delete(b, i, i+1+rng.IntN(2))
			case 3:
				i := rng.IntN(len(b) - 8)
				copy(b[i:], []byte{0xff, 0xff, 0xff, 0x7f})
			}
		}
		os.WriteFile(path, b, 0o644)
		start := time.Now()
		done := make(chan error, 1)
		go func() { _, err := ReadCustomers(path); done <- err }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			os.WriteFile("/tmp/hang.parquet", b, 0o644)
			t.Fatalf("hang at %d", k)
		}
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Logf("slow %d %v", k, d)
		}
	}
}
