package config

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rfmjob/rfm/analytics/cluster"
	"github.com/rfmjob/rfm/analytics/tier"
)

// ErrConfig: the configuration or command line is invalid. Fix it; retrying will not help.
var ErrConfig = errors.New("invalid configuration")

// OptionError is one invalid setting: Field is its configuration key (scoring.bins), Value
// what it is (nil for a problem of several keys together), Want what is accepted. It wraps
// ErrConfig.
type OptionError struct {
	Field string
	Value any
	Want  string
}

func (e *OptionError) Error() string {
	switch v := e.Value.(type) {
	case nil:
		return e.Field + ": " + e.Want
	case string:
		return fmt.Sprintf("%s is %q, want %s", e.Field, v, e.Want)
	}
	return fmt.Sprintf("%s is %v, want %s", e.Field, e.Value, e.Want)
}

// Unwrap lets errors.Is find ErrConfig.
func (e *OptionError) Unwrap() error { return ErrConfig }

// ConfigError is every problem of a configuration, found at once: each an *OptionError.
type ConfigError struct{ Problems []*OptionError }

func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return ErrConfig.Error() + ":\n  " + strings.Join(lines, "\n  ")
}

// Is lets errors.Is find ErrConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// problems collects the problems of a configuration.
type problems []*OptionError

func (p *problems) add(field string, value any, want string) {
	*p = append(*p, &OptionError{Field: field, Value: value, Want: want})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ConfigError{Problems: p}
}

// Validate reports every problem with a normalized config at once, as a *ConfigError.
func (c *Config) Validate() error {
	var p problems
	if c.Input.Transactions == "" && c.Engine != "trino" {
		p.add("input.transactions", nil, "required (a Parquet file, glob, directory or s3:// URL)")
	}
	switch c.Engine {
	case "native":
	case "duckdb":
		// DuckDB reads the files itself, and only local ones here (its httpfs extension is
		// not linked); the native engine reads s3:// through the same verified reader.
		if strings.HasPrefix(c.Input.Transactions, "s3://") {
			p.add("input.transactions", c.Input.Transactions, "a local path with engine duckdb; use engine native (the default) for s3:// inputs")
		}
	case "trino":
		c.Trino.validate(&p)
	default:
		p.add("engine", c.Engine, "native, duckdb or trino")
	}
	if strings.Contains(c.Output.Dir, "://") && !strings.HasPrefix(c.Output.Dir, "s3://") {
		p.add("output.dir", c.Output.Dir, "a local directory or an s3://bucket/prefix/")
	}
	if c.Output.LockLease != "" && (c.LockLease() < 2*time.Second) {
		p.add("output.lock_lease", c.Output.LockLease, "a duration of at least 2s, such as 60s or 5m")
	}
	cols := c.Input.Columns
	if cols.Amount != "" && (cols.Quantity != "" || cols.UnitPrice != "") {
		p.add("input.columns", nil, "give amount, or quantity and unit_price, not both")
	}
	if cols.Amount == "" && (cols.Quantity == "" || cols.UnitPrice == "") {
		p.add("input.columns", nil, "quantity and unit_price must both be given when amount is not")
	}
	if c.Window.Lookback != "" && c.LookbackDays() == 0 {
		p.add("window.lookback", c.Window.Lookback, "a number of days or weeks like 365d or 52w")
	}
	if _, err := c.Location(); err != nil {
		p.add("window.timezone", c.Window.Timezone, "an IANA time zone such as Europe/Berlin")
	}
	if s := *c.Money.Scale; s < 0 || s > 6 {
		p.add("money.scale", s, "0..6")
	}
	if b := c.Scoring.Bins; b < 2 || b > 10 {
		p.add("scoring.bins", b, "2..10")
	}
	switch c.Scoring.Method {
	case "quantile", "ntile", "rfm_r":
	case "fixed":
		fixed := c.Scoring.Fixed
		for _, f := range []struct {
			name   string
			breaks []float64
		}{{"recency", fixed.Recency}, {"frequency", fixed.Frequency}, {"monetary", fixed.Monetary}} {
			if len(f.breaks) != c.Scoring.Bins-1 {
				p.add("scoring.fixed."+f.name, f.breaks, fmt.Sprintf("bins−1 = %d cut points", c.Scoring.Bins-1))
			}
		}
	default:
		p.add("scoring.method", c.Scoring.Method, "quantile, ntile, fixed or rfm_r")
	}
	if a, b := c.Pareto.ACut, c.Pareto.BCut; !(0 < a && a < b && b < 1) {
		p.add("pareto.a_cut, pareto.b_cut", fmt.Sprintf("%g, %g", a, b), "0 < a_cut < b_cut < 1")
	}
	if s := *c.Quality.MaxRejectedShare; s < 0 || s > 1 {
		p.add("quality.max_rejected_share", s, "0..1")
	}
	if c.Limits.Threads < 0 {
		p.add("limits.threads", c.Limits.Threads, "≥ 0")
	}
	if m := c.Limits.MemoryLimit; m != "" {
		if n, err := ParseBytes(m); err != nil || n == 0 {
			p.add("limits.memory_limit", m, "a positive size below 2^63 bytes like 512MB or 4GiB (or leave it unset)")
		}
	}
	if c.Clusters.On() {
		c.Clusters.validate(&p)
	}
	if b, d := c.CLV.Gate(); b < 0 || d < 0 {
		p.add("clv.min_buyers, clv.min_history_days", fmt.Sprintf("%d, %d", b, d), "≥ 0 (0 turns a bound off)")
	}
	if c.CLV.ChurnDays < 0 {
		p.add("clv.churn_days", c.CLV.ChurnDays, "a number of days ≥ 1 (0 for the default 90)")
	}
	c.validateProfit(&p)
	c.Migration.validate(&p)
	if c.Schedule.Cron != "" {
		c.Schedule.Normalized(c.Window.Timezone).validate(&p)
	}
	return p.err()
}

