package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// ParetoNBD holds the parameters of the Pareto/NBD model: purchase rates λ ~ Gamma(R, Alpha),
// exponential lifetimes with death rates μ ~ Gamma(S, Beta) (shape, rate). Alpha and Beta are
// in the model's unit.
type ParetoNBD struct {
	R, Alpha, S, Beta float64
}

// ParetoNBDFit is a fitted Pareto/NBD model and how its fit ended.
type ParetoNBDFit struct {
	Model ParetoNBD
	Convergence
}

// LogLikelihood returns the log-likelihood of h (Fader & Hardie 2005, "A Note on Deriving the
// Pareto/NBD Model and Related Expressions", eq. 22):
//
//	L = Γ(r+x)·α^r·β^s/Γ(r) · [ (α+T)^−(r+x)·(β+T)^−s + s/(r+s+x)·A0 ].
func (m ParetoNBD) LogLikelihood(h History) float64 {
	r, s, x := m.R, m.S, h.X
	head := lgamma(r+x) - lgamma(r) + r*math.Log(m.Alpha) + s*math.Log(m.Beta)
	alive := -(r+x)*math.Log(m.Alpha+h.T) - s*math.Log(m.Beta+h.T)
	died := math.Log(s/(r+s+x)) + m.lnA0(h)
	return head + logSumExp(alive, died)
}

// lnA0 returns ln A0, where s/(r+s+x)·A0 = s·∫_{t_x}^{T} (α+τ)^−(r+x)·(β+τ)^−(s+1) dτ is the
// likelihood's term for a death between the last purchase and T. With m = r+s+x, for α ≥ β
//
//	A0 = 2F1(m, s+1; m+1; (α−β)/(α+t_x))/(α+t_x)^m − 2F1(m, s+1; m+1; (α−β)/(α+T))/(α+T)^m
//
// and for α < β the same with (r+x, β) in place of (s+1, α) and (β−α) in place of (α−β). The
// difference is taken in log space; it is −Inf when t_x = T.
func (m ParetoNBD) lnA0(h History) float64 {
	return logDiffExp(m.a0Term(h.X, h.TX), m.a0Term(h.X, h.T))
}

// a0Term returns the log of one of A0's two terms, log 2F1(m, b; m+1; z(t)) − m·log(lead+t).
func (m ParetoNBD) a0Term(x, t float64) float64 {
	mm := m.R + m.S + x
	b, lead, diff := m.S+1, m.Alpha, m.Alpha-m.Beta
	if m.Alpha < m.Beta {
		b, lead, diff = m.R+x, m.Beta, m.Beta-m.Alpha
	}
	return math.Log(mathext.Hypergeo(mm, b, mm+1, diff/(lead+t))) - mm*math.Log(lead+t)
}

// logDiffExp returns log(e^a − e^b), −Inf when b ≥ a.
func logDiffExp(a, b float64) float64 {
	if b >= a {
		return math.Inf(-1)
	}
	return a + math.Log(-math.Expm1(b-a))
}

// deadOdds returns s/(r+s+x)·(α+T)^(r+x)·(β+T)^s·A0, the odds that the customer died before T;
// P(alive) = 1/(1+odds).
func (m ParetoNBD) deadOdds(h History) float64 {
	r, s, x := m.R, m.S, h.X
	return math.Exp(math.Log(s/(r+s+x)) + (r+x)*math.Log(m.Alpha+h.T) + s*math.Log(m.Beta+h.T) + m.lnA0(h))
}

// PAlive returns P(alive | x, t_x, T) = 1/(1 + s/(r+s+x)·(α+T)^(r+x)·(β+T)^s·A0) (Fader &
// Hardie 2005, eq. 23).
func (m ParetoNBD) PAlive(h History) float64 {
	return 1 / (1 + m.deadOdds(h))
}

// ExpectedPurchases returns E[Y(t) | x, t_x, T] (Fader & Hardie 2005, eq. 24):
//
//	(r+x)·(β+T)/((α+T)·(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive),
//
// computed with expm1 so that s near 1 (limit (r+x)/(α+T)·(β+T)·ln((β+T+t)/(β+T))) is exact.
func (m ParetoNBD) ExpectedPurchases(h History, t float64) float64 {
	if t <= 0 {
		return 0
	}
	lnRatio := math.Log(m.Beta+h.T) - math.Log(m.Beta+h.T+t)
	var span float64 // [1 − ratio^(s−1)]/(s−1)
	if d := m.S - 1; math.Abs(d) < 1e-12 {
		span = -lnRatio
	} else {
		span = -math.Expm1(d*lnRatio) / d
	}
	return (m.R + h.X) * (m.Beta + h.T) / (m.Alpha + h.T) * span / (1 + m.deadOdds(h))
}

