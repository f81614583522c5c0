package clv

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"

	"github.com/rfmjob/rfm/analytics/internal/par"
)

// PurchaseModel predicts a customer's purchases from their calibration History. BGNBD and
// ParetoNBD implement it.
type PurchaseModel interface {
	// PAlive returns the probability that the customer is still active at T.
	PAlive(h History) float64
	// ExpectedPurchases returns the expected number of purchases in (T, T+t].
	ExpectedPurchases(h History, t float64) float64
	// LogLikelihood returns the log-likelihood of observing h.
	LogLikelihood(h History) float64
}

// BGNBD holds the parameters of the beta-geometric/NBD model: purchase rates λ ~ Gamma(R,
// Alpha) (shape, rate), drop-out probabilities p ~ Beta(A, B). Alpha is in the model's unit.
type BGNBD struct {
	R, Alpha, A, B float64
}

// BGNBDFit is a fitted BG/NBD model and how its fit ended.
type BGNBDFit struct {
	Model BGNBD
	Convergence
}

// LogLikelihood returns the log-likelihood of h (Fader, Hardie & Lee 2005, eq. 6).
func (m BGNBD) LogLikelihood(h History) float64 {
	return m.lnA12(h.X) + m.lnA34(h)
}

// lnA12 is the part of the log-likelihood that depends on x only.
func (m BGNBD) lnA12(x float64) float64 {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	return lgamma(r+x) - lgamma(r) + r*math.Log(alpha) +
		lgamma(a+b) + lgamma(b+x) - lgamma(b) - lgamma(a+b+x)
}

// lnA34 is log(e^A3 + δ(x>0)·e^A4), the part that depends on t_x and T.
func (m BGNBD) lnA34(h History) float64 {
	a3, a4 := m.a3a4(h)
	return logSumExp(a3, a4)
}

func (m BGNBD) a3a4(h History) (a3, a4 float64) {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	a3 = -(r + h.X) * math.Log(alpha+h.T)
	a4 = math.Inf(-1)
	if h.X > 0 {
		a4 = math.Log(a) - math.Log(b+h.X-1) - (r+h.X)*math.Log(alpha+h.TX)
	}
	return a3, a4
}

// deadOdds returns δ(x>0)·a/(b+x−1)·((α+T)/(α+t_x))^(r+x), the odds that the customer dropped
// out after their last purchase; P(alive) = 1/(1+odds).
func (m BGNBD) deadOdds(h History) float64 {
	if h.X == 0 {
		return 0
	}
	return math.Exp(math.Log(m.A) - math.Log(m.B+h.X-1) +
		(m.R+h.X)*(math.Log(m.Alpha+h.T)-math.Log(m.Alpha+h.TX)))
}

// PAlive returns P(alive | x, t_x, T) = 1/(1 + δ(x>0)·a/(b+x−1)·((α+T)/(α+t_x))^(r+x)); it
// is 1 for x = 0 (a BG/NBD customer can only drop out right after a purchase).
func (m BGNBD) PAlive(h History) float64 {
	return 1 / (1 + m.deadOdds(h))
}

// ExpectedPurchases returns E[Y(t) | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10):
//
//	(a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] · P(alive),
//
// z = t/(α+T+t), evaluated after Euler's transformation as described in the package
// documentation, which is stable for a near 1 and for small t.
func (m BGNBD) ExpectedPurchases(h History, t float64) float64 {
	if t <= 0 {
		return 0
	}
	return m.expectedIfAlive(h, t) / (1 + m.deadOdds(h))
}

// predictAt is ExpectedPurchases at every t of ends (into e) and PAlive, sharing P(alive)'s
// odds: the same operations on the same values, so the same bits.
func (m BGNBD) predictAt(h History, ends, e []float64) float64 {
	alive := 1 + m.deadOdds(h)
	for k, t := range ends {
		if t <= 0 {
			e[k] = 0
			continue
		}
		e[k] = m.expectedIfAlive(h, t) / alive
	}
	return 1 / alive
}

// expectedByXT is expectedIfAlive at every t of ends for each distinct (x, T) of the groups:
// it does not depend on t_x, and two years of daily history have about 1/20 as many distinct
// (x, T) as (x, t_x, T). e[pair[g]·K+k] is group g's value at ends[k] (0 where ends[k] ≤ 0), so
// e/(1+deadOdds) is predictAt's E[Y(t)], the same operations on the same values.
func (m BGNBD) expectedByXT(groups []cohort, ends []float64) (pair []int32, e []float64) {
	type xt struct{ x, T float64 }
	seen := newKeyIndex(len(groups))
	pair = make([]int32, len(groups))
	var pairs []xt
	for g := range groups {
		p, added := seen.id(groups[g].X, groups[g].T, 0)
		if added {
			pairs = append(pairs, xt{groups[g].X, groups[g].T})
		}
		pair[g] = p
	}
	K := len(ends)
	e = make([]float64, len(pairs)*K)
	par.Chunks(len(pairs), sumChunk, 0, func(_, lo, hi int) {
		for p := lo; p < hi; p++ {
			h := History{X: pairs[p].x, T: pairs[p].T}
			for k, t := range ends {
				if t > 0 {
					e[p*K+k] = m.expectedIfAlive(h, t)
				}
			}
		}
	})
	return pair, e
}

