package pareto

import "math/bits"

// lorenz returns the 101-point Lorenz curve and the Gini coefficient of the values clipped at
// 0, walking ranked (the values, descending) backwards, i.e. ascending. positive is
// Σ max(v, 0).
//
// Point j has CustomerShare j/100; with k = ⌊j·n/100⌋ and f = j·n/100 − k its ValueShare is
// (C(k) + f·x(k+1)) / positive, where x(1) ≤ … ≤ x(n) are the clipped values and C(k) the sum
// of the k smallest: linear interpolation between customer counts.
//
// Gini = (2·Σ i·x(i) − (n+1)·positive) / (n·positive), the numerator in exact 128-bit integer
// arithmetic. It equals 1 − 2·(area under the piecewise-linear Lorenz curve through the n+1
// points (k/n, C(k)/positive)). Without positive value the curve is the diagonal and Gini 0.
func lorenz(ranked []int64, positive int64) ([]Point, float64) {
	n := len(ranked)
	points := make([]Point, 101)
	for j := range points {
		points[j].CustomerShare = float64(j) / 100
		points[j].ValueShare = float64(j) / 100
	}
	if n == 0 || positive == 0 {
		return points, 0
	}

	p := float64(positive)
	var below int64         // C(a): sum of the a smallest clipped values
	var sumHi, sumLo uint64 // Σ i·x(i), 128 bits
	j := 0
	for a := range n {
		x := max(ranked[n-1-a], 0) // x(a+1), the (a+1)-th smallest
		for ; j <= 100 && j*n/100 == a; j++ {
			f := float64(j*n%100) / 100
			points[j].ValueShare = (float64(below) + f*float64(x)) / p
		}
		hi, lo := bits.Mul64(uint64(a+1), uint64(x))
		var carry uint64
		sumLo, carry = bits.Add64(sumLo, lo, 0)
		sumHi += hi + carry
		below += x
	}
	for ; j <= 100; j++ { // j·n/100 == n: only j = 100
		points[j].ValueShare = 1
	}

	// numerator = 2·S − (n+1)·positive ≥ 0 for ascending x.
	twoHi, twoLo := sumHi<<1|sumLo>>63, sumLo<<1
	mHi, mLo := bits.Mul64(uint64(n+1), uint64(positive))
	numLo, borrow := bits.Sub64(twoLo, mLo, 0)
	numHi, _ := bits.Sub64(twoHi, mHi, borrow)
	num := float64(numHi)*0x1p64 + float64(numLo)
	return points, num / (float64(n) * p)
}
