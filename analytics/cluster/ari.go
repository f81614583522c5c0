package cluster

// AdjustedRandIndex returns the adjusted Rand index (Hubert & Arabie 1985) of two partitions
// of the same items, given as labels (any non-negative integers):
//
//	index    = Σ_ij C(n_ij, 2)
//	expected = Σ_i C(a_i, 2) · Σ_j C(b_j, 2) / C(n, 2)
//	max      = (Σ_i C(a_i, 2) + Σ_j C(b_j, 2)) / 2
//	ARI      = (index − expected) / (max − expected)
//
// where n_ij counts the items in cluster i of a and cluster j of b, and a_i, b_j are the
// cluster sizes. It is 1 for identical partitions up to renumbering, about 0 for independent
// ones, and may be negative. When max = expected, which happens only when both partitions are
// the same trivial one (one cluster, or all singletons), it returns 1; fewer than two items
// also give 1. It panics if the lengths differ or a label is negative.
func AdjustedRandIndex(a, b []int) float64 {
	if len(a) != len(b) {
		panic("cluster: AdjustedRandIndex: label slices differ in length")
	}
	type pair struct{ a, b int }
	joint := make(map[pair]int)
	rowSize := make(map[int]int)
	colSize := make(map[int]int)
	for i := range a {
		if a[i] < 0 || b[i] < 0 {
			panic("cluster: AdjustedRandIndex: negative label")
		}
		joint[pair{a[i], b[i]}]++
		rowSize[a[i]]++
		colSize[b[i]]++
	}
	choose2 := func(m int) float64 { return float64(m) * float64(m-1) / 2 }
	var index, sumA, sumB float64
	for _, m := range joint {
		index += choose2(m)
	}
	for _, m := range rowSize {
		sumA += choose2(m)
	}
	for _, m := range colSize {
		sumB += choose2(m)
	}
	if len(a) < 2 {
		return 1
	}
	expected := sumA * sumB / choose2(len(a))
	maxIndex := (sumA + sumB) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}
