package pareto

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchInput returns n customers sorted by id with skewed values (log-uniform, 5% zero or
// negative), as a feature table's monetary column looks.
func benchInput(n int) ([]string, []int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]string, n)
	value := make([]int64, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c%09d", i)
		if rng.IntN(20) == 0 {
			value[i] = -int64(rng.IntN(1000))
			continue
		}
		value[i] = int64(100 + rng.IntN(1<<rng.IntN(24)))
	}
	return ids, value
}

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1e3, 1e5, 1e6} {
		ids, value := benchInput(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(ids, value, Config{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
