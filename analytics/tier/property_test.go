package tier

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
)

// randomCustomers returns n seeded customers (ids sorted, or reversed for seeds 2, 5, …) and a
// profit result for them. Half the seeds draw profits from a narrow range, so ties, zeros and
// losses are common; the others from a wide, skewed one.
func randomCustomers(n int, seed uint64) (*feature.Table, *profit.Result, []int32) {
	rng := rand.New(rand.NewPCG(seed, 11))
	t := &feature.Table{MoneyScale: 2}
	t.Grow(n)
	p := &profit.Result{Activities: []string{"picking", "support"}, ActivityCost: [][]int64{make([]int64, n), make([]int64, n)},
		Profit: make([]int64, n), Revenue: make([]int64, n), GrossMargin: make([]int64, n), CostToServe: make([]int64, n)}
	recency := make([]int32, n)
	narrow := seed%2 == 0
	for i := range n {
		t.CustomerID[i] = fmt.Sprintf("c%07d", i)
		if seed%3 == 2 { // ids against row order: ties must still break by id, not by row
			t.CustomerID[i] = fmt.Sprintf("c%07d", n-i)
		}
		t.Frequency[i] = int64(1 + rng.IntN(9))
		recency[i] = int32(rng.IntN(400)) - 10 // a few without recency (< 0)
		pick, support := int64(rng.IntN(2000)), int64(rng.IntN(3000))
		var prof int64
		if narrow {
			prof = int64(rng.IntN(25)) - 5
		} else {
			prof = int64(rng.IntN(1<<rng.IntN(24))) - int64(rng.IntN(3000))
		}
		p.ActivityCost[0][i], p.ActivityCost[1][i] = pick, support
		p.CostToServe[i] = pick + support
		p.Profit[i] = prof
		p.GrossMargin[i] = prof + pick + support
		p.Revenue[i] = p.GrossMargin[i] + int64(rng.IntN(10000))
		t.Monetary[i] = p.Revenue[i]
	}
	return t, p, recency
}

var propertyConfigs = []struct {
	name string
	cfg  Config
}{
	{"share", Config{}},
	{"share A-E, no lead", Config{Tiers: []string{"A", "B", "C", "D", "E"}, NoUnprofitableTier: true, ShareCuts: []float64{0.1, 0.25, 0.5, 0.8}}},
	{"share two tiers", Config{Tiers: []string{"good", "bad"}, ShareCuts: []float64{}}},
	{"cumulative", Config{Method: MethodCumulative}},
	{"cumulative one ranked tier", Config{Method: MethodCumulative, Tiers: []string{"good", "bad"}, ProfitCuts: []float64{}}},
	{"cumulative A-C, no lead", Config{Method: MethodCumulative, Tiers: []string{"A", "B", "C"}, NoUnprofitableTier: true, ProfitCuts: []float64{0.3, 0.9}}},
	{"thresholds", Config{Method: MethodThresholds, Thresholds: []int64{20000, 10, 0}}},
	{"thresholds revenue", Config{Method: MethodThresholds, Basis: BasisRevenue, Tiers: []string{"A", "B", "C"}, Thresholds: []int64{9000, 4000}}},
}

// TestAssignInvariants checks over random seeded customers that the tiers partition the
// customers, that the tier table's sums equal the customer sums to the cent, and that the
// gaps and risks are exact: moving one customer's value by NextTierGap (tiers recomputed)
// lands it in NextTier and one unit less leaves it where it was; lowering it by DowngradeRisk
// keeps its tier and one unit more moves it to a lower tier.
func TestAssignInvariants(t *testing.T) {
	for _, pc := range propertyConfigs {
		t.Run(pc.name, func(t *testing.T) {
			for seed := range uint64(8) {
				n := 1 + int(seed*29)%90
				tb, p, rec := randomCustomers(n, seed)
				r, err := Assign(tb, p, rec, pc.cfg)
				if err != nil {
					t.Fatal(err)
				}
				checkPartition(t, seed, r, p)
				revenueBasis := pc.cfg.Basis == BasisRevenue
				tierWith := func(i int, v int64) int32 {
					q := *p
					if revenueBasis {
						q.Revenue = slices.Clone(p.Revenue)
						q.Revenue[i] = v
					} else {
						q.Profit = slices.Clone(p.Profit)
						q.Profit[i] = v
					}
					moved, err := Assign(tb, &q, rec, pc.cfg)
					if err != nil {
						t.Fatal(err)
					}
					return moved.Tier[i]
				}
				for i := range n {
					v, k := p.Profit[i], r.Tier[i]
					if revenueBasis {
						v = p.Revenue[i]
					}
					if next := r.NextTier[i]; next != "" {
						gap := r.NextTierGap[i]
						if got := r.Tiers[tierWith(i, v+gap)]; got != next || gap <= 0 {
							t.Errorf("seed %d customer %d (%s, %d): +gap %d lands in %s, want %s", seed, i, r.Tiers[k], v, gap, got, next)
						}
						if got := tierWith(i, v+gap-1); got != k {
							t.Errorf("seed %d customer %d (%s, %d): +gap−1 %d lands in %s, want to stay", seed, i, r.Tiers[k], v, gap-1, r.Tiers[got])
						}
					} else if k != 0 && pc.cfg.withDefaults().Method != MethodShare {
						t.Errorf("seed %d customer %d: tier %s has no next tier", seed, i, r.Tiers[k])
					}
					risk := r.DowngradeRisk[i]
					if got := tierWith(i, v-risk); got != k || risk < 0 {
						t.Errorf("seed %d customer %d (%s, %d): −risk %d lands in %s, want to stay", seed, i, r.Tiers[k], v, risk, r.Tiers[got])
					}
					if int(k) == len(r.Tiers)-1 {
						if risk != 0 {
							t.Errorf("seed %d customer %d: bottom tier risk %d, want 0", seed, i, risk)
						}
						continue
					}
					if got := tierWith(i, v-risk-1); got <= k {
						t.Errorf("seed %d customer %d (%s, %d): −risk−1 %d lands in %s, want a lower tier", seed, i, r.Tiers[k], v, risk+1, r.Tiers[got])
					}
				}
			}
		})
	}
}

