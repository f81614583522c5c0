package clv

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

// The CDNOW sample (testdata/cdnow/CDNOW_sample.txt, distributed by Fader & Hardie) and the
// calibration/holdout split of Fader, Hardie & Lee (2005): 39 weeks of calibration
// 1997-01-01..1997-09-30, 39 weeks of holdout 1997-10-01..1998-06-30.
var (
	cdnowCalibrationEnd = epochDay(1997, 9, 30)
	cdnowHoldoutEnd     = epochDay(1998, 6, 30)
)

const cdnowHoldoutWeeks = 39.0

func epochDay(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// cdnowData is the CDNOW sample as a calibration feature table plus, per table row, the number
// of distinct purchase days in the holdout period.
type cdnowData struct {
	calibration *feature.Table
	holdout     []float64
}

// loadCDNOW reads the sample (whitespace separated: master_id sample_id yyyymmdd cds dollars)
// and aggregates it as an engine would, one customer per master_id, every row a purchase.
func loadCDNOW(tb testing.TB) cdnowData {
	tb.Helper()
	f, err := os.Open("../../testdata/cdnow/CDNOW_sample.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	type customer struct {
		calDays  map[int32]int64 // day → cents, calibration
		holdDays map[int32]bool
		rows     int64
	}
	customers := make(map[string]*customer)
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) != 5 {
			tb.Fatalf("line %d: %d fields, want 5", line, len(fields))
		}
		date, err := time.Parse("20060102", fields[2])
		if err != nil {
			tb.Fatalf("line %d: %v", line, err)
		}
		day := int32(date.Unix() / 86400)
		dollars, err := strconv.ParseFloat(fields[4], 64)
		if err != nil {
			tb.Fatalf("line %d: %v", line, err)
		}
		c := customers[fields[0]]
		if c == nil {
			c = &customer{calDays: map[int32]int64{}, holdDays: map[int32]bool{}}
			customers[fields[0]] = c
		}
		switch {
		case day <= cdnowCalibrationEnd:
			c.calDays[day] += int64(dollars*100 + 0.5)
			c.rows++
		case day <= cdnowHoldoutEnd:
			c.holdDays[day] = true
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, 0, len(customers))
	for id := range customers {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	t := &feature.Table{MoneyScale: 2}
	t.Grow(len(ids))
	holdout := make([]float64, len(ids))
	for i, id := range ids {
		c := customers[id]
		t.CustomerID[i] = id
		holdout[i] = float64(len(c.holdDays))
		if len(c.calDays) == 0 {
			continue
		}
		first, last := int32(1<<30), int32(-1<<30)
		var total int64
		for day, cents := range c.calDays {
			first, last = min(first, day), max(last, day)
			total += cents
		}
		t.FirstPurchase[i], t.LastPurchase[i] = first, last
		t.Frequency[i], t.Orders[i], t.Rows[i] = c.rows, c.rows, c.rows
		t.PurchaseDays[i] = int64(len(c.calDays))
		t.Monetary[i], t.PurchaseValue[i] = total, total
		t.FirstDayValue[i] = c.calDays[first]
	}
	if err := t.Check(); err != nil {
		tb.Fatal(err)
	}
	return cdnowData{calibration: t, holdout: holdout}
}

func cdnowSummary(tb testing.TB) (*Summary, cdnowData) {
	tb.Helper()
	data := loadCDNOW(tb)
	s, err := Summarize(data.calibration, cdnowCalibrationEnd, Weeks)
	if err != nil {
		tb.Fatal(err)
	}
	return s, data
}

// relClose reports whether got is within rel of want, relatively.
func relClose(got, want, rel float64) bool {
	d := got - want
	if d < 0 {
		d = -d
	}
	if want < 0 {
		want = -want
	}
	return d <= rel*want
}

// TestCDNOWCounts checks the sample's published counts (Fader, Hardie & Lee 2005): 2,357
// customers, 946 repeaters with 2,457 repeat transactions in calibration, 1,882 repeat
// transactions in the holdout.
func TestCDNOWCounts(t *testing.T) {
	s, data := cdnowSummary(t)
	var repeaters, calRepeats, holdRepeats float64
	for i := range s.Len() {
		if s.X[i] > 0 {
			repeaters++
		}
		calRepeats += s.X[i]
		holdRepeats += data.holdout[i]
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"customers", float64(s.Len()), 2357},
		{"repeaters", repeaters, 946},
		{"calibration repeat transactions", calRepeats, 2457},
		{"holdout repeat transactions", holdRepeats, 1882},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestCDNOWBGNBD reproduces the BG/NBD fit of Fader, Hardie & Lee (2005) on the CDNOW sample:
// r = 0.2426, α = 4.4136, a = 0.7929, b = 2.4259, log-likelihood −9582.43 (parameters to four
// decimals as in Hardie's spreadsheet), to 1e-3 relative.
func TestCDNOWBGNBD(t *testing.T) {
	s, _ := cdnowSummary(t)
	fit, err := FitBGNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("BG/NBD fit: %+v", fit)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"r", fit.Model.R, 0.2426},
		{"alpha", fit.Model.Alpha, 4.4136},
		{"a", fit.Model.A, 0.7929},
		{"b", fit.Model.B, 2.4259},
		{"log-likelihood", fit.LogLikelihood, -9582.43},
	} {
		if !relClose(c.got, c.want, 1e-3) {
			t.Errorf("%s: got %.6g, want %.6g (1e-3 relative)", c.name, c.got, c.want)
		}
	}
	if !fit.Converged || fit.Customers != 2357 {
		t.Errorf("got converged %v over %d customers, want true over 2357", fit.Converged, fit.Customers)
	}
}

