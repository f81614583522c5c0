package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

var cdnowParetoNBD = ParetoNBD{R: 0.5533, Alpha: 10.578, S: 0.6062, Beta: 11.669}

// TestBGNBDLogLikelihoodByHand checks cases computed by hand from eq. 6 of Fader, Hardie & Lee
// (2005). For x = 0 the likelihood is (α/(α+T))^r; for x = 1, r = α = a = b = 1, t_x = 1,
// T = 2 it is B(1,2)/B(1,1)·1·1/3² + B(2,1)/B(1,1)·1·1/2² = 1/18 + 1/8 = 13/72.
func TestBGNBDLogLikelihoodByHand(t *testing.T) {
	for _, c := range []struct {
		name string
		m    BGNBD
		h    History
		want float64
	}{
		{"x=0 r=1 alpha=2 T=2", BGNBD{R: 1, Alpha: 2, A: 0.5, B: 3}, History{X: 0, TX: 0, T: 2}, math.Log(0.5)},
		{"x=0 r=2 alpha=1 T=3", BGNBD{R: 2, Alpha: 1, A: 2, B: 2}, History{X: 0, TX: 0, T: 3}, math.Log(1.0 / 16)},
		{"x=1 unit parameters", BGNBD{R: 1, Alpha: 1, A: 1, B: 1}, History{X: 1, TX: 1, T: 2}, math.Log(13.0 / 72)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.m.LogLikelihood(c.h); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("got %.15g, want %.15g (hand computation, 1e-12)", got, c.want)
			}
		})
	}
}

// TestBGNBDPAliveZeroRepeats checks that a BG/NBD customer without repeat purchases is alive
// with probability 1 whatever T (drop-out happens only right after a repeat purchase).
func TestBGNBDPAliveZeroRepeats(t *testing.T) {
	for _, T := range []float64{0, 1, 38.86, 1e4} {
		if got := cdnowBGNBD.PAlive(History{X: 0, TX: 0, T: T}); got != 1 {
			t.Errorf("T=%v: got p_alive %v, want 1", T, got)
		}
	}
}

// TestPAliveByHand checks BG/NBD P(alive) = 1/(1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x)) for
// r = α = a = b = 1, x = 1, t_x = 1, T = 3: 1/(1 + 1·(4/2)²) = 1/5.
func TestPAliveByHand(t *testing.T) {
	got := BGNBD{R: 1, Alpha: 1, A: 1, B: 1}.PAlive(History{X: 1, TX: 1, T: 3})
	if math.Abs(got-0.2) > 1e-15 {
		t.Errorf("got %v, want 0.2 (hand computation)", got)
	}
}

// TestMonotonicity checks the shapes every customer-base model must have, for both models at
// the CDNOW parameters: P(alive) falls as time since the last purchase grows (T up, t_x fixed)
// and rises with a later last purchase; expected purchases grow with the horizon and with x.
func TestMonotonicity(t *testing.T) {
	for _, c := range []struct {
		name string
		m    PurchaseModel
	}{
		{"BG/NBD", cdnowBGNBD},
		{"Pareto/NBD", cdnowParetoNBD},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := 2.0
			for _, T := range []float64{10, 20, 39, 78, 200} {
				p := c.m.PAlive(History{X: 3, TX: 10, T: T})
				if !(p < prev) || !(p > 0) {
					t.Errorf("T=%v: got p_alive %v, want in (0, %v)", T, p, prev)
				}
				prev = p
			}
			prev = -1
			for _, tx := range []float64{0.5, 10, 20, 30, 39} {
				p := c.m.PAlive(History{X: 3, TX: tx, T: 39})
				if !(p > prev) || !(p <= 1) {
					t.Errorf("t_x=%v: got p_alive %v, want in (%v, 1]", tx, p, prev)
				}
				prev = p
			}
			prev = 0
			for _, horizon := range []float64{1, 5, 39, 100, 1000} {
				e := c.m.ExpectedPurchases(History{X: 2, TX: 30.43, T: 38.86}, horizon)
				if !(e > prev) {
					t.Errorf("horizon %v: got %v expected purchases, want > %v", horizon, e, prev)
				}
				prev = e
			}
			prev = 0
			for _, x := range []float64{1, 2, 5, 10, 30} {
				e := c.m.ExpectedPurchases(History{X: x, TX: 38, T: 39}, 39)
				if !(e > prev) {
					t.Errorf("x=%v: got %v expected purchases, want > %v", x, e, prev)
				}
				prev = e
			}
		})
	}
}

