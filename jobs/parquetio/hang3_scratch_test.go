package parquetio

import (
	"runtime"
	"testing"
	"time"
)

func TestScratchStack(t *testing.T) {
	s := time.Now()
	_, err := ReadCustomers("/tmp/hang.parquet")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%v %v total alloc %d MB", time.Since(s), err, ms.TotalAlloc>>20)
}