// TestCDNOWGammaGamma reproduces the Gamma-Gamma fit to the mean repeat spend of the 946 CDNOW
// repeaters (Fader, Hardie & Lee 2005b; Hardie's note "The Gamma-Gamma Model of Monetary
// Value"): p = 6.2496, q = 3.7442, γ = 15.4435, log-likelihood −4055.92, to 1e-3 relative.
func TestCDNOWGammaGamma(t *testing.T) {
	s, _ := cdnowSummary(t)
	fit, err := FitGammaGamma(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Gamma-Gamma fit: %+v", fit)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"p", fit.Model.P, 6.2496},
		{"q", fit.Model.Q, 3.7442},
		{"gamma", fit.Model.Gamma, 15.4435},
		{"log-likelihood", fit.LogLikelihood, -4055.92},
		{"customers", float64(fit.Customers), 946},
	} {
		if !relClose(c.got, c.want, 1e-3) {
			t.Errorf("%s: got %.6g, want %.6g (1e-3 relative)", c.name, c.got, c.want)
		}
	}
}

// TestCDNOWParetoNBD reproduces the Pareto/NBD fit on the CDNOW sample (Fader, Hardie & Lee
// 2005, and Fader & Hardie's Pareto/NBD note): r = 0.5533, α = 10.578, s = 0.6062,
// log-likelihood −9594.98, to 1e-3 relative. β (published 11.669) is not checked: the
// likelihood is nearly flat in it.
func TestCDNOWParetoNBD(t *testing.T) {
	s, _ := cdnowSummary(t)
	fit, err := FitParetoNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Pareto/NBD fit: %+v", fit)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"r", fit.Model.R, 0.5533},
		{"alpha", fit.Model.Alpha, 10.578},
		{"s", fit.Model.S, 0.6062},
		{"log-likelihood", fit.LogLikelihood, -9594.98},
	} {
		if !relClose(c.got, c.want, 1e-3) {
			t.Errorf("%s: got %.6g, want %.6g (1e-3 relative)", c.name, c.got, c.want)
		}
	}
}

// cdnowBGNBD is the published BG/NBD fit to the CDNOW sample (Fader, Hardie & Lee 2005), to
// the four decimals of Hardie's spreadsheet.
var cdnowBGNBD = BGNBD{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259}

// TestCDNOWConditionalExpectation checks the worked example of Fader, Hardie & Lee (2005,
// section 4): at the fitted parameters a customer with x = 2, t_x = 30.43, T = 38.86 weeks is
// expected to make 1.226 purchases in the next 39 weeks (to the published three decimals).
func TestCDNOWConditionalExpectation(t *testing.T) {
	got := cdnowBGNBD.ExpectedPurchases(History{X: 2, TX: 30.43, T: 38.86}, 39)
	if want := 1.226; math.Abs(got-want) > 0.0005 {
		t.Errorf("E[Y(39) | 2, 30.43, 38.86]: got %.5f, want %.3f ± 0.0005", got, want)
	}
}

