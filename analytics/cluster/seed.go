package cluster

import (
	"fmt"
	"math/rand/v2"
)

// seedPlusPlus chooses k initial centroids by k-means++ (Arthur & Vassilvitskii 2007): the
// first uniformly at random, each next one with probability proportional to D(x)², the squared
// distance from x to the nearest centroid chosen so far. It returns ErrTooFewDistinct when
// every point already coincides with a chosen centroid, which happens exactly when the data
// has fewer than k distinct points.
func (f *fitter) seedPlusPlus(rng *rand.Rand, cent []float64, k int) error {
	d := f.d
	first := rng.IntN(f.n)
	copy(cent[:d], f.x[first*d:(first+1)*d])
	f.updateMinDist(cent[:d], true)
	for j := 1; j < k; j++ {
		var total float64
		for _, t := range f.chunkTotal {
			total += t
		}
		if total == 0 {
			return fmt.Errorf("%w: %d distinct points, want k = %d", ErrTooFewDistinct, j, k)
		}
		pick := f.pickByWeight(rng.Float64() * total)
		copy(cent[j*d:(j+1)*d], f.x[pick*d:(pick+1)*d])
		f.updateMinDist(cent[j*d:(j+1)*d], false)
	}
	return nil
}

// updateMinDist lowers minDist to the squared distance to centre c (sets it when first) and
// stores each chunk's sum of minDist in chunkTotal.
func (f *fitter) updateMinDist(c []float64, first bool) {
	d := f.d
	forChunks(f.n, f.opt.Workers, func(ch, lo, hi int) {
		var total float64
		for i := lo; i < hi; i++ {
			s := sqDist(f.x[i*d:(i+1)*d], c)
			if first || s < f.minDist[i] {
				f.minDist[i] = s
			}
			total += f.minDist[i]
		}
		f.chunkTotal[ch] = total
	})
}

// pickByWeight returns the first point at which the running sum of minDist exceeds u, walking
// chunk totals first and then the points of one chunk, summed in the same order as the
// totals so the walk always lands on a point with positive weight.
func (f *fitter) pickByWeight(u float64) int {
	last := -1
	var before float64
	for c, t := range f.chunkTotal {
		if t == 0 {
			continue
		}
		last = c
		if before+t <= u {
			before += t
			continue
		}
		target := u - before
		var run float64
		lo, hi := c*chunkRows, min(f.n, (c+1)*chunkRows)
		for i := lo; i < hi; i++ {
			run += f.minDist[i]
			if run > target && f.minDist[i] > 0 {
				return i
			}
		}
		break // rounding: fall through to the last positive point of this chunk
	}
	lo, hi := last*chunkRows, min(f.n, (last+1)*chunkRows)
	for i := hi - 1; i >= lo; i-- {
		if f.minDist[i] > 0 {
			return i
		}
	}
	panic("cluster: internal error: no point with positive weight")
}

// seedRandom chooses k distinct rows uniformly at random (Forgy seeding); the tests compare it
// with k-means++.
func seedRandom(f *fitter, rng *rand.Rand, cent []float64, k int) error {
	d := f.d
	chosen := make(map[int]bool, k)
	for j := range k {
		i := rng.IntN(f.n)
		for chosen[i] {
			i = rng.IntN(f.n)
		}
		chosen[i] = true
		copy(cent[j*d:(j+1)*d], f.x[i*d:(i+1)*d])
	}
	return nil
}

// sampleRows draws min(size, n) distinct rows in increasing order by selection sampling
// (Knuth, TAOCP vol. 2, §3.4.2, Algorithm S): row i is taken with probability
// (size − taken)/(n − i).
func sampleRows(n, size int, rng *rand.Rand) []int {
	if size >= n {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		return rows
	}
	rows := make([]int, 0, size)
	for i := 0; i < n && len(rows) < size; i++ {
		if rng.IntN(n-i) < size-len(rows) {
			rows = append(rows, i)
		}
	}
	return rows
}
