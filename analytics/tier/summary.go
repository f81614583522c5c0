package tier

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
)

// summarize fills r.Summary and r.Total: sums per tier and over everyone, exact, then shares
// and means.
func summarize(r *Result, t *feature.Table, p *profit.Result, recencyDays []int32) error {
	acts := len(p.Activities)
	r.Summary = make([]TierSummary, len(r.Tiers))
	for k := range r.Summary {
		r.Summary[k] = TierSummary{Tier: r.Tiers[k], ActivityCost: make([]int64, acts)}
	}
	r.Total = TierSummary{Tier: "total", ActivityCost: make([]int64, acts)}
	type sums struct{ recency, recent, frequency, monetary int64 }
	extra := make([]sums, len(r.Tiers)+1)
	for i, k := range r.Tier {
		for _, s := range []*TierSummary{&r.Summary[k], &r.Total} {
			s.Customers++
			ok := addTo(&s.Revenue, p.Revenue[i]) && addTo(&s.GrossMargin, p.GrossMargin[i]) &&
				addTo(&s.CostToServe, p.CostToServe[i]) && addTo(&s.Profit, p.Profit[i])
			for a := range acts {
				ok = ok && addTo(&s.ActivityCost[a], p.ActivityCost[a][i])
			}
			if !ok {
				return fmt.Errorf("%w: tier %q at customer %q", ErrOverflow, s.Tier, t.CustomerID[i])
			}
		}
		for _, e := range []*sums{&extra[k], &extra[len(r.Tiers)]} {
			if recencyDays != nil && recencyDays[i] >= 0 {
				e.recency += int64(recencyDays[i])
				e.recent++
			}
			e.frequency += t.Frequency[i]
			e.monetary += t.Monetary[i] // cannot overflow: the revenue sums above did not
		}
	}
	tot := r.Total
	share := func(x, total int64) float64 {
		if total <= 0 {
			return 0
		}
		return float64(x) / float64(total)
	}
	mean := func(x, n int64) float64 {
		if n == 0 {
			return 0
		}
		return float64(x) / float64(n)
	}
	for k := range len(r.Tiers) + 1 {
		s := &r.Total
		if k < len(r.Tiers) {
			s = &r.Summary[k]
		}
		e := extra[k]
		s.CustomerShare = share(s.Customers, tot.Customers)
		s.RevenueShare = share(s.Revenue, tot.Revenue)
		s.GrossMarginShare = share(s.GrossMargin, tot.GrossMargin)
		s.CostToServeShare = share(s.CostToServe, tot.CostToServe)
		s.ProfitShare = share(s.Profit, tot.Profit)
		s.MeanRecencyDays = mean(e.recency, e.recent)
		s.MeanFrequency = mean(e.frequency, s.Customers)
		s.MeanMonetary = mean(e.monetary, s.Customers)
	}
	return nil
}

// addTo adds v to *sum and reports whether the sum stayed in int64 (leaving it unchanged if not).
func addTo(sum *int64, v int64) bool {
	s := *sum + v
	if (v >= 0) != (s >= *sum) {
		return false
	}
	*sum = s
	return true
}
