package cluster

import (
	"sync"
	"sync/atomic"
)

// chunkRows is the fixed number of rows in one unit of parallel work. Chunk boundaries depend
// only on n, never on the worker count, and every reduction sums per-chunk partials in chunk
// order, so results are bit-identical for any number of workers.
const chunkRows = 4096

// numChunks returns the number of chunks covering n rows.
func numChunks(n int) int { return (n + chunkRows - 1) / chunkRows }

// forChunks calls f(c, lo, hi) for every chunk c = [lo, hi) of n rows, on up to workers
// goroutines that take chunks in turn. f must write only to chunk-indexed state.
func forChunks(n, workers int, f func(c, lo, hi int)) {
	nc := numChunks(n)
	if workers <= 1 || nc <= 1 {
		for c := range nc {
			f(c, c*chunkRows, min(n, (c+1)*chunkRows))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, nc) {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= nc {
					return
				}
				f(c, c*chunkRows, min(n, (c+1)*chunkRows))
			}
		})
	}
	wg.Wait()
}
