package tier

// thresholds assigns by MethodThresholds: the first tier k with value >= Thresholds[k], else
// the last. The next tier is always the one above, at gap Thresholds[k−1] − value; the floor
// of tier k is Thresholds[k].
func (a *assigner) thresholds() {
	cfg := a.cfg
	th := cfg.Thresholds
	basis := string(cfg.Basis) + " "
	above := make([]string, len(th)+1) // the reason's end in tier k
	for k := range above {
		switch {
		case k < len(th):
			above[k] = " ≥ " + formatMoney(th[k], a.scale) + " (" + cfg.Tiers[k] + " threshold)"
		case k > 0:
			above[k] = " < " + formatMoney(th[k-1], a.scale) + " (below the " + cfg.Tiers[k-1] + " threshold)"
		default:
			above[k] = " (the only tier)"
		}
	}
	for row, v := range a.value {
		i := int32(row)
		k := len(th)
		for t, min := range th {
			if v >= min {
				k = t
				break
			}
		}
		a.setTier(i, k)
		a.reasons.money(i, basis, v, a.scale, above[k])
		if k < len(th) {
			a.r.DowngradeRisk[i] = v - th[k]
		}
		if k > 0 {
			a.setNext(i, k-1, satSub(th[k-1], v))
		}
	}
}
