package tier

import (
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
)

// TestFromGroups checks the clusters method by hand: groups ranked by mean profit fill
// platinum, gold, then iron; a group with negative mean profit and an ungrouped loss-maker are
// lead; an ungrouped customer with profit ≥ 0 is iron. Tier sums equal customer sums.
func TestFromGroups(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	prof := []int64{100, 300, 50, 10, -40, 20, -5, 0}
	group := []int32{0, 0, 1, 2, 3, 3, -1, -1}
	// mean profit: g0 200, g1 50, g2 10, g3 −10 → ranks g0, g1, g2, g3.
	names := []string{"big", "steady", "small", "costly"}
	tab := &feature.Table{MoneyScale: 2, CustomerID: ids, Frequency: make([]int64, 8), Monetary: make([]int64, 8)}
	p := &profit.Result{Profit: prof, Revenue: prof, GrossMargin: prof, CostToServe: make([]int64, 8), CostOfGoods: make([]int64, 8)}
	r, err := FromGroups(tab, p, nil, group, names, Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"platinum", "platinum", "gold", "iron", "lead", "lead", "lead", "iron"}
	for i, k := range r.Tier {
		if r.Tiers[k] != want[i] {
			t.Errorf("customer %s: got %s, want %s (reason %q)", ids[i], r.Tiers[k], want[i], r.Reason[i])
		}
	}
	if got := r.Reason[2]; got != `cluster "steady" ranks 2 of 4 by mean profit 0.50` {
		t.Errorf("reason = %q", got)
	}
	var customers, profitSum int64
	for _, s := range r.Summary {
		customers += s.Customers
		profitSum += s.Profit
	}
	if customers != 8 || profitSum != 435 {
		t.Errorf("summary sums %d customers and profit %d, want 8 and 435", customers, profitSum)
	}
}
