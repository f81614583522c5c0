package cluster

import (
	"math"
	"testing"
)

func TestAdjustedRandIndex(t *testing.T) {
	tests := []struct {
		name string
		a, b []int
		want float64
	}{
		// scikit-learn's documentation gives adjusted_rand_score([0,0,1,1], [0,0,1,2]) ≈ 0.57;
		// by hand: index 1, expected 2·1/6, max 1.5, ARI = (2/3)/(7/6) = 4/7.
		{"split one cluster", []int{0, 0, 1, 1}, []int{0, 0, 1, 2}, 4.0 / 7},
		// By hand: index 2, Σa 6, Σb 3, C(6,2) = 15, expected 1.2, max 4.5 → 0.8/3.3.
		{"three pairs against two triples", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, 0.8 / 3.3},
		{"identical up to renumbering", []int{0, 0, 1, 1, 2}, []int{5, 5, 3, 3, 9}, 1},
		{"both one cluster", []int{0, 0, 0}, []int{1, 1, 1}, 1},
		// By hand: index 0, Σa 2, Σb 2, C(4,2) = 6, expected 2/3, max 2 → −(2/3)/(4/3) = −1/2.
		{"crossed", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := AdjustedRandIndex(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("got %.15f, want %.15f", got, tc.want)
			}
		})
	}
}

func TestSilhouette(t *testing.T) {
	tests := []struct {
		name   string
		x      []float64
		labels []int32
		k      int
		want   float64
	}{
		// By hand, 1-d: s(0) = (5−1)/5, s(1) = (4−1)/4, s(4) = (3.5−2)/3.5, s(6) = (5.5−2)/5.5.
		{"two clusters", []float64{0, 1, 4, 6}, []int32{0, 0, 1, 1}, 2, (0.8 + 0.75 + 1.5/3.5 + 3.5/5.5) / 4},
		// A singleton cluster scores 0 (Rousseeuw's convention); the others as above but with
		// b(i) the nearer of the two other clusters: s(0)=(5−1)/5 (C at 10 is farther) ….
		{"singleton scores zero", []float64{0, 1, 4, 6, 100}, []int32{0, 0, 1, 1, 2}, 3, (0.8 + 0.75 + 1.5/3.5 + 3.5/5.5 + 0) / 5},
		{"one cluster", []float64{0, 1, 2}, []int32{0, 0, 0}, 1, 0},
		{"duplicates", []float64{3, 3, 3, 3}, []int32{0, 0, 1, 1}, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Silhouette(tc.x, 1, tc.labels, tc.k); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("got %.15f, want %.15f", got, tc.want)
			}
		})
	}
}
