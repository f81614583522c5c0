package clv

import (
	"math"
	"math/bits"
)

// keyIndex numbers keys of up to three float64s densely in first-seen order, as a Go map from
// the key to its number would, at a fraction of its cost: an open-addressing table of the
// keys' bits with a multiplicative hash. At 1M customers grouping by History took 0.43 s with
// a map (pprof of the job, mapaccess2 and f64hash) on this VM. Keys compare by their bits
// after −0 is made +0, so they group as == does for every value but NaN, which the summaries
// never hold (a NaN key would share a number with an identical NaN instead of getting its own).
type keyIndex struct {
	table []int32 // number + 1 of the key at each position, 0 for empty
	keys  [][3]uint64
	shift uint
}

// newKeyIndex returns an index sized for up to n keys: it never grows.
func newKeyIndex(n int) *keyIndex {
	size := 1
	for size < 2*n+2 {
		size <<= 1
	}
	return &keyIndex{table: make([]int32, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// id returns the number of the key (a, b, c), adding it when new (added is then set).
func (ix *keyIndex) id(a, b, c float64) (id int32, added bool) {
	k := [3]uint64{floatBits(a), floatBits(b), floatBits(c)}
	h := (k[0]*0x9e3779b97f4a7c15 ^ k[1]*0xc2b2ae3d27d4eb4f ^ k[2]*0x165667b19e3779f9) * 0xff51afd7ed558ccd
	mask := uint64(len(ix.table) - 1)
	for i := h >> ix.shift; ; i = (i + 1) & mask {
		e := ix.table[i]
		if e == 0 {
			ix.keys = append(ix.keys, k)
			ix.table[i] = int32(len(ix.keys))
			return int32(len(ix.keys) - 1), true
		}
		if ix.keys[e-1] == k {
			return e - 1, false
		}
	}
}

// floatBits is x's bits, −0 as +0.
func floatBits(x float64) uint64 {
	if x == 0 {
		return 0
	}
	return math.Float64bits(x)
}