// clusterKeys are the config keys of the cluster.Options fields that options sets from them.
var clusterKeys = map[string]string{"K": "k", "KMin": "k_min", "KMax": "k_max", "Restarts": "restarts",
	"MaxIter": "max_iter", "FitSample": "fit_sample"}

// validate reports each out-of-range cluster option by its config key.
func (c *ClustersConfig) validate(p *problems) {
	for _, err := range unjoin(c.Analytics(1).Validate()) {
		var oe *cluster.OptionError
		if errors.As(err, &oe) {
			p.add("clusters."+cmp.Or(clusterKeys[oe.Field], oe.Field), oe.Value, oe.Want)
		} else {
			p.add("clusters", nil, err.Error())
		}
	}
}

// tierKeys are the config keys of the tier.Config fields that config sets from them.
var tierKeys = map[string]string{"Tiers": "names", "ShareCuts": "cuts", "ProfitCuts": "cuts",
	"Thresholds": "thresholds", "Basis": "basis", "Method": "method"}

// validateProfit reports every problem of the profit and tier settings.
func (c *Config) validateProfit(p *problems) {
	before := len(*p)
	pc := &c.Profit
	if m := pc.MarginRate; m != nil && (math.IsNaN(*m) || math.IsInf(*m, 0) || *m > 1) {
		p.add("profit.margin_rate", *m, "a number ≤ 1")
	}
	if o := pc.OrderCost; math.IsNaN(o) || math.IsInf(o, 0) || o < 0 {
		p.add("profit.order_cost", o, "a number ≥ 0")
	}
	names := make([]string, 0, len(pc.Rates))
	for name := range pc.Rates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if r := pc.Rates[name]; math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
			p.add("profit.rates."+name, r, "a number ≥ 0")
		}
		if name == "" {
			p.add("profit.rates", nil, "activity names that are not empty")
		}
	}
	if pc.Activities.Path == "" && pc.Activities.Columns != (ActivityColumns{}) {
		p.add("profit.activities.columns", nil, "set only with profit.activities.path")
	}
	cols := pc.ActivityColumns()
	seen := map[string]string{}
	for _, rc := range [][2]string{{"customer_id", cols.CustomerID}, {"timestamp", cols.Timestamp}, {"activity", cols.Activity}, {"quantity", cols.Quantity}, {"cost", cols.Cost}} {
		if rc[1] == "" {
			continue
		}
		if other, dup := seen[rc[1]]; dup && pc.Activities.Path != "" {
			p.add("profit.activities.columns", nil, fmt.Sprintf("one role per column, but %s and %s both map column %q", other, rc[0], rc[1]))
		}
		seen[rc[1]] = rc[0]
	}
	t := &c.Tiers
	switch t.Method {
	case "clusters":
		if c.Clusters.Enabled != nil && !*c.Clusters.Enabled {
			p.add("tiers.method", t.Method, "a method other than clusters while clusters.enabled is false")
		}
	case "", "share", "cumulative":
		if t.Thresholds != nil {
			p.add("tiers.thresholds", t.Thresholds, fmt.Sprintf("none with tiers.method %s (thresholds belong to method thresholds)", cmp.Or(t.Method, "share")))
		}
	case "thresholds":
		if t.Cuts != nil {
			p.add("tiers.cuts", t.Cuts, "none with tiers.method thresholds")
		}
		for i, th := range t.Thresholds {
			if math.IsNaN(th) || math.IsInf(th, 0) || math.Abs(th) > 9e15/math.Pow10(*c.Money.Scale) {
				p.add(fmt.Sprintf("tiers.thresholds[%d]", i), th, "a finite amount")
			}
		}
	}
	if len(*p) > before {
		return
	}
	// The tier package checks the rest (cut counts and order, names, basis), all at once; each
	// problem is said by its config key and with the value as configured (thresholds in
	// currency units, not minor units).
	for _, err := range unjoin(t.Analytics(*c.Money.Scale).Validate()) {
		var oe *tier.OptionError
		if !errors.As(err, &oe) {
			p.add("tiers", nil, err.Error())
			continue
		}
		key := "tiers." + cmp.Or(tierKeys[oe.Field], oe.Field)
		value := map[string]any{"names": t.Names, "cuts": t.Cuts, "thresholds": t.Thresholds, "basis": t.Basis, "method": t.Method}[tierKeys[oe.Field]]
		if value == nil || fmt.Sprint(value) == "[]" || value == "" {
			value = oe.Value // a default the config left unset
		}
		p.add(key, value, oe.Want)
	}
}

