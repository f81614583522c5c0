package migration

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchPeriods builds two periods of n customers each with a 10% turnover.
func benchPeriods(n int) (prev, cur *Period) {
	rng := rand.New(rand.NewPCG(1, 2))
	segs := []string{"champions", "loyal", "potential", "new_customers", "at_risk", "lost"}
	make1 := func(offset int) *Period {
		p := &Period{}
		for i := 0; i < n; i++ {
			p.CustomerID = append(p.CustomerID, fmt.Sprintf("C%09d", i+offset))
			p.Tier = append(p.Tier, ladder[rng.IntN(len(ladder))])
			p.Segment = append(p.Segment, segs[rng.IntN(len(segs))])
			p.Revenue = append(p.Revenue, rng.Int64N(100000))
			p.Profit = append(p.Profit, rng.Int64N(30000))
		}
		return p
	}
	return make1(0), make1(n / 10)
}

func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		prev, cur := benchPeriods(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compare(prev, cur, ladder, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkProtect(b *testing.B) {
	rules := Protection{PeriodsBelow: 2, MaxDrop: 1}
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		prev, cur := benchPeriods(n)
		below := make([]int32, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, _, err := rules.Protect(ladder, prev.Tier, below, cur.Tier); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
