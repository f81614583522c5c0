package profit

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

// randomInput returns n customers with skewed revenue, cost of goods, orders and two
// activities (a fractional rate on a fractional quantity, and direct cost), seeded.
func randomInput(n int, seed uint64) (Input, Config) {
	rng := rand.New(rand.NewPCG(seed, 7))
	t := &feature.Table{MoneyScale: 2, HasCost: true}
	t.Grow(n)
	minutes := make([]float64, n)
	direct := make([]int64, n)
	for i := range n {
		t.CustomerID[i] = fmt.Sprintf("c%08d", i)
		t.Orders[i] = int64(1 + rng.IntN(1<<rng.IntN(6)))
		t.Monetary[i] = int64(rng.IntN(1 << rng.IntN(22)))
		if rng.IntN(30) == 0 {
			t.Monetary[i] = -t.Monetary[i]
		}
		t.Cost[i] = t.Monetary[i] * int64(30+rng.IntN(50)) / 100
		minutes[i] = float64(rng.IntN(1200)) / 4
		if rng.IntN(5) == 0 {
			direct[i] = int64(rng.IntN(5000))
		}
	}
	in := Input{Table: t, Activities: []Activity{
		{Name: "picking", Count: t.Orders},
		{Name: "support_minutes", Quantity: minutes},
		{Name: "returns", DirectCost: direct},
	}}
	return in, Config{Rates: map[string]float64{"picking": 120, "support_minutes": 35.5}}
}

// TestComputeInvariants checks, over random seeded tables, the identities that tie the
// columns together: profit = revenue − cogs − Σ activity costs per customer, totals equal the
// column sums exactly, the rank orders profit, and the whale curve ends at the total and never
// rises above its peak.
func TestComputeInvariants(t *testing.T) {
	for seed := range uint64(20) {
		n := int(seed*37) % 500
		in, cfg := randomInput(n, seed)
		r, err := Compute(in, cfg)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var tot Totals
		acts := make([]int64, len(r.Activities))
		byRank := make([]int, n)
		for i := range n {
			var cts int64
			for a := range acts {
				cts += r.ActivityCost[a][i]
				acts[a] += r.ActivityCost[a][i]
			}
			if r.CostToServe[i] != cts || r.Profit[i] != r.Revenue[i]-r.CostOfGoods[i]-cts {
				t.Fatalf("seed %d customer %d: cts %d profit %d, want %d and %d", seed, i, r.CostToServe[i], r.Profit[i], cts, r.Revenue[i]-r.CostOfGoods[i]-cts)
			}
			tot.Revenue += r.Revenue[i]
			tot.CostToServe += cts
			tot.Profit += r.Profit[i]
			byRank[r.ProfitRank[i]-1] = i + 1
		}
		if tot.Revenue != r.Totals.Revenue || tot.CostToServe != r.Totals.CostToServe || tot.Profit != r.Totals.Profit {
			t.Errorf("seed %d: totals %+v, want sums %+v", seed, r.Totals, tot)
		}
		for a := range acts {
			if acts[a] != r.Totals.ActivityCost[a] {
				t.Errorf("seed %d activity %s: total %d, want %d", seed, r.Activities[a], r.Totals.ActivityCost[a], acts[a])
			}
		}
		for k := 1; k < n; k++ {
			hi, lo := byRank[k-1]-1, byRank[k]-1
			if hi < 0 || lo < 0 || r.Profit[hi] < r.Profit[lo] || (r.Profit[hi] == r.Profit[lo] && hi > lo) {
				t.Fatalf("seed %d: ranks %d and %d out of order (rows %d, %d)", seed, k, k+1, hi, lo)
			}
		}
		// Order, which tier.Assign ranks by, is the inverse of ProfitRank.
		if len(r.Order) != n {
			t.Fatalf("seed %d: Order has %d rows, want %d", seed, len(r.Order), n)
		}
		for k, i := range r.Order {
			if int(i) != byRank[k]-1 {
				t.Fatalf("seed %d: Order[%d] = %d, but row %d has rank %d", seed, k, i, byRank[k]-1, k+1)
			}
		}
		w := r.Whale
		if got := w.Points[100].CumProfit; got != float64(r.Totals.Profit) {
			t.Errorf("seed %d: whale ends at %v, want the total %d", seed, got, r.Totals.Profit)
		}
		for j, p := range w.Points {
			if p.CumProfit > float64(w.PeakProfit) {
				t.Errorf("seed %d: point %d at %v above the peak %d", seed, j, p.CumProfit, w.PeakProfit)
			}
		}
		if w.PeakProfit-w.Destroyed != r.Totals.Profit {
			t.Errorf("seed %d: peak %d − destroyed %d != total %d", seed, w.PeakProfit, w.Destroyed, r.Totals.Profit)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{1e4, 1e6} {
		in, cfg := randomInput(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compute(in, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
