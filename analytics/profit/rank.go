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
	order := make([]int32, len(ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(profit[b], profit[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(ids[a], ids[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}
