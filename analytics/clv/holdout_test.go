package clv

import (
	"math"
	"testing"
)

// TestExpectedTotals: the totals are the per-customer expectations summed, rise with the span
// and reach the holdout rows' total prediction at the holdout's length.
func TestExpectedTotals(t *testing.T) {
	// b and c share a cohort; e shares b's (x, T) with another t_x.
	s := &Summary{Unit: Weeks, CustomerID: []string{"a", "b", "c", "d", "e"},
		X: []float64{0, 2, 2, 5, 2}, TX: []float64{0, 10, 10, 30, 20}, T: []float64{40, 38, 38, 39, 38},
		MeanRepeatSpend: []float64{0, 10, 10, 20, 5}, Fitted: []bool{true, true, true, false, true}}
	m := BGNBD{R: 0.24, Alpha: 4.41, A: 0.79, B: 2.43}
	got := ExpectedTotals(s, m, []float64{0, 10, 39})
	for k, span := range []float64{0, 10, 39} {
		// The cohorts in order (a, b+c, e; d is not fitted), each weighted by its customers:
		// the same operations as ExpectedPurchases, so the same bits.
		want := 1*m.ExpectedPurchases(s.History(0), span) + 2*m.ExpectedPurchases(s.History(1), span) + 1*m.ExpectedPurchases(s.History(4), span)
		if got[k] != want {
			t.Errorf("span %v: got %v, want %v", span, got[k], want)
		}
	}
	if !(got[0] == 0 && got[1] > 0 && got[2] > got[1]) {
		t.Errorf("totals %v do not rise from 0", got)
	}
	rows, err := EvaluateHoldout(s, m, 39, []float64{0, 1, 2, 3, 1})
	if err != nil {
		t.Fatal(err)
	}
	if total := rows[len(rows)-1].Predicted; math.Abs(total-got[2]) > 1e-12 {
		t.Errorf("holdout total predicted %v, ExpectedTotals %v", total, got[2])
	}
}
