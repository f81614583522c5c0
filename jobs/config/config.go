package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rfmjob/rfm/jobs/internal/yamlconf"
)

// Config is the job's configuration. Its zero value means "all defaults"; Load fills it from a
// YAML file, then RFM_* environment variables, and the command line overrides both. Each field
// documents its default.
type Config struct {
	Input   InputConfig   `yaml:"input"`
	Output  OutputConfig  `yaml:"output"`
	Engine  string        `yaml:"engine"` // native (default) | duckdb | trino
	Window  WindowConfig  `yaml:"window"`
	Money   MoneyConfig   `yaml:"money"`
	Scoring ScoringConfig `yaml:"scoring"`
	Pareto  ParetoConfig  `yaml:"pareto"`
	Quality QualityConfig `yaml:"quality"`
	Limits  LimitsConfig  `yaml:"limits"`

	Clusters  ClustersConfig  `yaml:"clusters"`
	CLV       CLVConfig       `yaml:"clv"`
	Report    ReportConfig    `yaml:"report"`
	Profit    ProfitConfig    `yaml:"profit"`
	Tiers     TiersConfig     `yaml:"tiers"`
	Schedule  ScheduleConfig  `yaml:"schedule"`
	Migration MigrationConfig `yaml:"migration"`
	Trino     TrinoConfig     `yaml:"trino"`
}

// ReportConfig controls the HTML report written after each run
// (DIR/report/as_of=…/index.html).
type ReportConfig struct {
	Enabled *bool `yaml:"enabled"` // default true
}

func (c ReportConfig) On() bool { return c.Enabled == nil || *c.Enabled }

// InputConfig says where the transactions are and which columns play which role.
type InputConfig struct {
	// Transactions is a Parquet file, a glob, or a directory (searched recursively, hive
	// partition directories allowed). Required.
	Transactions string        `yaml:"transactions"`
	Columns      ColumnsConfig `yaml:"columns"`
	// ZeroNetIsPurchase counts orders whose net is exactly 0 (free items) as purchases;
	// default false: a purchase is an order with net > 0.
	ZeroNetIsPurchase bool `yaml:"zero_net_is_purchase"`
}

// ColumnsConfig maps each role to a column name in the input. Defaults: customer_id,
// order_id (optional; set to "" explicitly with `order_id: ""` to treat every row as an order),
// ts, amount. Give quantity and unit_price instead of amount to compute amount = quantity ×
// unit_price.
type ColumnsConfig struct {
	CustomerID string  `yaml:"customer_id"`
	OrderID    *string `yaml:"order_id"`
	Timestamp  string  `yaml:"timestamp"`
	Amount     string  `yaml:"amount"`
	Quantity   string  `yaml:"quantity"`
	UnitPrice  string  `yaml:"unit_price"`
	Cost       string  `yaml:"cost"`
}

// OutputConfig says where outputs go.
type OutputConfig struct {
	Dir string `yaml:"dir"` // default "out"; a local directory or an s3://bucket/prefix/
	// LockLease is how long a date's lock in an object store lasts unless renewed ("60s",
	// "2m"; default 1m): the time after which a killed run's lock may be taken over. A local
	// directory's lock is an flock, released by the kernel.
	LockLease string `yaml:"lock_lease"`
}

// WindowConfig bounds the history each as-of date looks at.
type WindowConfig struct {
	// Lookback limits history to the N days ending on the as-of day ("365d", "52w"); empty:
	// all history.
	Lookback string `yaml:"lookback"`
	// Timezone turns timestamps into days (IANA name); default UTC.
	Timezone string `yaml:"timezone"`
}

// MoneyConfig sets the exact money representation.
type MoneyConfig struct {
	// Scale is the number of decimals kept (2 = cents, the default); amounts are rounded half
	// away from zero to this many decimals per row, then summed exactly.
	Scale *int `yaml:"scale"`
}

// ScoringConfig configures the RFM scores and segments.
type ScoringConfig struct {
	Bins   int    `yaml:"bins"`   // 2..10, default 5
	Method string `yaml:"method"` // quantile (default) | ntile | fixed | rfm_r
	// Fixed cut points per dimension (ascending, bins−1 each), for method fixed. Recency in
	// days, frequency in orders, monetary in currency units.
	Fixed    FixedBreaks   `yaml:"fixed"`
	Segments []SegmentRule `yaml:"segments"` // ordered, first match wins; default: the R rfm ten
}

// FixedBreaks are the cut points of method fixed.
type FixedBreaks struct {
	Recency   []float64 `yaml:"recency"`
	Frequency []float64 `yaml:"frequency"`
	Monetary  []float64 `yaml:"monetary"`
}

// SegmentRule names the customers whose scores fall in all three inclusive ranges.
type SegmentRule struct {
	Name string `yaml:"name"`
	R    [2]int `yaml:"r"`
	F    [2]int `yaml:"f"`
	M    [2]int `yaml:"m"`
}

// ParetoConfig sets the ABC cut points on cumulative value share.
type ParetoConfig struct {
	ACut float64 `yaml:"a_cut"` // default 0.80
	BCut float64 `yaml:"b_cut"` // default 0.95
}

// QualityConfig sets how much bad input a run tolerates.
type QualityConfig struct {
	// MaxRejectedShare fails the run when rejected rows / rows read exceeds it; default 0.01.
	MaxRejectedShare *float64 `yaml:"max_rejected_share"`
}

