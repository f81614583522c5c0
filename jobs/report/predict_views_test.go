package report

import (
	"math"
	"strings"
	"testing"
)

// TestChurnChart: bands are counted case-blind, unknown bands left out, and the reading gives
// the high band's share of customers and of the predicted value.
func TestChurnChart(t *testing.T) {
	c, ok := churnChart([]string{"Low", "High", "high", "Medium", ""}, []float64{1, 2, 3, 4, 5})
	if !ok {
		t.Fatal("no chart")
	}
	// High: 2 of the 4 banded customers, 2+3 of their value 10.
	if want := "2 customers (50%) are at high churn risk"; !strings.Contains(c.Reading, want) {
		t.Errorf("reading %q, want it to contain %q", c.Reading, want)
	}
	if want := "they hold 50% of the predicted value"; !strings.Contains(c.Reading, want) {
		t.Errorf("reading %q, want it to contain %q", c.Reading, want)
	}
	if _, ok := churnChart([]string{"", "x"}, nil); ok {
		t.Error("a chart without any band")
	}
}

// TestMonthRowsAndChart: the clv table's tier rows win over the segment rows, months are placed
// by index, and the chart's reading sums them.
func TestMonthRowsAndChart(t *testing.T) {
	f := NewFrame(6)
	f.SetStrings("section", []string{"segment_period_clv", "tier_period_clv", "tier_period_clv", "tier_period_clv", "tier_period_clv", "tier_period_purchases"})
	f.SetStrings("name", []string{"Champions", "gold", "gold", "iron", "iron", "gold"})
	f.SetStrings("label", []string{"2024-07-01", "2024-07-31", "2024-07-01", "2024-07-01", "2024-07-31", "2024-07-01"})
	f.SetNumbers("index", []float64{0, 1, 0, 0, 1, 0})
	f.SetNumbers("value", []float64{99, 20, 30, 10, 50, 7})
	grain, groups, value, months, ok := monthRows(f)
	if !ok || grain != "tier" || strings.Join(groups, ",") != "gold,iron" || strings.Join(months, ",") != "2024-07-01,2024-07-31" {
		t.Fatalf("got %q %v %v %v %v", grain, groups, value, months, ok)
	}
	if value[0][0] != 30 || value[0][1] != 20 || value[1][0] != 10 || value[1][1] != 50 {
		t.Errorf("values %v, want [[30 20] [10 50]]", value)
	}
	c, ok := monthChart(grain, groups, value, months)
	if !ok {
		t.Fatal("no chart")
	}
	// 110 in all, 40 in the first month, iron 60 of it.
	for _, want := range []string{"expects 110 of value over the 2 months", "40 of it in the first", "iron customers (by tier) bring 55%"} {
		if !strings.Contains(c.Reading, want) {
			t.Errorf("reading %q, want it to contain %q", c.Reading, want)
		}
	}
}

// TestIntervalNote: the median relative half-width over customers with a positive CLV.
func TestIntervalNote(t *testing.T) {
	nan := math.NaN()
	got := intervalNote([]float64{10, 20, 0, nan}, []float64{9, 16, 0, 1}, []float64{11, 24, 1, 2})
	// ±10% and ±20%: the median is 15%.
	if !strings.Contains(got, "±15%") {
		t.Errorf("got %q, want ±15%%", got)
	}
	if intervalNote([]float64{1}, []float64{nan}, []float64{nan}) != "" {
		t.Error("a note without intervals")
	}
}
