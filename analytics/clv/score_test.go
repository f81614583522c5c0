package clv

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

// linearModel expects rate purchases per unit of time from every customer, alive or not: it
// makes the discounting arithmetic checkable by hand.
type linearModel struct{ rate float64 }

func (m linearModel) PAlive(History) float64                         { return 1 }
func (m linearModel) ExpectedPurchases(_ History, t float64) float64 { return m.rate * t }
func (m linearModel) LogLikelihood(History) float64                  { return 0 }

// oneCustomer returns a day-unit summary of a single customer without repeat purchases.
func oneCustomer() *Summary {
	return &Summary{Unit: Days, CustomerID: []string{"a"}, Fitted: []bool{true},
		X: []float64{0}, TX: []float64{0}, T: []float64{10}, MeanRepeatSpend: []float64{0}}
}

// TestScoreDiscounting checks CLV = margin · spend · Σ_k ΔE_k·(1+d)^−(τ_k/365.25 days) by hand,
// with one purchase a day, margin 0.5 and the Gamma-Gamma population mean 2·10/(3−1) = 10 as
// spend. Months are 30.4375 days.
func TestScoreDiscounting(t *testing.T) {
	spend := GammaGamma{P: 2, Q: 3, Gamma: 10}
	for _, c := range []struct {
		name string
		cfg  ScoreConfig
		want float64
	}{
		// 0.5·10·30.4375·(1.1^(−1/12) + 1.1^(−2/12))
		{"two whole months at 10%", ScoreConfig{Horizon: 60.875, Margin: 0.5, AnnualDiscountRate: 0.1}, 300.77263286916906},
		// 0.5·10·(30.4375·1.1^(−30.4375/365.25) + 14.5625·1.1^(−45/365.25))
		{"45 days: a month and a part at 10%", ScoreConfig{Horizon: 45, Margin: 0.5, AnnualDiscountRate: 0.1}, 222.9460336680902},
		// 0.5·10·45
		{"45 days undiscounted", ScoreConfig{Horizon: 45, Margin: 0.5}, 225},
		// default margin 1, default horizon 365.25 days: 10·365.25
		{"defaults", ScoreConfig{}, 3652.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Score(oneCustomer(), linearModel{rate: 1}, spend, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.CLV[0]; math.Abs(got-c.want) > 1e-9 {
				t.Errorf("got CLV %.12g, want %.12g (hand computation)", got, c.want)
			}
			if got := sc.ExpectedSpend[0]; got != 10 {
				t.Errorf("got expected spend %v, want 10", got)
			}
		})
	}
}

// TestScoreRanksAndMask checks that customers without purchases are unscored (rank 0) and
// that equal CLVs rank by customer id.
func TestScoreRanksAndMask(t *testing.T) {
	s := &Summary{
		Unit:            Weeks,
		CustomerID:      []string{"a", "b", "c", "d", "e"},
		Fitted:          []bool{true, true, false, true, true},
		X:               []float64{1, 3, 0, 1, 0},
		TX:              []float64{5, 30, 0, 5, 0},
		T:               []float64{39, 39, 0, 39, 20},
		MeanRepeatSpend: []float64{20, 20, 0, 20, 0},
	}
	sc, err := Score(s, cdnowBGNBD, GammaGamma{P: 6.2496, Q: 3.7442, Gamma: 15.4435}, ScoreConfig{Horizon: 52})
	if err != nil {
		t.Fatal(err)
	}
	// b (3 recent repeats) is worth most; a and d are identical, so a ranks before d.
	if sc.CLV[0] != sc.CLV[3] || !(sc.CLV[1] > sc.CLV[0]) {
		t.Fatalf("got CLVs %v, want b highest and a = d", sc.CLV)
	}
	wantRank := []int{2, 1, 0, 3, 0}
	if sc.CLV[4] > sc.CLV[0] {
		wantRank = []int{3, 1, 0, 4, 2}
	}
	for i, want := range wantRank {
		if sc.CLVRank[i] != want {
			t.Errorf("customer %s: got rank %d, want %d (CLVs %v)", s.CustomerID[i], sc.CLVRank[i], want, sc.CLV)
		}
	}
	if sc.Scored[2] || sc.CLV[2] != 0 || sc.PAlive[2] != 0 {
		t.Errorf("unfitted customer c: got scored %v, CLV %v, p_alive %v, want false, 0, 0", sc.Scored[2], sc.CLV[2], sc.PAlive[2])
	}
	if sc.PAlive[4] != 1 {
		t.Errorf("customer e without repeats: got p_alive %v, want 1", sc.PAlive[4])
	}
}

