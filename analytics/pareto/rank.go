package pareto

import (
	"cmp"
	"slices"
)

// rankOrder returns the positions 0..n-1 of value ordered by value descending, ties by
// ids ascending (and by position for equal ids). An LSD radix sort on the value's bytes
// (stable, so equal values keep position order) is followed, unless the ids are ascending
// already (feature tables are sorted by id), by a sort by id within each run of equal values
// whose ids are out of order.
//
// It also returns the values in rank order, so callers can walk the ranking sequentially.
func rankOrder(ids []string, value []int64) (order []int32, ranked []int64) {
	n := len(value)
	order = make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	if n < 256 {
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(value[b], value[a]) })
		ranked = make([]int64, n)
		for k, i := range order {
			ranked[k] = value[i]
		}
	} else {
		ranked = radixSortDescending(order, value)
	}
	if slices.IsSorted(ids) {
		// Position order is id order, and both sorts above are stable: ties are in order.
		return order, ranked
	}
	for lo := 0; lo < n; {
		hi := lo + 1
		sorted := true
		for hi < n && value[order[hi]] == value[order[lo]] {
			if ids[order[hi-1]] > ids[order[hi]] {
				sorted = false
			}
			hi++
		}
		if !sorted {
			slices.SortStableFunc(order[lo:hi], func(a, b int32) int { return cmp.Compare(ids[a], ids[b]) })
		}
		lo = hi
	}
	return order, ranked
}

// radixSortDescending sorts order (initially 0..n-1) stably by value descending: the keys are
// max(value) − value as unsigned integers (ascending keys = descending values, and only as
// many significant bytes as the spread of the values needs), sorted a byte at a time from the
// lowest; a byte that is the same in every key is skipped. It returns the values in the
// sorted order.
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
