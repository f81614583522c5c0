package par

import (
	"math"
	"runtime"
	"sync/atomic"
	"testing"
)

// TestChunksCoverEveryRowOnce checks that chunks tile [0, n) exactly once, with the boundaries
// c·size, for several worker counts, and that none runs for n = 0.
func TestChunksCoverEveryRowOnce(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 1000} {
		for _, workers := range []int{0, 1, 3, 16} {
			seen := make([]atomic.Int32, n)
			var calls atomic.Int32
			Chunks(n, 10, workers, func(c, lo, hi int) {
				calls.Add(1)
				if lo != c*10 || hi != min(n, lo+10) || lo >= hi {
					t.Errorf("n=%d: chunk %d is [%d, %d)", n, c, lo, hi)
				}
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			if int(calls.Load()) != Count(n, 10) {
				t.Errorf("n=%d workers=%d: %d calls, want %d", n, workers, calls.Load(), Count(n, 10))
			}
			for i := range seen {
				if seen[i].Load() != 1 {
					t.Fatalf("n=%d workers=%d: row %d seen %d times", n, workers, i, seen[i].Load())
				}
			}
		}
	}
}

// TestSumsSameBitsOnAnyCoreCount sums values whose float sum depends on the order of addition
// and checks the bits do not change with GOMAXPROCS, and the sums are right.
func TestSumsSameBitsOnAnyCoreCount(t *testing.T) {
	const n = 100_003
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(i+1) * math.Pow(-1, float64(i%3))
	}
	sum := func(procs int) []float64 {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		return Sums(n, 1000, 2, func(lo, hi int, acc []float64) {
			for i := lo; i < hi; i++ {
				acc[0] += x[i]
				acc[1]++
			}
		})
	}
	one, four := sum(1), sum(4)
	if math.Float64bits(one[0]) != math.Float64bits(four[0]) || one[1] != n || four[1] != n {
		t.Fatalf("1 core %v, 4 cores %v", one, four)
	}
	var plain float64
	for _, v := range x {
		plain += v
	}
	if math.Abs(one[0]-plain) > 1e-9 {
		t.Errorf("sum %v, plain loop %v", one[0], plain)
	}
}
