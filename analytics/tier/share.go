package tier

import "sort"

// rankedCount returns m, the number of customers the ranked tiers hold (those with value >= 0
// when there is a lead tier, else all), and npos, the number with value > 0. Ranked rows come
// first in a.order.
func (a *assigner) rankedCount() (m, npos int) {
	n := len(a.order)
	if a.cfg.hasLeadTier() {
		m = sort.Search(n, func(k int) bool { return a.value[a.order[k]] < 0 })
	} else {
		m = n
	}
	npos = sort.Search(n, func(k int) bool { return a.value[a.order[k]] <= 0 })
	return m, npos
}

// breakEvenRank is the 1-based rank among the ranked customers that the unprofitable row i
// would take at value 0: after every positive customer and the zeros with smaller ids.
func (a *assigner) breakEvenRank(i int32, m, npos int) int {
	zerosBefore := sort.Search(m-npos, func(k int) bool { return a.idBefore(i, a.order[npos+k]) })
	return npos + zerosBefore + 1
}

// shareCaps returns, per ranked tier, the last rank it holds among m ranked customers:
// ⌊c·m⌋ for each cut c, then m.
func shareCaps(cuts []float64, m int) []int {
	caps := make([]int, len(cuts)+1)
	for k, c := range cuts {
		caps[k] = int(uint64(m) * cutNum(c) / cutDen)
	}
	caps[len(cuts)] = m
	return caps
}

// tierAtRank returns the first tier whose cap holds rank r.
func tierAtRank(caps []int, r int) int {
	for k, c := range caps {
		if r <= c {
			return k
		}
	}
	return len(caps) - 1
}

// share assigns by MethodShare. A ranked customer at rank r moves up a tier by ranking ahead
// of the customer holding the last rank of the tiers above (the number of ranked customers is
// unchanged), and keeps its tier while it ranks ahead of the first customer below it. An
// unprofitable customer's next tier is the one it takes at break-even, where the ranked
// customers number m+1.
func (a *assigner) share() {
	cfg := a.cfg
	m, npos := a.rankedCount()
	caps := shareCaps(cfg.ShareCuts, m)
	last := len(caps) - 1
	var leadCaps []int
	suffix := a.cutSuffixes(cfg.ShareCuts, "", " ≤ ", ": below the top ")
	if m < len(a.order) {
		leadCaps = shareCaps(cfg.ShareCuts, m+1)
	}
	a.positions(func(lo, hi int, w *reasonWriter) {
		for pos := lo; pos < hi; pos++ {
			i := a.order[pos]
			v := a.value[i]
			if pos >= m {
				a.setTier(i, len(cfg.Tiers)-1)
				a.leadReason(w, i, v)
				a.setNext(i, tierAtRank(leadCaps, a.breakEvenRank(i, m, npos)), -v)
				continue
			}
			r := pos + 1
			k := tierAtRank(caps, r)
			a.setTier(i, k)
			w.rank(i, v, a.scale, " ranks in the top ", 100*float64(r)/float64(m), suffix[k])
			if k > 0 && caps[k-1] > 0 {
				target := caps[k-1]
				a.setNext(i, tierAtRank(caps, target), a.beat(i, a.order[target-1])-v)
			}
			switch {
			case k < last:
				floor := a.beat(i, a.order[caps[k]])
				if cfg.hasLeadTier() {
					floor = max(floor, 0)
				}
				a.r.DowngradeRisk[i] = v - floor
			case cfg.hasLeadTier():
				a.r.DowngradeRisk[i] = v
			}
		}
	})
}

// leadReason writes the reason of an unprofitable customer.
func (a *assigner) leadReason(w *reasonWriter, i int32, v int64) {
	w.money(i, "profit ", v, a.scale, a.leadSuffix)
}

// cutSuffixes returns, per ranked tier k, how its reasons end: "<lead> (<tier><in><cut k>%)"
// for a tier with a cut, "<lead> (<tier><out><last cut>%)" for the last ranked tier, and
// "<lead> (<tier>: profit ≥ 0)" or "…: everyone)" when it is the only one.
func (a *assigner) cutSuffixes(cuts []float64, lead, in, out string) []string {
	suffix := make([]string, len(cuts)+1)
	for k := range suffix {
		tier := lead + " (" + a.cfg.Tiers[k]
		switch {
		case k < len(cuts):
			suffix[k] = tier + in + percent(cuts[k]) + "%)"
		case k > 0:
			suffix[k] = tier + out + percent(cuts[k-1]) + "%)"
		case a.cfg.hasLeadTier():
			suffix[k] = tier + ": profit ≥ 0)"
		default:
			suffix[k] = tier + ": everyone)"
		}
	}
	return suffix
}