// TestScoreErrors checks the configuration and spend-model errors.
func TestScoreErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		spend GammaGamma
		cfg   ScoreConfig
		want  error
	}{
		{"q <= 1", GammaGamma{P: 1, Q: 1, Gamma: 1}, ScoreConfig{}, ErrNoMeanSpend},
		{"negative horizon", GammaGamma{P: 1, Q: 2, Gamma: 1}, ScoreConfig{Horizon: -1}, ErrConfig},
		{"margin above 1", GammaGamma{P: 1, Q: 2, Gamma: 1}, ScoreConfig{Margin: 1.5}, ErrConfig},
		{"NaN discount", GammaGamma{P: 1, Q: 2, Gamma: 1}, ScoreConfig{AnnualDiscountRate: math.NaN()}, ErrConfig},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Score(oneCustomer(), linearModel{1}, c.spend, c.cfg)
			if !errors.Is(err, c.want) {
				t.Errorf("got error %v, want %v", err, c.want)
			}
		})
	}
}

// TestConfigValidateListsEveryProblem checks that Validate reports all problems at once.
func TestConfigValidateListsEveryProblem(t *testing.T) {
	cfg := Config{Unit: "months", Model: "rfm", Fit: FitConfig{MaxIterations: -1}, Score: ScoreConfig{Margin: 2, Horizon: -3}}
	err := cfg.Validate()
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v, want ErrConfig", err)
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 5 {
		t.Errorf("got %v, want 5 problems (unit, model, iterations, margin, horizon)", err)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: got %v, want nil", err)
	}
}

// TestEvaluateHoldoutByHand checks the holdout table with a model expecting 0.5 purchases per
// week: over 2 weeks every customer is predicted 1 purchase.
func TestEvaluateHoldoutByHand(t *testing.T) {
	s := &Summary{
		Unit:            Weeks,
		CustomerID:      []string{"a", "b", "c", "d", "e"},
		Fitted:          []bool{true, true, true, false, true},
		X:               []float64{0, 0, 7, 0, 12},
		TX:              []float64{0, 0, 5, 0, 6},
		T:               []float64{8, 9, 9, 0, 9},
		MeanRepeatSpend: []float64{0, 0, 1, 0, 1},
	}
	rows, err := EvaluateHoldout(s, linearModel{rate: 0.5}, 2, []float64{1, 0, 3, 9, 5})
	if err != nil {
		t.Fatal(err)
	}
	// Errors per customer (predicted 1): a 0, b 1 (bucket 0); c −2, e −4 (bucket 7+).
	want := map[string]HoldoutRow{
		"0":     {Bucket: "0", Customers: 2, Buyers: 1, Actual: 1, Predicted: 2, MeanActual: 0.5, MeanPredicted: 1, MAE: 0.5, RMSE: math.Sqrt(0.5)},
		"1":     {Bucket: "1"},
		"7+":    {Bucket: "7+", Customers: 2, Buyers: 2, Actual: 8, Predicted: 2, MeanActual: 4, MeanPredicted: 1, MAE: 3, RMSE: math.Sqrt(10)},
		"total": {Bucket: "total", Customers: 4, Buyers: 3, Actual: 9, Predicted: 4, MeanActual: 2.25, MeanPredicted: 1, MAE: 1.75, RMSE: math.Sqrt(21.0 / 4)},
	}
	if len(rows) != HoldoutBuckets+1 {
		t.Fatalf("got %d rows, want %d", len(rows), HoldoutBuckets+1)
	}
	for _, r := range rows {
		if !math.IsNaN(r.Brier) {
			t.Errorf("bucket %s: Brier %v for a model without ProbNoPurchase, want NaN", r.Bucket, r.Brier)
		}
		r.Brier = 0
		if w, ok := want[r.Bucket]; ok && r != w {
			t.Errorf("bucket %s: got %+v, want %+v", r.Bucket, r, w)
		}
	}
	// With P(no purchase in 2 weeks) = e^(−0.5·2) for everyone, P(any) = 1 − e^−1: the Brier
	// score of bucket 0 (a bought, b did not) is ((P−1)² + P²)/2, of 7+ (both bought) (P−1)².
	rows, err = EvaluateHoldout(s, poissonModel{linearModel{rate: 0.5}}, 2, []float64{1, 0, 3, 9, 5})
	if err != nil {
		t.Fatal(err)
	}
	p := 1 - math.Exp(-1)
	for _, c := range []struct {
		row   int
		brier float64
	}{{0, ((p-1)*(p-1) + p*p) / 2}, {HoldoutBuckets - 1, (p - 1) * (p - 1)}, {HoldoutBuckets, (3*(p-1)*(p-1) + p*p) / 4}} {
		if got := rows[c.row].Brier; math.Abs(got-c.brier) > 1e-15 {
			t.Errorf("bucket %s: Brier %v, want %v", rows[c.row].Bucket, got, c.brier)
		}
	}
	if _, err := EvaluateHoldout(s, linearModel{0.5}, 2, []float64{1, -1, 0, 0, 0}); !errors.Is(err, ErrInconsistentRow) {
		t.Errorf("negative actual: got %v, want ErrInconsistentRow", err)
	}
	if _, err := EvaluateHoldout(s, linearModel{0.5}, 0, make([]float64, 5)); !errors.Is(err, ErrConfig) {
		t.Errorf("zero length: got %v, want ErrConfig", err)
	}
}

