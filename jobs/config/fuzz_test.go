package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/cadence"
)

// readmeConfig is the configuration of the README, every key set.
const readmeConfig = `input:
  transactions: data/tx/*.parquet
  columns:
    customer_id: CustomerID
    order_id: InvoiceNo
    timestamp: InvoiceDate
    quantity: Quantity
    unit_price: UnitPrice
    cost: Cost
output:
  dir: out/
engine: native
window:
  lookback: 365d
  timezone: Europe/Berlin
money:
  scale: 2
scoring:
  bins: 5
  method: fixed
  fixed: {recency: [30, 90, 180, 365], frequency: [1, 2, 4, 8], monetary: [50, 100, 250, 1000]}
  segments:
    - {name: Champions, r: [4, 5], f: [4, 5], m: [4, 5]}
pareto:
  a_cut: 0.80
  b_cut: 0.95
quality:
  max_rejected_share: 0.01
limits:
  threads: 0
  memory_limit: 4GB
  temp_dir: /tmp/spill
clusters:
  enabled: true
  k: 6
clv:
  enabled: true
  model: bgnbd
report:
  enabled: true
`

// FuzzLoadConfig feeds random YAML to LoadConfig, then Normalize and Validate: every outcome
// must be a config or an error wrapping ErrConfig, never a panic; a config that validates must
// give a usable window, time zone and engine request.
func FuzzLoadConfig(f *testing.F) {
	for _, seed := range []string{readmeConfig, "", "input: {transactions: x.parquet}\n", "engine: [a, b]\n",
		"scoring: {bins: 99999999999999999999}\n", "money: {scale: -1}\n", "limits: {memory_limit: 1e400TB}\n",
		"a: &a [*a, *a]\n", "input: {columns: {order_id: null}}\n", "window: {lookback: 0d}\n", "\t- :\n"} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "job.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path, nil)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("LoadConfig error %v does not wrap ErrConfig", err)
			}
			return
		}
		checkLoaded(t, cfg)
	})
}

// checkLoaded normalizes and validates a loaded config and, when it validates, checks what the
// run derives from it.
func checkLoaded(t *testing.T, cfg *Config) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		if !errors.Is(err, ErrConfig) {
			t.Fatalf("Validate error %v does not wrap ErrConfig", err)
		}
		return
	}
	if _, err := cfg.Location(); err != nil {
		t.Fatalf("valid config, but Location: %v", err)
	}
	if n := cfg.LookbackDays(); n < 0 || cfg.Window.Lookback != "" && n == 0 {
		t.Fatalf("lookback %q gives %d days", cfg.Window.Lookback, n)
	}
	if cfg.Limits.MemoryLimit != "" {
		if n, err := ParseBytes(cfg.Limits.MemoryLimit); err != nil || n <= 0 {
			t.Fatalf("valid memory_limit %q gives %d bytes, %v: want a positive size", cfg.Limits.MemoryLimit, n, err)
		}
	}
	asOfDay := day("2024-12-31")
	req := cfg.Request([]string{"x.parquet"}, asOfDay)
	wantStart := feature.NoDate
	if n := cfg.LookbackDays(); n > 0 {
		wantStart = asOfDay - int32(n) + 1
	}
	if req.StartDay != wantStart || req.AsOfDay != asOfDay {
		t.Fatalf("request window %d..%d, want %d..%d for lookback %q", req.StartDay, req.AsOfDay, wantStart, asOfDay, cfg.Window.Lookback)
	}
	if (cfg.Limits.MemoryLimit != "") != (req.MemoryLimitBytes > 0) {
		t.Fatalf("memory_limit %q gives a request limit of %d bytes", cfg.Limits.MemoryLimit, req.MemoryLimitBytes)
	}
	_ = cfg.Hash()
}

// FuzzConfigEnv sets one RFM_ variable to a random value: an error wrapping ErrConfig or a
// config, never a panic.
func FuzzConfigEnv(f *testing.F) {
	for _, kv := range [][2]string{{"SCORING_BINS", "7"}, {"SCORING_BINS", "x"}, {"MONEY_SCALE", "99999999999999999999"},
		{"INPUT_COLUMNS_ORDER_ID", ""}, {"QUALITY_MAX_REJECTED_SHARE", "NaN"}, {"LIMITS_MEMORY_LIMIT", "99999999999TB"},
		{"CLUSTERS_ENABLED", "maybe"}, {"ENGINE", "duckdb"}, {"UNKNOWN", "1"}} {
		f.Add(kv[0], kv[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		if strings.ContainsAny(key, "=\x00") {
			return
		}
		cfg, err := Load("", []string{"RFM_" + key + "=" + value, "RFM_INPUT_TRANSACTIONS=x.parquet"})
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			return
		}
		checkLoaded(t, cfg)
	})
}

// FuzzParseBytes checks sizes: an accepted size is a positive byte count (or 0 for "0"),
// never a negative or wrapped-around one.
func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"512MB", "4GiB", "1.5GB", "0", "99999999999999999999TB", "9223372036854775807", "1e3MB", "TB", " 1 kb "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseBytes(s)
		if err == nil && n < 0 {
			t.Fatalf("ParseBytes(%q) = %d, want a non-negative size or an error", s, n)
		}
	})
}

func day(s string) int32 { d, _ := cadence.ParseDay(s); return d }
