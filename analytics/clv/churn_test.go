package clv

import (
	"math"
	"testing"
)

// TestChurnHandComputed: churn risk over 90 days (in weeks) and the median wait of the next
// purchase at the CDNOW BG/NBD estimates (Fader, Hardie & Lee 2005), against values computed
// independently from the closed forms in Python (double precision); x = 2, t_x = 30.43, T = 38.86
// is the paper's point check.
func TestChurnHandComputed(t *testing.T) {
	m := BGNBD{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259}
	for _, tc := range []struct {
		h           History
		churn, wait float64
	}{
		{History{X: 0, TX: 0, T: 38.86}, 0.938840021175886, 710.2071178414},
		{History{X: 2, TX: 30.43, T: 38.86}, 0.678838336638534, 15.6725726237278},
		{History{X: 5, TX: 36, T: 38.86}, 0.367395202383053, 6.11685283294069},
		{History{X: 1, TX: 5, T: 38.86}, 0.913014727988137, 32.3193321228286},
		{History{X: 10, TX: 38, T: 38.86}, 0.142705009861831, 3.02981521236733},
	} {
		if got := m.ProbNoPurchase(tc.h, 90.0/7); math.Abs(got-tc.churn) > 1e-12 {
			t.Errorf("%+v: churn risk %.15g, want %.15g", tc.h, got, tc.churn)
		}
		if got := m.MedianWaitIfAlive(tc.h); math.Abs(got-tc.wait) > 1e-9*tc.wait {
			t.Errorf("%+v: median wait %.15g, want %.15g", tc.h, got, tc.wait)
		}
	}
	h := History{X: 2, TX: 30.43, T: 38.86}
	if got := m.ProbNoPurchase(h, 0); got != 1 {
		t.Errorf("no time: churn risk %v, want 1", got)
	}
	if got, want := m.ProbNoPurchase(h, 1e9), 1-m.PAlive(h); math.Abs(got-want) > 1e-6 {
		t.Errorf("forever: churn risk %v, want 1 − P(alive) = %v", got, want)
	}
	// The median really halves the Lomax survival.
	w := m.MedianWaitIfAlive(h)
	if s := math.Pow((m.Alpha+h.T)/(m.Alpha+h.T+w), m.R+h.X); math.Abs(s-0.5) > 1e-12 {
		t.Errorf("survival at the median wait %v, want 0.5", s)
	}
	for _, c := range []struct {
		risk float64
		band string
	}{{0, "Low"}, {0.333, "Low"}, {1.0 / 3, "Medium"}, {2.0 / 3, "Medium"}, {0.6667, "High"}, {1, "High"}} {
		if got := ChurnBand(c.risk); got != c.band {
			t.Errorf("ChurnBand(%v) = %s, want %s", c.risk, got, c.band)
		}
	}
}