// handTable is a three-customer feature table (cents) as of day 100: "a" bought on days 30
// (10.00 + 5.00 the same day), 44 (7.00) and 72 (3.00); "b" once on day 86 (20.00); "c" never.
func handTable() *feature.Table {
	t := &feature.Table{MoneyScale: 2}
	t.Grow(3)
	copy(t.CustomerID, []string{"a", "b", "c"})
	t.FirstPurchase[0], t.LastPurchase[0] = 30, 72
	t.FirstPurchase[1], t.LastPurchase[1] = 86, 86
	copy(t.Frequency, []int64{4, 1, 0})
	copy(t.Orders, []int64{4, 1, 1})
	copy(t.Rows, []int64{4, 1, 1})
	copy(t.PurchaseDays, []int64{3, 1, 0})
	copy(t.Monetary, []int64{2500, 2000, -500})
	copy(t.PurchaseValue, []int64{2500, 2000, 0})
	copy(t.FirstDayValue, []int64{1500, 2000, 0})
	return t
}

// TestSummarize checks the summary of handTable by hand in both units: "a" has x = 2 repeat
// days, t_x = 72−30 = 42 days, T = 100−30 = 70 days, mean repeat spend (25.00−15.00)/2 = 5.
func TestSummarize(t *testing.T) {
	for _, c := range []struct {
		name    string
		unit    Unit
		perUnit float64
	}{{"days", Days, 1}, {"weeks", Weeks, 7}, {"default weeks", "", 7}} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Summarize(handTable(), 100, c.unit)
			if err != nil {
				t.Fatal(err)
			}
			want := &Summary{
				Fitted:          []bool{true, true, false},
				X:               []float64{2, 0, 0},
				TX:              []float64{42 / c.perUnit, 0, 0},
				T:               []float64{70 / c.perUnit, 14 / c.perUnit, 0},
				MeanRepeatSpend: []float64{5, 0, 0},
			}
			for i := range 3 {
				if s.Fitted[i] != want.Fitted[i] || s.X[i] != want.X[i] || s.TX[i] != want.TX[i] ||
					s.T[i] != want.T[i] || s.MeanRepeatSpend[i] != want.MeanRepeatSpend[i] {
					t.Errorf("customer %s: got %v %v %v %v %v, want %v %v %v %v %v", s.CustomerID[i],
						s.Fitted[i], s.X[i], s.TX[i], s.T[i], s.MeanRepeatSpend[i],
						want.Fitted[i], want.X[i], want.TX[i], want.T[i], want.MeanRepeatSpend[i])
				}
			}
		})
	}
}

