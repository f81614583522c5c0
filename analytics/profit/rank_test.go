package profit

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRankOrder compares RankOrder with a direct stable sort by (profit descending, id
// ascending), on both sides of the radix threshold, with many ties, extreme values and ids
// sorted, reversed and shuffled.
func TestRankOrderAgainstStableSort(t *testing.T) {
	for _, n := range []int{0, 1, 7, radixMin - 1, radixMin, 3 * radixMin} {
		for _, ids := range []string{"sorted", "reversed", "shuffled"} {
			for _, spread := range []string{"narrow", "wide"} {
				t.Run(fmt.Sprintf("n=%d/%s/%s", n, ids, spread), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(n), 3))
					id := make([]string, n)
					profit := make([]int64, n)
					perm := rng.Perm(n)
					for i := range n {
						switch ids {
						case "sorted":
							id[i] = fmt.Sprintf("c%06d", i)
						case "reversed":
							id[i] = fmt.Sprintf("c%06d", n-i)
						default:
							id[i] = fmt.Sprintf("c%06d", perm[i])
						}
						if spread == "narrow" {
							profit[i] = int64(rng.IntN(7)) - 3
						} else {
							profit[i] = int64(rng.Uint64())
						}
					}
					if n > 2 {
						profit[0], profit[1] = math.MinInt64, math.MaxInt64
					}
					want := make([]int32, n)
					for i := range want {
						want[i] = int32(i)
					}
					slices.SortStableFunc(want, func(a, b int32) int {
						if c := cmp.Compare(profit[b], profit[a]); c != 0 {
							return c
						}
						return cmp.Compare(id[a], id[b])
					})
					if got := RankOrder(id, profit); !slices.Equal(got, want) {
						t.Errorf("got %v…, want %v…", got[:min(8, n)], want[:min(8, n)])
					}
				})
			}
		}
	}
}

func BenchmarkRankOrder(b *testing.B) {
	for _, n := range []int{1e3, 1e5, 1e6} {
		in, _ := randomInput(n, 1)
		p := make([]int64, n)
		for i := range p {
			p[i] = in.Table.Monetary[i] - in.Table.Cost[i]
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				RankOrder(in.Table.CustomerID, p)
			}
		})
	}
}
