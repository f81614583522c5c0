package clv

import (
	"fmt"
	"testing"
)

// BenchmarkAnalyze times the whole chain (summary, BG/NBD fit, Gamma-Gamma fit, scoring with a
// discounted one-year CLV) on synthetic CDNOW-like cohorts, days unit so that groups are as
// many as a real daily table gives.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfg := cdnowLike(n)
			tbl := synthTable(cfg)
			b.ReportAllocs()
			for b.Loop() {
				res, err := Analyze(tbl, cfg.asOfDay, Config{Unit: Days, Score: ScoreConfig{AnnualDiscountRate: 0.1, Margin: 0.3}})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.PurchaseFit.Groups), "groups")
			}
		})
	}
}

// BenchmarkAnalyzeLongHistory is BenchmarkAnalyze on 1M customers whose first purchases spread
// over two years (the job's generated history), in weeks as the job's default: about five times
// the distinct (x, t_x, T) groups of the CDNOW-like cohort, which is what the fits and scoring
// cost scales with.
//
// intervals=off is the job's default (clv.intervals: false); intervals=on adds the
// per-customer 95% intervals.
func BenchmarkAnalyzeLongHistory(b *testing.B) {
	cfg := cdnowLike(1_000_000)
	cfg.cohortDays, cfg.asOfDay = 700, 730
	tbl := synthTable(cfg)
	for _, intervals := range []bool{false, true} {
		b.Run(fmt.Sprintf("intervals=%s", map[bool]string{false: "off", true: "on"}[intervals]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Analyze(tbl, cfg.asOfDay, Config{Unit: Weeks, NoIntervals: !intervals,
					Score: ScoreConfig{Horizon: 365.0 / 7, AnnualDiscountRate: 0.1}})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.PurchaseFit.Groups), "groups")
			}
		})
	}
}

// BenchmarkFitBGNBD times the BG/NBD fit alone on summaries of the same cohorts.
func BenchmarkFitBGNBD(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfg := cdnowLike(n)
			s, err := Summarize(synthTable(cfg), cfg.asOfDay, Days)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := FitBGNBD(s, FitConfig{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFitParetoNBD times the Pareto/NBD fit (two 2F1 per group and evaluation, gradient
// by central differences) on summaries of the same cohorts.
func BenchmarkFitParetoNBD(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfg := cdnowLike(n)
			s, err := Summarize(synthTable(cfg), cfg.asOfDay, Days)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				fit, err := FitParetoNBD(s, FitConfig{})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(fit.Groups), "groups")
			}
		})
	}
}

// BenchmarkExpectedTotals times the predicted side of rfm evaluate's tracking curve: 39
// weekly spans over the long-history cohort of 1M customers.
func BenchmarkExpectedTotals(b *testing.B) {
	cfg := cdnowLike(1_000_000)
	cfg.cohortDays, cfg.asOfDay = 700, 730
	s, err := Summarize(synthTable(cfg), cfg.asOfDay, Weeks)
	if err != nil {
		b.Fatal(err)
	}
	m := BGNBD{R: 0.24, Alpha: 4.41, A: 0.79, B: 2.43}
	spans := make([]float64, 39)
	for k := range spans {
		spans[k] = float64(k + 1)
	}
	for b.Loop() {
		ExpectedTotals(s, m, spans)
	}
}
