package clv

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"

	"github.com/rfmjob/rfm/analytics/internal/par"
)

// GammaGamma holds the parameters of the Gamma-Gamma spend model: a customer's transaction
// values are Gamma(P, ν) with ν ~ Gamma(Q, Gamma) across customers, so the mean transaction
// value P/ν has population mean P·Gamma/(Q−1) when Q > 1. Money is in major units.
type GammaGamma struct {
	P, Q, Gamma float64
}

// GammaGammaFit is a fitted Gamma-Gamma model and how its fit ended.
type GammaGammaFit struct {
	Model GammaGamma
	Convergence
}

// LogLikelihood returns the log-likelihood of a mean value meanSpend over x > 0 transactions
// (Fader, Hardie & Lee 2005b, eq. 3, the density of the sample mean):
//
//	lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q·ln γ + (px−1)·ln m + px·ln x − (px+q)·ln(γ + x·m).
func (g GammaGamma) LogLikelihood(x, meanSpend float64) float64 {
	p, q, gamma, m := g.P, g.Q, g.Gamma, meanSpend
	return lgamma(p*x+q) - lgamma(p*x) - lgamma(q) + q*math.Log(gamma) +
		(p*x-1)*math.Log(m) + p*x*math.Log(x) - (p*x+q)*math.Log(gamma+x*m)
}

// ExpectedSpend returns the conditional expectation of the customer's mean transaction value
// given x repeat transactions of mean meanSpend:
//
//	E[M | x, m] = p·(γ + x·m)/(p·x + q − 1),
//
// a weighted average of the population mean p·γ/(q−1) and the observed mean m. For x = 0 it
// is the population mean. It is +Inf or meaningless when q ≤ 1 and x = 0; FitGammaGamma
// reports that case as ErrNoMeanSpend.
func (g GammaGamma) ExpectedSpend(x, meanSpend float64) float64 {
	return g.P * (g.Gamma + x*meanSpend) / (g.P*x + g.Q - 1)
}

// spendGroup is a group of n customers sharing x and a mean spend m, with ln m cached.
type spendGroup struct {
	x, m, lnM, n float64
}

// gammaGammaObjective is the negative mean Gamma-Gamma log-likelihood over log-parameters
// (log p, log q, log γ).
type gammaGammaObjective struct {
	groups []spendGroup
	byX    []xCount
	total  float64
}

func newGammaGammaObjective(s *Summary) *gammaGammaObjective {
	seen := newKeyIndex(s.Len())
	o := &gammaGammaObjective{}
	for i := range s.Len() {
		x, m := s.X[i], s.MeanRepeatSpend[i]
		if !s.Fitted[i] || x == 0 || !(m > 0) {
			continue
		}
		g, added := seen.id(x, m, 0)
		if added {
			o.groups = append(o.groups, spendGroup{x: x, m: m, lnM: math.Log(m)})
		}
		o.groups[g].n++
	}
	counts := make(map[float64]float64)
	for _, g := range o.groups {
		counts[g.x] += g.n
		o.total += g.n
	}
	for x, n := range counts {
		o.byX = append(o.byX, xCount{x, n})
	}
	sort.Slice(o.byX, func(i, j int) bool { return o.byX[i].x < o.byX[j].x })
	return o
}

func (o *gammaGammaObjective) value(logParams, grad []float64) float64 {
	p, q, gamma := math.Exp(logParams[0]), math.Exp(logParams[1]), math.Exp(logParams[2])
	lnGamma := math.Log(gamma)
	var ll, dp, dq, dgamma float64
	for _, c := range o.byX {
		x, n := c.x, c.n
		ll += n * (lgamma(p*x+q) - lgamma(p*x) + p*x*math.Log(x))
		if grad != nil {
			psi := mathext.Digamma(p*x + q)
			dp += n * x * (psi - mathext.Digamma(p*x) + math.Log(x))
			dq += n * psi
		}
	}
	ll += o.total * (q*lnGamma - lgamma(q))
	if grad != nil {
		dq += o.total * (lnGamma - mathext.Digamma(q))
		dgamma += o.total * q / gamma
	}
	// The groups' terms are summed in fixed chunks on every core (par.Sums).
	sums := par.Sums(len(o.groups), sumChunk, 4, func(lo, hi int, acc []float64) {
		var ll, dp, dq, dgamma float64
		for _, g := range o.groups[lo:hi] {
			lnSum := math.Log(gamma + g.x*g.m)
			ll += g.n * ((p*g.x-1)*g.lnM - (p*g.x+q)*lnSum)
			if grad != nil {
				dp += g.n * g.x * (g.lnM - lnSum)
				dq -= g.n * lnSum
				dgamma -= g.n * (p*g.x + q) / (gamma + g.x*g.m)
			}
		}
		acc[0], acc[1], acc[2], acc[3] = ll, dp, dq, dgamma
	})
	ll += sums[0]
	dp += sums[1]
	dq += sums[2]
	dgamma += sums[3]
	if grad != nil {
		for i, d := range []float64{dp * p, dq * q, dgamma * gamma} {
			grad[i] = -d / o.total
		}
	}
	return -ll / o.total
}

// FitGammaGamma fits the Gamma-Gamma model to the mean repeat spend of the customers of s with
// at least one repeat purchase and a positive mean repeat spend (the first purchase is left out,
// as in Fader, Hardie & Lee 2005b). A fit that does not converge returns its best parameters
// with Converged = false and an error wrapping ErrNotConverged; a fit with q ≤ 1 returns an
// error wrapping ErrNoMeanSpend.
func FitGammaGamma(s *Summary, cfg FitConfig) (GammaGammaFit, error) {
	if err := cfg.validate(); err != nil {
		return GammaGammaFit{}, err
	}
	o := newGammaGammaObjective(s)
	if len(o.groups) == 0 {
		return GammaGammaFit{}, fmt.Errorf("%w: Gamma-Gamma: none of %d customers has a repeat purchase", ErrNoCustomers, s.Len())
	}
	params, conv, err := maximize(o.value, o.start(), true, o.total, cfg)
	conv.Customers, conv.Groups = int(o.total), len(o.groups)
	fit := GammaGammaFit{Convergence: conv}
	if params != nil {
		fit.Model = GammaGamma{P: params[0], Q: params[1], Gamma: params[2]}
	}
	if err != nil {
		return fit, fmt.Errorf("Gamma-Gamma: %w", err)
	}
	if fit.Model.Q <= 1 {
		return fit, fmt.Errorf("%w: fitted q = %.4g", ErrNoMeanSpend, fit.Model.Q)
	}
	return fit, nil
}

// start returns p = 1, q = 2 and γ = the mean of the customers' mean spends (so that the
// population mean pγ/(q−1) matches it) as a starting point.
func (o *gammaGammaObjective) start() []float64 {
	var sum float64
	for _, g := range o.groups {
		sum += g.n * g.m
	}
	return []float64{1, 2, sum / o.total}
}