// paretoNBDObjective is the negative mean Pareto/NBD log-likelihood over log-parameters
// (log r, log α, log s, log β). Per evaluation it computes the x-only terms once per distinct
// x, the logs once per distinct time and the hypergeometric terms of A0 once per distinct
// (x, time) pair, which is where the cost is.
type paretoNBDObjective struct {
	groups []paretoGroup
	xs     []float64  // distinct x
	times  []float64  // distinct t_x and T values
	pairs  [][2]int32 // distinct (x index, time index) pairs used by A0
	total  float64
	// scratch, per evaluation
	head, lnDied, lnAT, lnBT, pairTerm []float64
}

// paretoGroup is a cohort with indices into the objective's tables.
type paretoGroup struct {
	n             float64
	ix, iT        int32 // x and T
	pairTX, pairT int32 // (x, t_x) and (x, T) in pairs
}

func newParetoNBDObjective(groups []cohort) *paretoNBDObjective {
	o := &paretoNBDObjective{groups: make([]paretoGroup, len(groups))}
	xIndex, timeIndex, pairIndex := map[float64]int32{}, map[float64]int32{}, map[[2]int32]int32{}
	index := func(m map[float64]int32, list *[]float64, v float64) int32 {
		k, ok := m[v]
		if !ok {
			k = int32(len(*list))
			m[v] = k
			*list = append(*list, v)
		}
		return k
	}
	pair := func(ix, it int32) int32 {
		key := [2]int32{ix, it}
		k, ok := pairIndex[key]
		if !ok {
			k = int32(len(o.pairs))
			pairIndex[key] = k
			o.pairs = append(o.pairs, key)
		}
		return k
	}
	for i, g := range groups {
		ix := index(xIndex, &o.xs, g.X)
		itx, iT := index(timeIndex, &o.times, g.TX), index(timeIndex, &o.times, g.T)
		o.groups[i] = paretoGroup{n: g.n, ix: ix, iT: iT, pairTX: pair(ix, itx), pairT: pair(ix, iT)}
		o.total += g.n
	}
	o.head, o.lnDied = make([]float64, len(o.xs)), make([]float64, len(o.xs))
	o.lnAT, o.lnBT = make([]float64, len(o.times)), make([]float64, len(o.times))
	o.pairTerm = make([]float64, len(o.pairs))
	return o
}

func (o *paretoNBDObjective) value(logParams, _ []float64) float64 {
	m := ParetoNBD{R: math.Exp(logParams[0]), Alpha: math.Exp(logParams[1]), S: math.Exp(logParams[2]), Beta: math.Exp(logParams[3])}
	r, s := m.R, m.S
	for i, x := range o.xs {
		o.head[i] = lgamma(r+x) - lgamma(r) + r*math.Log(m.Alpha) + s*math.Log(m.Beta)
		o.lnDied[i] = math.Log(s / (r + s + x))
	}
	for k, t := range o.times {
		o.lnAT[k], o.lnBT[k] = math.Log(m.Alpha+t), math.Log(m.Beta+t)
	}
	for k, p := range o.pairs {
		o.pairTerm[k] = m.a0Term(o.xs[p[0]], o.times[p[1]])
	}
	var ll float64
	for _, g := range o.groups {
		x := o.xs[g.ix]
		alive := -(r+x)*o.lnAT[g.iT] - s*o.lnBT[g.iT]
		lnA0 := logDiffExp(o.pairTerm[g.pairTX], o.pairTerm[g.pairT])
		ll += g.n * (o.head[g.ix] + logSumExp(alive, o.lnDied[g.ix]+lnA0))
	}
	return -ll / o.total
}

// FitParetoNBD fits the Pareto/NBD model to the fitted customers of s by maximum likelihood
// (BFGS on the log-parameters with a central-difference gradient, over distinct (x, t_x, T)
// groups). A fit that does not converge returns its best parameters with Converged = false and
// an error wrapping ErrNotConverged. The likelihood is often flat in β (and s): compare fits by
// their log-likelihood.
func FitParetoNBD(s *Summary, cfg FitConfig) (ParetoNBDFit, error) {
	groups, _ := cohorts(s)
	return fitParetoNBD(s, groups, cfg)
}

// fitParetoNBD is FitParetoNBD over the customers' groups (cohorts(s)).
func fitParetoNBD(s *Summary, groups []cohort, cfg FitConfig) (ParetoNBDFit, error) {
	if err := cfg.validate(); err != nil {
		return ParetoNBDFit{}, err
	}
	if len(groups) == 0 {
		return ParetoNBDFit{}, fmt.Errorf("%w: Pareto/NBD: none of %d customers has a purchase", ErrNoCustomers, s.Len())
	}
	o := newParetoNBDObjective(groups)
	alpha := startAlpha(groups)
	params, conv, err := maximize(o.value, []float64{1, alpha, 1, alpha}, false, o.total, cfg)
	conv.Customers, conv.Groups = int(o.total), len(groups)
	fit := ParetoNBDFit{Convergence: conv}
	if params != nil {
		fit.Model = ParetoNBD{R: params[0], Alpha: params[1], S: params[2], Beta: params[3]}
	}
	if err != nil {
		return fit, fmt.Errorf("Pareto/NBD: %w", err)
	}
	return fit, nil
}