// expectedIfAlive returns (a+b+x−1)·[1 − (1−z)^(a−1)·2F1(A, a−1; c; z)]/(a−1) with
// A = a+b−1−r, c = a+b+x−1, split as c·[1−(1−z)^(a−1)]/(a−1) − (1−z)^(a−1)·c·S, where
// S = Σ_{k≥1} (A)_k (a)_{k−1} z^k / ((c)_k k!) is (2F1 − 1)/(a−1) with the factor a−1 cancelled.
func (m BGNBD) expectedIfAlive(h History, t float64) float64 {
	r, alpha, a, b, x := m.R, m.Alpha, m.A, m.B, h.X
	z := t / (alpha + h.T + t)
	log1mz := math.Log1p(-z)
	c := a + b + x - 1
	var first float64 // [1 − (1−z)^(a−1)]/(a−1), −log(1−z) at a = 1
	if d := a - 1; math.Abs(d) < 1e-12 {
		first = -log1mz
	} else {
		first = -math.Expm1(d*log1mz) / d
	}
	capA := a + b - 1 - r
	term := capA * z // c·S's first term: c·A·z/(c·1!)
	sum := term
	for k := 1.0; k < 1e6 && term != 0; k++ {
		term *= (capA + k) * (a + k - 1) * z / ((c + k) * (k + 1))
		sum += term
		if math.Abs(term) <= 1e-17*math.Abs(sum) {
			break
		}
	}
	return c*first - math.Exp((a-1)*log1mz)*sum
}

// bgnbdObjective is the negative mean BG/NBD log-likelihood of grouped customers over
// log-parameters (log r, log α, log a, log b). The terms that depend on x alone are summed per
// distinct x, and log(α+t) is computed once per distinct t_x or T value per evaluation, so an
// evaluation costs one exp and one log1p per group.
type bgnbdObjective struct {
	groups []bgnbdGroup
	byX    []xCount  // customers per x, ascending x
	times  []float64 // distinct t_x and T values
	total  float64
	// scratch, per evaluation: log(α+times[k]) and 1/(α+times[k]); log(b+x−1) per byX entry.
	lnAT, invAT, lnBX []float64
}

// bgnbdGroup is a cohort with the indices of its x in byX and of its t_x and T in times.
type bgnbdGroup struct {
	n, x        float64
	ix, itx, iT int32
}

// xCount is the number of customers n with x repeat purchases.
type xCount struct{ x, n float64 }

// countByX returns the customers per x over groups, in ascending x, so that sums run in a
// fixed order.
func countByX(groups []cohort) []xCount {
	counts := make(map[float64]float64)
	for _, g := range groups {
		counts[g.X] += g.n
	}
	out := make([]xCount, 0, len(counts))
	for x, n := range counts {
		out = append(out, xCount{x, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].x < out[j].x })
	return out
}

func newBGNBDObjective(groups []cohort) *bgnbdObjective {
	o := &bgnbdObjective{byX: countByX(groups), groups: make([]bgnbdGroup, len(groups))}
	xIndex := make(map[float64]int32, len(o.byX))
	for i, c := range o.byX {
		o.total += c.n
		xIndex[c.x] = int32(i)
	}
	timeIndex := make(map[float64]int32)
	indexOf := func(t float64) int32 {
		k, ok := timeIndex[t]
		if !ok {
			k = int32(len(o.times))
			timeIndex[t] = k
			o.times = append(o.times, t)
		}
		return k
	}
	for i, g := range groups {
		o.groups[i] = bgnbdGroup{n: g.n, x: g.X, ix: xIndex[g.X], itx: indexOf(g.TX), iT: indexOf(g.T)}
	}
	o.lnAT = make([]float64, len(o.times))
	o.invAT = make([]float64, len(o.times))
	o.lnBX = make([]float64, len(o.byX))
	return o
}

