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
