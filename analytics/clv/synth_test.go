package clv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
	"gonum.org/v1/gonum/stat/distuv"
)

// synthConfig describes a synthetic cohort drawn from the BG/NBD and Gamma-Gamma models, the
// data-generating processes of Fader, Hardie & Lee (2005a, 2005b), in weeks.
type synthConfig struct {
	customers    int
	purchases    BGNBD
	spend        GammaGamma
	cohortDays   int32 // first purchases uniform over [0, cohortDays)
	asOfDay      int32
	seed1, seed2 uint64
}

// synthTable draws a feature table (MoneyScale 2) from cfg: each customer makes a first
// purchase, then purchases at exponential(λ) weekly gaps and drops out after each purchase with
// probability p, until the as-of day; λ ~ Gamma(r, α), p ~ Beta(a, b). Every transaction's value
// is Gamma(p_spend, ν) with ν ~ Gamma(q, γ). Purchases on one day are merged.
func synthTable(cfg synthConfig) *feature.Table {
	src := rand.NewPCG(cfg.seed1, cfg.seed2)
	rng := rand.New(src)
	rate := distuv.Gamma{Alpha: cfg.purchases.R, Beta: cfg.purchases.Alpha, Src: src}
	drop := distuv.Beta{Alpha: cfg.purchases.A, Beta: cfg.purchases.B, Src: src}
	nu := distuv.Gamma{Alpha: cfg.spend.Q, Beta: cfg.spend.Gamma, Src: src}
	t := &feature.Table{MoneyScale: 2}
	t.Grow(cfg.customers)
	width := len(fmt.Sprint(cfg.customers))
	for i := range cfg.customers {
		t.CustomerID[i] = fmt.Sprintf("c%0*d", width, i)
		first := int32(rng.IntN(int(cfg.cohortDays)))
		lambda, p := rate.Rand(), drop.Rand()
		value := distuv.Gamma{Alpha: cfg.spend.P, Beta: nu.Rand(), Src: src}
		cents := func() int64 { return max(1, int64(math.Round(value.Rand()*100))) }
		horizon := float64(cfg.asOfDay-first) / 7
		last, days, orders := first, int64(1), int64(1)
		firstValue := cents()
		total := firstValue
		for at := 0.0; ; {
			at += rng.ExpFloat64() / lambda
			if at > horizon {
				break
			}
			day := first + int32(at*7)
			if day > cfg.asOfDay {
				break
			}
			v := cents()
			total += v
			orders++
			if day == first {
				firstValue += v
			} else if day != last {
				days++
			}
			last = day
			if rng.Float64() < p {
				break
			}
		}
		t.FirstPurchase[i], t.LastPurchase[i] = first, last
		t.Frequency[i], t.Orders[i], t.Rows[i], t.PurchaseDays[i] = orders, orders, orders, days
		t.Monetary[i], t.PurchaseValue[i], t.FirstDayValue[i] = total, total, firstValue
	}
	return t
}

// cdnowLike is a synthetic cohort with the CDNOW sample's fitted parameters: first purchases
// over 12 weeks, a 39-week calibration period.
func cdnowLike(customers int) synthConfig {
	return synthConfig{
		customers:  customers,
		purchases:  BGNBD{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259},
		spend:      GammaGamma{P: 6.2496, Q: 3.7442, Gamma: 15.4435},
		cohortDays: 84,
		asOfDay:    273,
		seed1:      1997, seed2: uint64(customers),
	}
}

