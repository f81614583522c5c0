// Package par runs loops over index ranges on several goroutines so that results do not depend
// on the number of goroutines: chunk boundaries depend only on the length and the chunk size,
// and callers write per-chunk results that they combine in chunk order.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Count returns the number of chunks of size rows covering n rows.
func Count(n, size int) int { return (n + size - 1) / size }

// Chunks calls f(c, lo, hi) for every chunk c = [lo, hi) = [c·size, min(n, (c+1)·size)) of n
// rows, on up to workers goroutines (GOMAXPROCS when workers <= 0) that take chunks in turn;
// with one worker or one chunk, in order on the caller's goroutine. f must write only
// chunk-indexed or row-indexed state.
func Chunks(n, size, workers int, f func(c, lo, hi int)) {
	nc := Count(n, size)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	run := func(c int) { f(c, c*size, min(n, (c+1)*size)) }
	if workers <= 1 || nc <= 1 {
		for c := range nc {
			run(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, nc) {
		wg.Go(func() {
			for c := int(next.Add(1) - 1); c < nc; c = int(next.Add(1) - 1) {
				run(c)
			}
		})
	}
	wg.Wait()
}

// Sums returns k sums over rows [0, n): f adds the rows [lo, hi) of one chunk into acc (k
// zeroed accumulators); the chunks' partial sums are added in chunk order, so the result is the
// same bits on any number of goroutines.
func Sums(n, size, k int, f func(lo, hi int, acc []float64)) []float64 {
	nc := Count(n, size)
	partial := make([]float64, nc*k)
	Chunks(n, size, 0, func(c, lo, hi int) { f(lo, hi, partial[c*k:(c+1)*k]) })
	out := make([]float64, k)
	for c := range nc {
		for j := range k {
			out[j] += partial[c*k+j]
		}
	}
	return out
}
