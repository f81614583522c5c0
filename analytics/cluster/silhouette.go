package cluster

import "math"

// silhouette returns the mean silhouette width (Rousseeuw 1987) of the sampled rows of the
// n×d data under labels, with Euclidean distances among the sampled rows only:
//
//	a(i) = mean distance from i to the other sampled members of its cluster
//	b(i) = min over other clusters C present in the sample of the mean distance from i to C
//	s(i) = (b(i) − a(i)) / max(a(i), b(i))
//
// s(i) = 0 when i is the only sampled member of its cluster, when no other cluster is in the
// sample, or when a(i) = b(i) = 0 (duplicate points). The sample costs O(len(rows)²·d).
func silhouette(data []float64, d int, rows []int, labels []int32, k int) float64 {
	m := len(rows)
	if m == 0 {
		return 0
	}
	lab := make([]int32, m)
	size := make([]int, k)
	for s, i := range rows {
		lab[s] = labels[i]
		size[lab[s]]++
	}
	// distSum[s*k+c] sums the distances from sampled point s to the sampled members of c.
	distSum := make([]float64, m*k)
	for s, i := range rows {
		xi := data[i*d : (i+1)*d]
		for t := s + 1; t < m; t++ {
			j := rows[t]
			dist := math.Sqrt(sqDist(xi, data[j*d:(j+1)*d]))
			distSum[s*k+int(lab[t])] += dist
			distSum[t*k+int(lab[s])] += dist
		}
	}
	var total float64
	for s := range m {
		own := lab[s]
		if size[own] < 2 {
			continue
		}
		a := distSum[s*k+int(own)] / float64(size[own]-1)
		b := math.Inf(1)
		for c := range k {
			if int32(c) != own && size[c] > 0 {
				b = min(b, distSum[s*k+c]/float64(size[c]))
			}
		}
		if math.IsInf(b, 1) || max(a, b) == 0 {
			continue
		}
		total += (b - a) / max(a, b)
	}
	return total / float64(m)
}

// Silhouette returns the mean silhouette width of all rows of the n×d row-major data under
// labels (0..k−1); see the package documentation for the formula and edge cases. It costs
// O(n²·d): call it on a sample. It panics if the lengths disagree or a label is out of range.
func Silhouette(data []float64, d int, labels []int32, k int) float64 {
	if d <= 0 || len(data) != len(labels)*d {
		panic("cluster: Silhouette: data length is not len(labels)×d")
	}
	rows := make([]int, len(labels))
	for i, l := range labels {
		if l < 0 || int(l) >= k {
			panic("cluster: Silhouette: label out of range")
		}
		rows[i] = i
	}
	return silhouette(data, d, rows, labels, k)
}