// TestCDNOWHoldout compares the BG/NBD conditional expectations with the 1,882 holdout repeat
// transactions: the table's rows must add up to the total row, the total row must hold all
// 2,357 customers and the published 1,882 holdout transactions, and the predicted total must be
// the sum of the per-customer conditional expectations. (At the published parameters that sum
// is about 1,653: the conditional expectations under-predict this holdout, mostly for x = 1
// and 2.)
func TestCDNOWHoldout(t *testing.T) {
	s, data := cdnowSummary(t)
	rows, err := EvaluateHoldout(s, cdnowBGNBD, cdnowHoldoutWeeks, data.holdout)
	if err != nil {
		t.Fatal(err)
	}
	total := rows[HoldoutBuckets]
	var customers int
	var actual, predicted float64
	for _, r := range rows[:HoldoutBuckets] {
		t.Logf("%+v", r)
		customers += r.Customers
		actual += r.Actual
		predicted += r.Predicted
	}
	t.Logf("%+v", total)
	var direct float64
	for i := range s.Len() {
		direct += cdnowBGNBD.ExpectedPurchases(s.History(i), cdnowHoldoutWeeks)
	}
	if total.Bucket != "total" || total.Customers != 2357 || total.Actual != 1882 {
		t.Errorf("total row: got %q %d customers %v actual, want \"total\" 2357 customers 1882 actual", total.Bucket, total.Customers, total.Actual)
	}
	if customers != total.Customers || actual != total.Actual || !relClose(predicted, total.Predicted, 1e-12) {
		t.Errorf("buckets sum to %d customers, %v actual, %v predicted; total row has %d, %v, %v",
			customers, actual, predicted, total.Customers, total.Actual, total.Predicted)
	}
	if !relClose(total.Predicted, direct, 1e-12) {
		t.Errorf("total predicted: got %v, want the per-customer sum %v", total.Predicted, direct)
	}
	if rows[0].Customers != 2357-946 {
		t.Errorf("bucket 0: got %d customers, want %d non-repeaters", rows[0].Customers, 2357-946)
	}
}

// TestCDNOWStandardErrors: the Pareto/NBD standard errors on the CDNOW sample's 39-week
// calibration match the observed-information errors CLVTools publishes with its correctness
// tests (r 0.0476, α 0.843, s 0.187, β 6.21) within 2%. BG/NBD and Gamma-Gamma match the
// standard errors of the lifetimes package's Quickstart summary tables for the same sample
// (BetaGeoFitter: r 0.012557, α 0.378221, a 0.185719, b 0.705345; GammaGammaFitter: p 1.189687,
// q 0.290166, γ 4.159994; figures recalled from that page, not copied into testdata) within 2%,
// and their 95% log-scale intervals contain the estimates.
func TestCDNOWStandardErrors(t *testing.T) {
	s, _ := cdnowSummary(t)
	fit, err := FitParetoNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.0476, 0.843, 0.187, 6.21} // CLVTools: r, alpha, s, beta
	if len(fit.StdErrors) != 4 {
		t.Fatalf("Pareto/NBD standard errors %v", fit.StdErrors)
	}
	for i, w := range want {
		if got := fit.StdErrors[i]; math.Abs(got-w)/w > 0.02 {
			t.Errorf("Pareto/NBD se[%d] = %.4g, CLVTools %.4g (off by %.1f%%)", i, got, w, 100*math.Abs(got-w)/w)
		}
	}
	t.Logf("Pareto/NBD r, alpha, s, beta = %.4g, %.4g, %.4g, %.4g; se %.4g", fit.Model.R, fit.Model.Alpha, fit.Model.S, fit.Model.Beta, fit.StdErrors)
	bg, err := FitBGNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	gg, err := FitGammaGamma(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name         string
		values, want []float64
		conv         Convergence
	}{
		{"BG/NBD", []float64{bg.Model.R, bg.Model.Alpha, bg.Model.A, bg.Model.B}, []float64{0.012557, 0.378221, 0.185719, 0.705345}, bg.Convergence},
		{"Gamma-Gamma", []float64{gg.Model.P, gg.Model.Q, gg.Model.Gamma}, []float64{1.189687, 0.290166, 4.159994}, gg.Convergence},
	} {
		if len(f.conv.StdErrors) != len(f.values) {
			t.Fatalf("%s standard errors %v", f.name, f.conv.StdErrors)
		}
		for i, w := range f.want {
			if got := f.conv.StdErrors[i]; math.Abs(got-w)/w > 0.02 {
				t.Errorf("%s se[%d] = %.6g, lifetimes %.6g", f.name, i, got, w)
			}
		}
		for i, v := range f.values {
			lo, hi, ok := f.conv.LogInterval(i, v)
			if se := f.conv.StdErrors[i]; !(se > 0) || !ok || !(lo < v && v < hi) {
				t.Errorf("%s parameter %d = %v: se %v, interval [%v, %v]", f.name, i, v, se, lo, hi)
			}
		}
		t.Logf("%s %.4g; se %.4g", f.name, f.values, f.conv.StdErrors)
	}
}