// bgnbdExpectedDirect evaluates eq. 10 of Fader, Hardie & Lee (2005) as printed, with gonum's
// 2F1: an independent path to the value ExpectedPurchases computes through Euler's
// transformation and its own series.
func bgnbdExpectedDirect(m BGNBD, h History, t float64) float64 {
	r, alpha, a, b, x := m.R, m.Alpha, m.A, m.B, h.X
	f := mathext.Hypergeo(r+x, b+x, a+b+x-1, t/(alpha+h.T+t))
	num := (a + b + x - 1) / (a - 1) * (1 - math.Pow((alpha+h.T)/(alpha+h.T+t), r+x)*f)
	odds := 0.0
	if x > 0 {
		odds = a / (b + x - 1) * math.Pow((alpha+h.T)/(alpha+h.TX), r+x)
	}
	return num / (1 + odds)
}

// TestBGNBDExpectedAgainstDirectFormula compares ExpectedPurchases with the printed formula
// over a grid of parameters (a below and above 1) and customers, to 1e-9 relative.
func TestBGNBDExpectedAgainstDirectFormula(t *testing.T) {
	models := map[string]BGNBD{
		"CDNOW a<1":  cdnowBGNBD,
		"a>1":        {R: 1.5, Alpha: 20, A: 3.2, B: 7},
		"r>a+b-1":    {R: 4, Alpha: 30, A: 1.3, B: 0.9},
		"daily unit": {R: 0.25, Alpha: 31, A: 0.8, B: 2.4},
	}
	for name, m := range models {
		for _, h := range []History{{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 5, 39}, {20, 38, 39}, {1, 1, 2}} {
			for _, horizon := range []float64{0.5, 39, 260} {
				got, want := m.ExpectedPurchases(h, horizon), bgnbdExpectedDirect(m, h, horizon)
				if !relClose(got, want, 1e-9) {
					t.Errorf("%s %+v t=%v: got %.12g, want %.12g (direct eq. 10, 1e-9)", name, h, horizon, got, want)
				}
			}
		}
	}
}

// TestBGNBDExpectedNearAEqualsOne checks that the a → 1 limit is continuous: eq. 10 divides by
// a−1, which the implementation cancels.
func TestBGNBDExpectedNearAEqualsOne(t *testing.T) {
	h := History{X: 2, TX: 30.43, T: 38.86}
	at := BGNBD{R: 0.24, Alpha: 4.4, A: 1, B: 2.4}.ExpectedPurchases(h, 39)
	for _, a := range []float64{1 - 1e-9, 1 + 1e-9, 1 - 1e-6, 1 + 1e-6} {
		got := BGNBD{R: 0.24, Alpha: 4.4, A: a, B: 2.4}.ExpectedPurchases(h, 39)
		if !relClose(got, at, 1e-5) {
			t.Errorf("a=%v: got %.12g, want %.12g (value at a=1, 1e-5)", a, got, at)
		}
	}
}

// TestParetoNBDDeathTermAgainstQuadrature checks the hypergeometric closed form of the
// likelihood's death term against Gauss-Legendre quadrature of its defining integral
// s·∫_{t_x}^{T} (α+τ)^−(r+x)·(β+τ)^−(s+1) dτ (Fader & Hardie 2005 note, eq. 21), for α > β and
// α < β, to 1e-9 relative.
func TestParetoNBDDeathTermAgainstQuadrature(t *testing.T) {
	for _, c := range []struct {
		name string
		m    ParetoNBD
		h    History
	}{
		{"alpha<beta CDNOW", cdnowParetoNBD, History{X: 2, TX: 30.43, T: 38.86}},
		{"alpha>beta", ParetoNBD{R: 0.8, Alpha: 20, S: 1.4, Beta: 3}, History{X: 5, TX: 2, T: 39}},
		{"alpha=beta", ParetoNBD{R: 0.8, Alpha: 7, S: 1.4, Beta: 7}, History{X: 0, TX: 0, T: 20}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, alpha, s, beta, x := c.m.R, c.m.Alpha, c.m.S, c.m.Beta, c.h.X
			integrand := func(tau float64) float64 {
				return s * math.Pow(alpha+tau, -(r+x)) * math.Pow(beta+tau, -(s+1))
			}
			want := quad.Fixed(integrand, c.h.TX, c.h.T, 200, nil, 0)
			got := s / (r + s + x) * math.Exp(c.m.lnA0(c.h))
			if !relClose(got, want, 1e-9) {
				t.Errorf("got %.12g, want %.12g (quadrature, 1e-9)", got, want)
			}
		})
	}
}

