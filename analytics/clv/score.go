package clv

import (
	"errors"
	"fmt"
	"math"

	"github.com/rfmjob/rfm/analytics/internal/par"
	"github.com/rfmjob/rfm/analytics/internal/rank"
)

// ScoreConfig sets the horizon and the money terms of the per-customer predictions. Its zero
// value is the default: a one-year horizon, margin 1 (CLV in revenue) and no discounting.
type ScoreConfig struct {
	// Horizon is the prediction horizon in the summary's unit; 0 means one year (365.25 days,
	// 52.18 weeks).
	Horizon float64
	// Margin is the share of spend kept as profit, in (0, 1]; 0 means 1.
	Margin float64
	// AnnualDiscountRate is the yearly discount rate d ≥ 0 (0.1 = 10%); 0 means no discounting.
	AnnualDiscountRate float64
	// ChurnHorizon is the span of the churn risk, in the summary's unit; 0 means 90 days.
	ChurnHorizon float64
}

// Validate reports every problem of c, each wrapping ErrConfig.
func (c ScoreConfig) Validate() error {
	var errs []error
	if !(c.Horizon >= 0) || math.IsInf(c.Horizon, 1) {
		errs = append(errs, fmt.Errorf("%w: Horizon %v, want a finite value >= 0", ErrConfig, c.Horizon))
	}
	if !(c.Margin >= 0 && c.Margin <= 1) {
		errs = append(errs, fmt.Errorf("%w: Margin %v, want 0 < margin <= 1 (0 for the default 1)", ErrConfig, c.Margin))
	}
	if !(c.ChurnHorizon >= 0) || math.IsInf(c.ChurnHorizon, 1) {
		errs = append(errs, fmt.Errorf("%w: ChurnHorizon %v, want a finite value >= 0", ErrConfig, c.ChurnHorizon))
	}
	if !(c.AnnualDiscountRate >= 0) || math.IsInf(c.AnnualDiscountRate, 1) {
		errs = append(errs, fmt.Errorf("%w: AnnualDiscountRate %v, want a finite value >= 0", ErrConfig, c.AnnualDiscountRate))
	}
	return errors.Join(errs...)
}

func (c ScoreConfig) withDefaults(u Unit) ScoreConfig {
	if c.Horizon == 0 {
		c.Horizon = daysPerYear / u.days()
	}
	if c.Margin == 0 {
		c.Margin = 1
	}
	if c.ChurnHorizon == 0 {
		c.ChurnHorizon = 90 / u.days()
	}
	return c
}

// Scores holds the per-customer predictions, one row per summary row in its order.
type Scores struct {
	// Horizon is the horizon used, in Unit.
	Horizon float64
	Unit    Unit
	// CustomerID shares the summary's slice; do not modify it.
	CustomerID []string
	// Scored is false for customers without purchases; their other columns are 0.
	Scored []bool
	// PAlive is the probability that the customer is still active at the as-of day.
	PAlive []float64
	// ExpectedPurchases is the expected number of purchases (purchase days) within Horizon.
	ExpectedPurchases []float64
	// ExpectedSpend is the Gamma-Gamma expected mean transaction value, major units.
	ExpectedSpend []float64
	// CLV is the discounted expected margin within Horizon, major units.
	CLV []float64
	// CLVRank ranks scored customers by CLV: 1 is the highest, ties go to the smaller customer
	// id; 0 for unscored customers.
	CLVRank []int

	// The churn view, for the BG/NBD model (HasChurn; Pareto/NBD has no closed form for it).
	// ChurnHorizon is its span in Unit; ChurnRisk is BGNBD.ProbNoPurchase over it, and
	// NextPurchaseWait BGNBD.MedianWaitIfAlive in Unit, set for customers likely alive
	// (P(alive) ≥ 1/2) and NaN for the others.
	HasChurn         bool
	ChurnHorizon     float64
	ChurnRisk        []float64
	NextPurchaseWait []float64

	// The horizon by months (Periods): the model's months of 365.25/12 days from the as-of day,
	// the last possibly shorter. steps are their ends and discount factors; stepE[g·K+k] is
	// E[Y(τ_k)] of group g, group[i] customer i's group (−1 unscored).
	steps  []discountStep
	stepE  []float64
	group  []int32
	margin float64

	// HasIntervals is set when the fits gave covariances: the 95% intervals of
	// ExpectedPurchases and CLV under parameter uncertainty (intervals.go).
	HasIntervals                             bool
	ExpectedPurchasesLo, ExpectedPurchasesHi []float64
	CLVLo, CLVHi                             []float64
}

