// Package rank orders customers by a money value, highest first, ties by customer id: the one
// ranking behind profit's ProfitRank and whale curve, pareto's ABC classes and tier's ranked
// methods.
package rank

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// radixMin is the number of rows from which Descending sorts by radix; below it, by
// comparison.
const radixMin = 256

// Descending returns the rows 0..n−1 ordered by value descending, ties by ids ascending (byte
// order) and by row for equal ids, and the values in that order (ranked[k] =
// value[order[k]]). ids and value are aligned; it panics if their lengths differ or exceed
// 2^31−1.
//
// From radixMin rows the values are sorted by a stable least-significant-digit radix sort on
// the bytes of max(value) − value as unsigned integers (ascending keys are descending values;
// a byte that is the same in every key, such as the high bytes when the spread of the values
// is small, is skipped). Either sort leaves ties in row order; unless the ids ascend with the
// row (as feature.Table's do), the runs of equal value whose ids are not in row order are then
// re-sorted by id.
func Descending(ids []string, value []int64) (order []int32, ranked []int64) {
	n := len(value)
	if len(ids) != n {
		panic(fmt.Sprintf("rank: %d ids and %d values", len(ids), n))
	}
	if n > math.MaxInt32 {
		panic(fmt.Sprintf("rank: %d rows, at most %d", n, math.MaxInt32))
	}
	order = make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	if n < radixMin {
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(value[b], value[a]) })
		ranked = make([]int64, n)
		for k, i := range order {
			ranked[k] = value[i]
		}
	} else {
		ranked = radixSortDescending(order, value)
	}
	if slices.IsSorted(ids) {
		// Row order is id order and both sorts are stable: ties are in id order already. One
		// sequential pass over the ids costs less than comparing the ids of every tied run,
		// which visits them in rank order, scattered through memory.
		return order, ranked
	}
	for lo := 0; lo < n; {
		hi := lo + 1
		sorted := true
		for ; hi < n && ranked[hi] == ranked[lo]; hi++ {
			sorted = sorted && ids[order[hi-1]] <= ids[order[hi]]
		}
		if !sorted {
			slices.SortStableFunc(order[lo:hi], func(a, b int32) int { return cmp.Compare(ids[a], ids[b]) })
		}
		lo = hi
	}
	return order, ranked
}

// radixSortDescending sorts order (initially 0..n−1) stably by value descending, a byte of
// the key max(value) − value at a time from the lowest, and returns the values in the sorted
// order.
func radixSortDescending(order []int32, value []int64) []int64 {
	n := len(order)
	out := order
	top := slices.Max(value)
	keys := make([]uint64, n)
	for i, v := range value {
		keys[i] = uint64(top) - uint64(v) // exact modulo 2^64, and top − v < 2^64
	}
	keyBuf := make([]uint64, n)
	orderBuf := make([]int32, n)
	var count [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		clear(count[:])
		for _, k := range keys {
			count[byte(k>>shift)]++
		}
		if count[byte(keys[0]>>shift)] == n {
			continue
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for j, k := range keys {
			d := byte(k >> shift)
			keyBuf[count[d]] = k
			orderBuf[count[d]] = order[j]
			count[d]++
		}
		keys, keyBuf = keyBuf, keys
		order, orderBuf = orderBuf, order
	}
	if &order[0] != &out[0] { // an odd number of passes left the result in the buffer
		copy(out, order)
	}
	ranked := make([]int64, n)
	for k, key := range keys {
		ranked[k] = int64(uint64(top) - key)
	}
	return ranked
}