// TestParetoNBDExpectedNearSEqualsOne checks the s → 1 limit of the conditional expectation.
func TestParetoNBDExpectedNearSEqualsOne(t *testing.T) {
	h := History{X: 2, TX: 30.43, T: 38.86}
	at := ParetoNBD{R: 0.55, Alpha: 10.6, S: 1, Beta: 11.7}.ExpectedPurchases(h, 39)
	for _, s := range []float64{1 - 1e-9, 1 + 1e-9} {
		got := ParetoNBD{R: 0.55, Alpha: 10.6, S: s, Beta: 11.7}.ExpectedPurchases(h, 39)
		if !relClose(got, at, 1e-6) {
			t.Errorf("s=%v: got %.12g, want %.12g (value at s=1, 1e-6)", s, got, at)
		}
	}
}

// TestGammaGammaByHand checks the Gamma-Gamma formulas against hand computation. For p = 1,
// q = 2, γ = 1 one transaction of value 1 has density ∫ν·e^(−ν)·ν·e^(−ν) dν = 2/2³ = 1/4. The
// conditional expectation p·(γ + x·m)/(p·x + q − 1) for p = 6, q = 4, γ = 15, x = 2, m = 20 is
// 6·55/15 = 22, and for x = 0 the population mean 6·15/3 = 30.
func TestGammaGammaByHand(t *testing.T) {
	if got, want := (GammaGamma{P: 1, Q: 2, Gamma: 1}).LogLikelihood(1, 1), math.Log(0.25); math.Abs(got-want) > 1e-14 {
		t.Errorf("log-likelihood: got %.15g, want %.15g (hand computation)", got, want)
	}
	g := GammaGamma{P: 6, Q: 4, Gamma: 15}
	for _, c := range []struct {
		name string
		x, m float64
		want float64
		tol  float64
	}{
		{"x=2 m=20", 2, 20, 22, 1e-13},
		{"x=0 population mean", 0, 0, 30, 1e-13},
		{"x=1 m=30 equals population mean", 1, 30, 6 * 45 / 9.0, 1e-13},
	} {
		if got := g.ExpectedSpend(c.x, c.m); math.Abs(got-c.want) > c.tol {
			t.Errorf("%s: got %v, want %v (hand computation)", c.name, got, c.want)
		}
	}
}

// TestAnalyticGradients compares the analytic gradients of the BG/NBD and Gamma-Gamma
// objectives with central finite differences at a point away from the optimum, to 1e-6
// absolute (the objectives are mean log-likelihoods of order 1).
func TestAnalyticGradients(t *testing.T) {
	s, _ := cdnowSummary(t)
	groups, _ := cohorts(s)
	bg := newBGNBDObjective(groups)
	gg := newGammaGammaObjective(s)
	for _, c := range []struct {
		name string
		f    objective
		at   []float64
	}{
		{"BG/NBD", bg.value, []float64{math.Log(0.5), math.Log(3), math.Log(1.2), math.Log(0.7)}},
		{"Gamma-Gamma", gg.value, []float64{math.Log(2), math.Log(1.5), math.Log(30)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := make([]float64, len(c.at))
			c.f(c.at, got)
			want := fd.Gradient(nil, func(x []float64) float64 { return c.f(x, nil) }, c.at, &fd.Settings{Formula: fd.Central})
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-6 {
					t.Errorf("component %d: got %.9g, want %.9g (finite differences, 1e-6)", i, got[i], want[i])
				}
			}
		})
	}
}
