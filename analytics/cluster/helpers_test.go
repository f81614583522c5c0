package cluster

import (
	"math"
	"math/rand/v2"
)

// blobs returns n points in d dimensions drawn from k isotropic Gaussian blobs with standard
// deviation sd around centres spaced `spread` apart on random axes, and each point's blob.
func blobs(n, d, k int, sd, spread float64, seed uint64) ([]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = spread * float64(rng.IntN(2*k)) // a grid keeps centres apart
	}
	// Make sure no two centres coincide: shift centre j along axis j mod d by j·spread/… .
	for j := range k {
		centres[j*d+j%d] += float64(j) * spread * float64(2*k)
	}
	x := make([]float64, n*d)
	truth := make([]int, n)
	for i := range n {
		c := i % k
		truth[i] = c
		for f := range d {
			x[i*d+f] = centres[c*d+f] + sd*rng.NormFloat64()
		}
	}
	return x, truth
}

// customers returns n synthetic customers' recency (days), frequency and monetary (major
// units), shaped like retail data: recency uniform over two years, frequency geometric,
// monetary log-normal and growing with frequency.
func customers(n int, seed uint64) []Feature {
	rng := rand.New(rand.NewPCG(seed, 2))
	rec, freq, money := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		rec[i] = float64(rng.IntN(730))
		f := 1 + math.Floor(rng.ExpFloat64()*3)
		freq[i] = math.Log1p(f)
		money[i] = math.Log1p(f * math.Exp(3+rng.NormFloat64()))
	}
	return []Feature{{Name: FeatureRecency, Values: rec}, {Name: FeatureFrequency, Values: freq},
		{Name: FeatureMonetary, Values: money}}
}

func toInts(l []int32) []int {
	out := make([]int, len(l))
	for i, v := range l {
		out[i] = int(v)
	}
	return out
}
