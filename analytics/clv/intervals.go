package clv

import "math"

// Per-customer intervals of the predictions under parameter uncertainty (the delta method on the
// log scale). For a prediction v(φ) of the purchase model's log-parameters φ, whose estimate has
// the covariance Σ (Convergence.LogCov, the inverse observed information),
//
//	var(log v) ≈ ∇log v(φ)ᵀ Σ ∇log v(φ),
//
// with the gradient by forward differences in each log-parameter (step 1e-5: one more scoring of
// every group per parameter). CLV = margin · spend · D, with D the discounted expected purchases
// and spend the Gamma-Gamma mean (whose gradient is analytic); the two fits are separate, so
// var(log CLV) ≈ var(log D) + var(log spend). The 95% interval is v·exp(∓1.96·sqrt(var(log v))),
// positive like v. These are intervals of the expected values, the uncertainty of the fitted
// parameters carried to each customer; they are not prediction intervals of the purchases a
// customer will make, which vary far more.

// intervalStep is the forward-difference step in each log-parameter.
const intervalStep = 1e-5

// z95 is the standard normal's 97.5% quantile.
const z95 = 1.959963984540054

// perturbed returns the purchase model with log-parameter j moved by step, for the models this
// package fits; ok is false for another model.
func perturbed(m PurchaseModel, j int, step float64) (PurchaseModel, bool) {
	f := math.Exp(step)
	switch m := m.(type) {
	case BGNBD:
		p := []*float64{&m.R, &m.Alpha, &m.A, &m.B}
		*p[j] *= f
		return m, true
	case ParetoNBD:
		p := []*float64{&m.R, &m.Alpha, &m.S, &m.Beta}
		*p[j] *= f
		return m, true
	}
	return nil, false
}

// quadratic is gᵀ Σ g.
func quadratic(g []float64, cov [][]float64) float64 {
	var v float64
	for i := range g {
		for j := range g {
			v += g[i] * cov[i][j] * g[j]
		}
	}
	return v
}

// spendLogVariance is var(log E[spend]) for a customer with x repeat purchases of mean m, from
// the Gamma-Gamma fit's log-parameter covariance (p, q, γ): with E = p(γ + x·m)/(p·x + q − 1),
// ∂log E/∂log p = 1 − p·x/(p·x + q − 1), ∂log E/∂log q = −q/(p·x + q − 1),
// ∂log E/∂log γ = γ/(γ + x·m).
func spendLogVariance(g GammaGamma, x, m float64, cov [][]float64) float64 {
	d := g.P*x + g.Q - 1
	grad := []float64{1 - g.P*x/d, -g.Q / d, g.Gamma / (g.Gamma + x*m)}
	return quadratic(grad, cov)
}

// logInterval is v·exp(∓z95·sqrt(variance)) (0, 0 for v = 0).
func logInterval(v, variance float64) (lo, hi float64) {
	if v == 0 || !(variance >= 0) {
		return v, v
	}
	s := z95 * math.Sqrt(variance)
	return v * math.Exp(-s), v * math.Exp(s)
}
