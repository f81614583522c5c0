package profit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// radixMin is the number of customers from which RankOrder sorts by radix instead of by
// comparison: below it the radix passes' bucket counts cost more than they save.
const radixMin = 4096

// RankOrder returns the row indices of customers ordered by profit descending, ties by
// customer id ascending (byte order). ids and profit are aligned; it panics if their lengths
// differ or exceed 2^31−1.
//
// Rows are sorted by profit with a stable least-significant-digit radix sort (16-bit digits,
// skipping digits all keys share), which leaves ties in row order; then the runs of equal
// profit whose ids are not in row order are re-sorted by id (none when the ids are sorted, as
// feature.Table's are).
func RankOrder(ids []string, profit []int64) []int32 {
	if len(ids) != len(profit) {
		panic("profit: ids and profit differ in length")
	}
	if len(ids) > math.MaxInt32 {
		panic(fmt.Sprintf("profit: %d customers, at most %d", len(ids), math.MaxInt32))
	}
	var order []int32
	if len(ids) < radixMin {
		order = compareOrder(profit)
	} else {
		order = radixOrder(profit)
	}
	for lo := 0; lo < len(order); {
		hi := lo + 1
		sorted := true
		for ; hi < len(order) && profit[order[hi]] == profit[order[lo]]; hi++ {
			sorted = sorted && ids[order[hi-1]] <= ids[order[hi]]
		}
		if !sorted {
			slices.SortStableFunc(order[lo:hi], func(a, b int32) int { return cmp.Compare(ids[a], ids[b]) })
		}
		lo = hi
	}
	return order
}

// compareOrder sorts (profit, row) pairs held together, profit descending, row ascending.
func compareOrder(profit []int64) []int32 {
	keys := make([]rankKey, len(profit))
	for i, p := range profit {
		keys[i] = rankKey{p, int32(i)}
	}
	slices.SortFunc(keys, func(a, b rankKey) int {
		if a.profit != b.profit {
			return cmp.Compare(b.profit, a.profit)
		}
		return cmp.Compare(a.row, b.row)
	})
	order := make([]int32, len(profit))
	for pos, k := range keys {
		order[pos] = k.row
	}
	return order
}

type rankKey struct {
	profit int64
	row    int32
}

// radixOrder sorts rows by profit descending, stably: the key ^(p ⊕ 2^63) orders descending
// profits ascending as unsigned integers.
func radixOrder(profit []int64) []int32 {
	n := len(profit)
	keys, keys2 := make([]uint64, n), make([]uint64, n)
	rows, rows2 := make([]int32, n), make([]int32, n)
	for i, p := range profit {
		keys[i] = ^(uint64(p) ^ 1<<63)
		rows[i] = int32(i)
	}
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for _, k := range keys {
			count[k>>shift&0xffff]++
		}
		if count[keys[0]>>shift&0xffff] == n {
			continue // every key has this digit
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i, k := range keys {
			d := k >> shift & 0xffff
			j := count[d]
			count[d]++
			keys2[j], rows2[j] = k, rows[i]
		}
		keys, keys2 = keys2, keys
		rows, rows2 = rows2, rows
	}
	return rows
}
