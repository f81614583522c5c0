package rank

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDescendingMatchesStableSort compares Descending with a plain stable sort by (value
// descending, id ascending), on both sides of radixMin, for ids sorted, reversed, shuffled and
// repeated, and values narrow (0..199: one radix pass, which leaves the result in the scratch
// buffer), mixed (ties around zero, near ±2^62) and spread over all of int64, with the extremes
// MinInt64 and MaxInt64 present.
func TestDescendingMatchesStableSort(t *testing.T) {
	for _, n := range []int{0, 1, 7, radixMin - 1, radixMin, 1000, 5000} {
		for _, ids := range []string{"sorted", "reversed", "shuffled", "repeated"} {
			for _, spread := range []string{"narrow", "mixed", "wide"} {
				t.Run(fmt.Sprintf("n=%d/%s/%s", n, ids, spread), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(n), 3))
					id := make([]string, n)
					value := make([]int64, n)
					perm := rng.Perm(n)
					for i := range n {
						switch ids {
						case "sorted":
							id[i] = fmt.Sprintf("c%06d", i)
						case "reversed":
							id[i] = fmt.Sprintf("c%06d", n-i)
						case "shuffled":
							id[i] = fmt.Sprintf("c%06d", perm[i])
						default:
							id[i] = fmt.Sprintf("c%06d", rng.IntN(n/4+1))
						}
						switch spread {
						case "narrow":
							value[i] = int64(rng.IntN(200))
						case "mixed":
							switch rng.IntN(4) {
							case 0:
								value[i] = int64(rng.IntN(5)) - 2
							case 1:
								value[i] = math.MaxInt64/2 - int64(rng.IntN(3))
							case 2:
								value[i] = math.MinInt64/2 + int64(rng.IntN(3))
							default:
								value[i] = rng.Int64N(1 << 40)
							}
						default:
							value[i] = int64(rng.Uint64())
						}
					}
					if n > 2 && spread != "narrow" {
						value[0], value[1] = math.MinInt64, math.MaxInt64
					}
					want := make([]int32, n)
					for i := range want {
						want[i] = int32(i)
					}
					slices.SortStableFunc(want, func(a, b int32) int {
						if c := cmp.Compare(value[b], value[a]); c != 0 {
							return c
						}
						return cmp.Compare(id[a], id[b])
					})
					order, ranked := Descending(id, value)
					if !slices.Equal(order, want) {
						t.Fatalf("got %v…, want %v…", order[:min(8, n)], want[:min(8, n)])
					}
					for k, i := range want {
						if ranked[k] != value[i] {
							t.Fatalf("ranked[%d] = %d, want %d", k, ranked[k], value[i])
						}
					}
				})
			}
		}
	}
}

// BenchmarkDescending ranks customers sorted by id with skewed values (log-uniform, 5% zero or
// negative), as profit and monetary columns look.
func BenchmarkDescending(b *testing.B) {
	for _, n := range []int{1e3, 1e5, 1e6} {
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
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Descending(ids, value)
			}
		})
	}
}