// TestAnalyzeCoreInvariant checks that the chunked parallel sums of the fits and the parallel
// scoring give the same bits on 1 and 4 cores: with more groups than one summation chunk.
func TestAnalyzeCoreInvariant(t *testing.T) {
	tab := synthTable(cdnowLike(200_000))
	run := func(procs int) *Result {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		res, err := Analyze(tab, cdnowLike(200_000).asOfDay, Config{Unit: Days, Score: ScoreConfig{AnnualDiscountRate: 0.1, Margin: 0.3}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one, four := run(1), run(4)
	if one.PurchaseFit.Groups <= sumChunk {
		t.Fatalf("%d groups: not enough to split the sums", one.PurchaseFit.Groups)
	}
	if one.Purchases != four.Purchases || one.Spend.Model != four.Spend.Model {
		t.Fatalf("fits differ: 1 core %+v %+v, 4 cores %+v %+v", one.Purchases, one.Spend.Model, four.Purchases, four.Spend.Model)
	}
	for i := range one.Scores.CLV {
		if one.Scores.CLV[i] != four.Scores.CLV[i] || one.Scores.PAlive[i] != four.Scores.PAlive[i] {
			t.Fatalf("customer %d: CLV %v / %v, P(alive) %v / %v", i, one.Scores.CLV[i], four.Scores.CLV[i], one.Scores.PAlive[i], four.Scores.PAlive[i])
		}
	}
}

// bgnbdSummary draws n histories exactly from a BG/NBD model in continuous time: λ ~ Gamma(r,
// α), p ~ Beta(a, b); after the first purchase at 0, purchases come at Exp(λ) gaps until T, and
// after each the customer drops out with probability p. T is uniform over [T0, T0+spread] weeks.
// (synthTable rounds to days and merges same-day purchases, which biases α by about 0.8 standard
// errors at CDNOW's size: fine for the engines, not for checking interval coverage.)
func bgnbdSummary(m BGNBD, n int, t0, spread float64, seed uint64) *Summary {
	src := rand.NewPCG(2026, seed)
	rng := rand.New(src)
	rate := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	drop := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	s := &Summary{Unit: Weeks, CustomerID: make([]string, n), Fitted: make([]bool, n), X: make([]float64, n),
		TX: make([]float64, n), T: make([]float64, n), MeanRepeatSpend: make([]float64, n)}
	for i := range n {
		s.CustomerID[i] = fmt.Sprintf("c%06d", i)
		s.Fitted[i] = true
		T := t0 + spread*rng.Float64()
		lambda, p := rate.Rand(), drop.Rand()
		x, t := 0.0, 0.0
		for {
			t += rng.ExpFloat64() / lambda
			if t > T {
				break
			}
			x++
			s.TX[i] = t
			if rng.Float64() < p {
				break
			}
		}
		s.X[i], s.T[i] = x, T
	}
	return s
}

// TestParameterIntervalCoverage: on histories drawn exactly from known BG/NBD parameters (the
// CDNOW estimates, 3,000 customers with 27 to 39 weeks of history), the 95% log-scale intervals
// of the fitted parameters (observed information, delta method) cover the true values in about
// 95% of seeded replications. With 200 replications a correct interval's coverage count is
// Binomial(200, 0.95): 190 on average, outside 181..198 with probability about 1%.
func TestParameterIntervalCoverage(t *testing.T) {
	const reps = 200
	truth := BGNBD{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259}
	want := []float64{truth.R, truth.Alpha, truth.A, truth.B}
	covered := make([]int, 4)
	fitted := 0
	for rep := range reps {
		fit, err := FitBGNBD(bgnbdSummary(truth, 3000, 27, 12, uint64(rep)), FitConfig{})
		if err != nil || fit.LogCov == nil {
			continue
		}
		fitted++
		got := []float64{fit.Model.R, fit.Model.Alpha, fit.Model.A, fit.Model.B}
		for i := range want {
			if lo, hi, _ := fit.LogInterval(i, got[i]); lo <= want[i] && want[i] <= hi {
				covered[i]++
			}
		}
	}
	t.Logf("%d of %d replications fitted; 95%% intervals covered r, alpha, a, b in %v of them", fitted, reps, covered)
	if fitted < reps*95/100 {
		t.Fatalf("only %d of %d replications converged with a covariance", fitted, reps)
	}
	for i, c := range covered {
		if lo, hi := fitted*905/1000, fitted*99/100; c < lo || c > hi {
			t.Errorf("parameter %d covered in %d of %d replications, want about 95%% (%d..%d)", i, c, fitted, lo, hi)
		}
	}
}
