package config

import (
	"github.com/rfmjob/rfm/analytics/cluster"
	"github.com/rfmjob/rfm/analytics/clv"
)

// ClustersConfig configures behavioural clusters (k-means on standardized log1p(monetary),
// log1p(frequency), recency_days, and profit when the profit view is on).
type ClustersConfig struct {
	// Enabled turns clusters on; default true.
	Enabled *bool `yaml:"enabled"`
	// K is the number of clusters; default 6. 0 with k_min/k_max chooses k by the mean
	// silhouette on a seeded sample.
	K        *int `yaml:"k"`
	KMin     int  `yaml:"k_min"`    // default 2 (automatic k)
	KMax     int  `yaml:"k_max"`    // default 8 (automatic k)
	Restarts int  `yaml:"restarts"` // default 3
	MaxIter  int  `yaml:"max_iter"` // default 100
	// FitSample caps the customers the centroids are fitted on (a seeded sample); every
	// customer is then given its nearest centroid. Default 200000; -1 fits on everyone.
	FitSample int `yaml:"fit_sample"`
	// Seed makes the clusters reproducible; default 1.
	Seed uint64 `yaml:"seed"`
}

func (c *ClustersConfig) On() bool { return c.Enabled == nil || *c.Enabled }

func (c *ClustersConfig) Analytics(threads int) cluster.Options {
	k := 6
	if c.K != nil {
		k = *c.K
	}
	seed := c.Seed
	if seed == 0 {
		seed = 1
	}
	return cluster.Options{K: k, KMin: c.KMin, KMax: c.KMax, Restarts: c.Restarts, MaxIter: c.MaxIter, Seed: seed, Workers: threads,
		FitSample: c.FitSample}
}

// CLVConfig configures predicted customer value: BG/NBD (or Pareto/NBD) purchases and
// Gamma-Gamma spend, fitted by maximum likelihood on the run's own history.
type CLVConfig struct {
	// Enabled turns the models on; default true.
	Enabled *bool `yaml:"enabled"`
	// Model is bgnbd (default) or pareto_nbd.
	Model string `yaml:"model"`
	// Unit is the models' time unit: weeks (default) or days.
	Unit string `yaml:"unit"`
	// HorizonDays is the prediction horizon in days; default 365.
	HorizonDays int `yaml:"horizon_days"`
	// Margin is the share of spend kept as profit, (0, 1]; default 1 (CLV in revenue).
	Margin float64 `yaml:"margin"`
	// AnnualDiscountRate discounts future value, e.g. 0.1; default 0.
	AnnualDiscountRate float64 `yaml:"annual_discount_rate"`
	// ChurnDays is the span of churn_risk, the probability of no purchase in the next N days
	// (BG/NBD); default 90.
	ChurnDays int `yaml:"churn_days"`
	// MinBuyers and MinHistoryDays gate the fit on too little data: with fewer customers with
	// a purchase, or a shorter history (earliest first purchase to the as-of day), the models
	// are not fitted, the CLV columns and table are left out and the manifest says why.
	// Defaults 500 and 180; 0 turns a bound off.
	MinBuyers      *int `yaml:"min_buyers"`
	MinHistoryDays *int `yaml:"min_history_days"`
	// Periods writes the clv_periods table (expected purchases and value per customer and
	// month of the horizon); default false. It is 12 rows per customer: 195 MB per million
	// customers and date, 1.4 times the customers table, and 0.4-0.7 s more writing (20M
	// rows, 1M customers): too much to write at every date of a nightly series by default.
	Periods *bool `yaml:"periods"`
	// Intervals computes the 95% intervals of expected_purchases and clv under the fits'
	// parameter uncertainty (expected_purchases_lo/_hi, clv_lo/_hi); default false: it scores
	// every cohort once more per parameter, 1.37 times the CLV fit and scoring at 1M customers
	// (BenchmarkAnalyzeLongHistory) and 1.3-1.4 times the job's CLV stage (0.5-0.8 s per date
	// on 20M rows), which a nightly series pays at every date; the demo turns it on.
	Intervals *bool `yaml:"intervals"`
}

func (c *CLVConfig) On() bool { return c.Enabled == nil || *c.Enabled }

// IntervalsOn reports whether the per-customer intervals are computed.
func (c *CLVConfig) IntervalsOn() bool { return c.Intervals != nil && *c.Intervals }

// PeriodsOn reports whether the clv_periods table is written.
func (c *CLVConfig) PeriodsOn() bool { return c.Periods != nil && *c.Periods }

// Default fit gate.
const (
	DefaultCLVMinBuyers      = 500
	DefaultCLVMinHistoryDays = 180
)

// Gate returns the fit gate's bounds, defaults filled.
func (c *CLVConfig) Gate() (minBuyers, minHistoryDays int) {
	minBuyers, minHistoryDays = DefaultCLVMinBuyers, DefaultCLVMinHistoryDays
	if c.MinBuyers != nil {
		minBuyers = *c.MinBuyers
	}
	if c.MinHistoryDays != nil {
		minHistoryDays = *c.MinHistoryDays
	}
	return minBuyers, minHistoryDays
}

func (c *CLVConfig) Analytics() clv.Config {
	unit := clv.Weeks
	if c.Unit == "days" {
		unit = clv.Days
	}
	horizon := float64(c.HorizonDays)
	if horizon == 0 {
		horizon = 365
	}
	churn := float64(c.ChurnDays)
	if churn == 0 {
		churn = 90
	}
	if unit == clv.Weeks {
		horizon /= 7
		churn /= 7
	}
	return clv.Config{Unit: unit, Model: clv.ModelName(c.Model), NoIntervals: !c.IntervalsOn(),
		Score: clv.ScoreConfig{Horizon: horizon, Margin: c.Margin, AnnualDiscountRate: c.AnnualDiscountRate, ChurnHorizon: churn}}
}

// MigrationConfig configures how customers moving between tiers and segments are tracked from
// one date of a series (backfill or schedule, or `rfm run --previous-as-of`) to the next.
type MigrationConfig struct {
	// MissingPrevious is what happens when the previous date has no committed output:
	// compute (default: its tiers and segments are computed in memory from the same input,
	// exactly as its own run would, so a date's outputs do not depend on the order dates run
	// in), skip (the migration columns stay null and the manifest says why) or fail.
	MissingPrevious string `yaml:"missing_previous"`
	// PeriodsBelow and MaxDrop are status protection (grace rules, as airline programmes
	// have): a customer keeps the tier they hold until they have earned a lower one for
	// PeriodsBelow consecutive periods (0 or 1: drop at once), and drops at most MaxDrop tiers
	// per period (0: no limit). Promotions are never delayed.
	PeriodsBelow int `yaml:"periods_below"`
	MaxDrop      int `yaml:"max_drop"`
}

func (c MigrationConfig) Protects() bool { return c.PeriodsBelow > 1 || c.MaxDrop > 0 }
