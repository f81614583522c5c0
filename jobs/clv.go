package jobs

import (
	"errors"
	"fmt"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/analytics/feature"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// CLVConfig configures predicted customer value: BG/NBD (or Pareto/NBD) purchases and
// Gamma-Gamma spend, fitted by maximum likelihood on the run's own history.
type CLVConfig struct {
	// Enabled turns the models on; default true.
	Enabled *bool `yaml:"enabled"`
	// Model is bgnbd (default) or pareto_nbd.
	Model string `yaml:"model"`
	// Unit is the models' time unit: weeks (default) or days.
	Unit string `yaml:"unit"`
	// HorizonDays is the prediction horizon in days; default 365.
	HorizonDays int `yaml:"horizon_days"`
	// Margin is the share of spend kept as profit, (0, 1]; default 1 (CLV in revenue).
	Margin float64 `yaml:"margin"`
	// AnnualDiscountRate discounts future value, e.g. 0.1; default 0.
	AnnualDiscountRate float64 `yaml:"annual_discount_rate"`
}

// TableCLV holds the fitted parameters, log-likelihoods and convergence of each model.
const TableCLV = "clv"

func (c *CLVConfig) enabled() bool { return c.Enabled == nil || *c.Enabled }

func (c *CLVConfig) config() clv.Config {
	unit := clv.Weeks
	if c.Unit == "days" {
		unit = clv.Days
	}
	horizon := float64(c.HorizonDays)
	if horizon == 0 {
		horizon = 365
	}
	if unit == clv.Weeks {
		horizon /= 7
	}
	return clv.Config{Unit: unit, Model: clv.ModelName(c.Model),
		Score: clv.ScoreConfig{Horizon: horizon, Margin: c.Margin, AnnualDiscountRate: c.AnnualDiscountRate}}
}

type clvView struct {
	asOfDay int32
	res     *clv.Result
	note    []string
	// With tiers: the tier each customer's predicted value would place them in, and whether
	// that is above their current tier.
	predictedTier    []string
	upgradePotential []bool
}

// rankTiers sets the predicted tier of every customer: the customers ranked by CLV fill the
// tiers in order with today's tier sizes (the top |platinum| customers by CLV are predicted
// platinum, and so on), so the comparison does not depend on the tier method; customers without
// a purchase get none. upgrade_potential marks a predicted tier above the current one.
func (v *clvView) rankTiers(pv *profitView) {
	if v == nil || v.res == nil || pv == nil {
		return
	}
	tr, s := pv.tiers, v.res.Scores
	n := len(tr.Tier)
	sizes := make([]int, len(tr.Tiers))
	for _, k := range tr.Tier {
		sizes[k]++
	}
	byRank := make([]int, n+1) // byRank[rank] = row, ranks 1..scored
	scored := 0
	for i, r := range s.CLVRank {
		if r > 0 {
			byRank[r] = i
			scored++
		}
	}
	v.predictedTier = make([]string, n)
	v.upgradePotential = make([]bool, n)
	k, left := 0, sizes[0]
	for r := 1; r <= scored; r++ {
		for left == 0 && k < len(sizes)-1 {
			k++
			left = sizes[k]
		}
		i := byRank[r]
		v.predictedTier[i] = tr.Tiers[k]
		v.upgradePotential[i] = int32(k) < tr.Tier[i]
		left--
	}
}

// clvStage fits the models and scores every customer. A fit that does not converge is a
// warning in the manifest (scores use the best parameters found); a data set the models cannot
// be fitted to (no repeat buyers) drops the view with a warning, never the run.
func (r *runner) clvStage(t *feature.Table) (*clvView, error) {
	cfg := &r.cfg.CLV
	if !cfg.enabled() {
		return nil, nil
	}
	res, err := clv.Analyze(t, r.asOfDay, cfg.config())
	v := &clvView{asOfDay: r.asOfDay, res: res}
	switch {
	case err == nil:
	case res != nil && errors.Is(err, clv.ErrNotConverged):
		v.note = append(v.note, fmt.Sprintf("clv: %v", err))
	case errors.Is(err, clv.ErrConfig):
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	default:
		r.opts.Logger.Warn("clv skipped", "err", err)
		return &clvView{asOfDay: r.asOfDay, note: []string{fmt.Sprintf("clv skipped: %v", err)}}, nil
	}
	return v, nil
}

func (v *clvView) warnings() []string { return v.note }

func (v *clvView) customerColumns() []pq.Column {
	if v.res == nil {
		return nil
	}
	s := v.res.Scores
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
	if v.predictedTier != nil {
		cols = append(cols, pq.OptionalString("predicted_tier", v.predictedTier), pq.Bool("upgrade_potential", v.upgradePotential))
	}
	return cols
}

// tables writes section "parameter" (name, value) and "fit" (log_likelihood, iterations,
// converged, customers) rows for the purchase model and the spend model.
func (v *clvView) tables() []table {
	if v.res == nil {
		return nil
	}
	var l longTable
	res := v.res
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
	return []table{l.table(TableCLV, v.asOfDay)}
}

// errorsIs reports whether err matches any of targets.
func errorsIs(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