// validate reports the problems of the migration section.
func (c MigrationConfig) validate(p *problems) {
	switch c.MissingPrevious {
	case "", "compute", "skip", "fail":
	default:
		p.add("migration.missing_previous", c.MissingPrevious, "compute, skip or fail")
	}
	if c.PeriodsBelow < 0 {
		p.add("migration.periods_below", c.PeriodsBelow, "≥ 0")
	}
	if c.MaxDrop < 0 {
		p.add("migration.max_drop", c.MaxDrop, "≥ 0")
	}
}

// Validate reports every problem of a normalized schedule section at once, as a *ConfigError.
func (s ScheduleConfig) Validate() error {
	var p problems
	s.validate(&p)
	return p.err()
}

func (s ScheduleConfig) validate(p *problems) {
	loc, tzErr := time.LoadLocation(s.Timezone)
	if tzErr != nil {
		loc = time.UTC // the expression is still checked, and the zone reported once below
	}
	if strings.TrimSpace(s.Cron) == "" {
		p.add("schedule.cron", nil, "required, e.g. \"0 2 * * *\" for 02:00 every day")
	} else if _, err := s.cadence(loc); err != nil {
		p.add("schedule.cron", s.Cron, fmt.Sprintf("a cron expression such as \"0 2 * * *\" (%v)", err))
	}
	if tzErr != nil {
		p.add("schedule.timezone", s.Timezone, fmt.Sprintf("an IANA time zone such as Europe/Berlin (%v)", tzErr))
	}
	switch s.CatchUp {
	case "none", "latest", "all":
	default:
		p.add("schedule.catch_up", s.CatchUp, "none, latest or all")
	}
	if s.Retries != nil && *s.Retries < 0 {
		p.add("schedule.retries", *s.Retries, "≥ 0")
	}
	if d, err := time.ParseDuration(s.RetryDelay); err != nil || d <= 0 {
		p.add("schedule.retry_delay", s.RetryDelay, "a positive duration like 30s or 5m")
	}
}

// validate reports what engine trino is missing.
func (c TrinoConfig) validate(p *problems) {
	if _, err := c.Timeout(); err != nil {
		p.add("trino.retry_timeout", c.RetryTimeout, "a duration such as 30s")
	}
	catalog, _, table := c.Names()
	if c.Server == "" {
		p.add("trino.server", nil, "required for engine trino")
	}
	if catalog == "" || table == "" {
		p.add("trino.catalog, trino.table", nil, "both required for engine trino (or trino.table as catalog.schema.table)")
	}
	switch c.Results {
	case "", "stream":
	case "parquet":
		if c.ResultsLocation == "" || c.ResultsLocalDir == "" {
			p.add("trino.results", c.Results, "trino.results_location and trino.results_local_dir with results parquet")
		}
	default:
		p.add("trino.results", c.Results, "stream or parquet")
	}
}

// unjoin lists the errors an errors.Join holds (err alone when it is not a join; none for nil).
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	return []error{err}
}
