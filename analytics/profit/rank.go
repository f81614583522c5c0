package profit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// RankOrder returns the row indices of customers ordered by profit descending, ties by
// customer id ascending (byte order). ids and profit are aligned; it panics if their lengths
// differ or exceed 2^31−1.
func RankOrder(ids []string, profit []int64) []int32 {
	if len(ids) != len(profit) {
		panic("profit: ids and profit differ in length")
	}
	if len(ids) > math.MaxInt32 {
		panic(fmt.Sprintf("profit: %d customers, at most %d", len(ids), math.MaxInt32))
	}
	// Sort (profit, row) pairs held together, which keeps the comparisons in cache, with rows
	// standing in for ids; then re-sort by id the runs of equal profit whose ids are not in row
	// order (none when the ids are sorted, as feature.Table's are).
	keys := make([]rankKey, len(ids))
	for i, p := range profit {
		keys[i] = rankKey{p, int32(i)}
	}
	slices.SortFunc(keys, func(a, b rankKey) int {
		if a.profit != b.profit {
			return cmp.Compare(b.profit, a.profit)
		}
		return cmp.Compare(a.row, b.row)
	})
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		sorted := true
		for ; hi < len(keys) && keys[hi].profit == keys[lo].profit; hi++ {
			sorted = sorted && ids[keys[hi-1].row] <= ids[keys[hi].row]
		}
		if !sorted {
			slices.SortStableFunc(keys[lo:hi], func(a, b rankKey) int { return cmp.Compare(ids[a.row], ids[b.row]) })
		}
		lo = hi
	}
	order := make([]int32, len(ids))
	for pos, k := range keys {
		order[pos] = k.row
	}
	return order
}

type rankKey struct {
	profit int64
	row    int32
}
