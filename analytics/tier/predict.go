package tier

// Predict places customers in tiers by their predicted value: the customers ranked by rank (1
// = highest predicted value; 0 = not ranked, e.g. no purchase) fill the tiers best first with
// today's tier sizes, counted from held (the tier index each customer holds now, under status
// protection the held status): the top |tier 0| ranked customers are predicted tier 0, and so
// on; the last tier takes whatever is left. predicted is −1 for an unranked customer; upgrade
// marks a predicted tier above the held one. Ranks must be a permutation of 1..(ranked count).
//
// Measured against the held tier, the comparison says whether the customer's future value
// would keep or lift the status they are served at today, which is the decision it informs.
func Predict(held []int32, tiers int, rank []int) (predicted []int32, upgrade []bool) {
	n := len(held)
	if len(rank) != n {
		panic("tier: Predict: rank and held lengths differ")
	}
	sizes := make([]int, tiers)
	for _, k := range held {
		sizes[k]++
	}
	byRank := make([]int, n+1) // byRank[r] = row, ranks 1..ranked
	ranked := 0
	for i, r := range rank {
		if r > 0 {
			byRank[r] = i
			ranked++
		}
	}
	predicted = make([]int32, n)
	for i := range predicted {
		predicted[i] = -1
	}
	upgrade = make([]bool, n)
	k, left := 0, sizes[0]
	for r := 1; r <= ranked; r++ {
		for left == 0 && k < tiers-1 {
			k++
			left = sizes[k]
		}
		i := byRank[r]
		predicted[i] = int32(k)
		upgrade[i] = int32(k) < held[i]
		left--
	}
	return predicted, upgrade
}

// SumByTier adds up per-customer quantities by tier: out[k][a] = Σ x[a][i] over the customers i
// with tierOf[i] = k, for tiers tiers. A nil x[a] sums to zeros.
func SumByTier(tierOf []int32, tiers int, x [][]float64) [][]float64 {
	out := make([][]float64, tiers)
	for k := range out {
		out[k] = make([]float64, len(x))
	}
	for a, q := range x {
		for i, v := range q {
			out[tierOf[i]][a] += v
		}
	}
	return out
}