// Periods is the number of months of the horizon.
func (sc *Scores) Periods() int { return len(sc.steps) }

// PeriodStart is when month k (0-based) of the horizon starts, in Unit after the as-of day.
func (sc *Scores) PeriodStart(k int) float64 {
	if k == 0 {
		return 0
	}
	return sc.steps[k-1].end
}

// PeriodPurchases is scored customer i's expected purchases in month k of the horizon,
// E[Y(τ_k)] − E[Y(τ_{k−1})]; they sum to ExpectedPurchases[i].
func (sc *Scores) PeriodPurchases(i, k int) float64 {
	K := len(sc.steps)
	e := sc.stepE[int(sc.group[i])*K:]
	if k == 0 {
		return e[0]
	}
	return e[k] - e[k-1]
}

// PeriodCLV is scored customer i's value in month k: margin · ExpectedSpend · PeriodPurchases
// discounted from the month's end; the months sum to CLV[i] (up to rounding in the last bits).
func (sc *Scores) PeriodCLV(i, k int) float64 {
	return sc.margin * sc.ExpectedSpend[i] * sc.PeriodPurchases(i, k) * sc.steps[k].factor
}

// likelyAlive is the P(alive) from which a customer gets a next-purchase wait.
const likelyAlive = 0.5

// Score predicts every fitted customer of s with the purchase model and the spend model:
//
//	CLV = margin · ExpectedSpend · Σ_k [E(τ_k) − E(τ_{k−1})] · (1+d)^−(τ_k / year)
//
// where E(t) is the purchase model's expected purchases in (T, T+t], τ_0 = 0 and τ_k =
// min(k·month, Horizon) steps through the horizon in months of 365.25/12 days (the last step
// may be shorter), and d is the annual discount rate: each month's expected purchases are
// discounted from the month's end. With a horizon of whole months this is the discrete sum of
// the lifetimes package's customer_lifetime_value with the monthly rate (1+d)^(1/12) − 1; with
// d = 0 it is margin · ExpectedSpend · E(Horizon).
//
// It returns an error wrapping ErrNoMeanSpend when spend.Q ≤ 1 and ErrConfig for an invalid
// cfg. A nil purchase model panics.
func Score(s *Summary, purchases PurchaseModel, spend GammaGamma, cfg ScoreConfig) (*Scores, error) {
	groups, index := cohorts(s)
	return score(s, groups, index, purchases, spend, cfg, nil, nil)
}

