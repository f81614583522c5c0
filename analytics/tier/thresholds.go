package tier

import "fmt"

// thresholds assigns by MethodThresholds: the first tier k with value >= Thresholds[k], else
// the last. The next tier is always the one above, at gap Thresholds[k−1] − value; the floor
// of tier k is Thresholds[k].
func (a *assigner) thresholds() {
	cfg := a.cfg
	th := cfg.Thresholds
	basis := string(cfg.Basis)
	for row, v := range a.value {
		i := int32(row)
		k := len(th)
		for t, min := range th {
			if v >= min {
				k = t
				break
			}
		}
		if k < len(th) {
			a.set(i, k, fmt.Sprintf("%s %s ≥ %s (%s threshold)", basis, formatMoney(v, a.scale), formatMoney(th[k], a.scale), cfg.Tiers[k]))
			a.r.DowngradeRisk[i] = v - th[k]
		} else if k > 0 {
			a.set(i, k, fmt.Sprintf("%s %s < %s (below the %s threshold)", basis, formatMoney(v, a.scale), formatMoney(th[k-1], a.scale), cfg.Tiers[k-1]))
		} else {
			a.set(i, k, fmt.Sprintf("%s %s (the only tier)", basis, formatMoney(v, a.scale)))
		}
		if k > 0 {
			a.setNext(i, k-1, satSub(th[k-1], v))
		}
	}
}
