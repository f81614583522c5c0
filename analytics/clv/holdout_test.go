package clv

import (
	"math"
	"testing"
)

// TestExpectedTotals: the totals are the per-customer expectations summed, rise with the span
// and reach the holdout rows' total prediction at the holdout's length.
func TestExpectedTotals(t *testing.T) {
	s := &Summary{Unit: Weeks, CustomerID: []string{"a", "b", "c", "d"},
		X: []float64{0, 2, 2, 5}, TX: []float64{0, 10, 10, 30}, T: []float64{40, 38, 38, 39},
		MeanRepeatSpend: []float64{0, 10, 10, 20}, Fitted: []bool{true, true, true, false}}
	m := BGNBD{R: 0.24, Alpha: 4.41, A: 0.79, B: 2.43}
	got := ExpectedTotals(s, m, []float64{0, 10, 39})
	for k, span := range []float64{0, 10, 39} {
		want := 0.0
		for i := range 3 { // d is not fitted
			want += m.ExpectedPurchases(s.History(i), span)
		}
		if math.Abs(got[k]-want) > 1e-12 {
			t.Errorf("span %v: got %v, want %v", span, got[k], want)
		}
	}
	if !(got[0] == 0 && got[1] > 0 && got[2] > got[1]) {
		t.Errorf("totals %v do not rise from 0", got)
	}
	rows, err := EvaluateHoldout(s, m, 39, []float64{0, 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if total := rows[len(rows)-1].Predicted; math.Abs(total-got[2]) > 1e-12 {
		t.Errorf("holdout total predicted %v, ExpectedTotals %v", total, got[2])
	}
}
