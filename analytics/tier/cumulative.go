package tier

import (
	"math"
	"math/bits"
	"sort"
)

// under reports whether before/total < num/cutDen exactly: before·cutDen < num·total, with
// before, total >= 0.
func under(before, total int64, num uint64) bool {
	lh, ll := bits.Mul64(uint64(before), cutDen)
	rh, rl := bits.Mul64(uint64(total), num)
	return lh < rh || (lh == rh && ll < rl)
}

// need returns the smallest value v' >= 0 at which a customer whose predecessors make before
// (positive profit) and whose others make othersTotal satisfies
// before·cutDen < num·(othersTotal + v'); math.MinInt64 when any value does (the condition
// then holds at v' <= 0 too, the total being othersTotal).
func need(before, othersTotal int64, num uint64) int64 {
	if under(before, othersTotal, num) {
		return math.MinInt64
	}
	hi, lo := bits.Mul64(uint64(before), cutDen)
	if hi >= num {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, num)
	if q >= math.MaxInt64 {
		return math.MaxInt64
	}
	return satSub(int64(q)+1, othersTotal)
}

// minOver returns min over j in [lo, hi] of max(L(j), N(j)), for L non-increasing and N
// non-decreasing in j: the crossing is found by bisection.
func minOver(lo, hi int, L, N func(int) int64) int64 {
	j := lo + sort.Search(hi-lo+1, func(k int) bool { return N(lo+k) >= L(lo+k) })
	best := int64(math.MaxInt64)
	if j <= hi {
		best = N(j) // >= L(j)
	}
	if j > lo {
		best = min(best, L(j-1)) // > N(j-1)
	}
	return best
}

// cumulative assigns by MethodCumulative. With P the positive profit of everyone and S the
// positive profit of the customers ranked above, a ranked customer is in the first tier k
// whose cut c_k has S < c_k·P. Moving one customer's value v to v' changes both S (the
// customers it passes) and P (by max(v', 0) − max(v, 0)); the condition is monotone in v', so
// the smallest v' meeting it is min over landing positions j of max(L_j, N_j), where L_j is
// the least value ranking it after at most j others and N_j the least value the condition
// needs with those j ahead.
func (a *assigner) cumulative() {
	cfg := a.cfg
	n := len(a.order)
	m, _ := a.rankedCount()
	prefix := make([]int64, n+1) // positive profit of the first k ranked rows; fits (profit totals did)
	for k, i := range a.order {
		prefix[k+1] = prefix[k] + max(a.value[i], 0)
	}
	total := prefix[n]
	nums := make([]uint64, len(cfg.ProfitCuts))
	for k, c := range cfg.ProfitCuts {
		nums[k] = cutNum(c)
	}
	last := len(nums)
	tierOf := func(before, total int64) int {
		for k, num := range nums {
			if under(before, total, num) {
				return k
			}
		}
		return last
	}
	suffix := a.cutSuffixes(cfg.ProfitCuts, " of positive profit", " < ", " ≥ ")
	for pos, i := range a.order {
		v, x := a.value[i], i
		if pos >= m {
			// At break-even it passes only the unprofitable; S = P then, which no cut < 1 holds.
			a.setTier(i, len(cfg.Tiers)-1)
			a.leadReason(a.reasons, i, v)
			a.setNext(i, last, -v)
			continue
		}
		before := prefix[pos]
		k := tierOf(before, total)
		pct := 0.0
		if total > 0 {
			pct = 100 * float64(before) / float64(total)
		}
		a.setTier(i, k)
		a.reasons.rank(i, v, a.scale, ": the customers ranked above make ", pct, suffix[k])
		others := total - max(v, 0)
		if k > 0 {
			// Rising, it lands after j <= pos others: the first j ranked rows.
			L := func(j int) int64 {
				if j == pos {
					return v
				}
				return a.beat(x, a.order[j])
			}
			N := func(j int) int64 { return need(prefix[j], others, nums[k-1]) }
			target := minOver(0, pos, L, N)
			j := sort.Search(pos, func(j int) bool { return a.ahead(target, x, a.order[j]) })
			a.setNext(i, tierOf(prefix[j], others+max(target, 0)), target-v)
		}
		switch {
		case k < last:
			// Falling, it lands after j >= pos others: ranked rows 0..j, itself excluded.
			L := func(j int) int64 {
				if j == n-1 {
					return math.MinInt64
				}
				return a.beat(x, a.order[j+1])
			}
			N := func(j int) int64 { return need(prefix[j+1]-max(v, 0), others, nums[k]) }
			floor := minOver(pos, n-1, L, N)
			if cfg.hasLeadTier() {
				floor = max(floor, 0)
			}
			a.r.DowngradeRisk[i] = v - floor
		case cfg.hasLeadTier():
			a.r.DowngradeRisk[i] = v
		}
	}
}
