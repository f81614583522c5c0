package tier

import (
	"slices"
	"testing"
)

// TestPredict checks a hand-computed case: held tiers 0,1,1,2,2,2 give sizes 1, 2, 3; the
// ranked customers fill them in rank order; the unranked one (rank 0) gets no tier, and the
// upgrade flag is set where the predicted tier is above the held one.
func TestPredict(t *testing.T) {
	held := []int32{0, 1, 1, 2, 2, 2, 2}
	rank := []int{3, 1, 0, 2, 4, 6, 5} // customer 1 ranks first, customer 2 is not ranked
	predicted, upgrade := Predict(held, 3, rank)
	// Ranks 1..6 fill sizes 1, 2, 4 (tier 2 holds four customers): rank 1 → 0; ranks 2, 3 →
	// 1; ranks 4, 5, 6 → 2.
	wantPred := []int32{1, 0, -1, 1, 2, 2, 2}
	wantUp := []bool{false, true, false, true, false, false, false}
	if !slices.Equal(predicted, wantPred) || !slices.Equal(upgrade, wantUp) {
		t.Errorf("Predict = %v, %v; want %v, %v", predicted, upgrade, wantPred, wantUp)
	}
}

// TestPredictEmptyTiers: a tier nobody holds is skipped, and the last tier takes the rest.
func TestPredictEmptyTiers(t *testing.T) {
	predicted, _ := Predict([]int32{2, 2, 0}, 3, []int{1, 2, 3})
	if want := []int32{0, 2, 2}; !slices.Equal(predicted, want) {
		t.Errorf("Predict = %v, want %v", predicted, want)
	}
}

func TestSumByTier(t *testing.T) {
	got := SumByTier([]int32{0, 1, 0}, 2, [][]float64{{1, 2, 3}, nil, {0.5, 0.25, 0.125}})
	want := [][]float64{{4, 0, 0.625}, {2, 0, 0.25}}
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("tier %d: got %v, want %v", k, got[k], want[k])
		}
	}
}