func checkPartition(t *testing.T, seed uint64, r *Result, p *profit.Result) {
	t.Helper()
	var customers int64
	var sum [4]int64
	acts := make([]int64, len(p.Activities))
	for _, s := range r.Summary {
		customers += s.Customers
		for a, c := range s.ActivityCost {
			acts[a] += c
		}
		sum[0] += s.Revenue
		sum[1] += s.GrossMargin
		sum[2] += s.CostToServe
		sum[3] += s.Profit
	}
	var want [4]int64
	wantActs := make([]int64, len(p.Activities))
	counts := make([]int64, len(r.Tiers))
	for i, k := range r.Tier {
		if k < 0 || int(k) >= len(r.Tiers) {
			t.Fatalf("seed %d customer %d: tier %d out of range", seed, i, k)
		}
		counts[k]++
		want[0] += p.Revenue[i]
		want[1] += p.GrossMargin[i]
		want[2] += p.CostToServe[i]
		want[3] += p.Profit[i]
		for a := range wantActs {
			wantActs[a] += p.ActivityCost[a][i]
		}
	}
	if customers != int64(len(r.Tier)) || sum != want || !slices.Equal(acts, wantActs) {
		t.Errorf("seed %d: tier sums %d customers, %d, activities %d; want %d, %d, %d", seed, customers, sum, acts, len(r.Tier), want, wantActs)
	}
	for k, s := range r.Summary {
		if s.Customers != counts[k] {
			t.Errorf("seed %d tier %s: summary counts %d customers, assignment %d", seed, s.Tier, s.Customers, counts[k])
		}
	}
}

func BenchmarkAssign(b *testing.B) {
	for _, method := range []Method{MethodShare, MethodCumulative} {
		for _, n := range []int{1e4, 1e6} {
			tb, p, rec := randomCustomers(n, 1)
			b.Run(fmt.Sprintf("%s/n=%d", method, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Assign(tb, p, rec, Config{Method: method}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestAssignSplitInvariant checks that the share method's rank positions, split into many
// ranges on several goroutines, give the same tiers, reasons, next tiers, gaps and risks as one
// range on one goroutine, for sorted and reversed ids, ties and losses.
func TestAssignSplitInvariant(t *testing.T) {
	defer func(c int) { positionChunk = c }(positionChunk)
	for seed := uint64(1); seed <= 3; seed++ {
		tab, p, recency := randomCustomers(70_000, seed)
		prev := runtime.GOMAXPROCS(1)
		positionChunk = 1 << 30
		one, err := Assign(tab, p, recency, Config{})
		runtime.GOMAXPROCS(4)
		positionChunk = 997
		split, err2 := Assign(tab, p, recency, Config{})
		runtime.GOMAXPROCS(prev)
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		for i := range one.Tier {
			if one.Tier[i] != split.Tier[i] || one.Reason[i] != split.Reason[i] || one.NextTier[i] != split.NextTier[i] ||
				one.NextTierGap[i] != split.NextTierGap[i] || one.DowngradeRisk[i] != split.DowngradeRisk[i] {
				t.Fatalf("seed %d, row %d: one range %d %q %q %d %d, split %d %q %q %d %d", seed, i,
					one.Tier[i], one.Reason[i], one.NextTier[i], one.NextTierGap[i], one.DowngradeRisk[i],
					split.Tier[i], split.Reason[i], split.NextTier[i], split.NextTierGap[i], split.DowngradeRisk[i])
			}
			if one.Reason[i] == "" {
				t.Fatalf("seed %d, row %d: no reason", seed, i)
			}
		}
	}
}