// TestCDNOWIntervalsMatchBootstrap: the delta-method 95% intervals of expected purchases agree
// with a seeded parametric bootstrap (4,000 draws of the BG/NBD log-parameters from the
// asymptotic normal N(φ̂, Σ); the 2.5% and 97.5% quantiles of each customer's E[Y(52 weeks)])
// within 5% at both ends, for customers from one-time buyers to frequent ones; and the CLV
// interval holds the CLV.
func TestCDNOWIntervalsMatchBootstrap(t *testing.T) {
	s, _ := cdnowSummary(t)
	fit, err := FitBGNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	gg, err := FitGammaGamma(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	groups, index := cohorts(s)
	sc, err := score(s, groups, index, fit.Model, gg.Model, ScoreConfig{}, fit.LogCov, gg.LogCov)
	if err != nil || !sc.HasIntervals {
		t.Fatalf("score: %v, intervals %v", err, sc.HasIntervals)
	}
	phi := []float64{math.Log(fit.Model.R), math.Log(fit.Model.Alpha), math.Log(fit.Model.A), math.Log(fit.Model.B)}
	cov := mat.NewSymDense(4, nil)
	for i := range 4 {
		for j := i; j < 4; j++ {
			cov.SetSym(i, j, fit.LogCov[i][j])
		}
	}
	normal, ok := distmv.NewNormal(phi, cov, rand.NewPCG(5, 6))
	if !ok {
		t.Fatal("covariance not positive definite")
	}
	const draws = 4000
	models := make([]BGNBD, draws)
	x := make([]float64, 4)
	for d := range models {
		normal.Rand(x)
		models[d] = BGNBD{R: math.Exp(x[0]), Alpha: math.Exp(x[1]), A: math.Exp(x[2]), B: math.Exp(x[3])}
	}
	checked := 0
	for _, want := range []History{{X: 0, TX: 0, T: 38}, {X: 1, TX: 10, T: 38}, {X: 3, TX: 30, T: 36}, {X: 8, TX: 37, T: 38}} {
		i := slices.IndexFunc(index, func(g int32) bool {
			return g >= 0 && groups[g].History.X == want.X && math.Abs(groups[g].History.T-want.T) < 1 && math.Abs(groups[g].History.TX-want.TX) < 2
		})
		if i < 0 {
			continue
		}
		h := s.History(i)
		e := make([]float64, draws)
		for d, m := range models {
			e[d] = m.ExpectedPurchases(h, sc.Horizon)
		}
		slices.Sort(e)
		lo, hi := e[draws*25/1000], e[draws*975/1000]
		if math.Abs(sc.ExpectedPurchasesLo[i]-lo)/lo > 0.05 || math.Abs(sc.ExpectedPurchasesHi[i]-hi)/hi > 0.05 {
			t.Errorf("%+v: delta interval [%.4f, %.4f], bootstrap [%.4f, %.4f]", h, sc.ExpectedPurchasesLo[i], sc.ExpectedPurchasesHi[i], lo, hi)
		}
		if !(sc.CLVLo[i] < sc.CLV[i] && sc.CLV[i] < sc.CLVHi[i]) {
			t.Errorf("%+v: CLV %v outside its interval [%v, %v]", h, sc.CLV[i], sc.CLVLo[i], sc.CLVHi[i])
		}
		t.Logf("%+v: E %.4f, delta [%.4f, %.4f], bootstrap [%.4f, %.4f]", h, sc.ExpectedPurchases[i], sc.ExpectedPurchasesLo[i], sc.ExpectedPurchasesHi[i], lo, hi)
		checked++
	}
	if checked < 3 {
		t.Fatalf("found %d of the customers to check", checked)
	}
}