// value returns −ΣlnL/N and, when grad != nil, its gradient with respect to the log-parameters:
// ∂lnL/∂θ = ∂A1/∂θ + ∂A2/∂θ + w3·∂A3/∂θ + w4·∂A4/∂θ, with w3, w4 the shares of e^A3 and
// e^A4 in their sum.
func (o *bgnbdObjective) value(logParams, grad []float64) float64 {
	m := BGNBD{R: math.Exp(logParams[0]), Alpha: math.Exp(logParams[1]), A: math.Exp(logParams[2]), B: math.Exp(logParams[3])}
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	var ll, dr, dalpha, da, db float64
	for i, c := range o.byX {
		x, n := c.x, c.n
		ll += n * m.lnA12(x)
		o.lnBX[i] = math.Log(b + x - 1)
		if grad != nil {
			dr += n * (mathext.Digamma(r+x) - mathext.Digamma(r) + math.Log(alpha))
			dalpha += n * r / alpha
			dab := mathext.Digamma(a+b) - mathext.Digamma(a+b+x)
			da += n * dab
			db += n * (dab + mathext.Digamma(b+x) - mathext.Digamma(b))
		}
	}
	for k, t := range o.times {
		o.lnAT[k] = math.Log(alpha + t)
		o.invAT[k] = 1 / (alpha + t)
	}
	lnA := math.Log(a)
	// The groups' terms are summed in fixed chunks on every core (par.Sums): the same bits
	// whatever the core count.
	sums := par.Sums(len(o.groups), sumChunk, 5, func(lo, hi int, acc []float64) {
		var ll, dr, dalpha, da, db float64
		for _, g := range o.groups[lo:hi] {
			rx := r + g.x
			a3 := -rx * o.lnAT[g.iT]
			if g.x == 0 {
				ll += g.n * a3
				if grad != nil {
					dr -= g.n * o.lnAT[g.iT]
					dalpha -= g.n * rx * o.invAT[g.iT]
				}
				continue
			}
			a4 := lnA - o.lnBX[g.ix] - rx*o.lnAT[g.itx]
			// log(e^a3 + e^a4) = hi + log1p(e), e = e^(lo−hi) ≤ 1; the weight of a3 in the
			// sum, e^(a3−lse), is 1/(1+e) or e/(1+e): one exp for both.
			hi, lo := a3, a4
			if lo > hi {
				hi, lo = lo, hi
			}
			e := math.Exp(lo - hi)
			ll += g.n * (hi + math.Log1p(e))
			if grad != nil {
				w3 := 1 / (1 + e)
				if a4 > a3 {
					w3 = e / (1 + e)
				}
				w4 := g.n * (1 - w3)
				w3 *= g.n
				dr -= w3*o.lnAT[g.iT] + w4*o.lnAT[g.itx]
				dalpha -= rx * (w3*o.invAT[g.iT] + w4*o.invAT[g.itx])
				da += w4 / a
				db -= w4 / (b + g.x - 1)
			}
		}
		acc[0], acc[1], acc[2], acc[3], acc[4] = ll, dr, dalpha, da, db
	})
	ll += sums[0]
	dr += sums[1]
	dalpha += sums[2]
	da += sums[3]
	db += sums[4]
	if grad != nil {
		for i, d := range []float64{dr * r, dalpha * alpha, da * a, db * b} {
			grad[i] = -d / o.total
		}
	}
	return -ll / o.total
}

// FitBGNBD fits the BG/NBD model to the fitted customers of s by maximum likelihood (BFGS on
// the log-parameters with the analytic gradient, over distinct (x, t_x, T) groups). A fit that
// does not converge returns its best parameters with Converged = false and an error wrapping
// ErrNotConverged.
func FitBGNBD(s *Summary, cfg FitConfig) (BGNBDFit, error) {
	groups, _ := cohorts(s)
	return fitBGNBD(s, groups, cfg)
}

// fitBGNBD is FitBGNBD over the customers' groups (cohorts(s)).
func fitBGNBD(s *Summary, groups []cohort, cfg FitConfig) (BGNBDFit, error) {
	if err := cfg.validate(); err != nil {
		return BGNBDFit{}, err
	}
	if len(groups) == 0 {
		return BGNBDFit{}, fmt.Errorf("%w: BG/NBD: none of %d customers has a purchase", ErrNoCustomers, s.Len())
	}
	o := newBGNBDObjective(groups)
	params, conv, err := maximize(o.value, []float64{1, startAlpha(groups), 1, 1}, true, o.total, cfg)
	conv.Customers, conv.Groups = int(o.total), len(groups)
	fit := BGNBDFit{Convergence: conv}
	if params != nil {
		fit.Model = BGNBD{R: params[0], Alpha: params[1], A: params[2], B: params[3]}
	}
	if err != nil {
		return fit, fmt.Errorf("BG/NBD: %w", err)
	}
	return fit, nil
}

// startAlpha returns a starting α for r = 1: the inverse of the pooled repeat rate Σx/ΣT,
// which makes the start's mean rate r/α match the data.
func startAlpha(groups []cohort) float64 {
	var x, t float64
	for _, g := range groups {
		x += g.n * g.X
		t += g.n * g.T
	}
	if x == 0 || t == 0 {
		return 1
	}
	return t / x
}
