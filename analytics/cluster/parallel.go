package cluster

import "github.com/rfmjob/rfm/analytics/internal/par"

// chunkRows is the fixed number of rows in one unit of parallel work. Chunk boundaries depend
// only on n, never on the worker count, and every reduction sums per-chunk partials in chunk
// order, so results are bit-identical for any number of workers.
const chunkRows = 4096

// numChunks returns the number of chunks covering n rows.
func numChunks(n int) int { return par.Count(n, chunkRows) }

// forChunks calls f(c, lo, hi) for every chunk c = [lo, hi) of n rows, on up to workers
// goroutines (par.Chunks). f must write only to chunk-indexed state.
func forChunks(n, workers int, f func(c, lo, hi int)) { par.Chunks(n, chunkRows, max(workers, 1), f) }