// TestSummarizeErrors checks that bad rows are reported with the customer at fault.
func TestSummarizeErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		asOf    int32
		unit    Unit
		corrupt func(*feature.Table)
		want    error
	}{
		{"purchase after as-of", 80, Days, func(*feature.Table) {}, ErrPurchaseAfterAsOf},
		{"last before first", 100, Days, func(t *feature.Table) { t.LastPurchase[0] = 20 }, ErrInconsistentRow},
		{"purchases without day", 100, Days, func(t *feature.Table) { t.FirstPurchase[0] = feature.NoDate }, ErrInconsistentRow},
		{"one purchase day over a span", 100, Days, func(t *feature.Table) { t.PurchaseDays[0] = 1 }, ErrInconsistentRow},
		{"first day above total", 100, Days, func(t *feature.Table) { t.FirstDayValue[0] = 9000 }, ErrInconsistentRow},
		{"bad unit", 100, "months", func(*feature.Table) {}, ErrConfig},
	} {
		t.Run(c.name, func(t *testing.T) {
			tbl := handTable()
			c.corrupt(tbl)
			if _, err := Summarize(tbl, c.asOf, c.unit); !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

// TestPredictAtBits: predictAt gives exactly the bits of PAlive and ExpectedPurchases at each
// time (it only shares P(alive)'s odds), for repeat and single buyers and t = 0.
func TestPredictAtBits(t *testing.T) {
	m := BGNBD{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259}
	ends := []float64{0, 4.3, 8.7, 13, 26.1, 52.14}
	for _, h := range []History{{X: 0, TX: 0, T: 30}, {X: 1, TX: 3, T: 30}, {X: 7, TX: 29.5, T: 30}, {X: 40, TX: 100, T: 104}} {
		e := make([]float64, len(ends))
		pAlive := predictAt(m, h, ends, e)
		if pAlive != m.PAlive(h) {
			t.Errorf("%+v: P(alive) %v, PAlive %v", h, pAlive, m.PAlive(h))
		}
		for k, end := range ends {
			if want := m.ExpectedPurchases(h, end); e[k] != want {
				t.Errorf("%+v at %v: %v, ExpectedPurchases %v", h, end, e[k], want)
			}
		}
	}
}

// TestRankMatchesComparisonSort: the radix ranking gives the ranks of a comparison sort by CLV
// descending (cmp.Compare: NaN lowest, −0 = +0) then id ascending, on values with ties, zeros of
// both signs, infinities and NaN, and ids not in row order.
func TestRankMatchesComparisonSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1, 1e-300, -1e-300, 5e300}
	for _, n := range []int{10, 1000, 20_000} {
		sc := &Scores{CustomerID: make([]string, n), Scored: make([]bool, n), CLV: make([]float64, n), CLVRank: make([]int, n)}
		for i := range n {
			sc.CustomerID[i] = fmt.Sprintf("c%d", rng.IntN(n)) // repeats and out of order
			sc.Scored[i] = rng.IntN(10) > 0
			switch rng.IntN(4) {
			case 0:
				sc.CLV[i] = special[rng.IntN(len(special))]
			case 1:
				sc.CLV[i] = float64(rng.IntN(20)) // ties
			default:
				sc.CLV[i] = rng.NormFloat64() * 1000
			}
		}
		sc.rank()
		var order []int
		for i, ok := range sc.Scored {
			if ok {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(i, j int) int {
			if c := cmp.Compare(sc.CLV[j], sc.CLV[i]); c != 0 {
				return c
			}
			return strings.Compare(sc.CustomerID[i], sc.CustomerID[j])
		})
		for r, i := range order {
			if sc.CLVRank[i] != r+1 {
				t.Fatalf("n=%d: customer %d (%s, CLV %v) ranked %d, the comparison sort says %d", n, i, sc.CustomerID[i], sc.CLV[i], sc.CLVRank[i], r+1)
			}
		}
		for i, ok := range sc.Scored {
			if !ok && sc.CLVRank[i] != 0 {
				t.Fatalf("unscored customer %d ranked %d", i, sc.CLVRank[i])
			}
		}
	}
}

// poissonModel is linearModel with the Poisson probability of no purchase, e^(−rate·t).
type poissonModel struct{ linearModel }

func (m poissonModel) ProbNoPurchase(_ History, t float64) float64 { return math.Exp(-m.rate * t) }

// TestPeriodsSumToTheHorizon: on CDNOW with a 10% discount rate and a 30% margin, every scored
// customer's months sum to ExpectedPurchases and to CLV (to 1e-12 relative: the same terms in
// the same order, but summed after, not before, the margin and spend multiply); months start
// at 0 and end at the horizon, 365.25/12 days each in weeks.
func TestPeriodsSumToTheHorizon(t *testing.T) {
	s, _ := cdnowSummary(t)
	fit, err := FitBGNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	gg, err := FitGammaGamma(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Score(s, fit.Model, gg.Model, ScoreConfig{AnnualDiscountRate: 0.1, Margin: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Periods() != 12 || sc.PeriodStart(0) != 0 || math.Abs(sc.PeriodStart(1)-365.25/12/7) > 1e-12 {
		t.Fatalf("%d periods, starts %v, %v", sc.Periods(), sc.PeriodStart(0), sc.PeriodStart(1))
	}
	for i, ok := range sc.Scored {
		if !ok {
			continue
		}
		var e, v float64
		for k := range sc.Periods() {
			e += sc.PeriodPurchases(i, k)
			v += sc.PeriodCLV(i, k)
		}
		if math.Abs(e-sc.ExpectedPurchases[i]) > 1e-12*max(1, sc.ExpectedPurchases[i]) || math.Abs(v-sc.CLV[i]) > 1e-12*max(1, sc.CLV[i]) {
			t.Fatalf("customer %s: months sum to %v purchases and %v CLV; want %v and %v", sc.CustomerID[i], e, v, sc.ExpectedPurchases[i], sc.CLV[i])
		}
	}
}