// LimitsConfig bounds the resources a run uses.
type LimitsConfig struct {
	Threads     int    `yaml:"threads"`      // default: all cores
	MemoryLimit string `yaml:"memory_limit"` // e.g. "4GB"; default: engine default
	TempDir     string `yaml:"temp_dir"`     // spill directory (DuckDB); default: system temp
}

// Defaults.
const (
	DefaultEngine           = "native"
	DefaultOutputDir        = "out"
	DefaultBins             = 5
	DefaultMethod           = "quantile"
	DefaultMoneyScale       = 2
	DefaultMaxRejectedShare = 0.01
	DefaultACut             = 0.80
	DefaultBCut             = 0.95
)

// Load reads the YAML file at path (none when path is ""), applies RFM_* environment
// overrides from env (os.Environ() form), fills defaults and validates. Unknown YAML keys are
// errors, so a typo never silently means "default".
func Load(path string, env []string) (*Config, error) {
	var cfg Config
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		if err := yamlconf.Decode(data, &cfg); err != nil {
			return nil, fileError(path, err)
		}
		// Relative input paths in a config file are relative to the file, so a job definition
		// can travel with its data.
		cfg.Input.Transactions = relativeTo(filepath.Dir(path), cfg.Input.Transactions)
		cfg.Profit.Activities.Path = relativeTo(filepath.Dir(path), cfg.Profit.Activities.Path)
	}
	if err := yamlconf.ApplyEnv(&cfg, "RFM", env, envIgnored); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return &cfg, nil
}

// envIgnored are RFM_ variables read elsewhere (by the command line), not config keys.
var envIgnored = map[string]bool{"RFM_CONFIG": true, "RFM_LOG_FORMAT": true, "RFM_TEST_PAUSE_BEFORE_COMMIT": true, "RFM_TEST_PAUSE_AT_PUBLISH": true}

// EnvKeys lists every environment variable the config understands, for --help.
func EnvKeys() []string { return yamlconf.EnvKeys(&Config{}, "RFM") }

// fileError wraps the problems of a config file in ErrConfig, one a line, each naming the
// file: "job.yaml: line 3: input.colums: unknown key (did you mean input.columns?)".
func fileError(path string, err error) error {
	problems := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		problems = joined.Unwrap()
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = path + ": " + p.Error()
	}
	return fmt.Errorf("%w: %s", ErrConfig, strings.Join(lines, "\n  "))
}

// relativeTo resolves a path of a config file in dir; absolute paths and URLs (s3://) stay.
func relativeTo(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || dir == "." || strings.Contains(p, "://") {
		return p
	}
	return filepath.Join(dir, p)
}

// Normalize fills defaults in place. It is idempotent.
func (c *Config) Normalize() {
	if c.Engine == "" {
		c.Engine = DefaultEngine
	}
	if c.Output.Dir == "" {
		c.Output.Dir = DefaultOutputDir
	}
	cols := &c.Input.Columns
	if cols.CustomerID == "" {
		cols.CustomerID = "customer_id"
	}
	if cols.OrderID == nil {
		s := "order_id"
		cols.OrderID = &s
	}
	if cols.Timestamp == "" {
		cols.Timestamp = "ts"
	}
	if cols.Amount == "" && cols.Quantity == "" && cols.UnitPrice == "" {
		cols.Amount = "amount"
	}
	if c.Money.Scale == nil {
		s := DefaultMoneyScale
		c.Money.Scale = &s
	}
	if c.Scoring.Bins == 0 {
		c.Scoring.Bins = DefaultBins
	}
	if c.Scoring.Method == "" {
		c.Scoring.Method = DefaultMethod
	}
	if c.Pareto.ACut == 0 {
		c.Pareto.ACut = DefaultACut
	}
	if c.Pareto.BCut == 0 {
		c.Pareto.BCut = DefaultBCut
	}
	if c.Quality.MaxRejectedShare == nil {
		s := DefaultMaxRejectedShare
		c.Quality.MaxRejectedShare = &s
	}
}

var lookbackRe = regexp.MustCompile(`^([1-9][0-9]{0,5})([dw])$`)

// LockLease returns output.lock_lease, 0 when unset or not a positive duration.
func (c *Config) LockLease() time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(c.Output.LockLease))
	if err != nil || d <= 0 {
		return 0
	}
	return d
}

// LookbackDays returns the lookback window in days, 0 for "all history".
func (c *Config) LookbackDays() int {
	m := lookbackRe.FindStringSubmatch(strings.TrimSpace(c.Window.Lookback))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] == "w" {
		n *= 7
	}
	return n
}

// Location returns the configured time zone (UTC by default).
func (c *Config) Location() (*time.Location, error) {
	if c.Window.Timezone == "" || c.Window.Timezone == "UTC" {
		return time.UTC, nil
	}
	return time.LoadLocation(c.Window.Timezone)
}

var bytesRe = regexp.MustCompile(`(?i)^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]i?b|b)?\s*$`)

// ParseBytes reads sizes like "512MB", "4GiB", "1.5GB" (decimal and binary units). A size of
// 2^63 bytes or more is an error, never a wrapped-around negative count.
func ParseBytes(s string) (int64, error) {
	m := bytesRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size like 512MB or 4GiB", s)
	}
	x, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[strings.ToLower(m[2])]
	n := x * mult
	if n >= 1<<63 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return int64(n), nil
}

// Hash returns the SHA-256 of the normalized configuration, so two runs can be told to have used
// the same settings.
func (c *Config) Hash() string {
	data, _ := json.Marshal(c)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
