package clv

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// sumChunk is the fixed number of rows of one unit of parallel summation. Chunk boundaries
// depend only on the number of rows, and partial sums are added in chunk order, so a sum is
// the same bits on any number of cores.
const sumChunk = 1 << 14

// sumChunks returns k sums over rows [0, n): f adds the rows [lo, hi) of one chunk into acc
// (k zeroed accumulators). Chunks run on up to GOMAXPROCS goroutines.
func sumChunks(n, k int, f func(lo, hi int, acc []float64)) []float64 {
	nc := (n + sumChunk - 1) / sumChunk
	partial := make([]float64, nc*k)
	run := func(c int) { f(c*sumChunk, min(n, (c+1)*sumChunk), partial[c*k:(c+1)*k]) }
	if workers := min(runtime.GOMAXPROCS(0), nc); workers <= 1 {
		for c := range nc {
			run(c)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for c := int(next.Add(1) - 1); c < nc; c = int(next.Add(1) - 1) {
					run(c)
				}
			})
		}
		wg.Wait()
	}
	out := make([]float64, k)
	for c := range nc {
		for j := range k {
			out[j] += partial[c*k+j]
		}
	}
	return out
}
