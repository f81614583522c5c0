package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

// TestAnalyzeCDNOW runs the whole chain on the CDNOW calibration table and checks the fits
// against the published log-likelihoods (Fader, Hardie & Lee 2005; 1e-3 relative) and the
// scores against their defining identities: undiscounted CLV = margin · spend · E(horizon), and
// ranks are a permutation ordered by CLV.
func TestAnalyzeCDNOW(t *testing.T) {
	data := loadCDNOW(t)
	for _, c := range []struct {
		name  string
		model ModelName
		ll    float64
	}{
		{"BG/NBD", ModelBGNBD, -9582.43},
		{"Pareto/NBD", ModelParetoNBD, -9594.98},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Analyze(data.calibration, cdnowCalibrationEnd, Config{Model: c.model, Score: ScoreConfig{Horizon: 39, Margin: 0.3}})
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(res.PurchaseFit.LogLikelihood, c.ll, 1e-3) || !relClose(res.Spend.LogLikelihood, -4055.92, 1e-3) {
				t.Errorf("got log-likelihoods %.2f and %.2f, want %.2f and -4055.92", res.PurchaseFit.LogLikelihood, res.Spend.LogLikelihood, c.ll)
			}
			sc := res.Scores
			byRank := make([]int, sc.Len()+1)
			for i := range sc.Len() {
				want := 0.3 * sc.ExpectedSpend[i] * sc.ExpectedPurchases[i]
				if !sc.Scored[i] || !relClose(sc.CLV[i], want, 1e-9) {
					t.Fatalf("customer %s: got scored %v, CLV %v, want true, %v", sc.CustomerID[i], sc.Scored[i], sc.CLV[i], want)
				}
				if r := sc.CLVRank[i]; r < 1 || r > sc.Len() || byRank[r] != 0 {
					t.Fatalf("customer %s: rank %d out of range or repeated", sc.CustomerID[i], r)
				}
				byRank[sc.CLVRank[i]] = i + 1
			}
			for r := 2; r <= sc.Len(); r++ {
				if sc.CLV[byRank[r]-1] > sc.CLV[byRank[r-1]-1] {
					t.Fatalf("rank %d has CLV %v above rank %d's %v", r, sc.CLV[byRank[r]-1], r-1, sc.CLV[byRank[r-1]-1])
				}
			}
		})
	}
}

// TestAnalyzeNotConverged checks that a fit stopped early still scores and reports
// ErrNotConverged as a warning with Converged = false.
func TestAnalyzeNotConverged(t *testing.T) {
	data := loadCDNOW(t)
	res, err := Analyze(data.calibration, cdnowCalibrationEnd, Config{Fit: FitConfig{MaxIterations: 2}})
	if !errors.Is(err, ErrNotConverged) {
		t.Fatalf("got error %v, want ErrNotConverged", err)
	}
	if res == nil || res.Scores == nil || res.PurchaseFit.Converged || res.PurchaseFit.Iterations != 2 {
		t.Fatalf("got result %+v, want scores from an unconverged fit after 2 iterations", res)
	}
	if res.PurchaseFit.Status != "IterationLimit" {
		t.Errorf("got status %q, want IterationLimit", res.PurchaseFit.Status)
	}
}

// TestFitNoCustomers checks the error for a table without purchasers.
func TestFitNoCustomers(t *testing.T) {
	tbl := &feature.Table{MoneyScale: 2}
	tbl.Grow(2)
	copy(tbl.CustomerID, []string{"a", "b"})
	s, err := Summarize(tbl, 10, Weeks)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FitBGNBD(s, FitConfig{}); !errors.Is(err, ErrNoCustomers) {
		t.Errorf("BG/NBD: got %v, want ErrNoCustomers", err)
	}
	if _, err := FitParetoNBD(s, FitConfig{}); !errors.Is(err, ErrNoCustomers) {
		t.Errorf("Pareto/NBD: got %v, want ErrNoCustomers", err)
	}
	if _, err := FitGammaGamma(s, FitConfig{}); !errors.Is(err, ErrNoCustomers) {
		t.Errorf("Gamma-Gamma: got %v, want ErrNoCustomers", err)
	}
}

// TestFitRecoversSyntheticParameters fits customers simulated from known BG/NBD and
// Gamma-Gamma parameters (the CDNOW values). With 40,000 customers the maximum-likelihood
// estimates' sampling error is a few percent; the tolerance is 15% relative.
func TestFitRecoversSyntheticParameters(t *testing.T) {
	cfg := cdnowLike(40000)
	s, err := Summarize(synthTable(cfg), cfg.asOfDay, Weeks)
	if err != nil {
		t.Fatal(err)
	}
	bg, err := FitBGNBD(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	gg, err := FitGammaGamma(s, FitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("BG/NBD %+v; Gamma-Gamma %+v", bg, gg)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"r", bg.Model.R, cfg.purchases.R},
		{"alpha", bg.Model.Alpha, cfg.purchases.Alpha},
		{"a", bg.Model.A, cfg.purchases.A},
		{"b", bg.Model.B, cfg.purchases.B},
		{"spend mean", gg.Model.ExpectedSpend(0, 0), cfg.spend.ExpectedSpend(0, 0)},
		{"p", gg.Model.P, cfg.spend.P},
	} {
		if !relClose(c.got, c.want, 0.15) || math.IsNaN(c.got) {
			t.Errorf("%s: got %.4g, want %.4g ± 15%%", c.name, c.got, c.want)
		}
	}
}
