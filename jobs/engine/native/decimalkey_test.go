package native

import (
	"cmp"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestDecimalKeyOrder checks decimalKey's promise against the definition: for every pair of ids
// below 10^15 in magnitude the keys compare as the ids' decimal texts do (byte order), no key is
// 0, and ids of 10^15 or more in magnitude have none. The ids are random, of random length, and
// the edges: 0, ±1, powers of ten and their neighbours, ±(10^15 − 1).
func TestDecimalKeyOrder(t *testing.T) {
	const limit = 1_000_000_000_000_000
	ids := []int64{0, 1, -1, limit - 1, -(limit - 1)}
	for p := int64(1); p < limit; p *= 10 {
		ids = append(ids, p, p-1, p+1, -p, -p+1, -p-1, 2*p, 9*p)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		id := rng.Int64N(pow10[1+rng.IntN(15)])
		if rng.IntN(2) == 0 {
			id = -id
		}
		ids = append(ids, id)
	}
	keys, texts := make([]uint64, len(ids)), make([]string, len(ids))
	for i, id := range ids {
		texts[i] = strconv.FormatInt(id, 10)
		k, ok := decimalKey(id)
		if !ok || k == 0 {
			t.Fatalf("decimalKey(%d) = %#x, %v; want a nonzero key", id, k, ok)
		}
		keys[i] = k
	}
	for i, a := range ids {
		for j, b := range ids {
			if got, want := cmp.Compare(keys[i], keys[j]), strings.Compare(texts[i], texts[j]); got != want {
				t.Fatalf("ids %d and %d: keys compare %d, texts %d", a, b, got, want)
			}
		}
	}
	for _, id := range []int64{limit, -limit, limit + 1, math.MaxInt64, math.MinInt64} {
		if k, ok := decimalKey(id); ok {
			t.Errorf("decimalKey(%d) = %#x, true; want no key", id, k)
		}
	}
}
