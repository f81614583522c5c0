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
	// Per tier first, one pass per column; the total is the sum of the tiers.
	add := func(sum func(k int) *int64, col []int64, what string) error {
		for i, k := range r.Tier {
			if !addTo(sum(int(k)), col[i]) {
				return fmt.Errorf("%w: %s of tier %q at customer %q", ErrOverflow, what, r.Tiers[k], t.CustomerID[i])
			}
		}
		return nil
	}
	for _, c := range []struct {
		what string
		col  []int64
		sum  func(s *TierSummary) *int64
	}{
		{"revenue", p.Revenue, func(s *TierSummary) *int64 { return &s.Revenue }},
		{"gross margin", p.GrossMargin, func(s *TierSummary) *int64 { return &s.GrossMargin }},
		{"cost to serve", p.CostToServe, func(s *TierSummary) *int64 { return &s.CostToServe }},
		{"profit", p.Profit, func(s *TierSummary) *int64 { return &s.Profit }},
	} {
		if err := add(func(k int) *int64 { return c.sum(&r.Summary[k]) }, c.col, c.what); err != nil {
			return err
		}
	}
	for a := range acts {
		if err := add(func(k int) *int64 { return &r.Summary[k].ActivityCost[a] }, p.ActivityCost[a], "cost of "+p.Activities[a]); err != nil {
			return err
		}
	}
	for i, k := range r.Tier {
		r.Summary[k].Customers++
		e := &extra[k]
		if recencyDays != nil && recencyDays[i] >= 0 {
			e.recency += int64(recencyDays[i])
			e.recent++
		}
		e.frequency += t.Frequency[i]
		e.monetary += t.Monetary[i] // cannot overflow: the revenue sums above did not
	}
	tot, te := &r.Total, &extra[len(r.Tiers)]
	for k := range r.Summary {
		s, e := &r.Summary[k], extra[k]
		tot.Customers += s.Customers
		ok := addTo(&tot.Revenue, s.Revenue) && addTo(&tot.GrossMargin, s.GrossMargin) &&
			addTo(&tot.CostToServe, s.CostToServe) && addTo(&tot.Profit, s.Profit)
		for a := range acts {
			ok = ok && addTo(&tot.ActivityCost[a], s.ActivityCost[a])
		}
		if !ok {
			return fmt.Errorf("%w: total over the tiers", ErrOverflow)
		}
		te.recency += e.recency
		te.recent += e.recent
		te.frequency += e.frequency
		te.monetary += e.monetary
	}
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
