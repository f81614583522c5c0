package rfm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

// syntheticTable returns n customers with skewed, heavily tied values, as real tables have:
// 5% without purchases, geometric frequency, recency up to two years, log-uniform spend.
func syntheticTable(n int, seed uint64) *feature.Table {
	rng := rand.New(rand.NewPCG(seed, 0))
	t := &feature.Table{MoneyScale: 2}
	t.Grow(n)
	for i := range n {
		t.CustomerID[i] = fmt.Sprintf("c%09d", i)
		if rng.IntN(20) == 0 {
			continue
		}
		f := int64(1)
		for rng.IntN(3) != 0 {
			f++
		}
		last := testAsOf - int32(rng.IntN(730))
		t.FirstPurchase[i], t.LastPurchase[i] = last, last
		t.Frequency[i], t.Orders[i] = f, f
		t.Monetary[i] = f * int64(100+rng.IntN(1<<rng.IntN(16)))
	}
	return t
}

func BenchmarkScore(b *testing.B) {
	for _, n := range []int{1e3, 1e5, 1e6} {
		t := syntheticTable(n, 1)
		for _, m := range []Method{Quantile, Ntile, RfmR} {
			b.Run(fmt.Sprintf("%s/n=%d", m, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Score(t, testAsOf, Config{Method: m}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
