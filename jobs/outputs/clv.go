package outputs

import (
	"math"
	"time"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/analytics/feature"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// maxNextOrderDays bounds expected_next_order_date: a median wait beyond a century is no date
// anyone plans by, and is left null.
const maxNextOrderDays = 36525

// columns are the predictions, then with the BG/NBD model the churn view: churn_risk (the
// probability of no purchase within clv.churn_days), churn_band (Low < 1/3 ≤ Medium ≤ 2/3 <
// High) and expected_next_order_date, the as-of day plus the median wait for the next purchase
// of a customer alive (rounded up to whole days), for customers with P(alive) ≥ 1/2; then the
// predicted tier.
func (v *CLV) columns(asOfDay int32) []pq.Column {
	if v.Result == nil {
		return nil
	}
	s := v.Result.Scores
	scored := func(i int) bool { return s.Scored[i] }
	rank := make([]int64, len(s.CLVRank))
	for i, r := range s.CLVRank {
		rank[i] = int64(r)
	}
	cols := []pq.Column{
		pq.OptionalFloat64("p_alive", s.PAlive, scored),
		pq.OptionalFloat64("expected_purchases", s.ExpectedPurchases, scored),
		pq.OptionalFloat64("expected_spend", s.ExpectedSpend, scored),
		pq.OptionalFloat64("clv", s.CLV, scored),
		pq.OptionalInt64("clv_rank", rank, scored),
	}
	if s.HasIntervals {
		// 95% intervals of the expected values under the fits' parameter uncertainty (delta
		// method on the log scale; clv.Scores).
		cols = append(cols,
			pq.OptionalFloat64("expected_purchases_lo", s.ExpectedPurchasesLo, scored),
			pq.OptionalFloat64("expected_purchases_hi", s.ExpectedPurchasesHi, scored),
			pq.OptionalFloat64("clv_lo", s.CLVLo, scored),
			pq.OptionalFloat64("clv_hi", s.CLVHi, scored))
	}
	if s.HasChurn {
		band := make([]string, len(s.ChurnRisk))
		next := make([]int32, len(s.ChurnRisk))
		for i, risk := range s.ChurnRisk {
			next[i] = feature.NoDate
			if !s.Scored[i] {
				continue
			}
			band[i] = clv.ChurnBand(risk)
			if w := math.Ceil(s.NextPurchaseWait[i] * s.Unit.Days()); w >= 1 && w <= maxNextOrderDays {
				next[i] = asOfDay + int32(w)
			}
		}
		cols = append(cols,
			pq.OptionalFloat64("churn_risk", s.ChurnRisk, scored),
			pq.OptionalString("churn_band", band),
			pq.Date("expected_next_order_date", next))
	}
	if v.PredictedTier != nil {
		cols = append(cols, pq.OptionalString("predicted_tier", v.PredictedTier), pq.Bool("upgrade_potential", v.UpgradePotential))
	}
	return cols
}

// tables writes, for the purchase model and the spend model: section "parameter" rows (name,
// value), "std_error" rows (the observed-information standard error, delta method; absent when
// the information is not positive definite) and "ci95_low"/"ci95_high" rows (the 95% interval
// exp(log θ ± 1.96·se(log θ))), then "fit" rows (log_likelihood, iterations, converged,
// customers) and the horizon. label is the model.
func (v *CLV) tables(asOfDay int32, ids []string, groups []periodGroup) []Table {
	if v.Result == nil {
		return nil
	}
	var l longTable
	res := v.Result
	model := string(res.Model)
	type param struct {
		name  string
		value float64
	}
	var purchase []param
	switch m := res.Purchases.(type) {
	case clv.BGNBD:
		purchase = []param{{"r", m.R}, {"alpha", m.Alpha}, {"a", m.A}, {"b", m.B}}
	case clv.ParetoNBD:
		purchase = []param{{"r", m.R}, {"alpha", m.Alpha}, {"s", m.S}, {"beta", m.Beta}}
	}
	g := res.Spend.Model
	models := []struct {
		label  string
		params []param
		c      clv.Convergence
	}{{model, purchase, res.PurchaseFit}, {"gamma_gamma", []param{{"p", g.P}, {"q", g.Q}, {"gamma", g.Gamma}}, res.Spend.Convergence}}
	for _, mdl := range models {
		for _, p := range mdl.params {
			l.add("parameter", p.name, mdl.label, 0, p.value)
		}
	}
	for _, mdl := range models {
		for i, p := range mdl.params {
			if lo, hi, ok := mdl.c.LogInterval(i, p.value); ok {
				l.add("std_error", p.name, mdl.label, 0, mdl.c.StdErrors[i])
				l.add("ci95_low", p.name, mdl.label, 0, lo)
				l.add("ci95_high", p.name, mdl.label, 0, hi)
			}
		}
	}
	for _, f := range []struct {
		label string
		c     clv.Convergence
	}{{model, res.PurchaseFit}, {"gamma_gamma", res.Spend.Convergence}} {
		l.add("fit", "log_likelihood", f.label, 0, f.c.LogLikelihood)
		l.add("fit", "iterations", f.label, 0, float64(f.c.Iterations))
		l.add("fit", "converged", f.label, 0, boolFloat(f.c.Converged))
		l.add("fit", "customers", f.label, 0, float64(f.c.Customers))
	}
	l.add("fit", "horizon", string(res.Scores.Unit), 0, res.Scores.Horizon)
	for _, g := range groups {
		v.periodSums(&l, asOfDay, g)
	}
	tables := []Table{l.table(TableCLV, asOfDay)}
	if v.Periods {
		tables = append(tables, v.periodsTable(asOfDay, ids))
	}
	return tables
}

// periodGroup is a grouping of the customers: names, and each customer's index in them (−1
// for none).
type periodGroup struct {
	grain string
	names []string
	of    []int32
}

// periodSums adds, for each group of g and each month of the horizon, its customers' expected
// purchases and CLV summed in customer order: sections "<grain>_period_purchases" and
// "<grain>_period_clv", name the group, label the month's first day (as clv_periods' period),
// index the month from 0. The months of a group sum to its customers' expected_purchases and
// clv; clv_periods need not be written for them.
func (v *CLV) periodSums(l *longTable, asOfDay int32, g periodGroup) {
	s := v.Result.Scores
	K := s.Periods()
	purchases, value := make([]float64, len(g.names)*K), make([]float64, len(g.names)*K)
	for i, ok := range s.Scored {
		if k := g.of[i]; ok && k >= 0 {
			for m := range K {
				purchases[int(k)*K+m] += s.PeriodPurchases(i, m)
				value[int(k)*K+m] += s.PeriodCLV(i, m)
			}
		}
	}
	for k, name := range g.names {
		for m := range K {
			label := time.Unix(int64(periodStart(s, asOfDay, m))*86400, 0).UTC().Format(time.DateOnly)
			l.add(g.grain+"_period_purchases", name, label, int64(m), purchases[k*K+m])
		}
		for m := range K {
			label := time.Unix(int64(periodStart(s, asOfDay, m))*86400, 0).UTC().Format(time.DateOnly)
			l.add(g.grain+"_period_clv", name, label, int64(m), value[k*K+m])
		}
	}
}

// periodStart is the day month k of the horizon starts: the as-of day + 1 + its start rounded to
// whole days.
func periodStart(s *clv.Scores, asOfDay int32, k int) int32 {
	return asOfDay + 1 + int32(math.Round(s.PeriodStart(k)*s.Unit.Days()))
}

// periodsTable is clv_periods: for every scored customer, one row per month of the horizon
// (the model's months of 365.25/12 days from the as-of day, the last possibly shorter): period,
// the day the month starts (the as-of day + 1 + its start rounded to whole days), its expected
// purchases and its discounted value. A customer's months sum to expected_purchases and to clv.
func (v *CLV) periodsTable(asOfDay int32, ids []string) Table {
	s := v.Result.Scores
	K := s.Periods()
	var scored []int32
	for i, ok := range s.Scored {
		if ok {
			scored = append(scored, int32(i))
		}
	}
	start := make([]int32, K)
	for k := range start {
		start[k] = periodStart(s, asOfDay, k)
	}
	at := func(r int) (i, k int) { return int(scored[r/K]), r % K }
	return Table{TableCLVPeriods, len(scored) * K, []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.OptionalKeyFunc("customer_id", func(r int) (string, bool) { i, _ := at(r); return ids[i], true }),
		pq.DateFunc("period", func(r int) int32 { _, k := at(r); return start[k] }),
		pq.Float64Func("expected_purchases", func(r int) float64 { return s.PeriodPurchases(at(r)) }),
		pq.Float64Func("clv", func(r int) float64 { return s.PeriodCLV(at(r)) }),
	}}
}