// score is Score over the customers' groups and each customer's group (cohorts(s)); with the
// fits' log-parameter covariances (both non-nil) it also gives the intervals.
func score(s *Summary, groups []cohort, index []int32, purchases PurchaseModel, spend GammaGamma, cfg ScoreConfig, purchaseCov, spendCov [][]float64) (*Scores, error) {
	if purchases == nil {
		panic("clv: Score with a nil purchase model")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !(spend.Q > 1) {
		return nil, fmt.Errorf("%w: gamma-gamma q = %.4g", ErrNoMeanSpend, spend.Q)
	}
	unit := s.Unit
	if unit == "" {
		unit = Weeks
	}
	cfg = cfg.withDefaults(unit)
	n := s.Len()
	out := &Scores{
		Horizon:           cfg.Horizon,
		Unit:              unit,
		CustomerID:        s.CustomerID,
		Scored:            make([]bool, n),
		PAlive:            make([]float64, n),
		ExpectedPurchases: make([]float64, n),
		ExpectedSpend:     make([]float64, n),
		CLV:               make([]float64, n),
		CLVRank:           make([]int, n),
	}
	bg, hasChurn := purchases.(BGNBD)
	if hasChurn {
		out.HasChurn, out.ChurnHorizon = true, cfg.ChurnHorizon
		out.ChurnRisk, out.NextPurchaseWait = make([]float64, n), make([]float64, n)
	}
	steps := discountSteps(cfg.Horizon, unit, cfg.AnnualDiscountRate)
	ends := make([]float64, len(steps))
	for k, st := range steps {
		ends[k] = st.end
	}
	type prediction struct{ pAlive, purchases, discounted, churn, wait, varLogE, varLogD float64 }
	// The purchase model moved by one step in each log-parameter, for the intervals' gradients.
	var moved []PurchaseModel
	if purchaseCov != nil && spendCov != nil {
		for j := range purchaseCov {
			m, ok := perturbed(purchases, j, intervalStep)
			if !ok {
				moved = nil
				break
			}
			moved = append(moved, m)
		}
	}
	if moved != nil {
		out.HasIntervals = true
		out.ExpectedPurchasesLo, out.ExpectedPurchasesHi = make([]float64, n), make([]float64, n)
		out.CLVLo, out.CLVHi = make([]float64, n), make([]float64, n)
	}
	predictions := make([]prediction, len(groups))
	K := len(steps)
	var pairOf []int32 // BG/NBD: each group's (x, T) in byXT
	var byXT []float64
	var movedXT [][]float64 // the same for each moved model
	if hasChurn {
		pairOf, byXT = bg.expectedByXT(groups, ends)
		for _, m := range moved {
			_, e := m.(BGNBD).expectedByXT(groups, ends)
			movedXT = append(movedXT, e)
		}
	}
	out.steps, out.stepE, out.group, out.margin = steps, make([]float64, len(groups)*K), index, cfg.Margin
	// Each cohort's prediction is computed alone (no shared state, no reduction), so splitting
	// them over the cores gives the same bits as one loop.
	par.Chunks(len(groups), sumChunk, 0, func(_, lo, hi int) {
		ej := make([]float64, len(ends))
		gE, gD := make([]float64, len(moved)), make([]float64, len(moved))
		for g := lo; g < hi; g++ {
			// E[Y(t)] at every step's end; the last end is the horizon.
			e := out.stepE[g*K : (g+1)*K]
			h := groups[g].History
			var pAlive float64
			if pairOf != nil {
				alive := 1 + bg.deadOdds(h)
				for k, v := range byXT[int(pairOf[g])*K : (int(pairOf[g])+1)*K] {
					e[k] = 0
					if ends[k] > 0 {
						e[k] = v / alive
					}
				}
				pAlive = 1 / alive
			} else {
				pAlive = predictAt(purchases, h, ends, e)
			}
			p := prediction{pAlive: pAlive, purchases: e[len(e)-1], discounted: discounted(e, steps), wait: math.NaN()}
			if hasChurn {
				p.churn = bg.ProbNoPurchase(h, cfg.ChurnHorizon)
				if pAlive >= likelyAlive {
					p.wait = bg.MedianWaitIfAlive(h)
				}
			}
			if moved != nil && p.purchases > 0 && p.discounted > 0 {
				for j, m := range moved {
					if movedXT != nil {
						mb := m.(BGNBD)
						alive := 1 + mb.deadOdds(h)
						for k, v := range movedXT[j][int(pairOf[g])*K : (int(pairOf[g])+1)*K] {
							ej[k] = 0
							if ends[k] > 0 {
								ej[k] = v / alive
							}
						}
					} else {
						predictAt(m, h, ends, ej)
					}
					gE[j] = (math.Log(ej[len(ej)-1]) - math.Log(p.purchases)) / intervalStep
					gD[j] = (math.Log(discounted(ej, steps)) - math.Log(p.discounted)) / intervalStep
				}
				p.varLogE, p.varLogD = quadratic(gE, purchaseCov), quadratic(gD, purchaseCov)
			}
			predictions[g] = p
		}
	})
	for i, g := range index {
		if g < 0 {
			continue
		}
		p := predictions[g]
		spendMean := spend.ExpectedSpend(s.X[i], s.MeanRepeatSpend[i])
		out.Scored[i] = true
		out.PAlive[i] = p.pAlive
		out.ExpectedPurchases[i] = p.purchases
		out.ExpectedSpend[i] = spendMean
		out.CLV[i] = cfg.Margin * spendMean * p.discounted
		if hasChurn {
			out.ChurnRisk[i], out.NextPurchaseWait[i] = p.churn, p.wait
		}
		if out.HasIntervals {
			out.ExpectedPurchasesLo[i], out.ExpectedPurchasesHi[i] = logInterval(p.purchases, p.varLogE)
			vs := spendLogVariance(spend, s.X[i], s.MeanRepeatSpend[i], spendCov)
			out.CLVLo[i], out.CLVHi[i] = logInterval(out.CLV[i], p.varLogD+vs)
		}
	}
	out.rank()
	return out, nil
}

// discountStep is one step of the discounting schedule: the step ends at end (in the unit) and
// its expected purchases are multiplied by factor.
type discountStep struct{ end, factor float64 }

// discountSteps cuts (0, horizon] into months of 365.25/12 days (the last one possibly
// shorter) and gives each the factor (1+rate)^−(end in years).
func discountSteps(horizon float64, unit Unit, annualRate float64) []discountStep {
	month := daysPerMonth / unit.days()
	year := daysPerYear / unit.days()
	var steps []discountStep
	for k := 1; ; k++ {
		end := math.Min(float64(k)*month, horizon)
		steps = append(steps, discountStep{end: end, factor: math.Pow(1+annualRate, -end/year)})
		if end >= horizon {
			return steps
		}
	}
}

// discounted returns Σ_k [E(τ_k) − E(τ_{k−1})]·factor_k.
func discounted(e []float64, steps []discountStep) float64 {
	var sum, prev float64
	for k, st := range steps {
		sum += (e[k] - prev) * st.factor
		prev = e[k]
	}
	return sum
}

// predictAt sets e[k] = E[Y(ends[k]) | h] and returns P(alive | h). A model that computes both
// from shared parts (BG/NBD: P(alive) is a factor of every E[Y(t)]) does so once per customer;
// the values are the bits of PAlive and ExpectedPurchases.
func predictAt(m PurchaseModel, h History, ends, e []float64) float64 {
	if bg, ok := m.(BGNBD); ok {
		return bg.predictAt(h, ends, e)
	}
	for k, t := range ends {
		e[k] = m.ExpectedPurchases(h, t)
	}
	return m.PAlive(h)
}

// rank fills CLVRank: scored customers by CLV descending, ties by customer id ascending, with
// the radix ranking profit and Pareto use (rank.Descending) on an order-preserving integer key
// of each CLV (clvKey).
func (sc *Scores) rank() {
	n := 0
	for _, ok := range sc.Scored {
		if ok {
			n++
		}
	}
	rows, ids, keys := make([]int32, 0, n), make([]string, 0, n), make([]int64, 0, n)
	for i, ok := range sc.Scored {
		if ok {
			rows = append(rows, int32(i))
			ids = append(ids, sc.CustomerID[i])
			keys = append(keys, clvKey(sc.CLV[i]))
		}
	}
	order, _ := rank.Descending(ids, keys)
	for r, k := range order {
		sc.CLVRank[rows[k]] = r + 1
	}
}

// clvKey maps x to an int64 in the order cmp.Compare gives floats: NaN below every number,
// −0 equal to +0, and otherwise the order of the values (the IEEE bits of a non-negative value
// are in value order; a negative value's magnitude bits are reversed).
func clvKey(x float64) int64 {
	switch {
	case x != x:
		return math.MinInt64
	case x == 0:
		return 0
	}
	b := int64(math.Float64bits(x))
	if b < 0 {
		b ^= math.MaxInt64
	}
	return b
}

// Len returns the number of customers.
func (sc *Scores) Len() int { return len(sc.CustomerID) }
