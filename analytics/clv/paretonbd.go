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
	r, s, x := m.R, m.S, h.X
	mm := r + s + x
	b, lead, diff := s+1, m.Alpha, m.Alpha-m.Beta
	if m.Alpha < m.Beta {
		b, lead, diff = r+x, m.Beta, m.Beta-m.Alpha
	}
	term := func(t float64) float64 {
		return math.Log(mathext.Hypergeo(mm, b, mm+1, diff/(lead+t))) - mm*math.Log(lead+t)
	}
	atTX, atT := term(h.TX), term(h.T)
	if atT >= atTX {
		return math.Inf(-1)
	}
	return atTX + math.Log(-math.Expm1(atT-atTX))
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
// (log r, log α, log s, log β).
type paretoNBDObjective struct {
	groups []cohort
	total  float64
}

func (o *paretoNBDObjective) value(logParams, _ []float64) float64 {
	m := ParetoNBD{R: math.Exp(logParams[0]), Alpha: math.Exp(logParams[1]), S: math.Exp(logParams[2]), Beta: math.Exp(logParams[3])}
	var ll float64
	for _, g := range o.groups {
		ll += g.n * m.LogLikelihood(g.History)
	}
	return -ll / o.total
}

// FitParetoNBD fits the Pareto/NBD model to the fitted customers of s by maximum likelihood
// (BFGS on the log-parameters with a central-difference gradient, over distinct (x, t_x, T)
// groups). A fit that does not converge returns its best parameters with Converged = false and
// an error wrapping ErrNotConverged. The likelihood is often flat in β (and s): compare fits by
// their log-likelihood.
func FitParetoNBD(s *Summary, cfg FitConfig) (ParetoNBDFit, error) {
	if err := cfg.validate(); err != nil {
		return ParetoNBDFit{}, err
	}
	groups, _ := cohorts(s)
	if len(groups) == 0 {
		return ParetoNBDFit{}, fmt.Errorf("%w: Pareto/NBD: none of %d customers has a purchase", ErrNoCustomers, s.Len())
	}
	o := &paretoNBDObjective{groups: groups}
	for _, g := range groups {
		o.total += g.n
	}
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
