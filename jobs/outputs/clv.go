package outputs

import (
	"github.com/rfmjob/rfm/analytics/clv"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

func (v *CLV) columns() []pq.Column {
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
	if v.PredictedTier != nil {
		cols = append(cols, pq.OptionalString("predicted_tier", v.PredictedTier), pq.Bool("upgrade_potential", v.UpgradePotential))
	}
	return cols
}

// tables writes section "parameter" (name, value) and "fit" (log_likelihood, iterations,
// converged, customers) rows for the purchase model and the spend model.
func (v *CLV) tables(asOfDay int32) []Table {
	if v.Result == nil {
		return nil
	}
	var l longTable
	res := v.Result
	model := string(res.Model)
	switch m := res.Purchases.(type) {
	case clv.BGNBD:
		for _, p := range []struct {
			n string
			x float64
		}{{"r", m.R}, {"alpha", m.Alpha}, {"a", m.A}, {"b", m.B}} {
			l.add("parameter", p.n, model, 0, p.x)
		}
	case clv.ParetoNBD:
		for _, p := range []struct {
			n string
			x float64
		}{{"r", m.R}, {"alpha", m.Alpha}, {"s", m.S}, {"beta", m.Beta}} {
			l.add("parameter", p.n, model, 0, p.x)
		}
	}
	g := res.Spend.Model
	l.add("parameter", "p", "gamma_gamma", 0, g.P)
	l.add("parameter", "q", "gamma_gamma", 0, g.Q)
	l.add("parameter", "gamma", "gamma_gamma", 0, g.Gamma)
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
	return []Table{l.table(TableCLV, asOfDay)}
}
