package rfm

import "math"

// quantileBreaks returns the bins-1 interior type-7 quantiles q(i) = Q(i/bins) of sorted
// (ascending, non-empty). The position (n-1)·i/bins is split exactly in integers, so a
// quantile that falls on an order statistic is that value, not a neighbour interpolated by a
// rounding error. Interpolation is R's (1-h)·x[lo] + h·x[lo+1].
func quantileBreaks(sorted []float64, bins int) []float64 {
	n := len(sorted)
	q := make([]float64, bins-1)
	for i := 1; i < bins; i++ {
		pos := (n - 1) * i
		lo, rem := pos/bins, pos%bins
		q[i-1] = sorted[lo]
		if rem != 0 && sorted[lo+1] != sorted[lo] {
			h := float64(rem) / float64(bins)
			q[i-1] = (1-h)*sorted[lo] + h*sorted[lo+1]
		}
	}
	return q
}

// rBreaks returns the interior breaks of the R package rfm (function bins in R/utils.R):
// quantile(x, probs = seq(0, 1, length.out = bins + 1)) without its first and last element,
// plus 1. It repeats R's floating-point steps: seq computes the probabilities as i·(1/bins),
// and quantile type 7 takes index = 1 + (n-1)·p, lo = floor(index), and interpolates
// (1-h)·x[lo] + h·x[hi] only when index > lo and x[hi] != x[lo].
func rBreaks(sorted []float64, bins int) []float64 {
	n := len(sorted)
	by := 1 / float64(bins)
	q := make([]float64, bins-1)
	for i := 1; i < bins; i++ {
		index := 1 + float64(n-1)*(float64(i)*by)
		lo, hi := math.Floor(index), math.Ceil(index)
		qs := sorted[int(lo)-1]
		if x := sorted[int(hi)-1]; index > lo && x != qs {
			h := index - lo
			qs = (1-h)*qs + h*x
		}
		q[i-1] = qs + 1
	}
	return q
}

// binUpperClosed returns 1 + the number of breaks below x: the bin i with
// breaks[i-2] < x <= breaks[i-1] (the Quantile and Fixed rule; ties share a bin).
func binUpperClosed(breaks []float64, x float64) int {
	i := 1
	for _, b := range breaks {
		if b < x {
			i++
		}
	}
	return i
}

// binLowerClosed returns 1 + the number of breaks at or below x: the bin i with
// breaks[i-2] <= x < breaks[i-1] (the R package's rule).
func binLowerClosed(breaks []float64, x float64) int {
	i := 1
	for _, b := range breaks {
		if b <= x {
			i++
		}
	}
	return i
}

// ntile deals the positions of order (already sorted) into bins equal-count tiles the way SQL
// NTILE does: with n = len(order), the first n mod bins tiles hold one row more than the
// others; with n < bins the tiles n+1..bins stay empty. score[order[k]] gets the tile of k.
func ntile(order []int32, bins int, score []int8) {
	n := len(order)
	size, extra := n/bins, n%bins
	big := extra * (size + 1) // rows held by the larger tiles
	for k, row := range order {
		var tile int
		if k < big {
			tile = k/(size+1) + 1
		} else {
			tile = extra + (k-big)/size + 1
		}
		score[row] = int8(tile)
	}
}
