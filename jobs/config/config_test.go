package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/jobs/cadence"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "job.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigPrecedenceAndDefaults(t *testing.T) {
	p := writeConfig(t, `
input:
  transactions: tx/*.parquet
  columns:
    customer_id: CustomerID
    order_id: ""
    timestamp: InvoiceDate
    quantity: Quantity
    unit_price: UnitPrice
scoring:
  bins: 4
  method: ntile
`)
	cfg, err := Load(p, []string{"RFM_SCORING_BINS=3", "RFM_QUALITY_MAX_REJECTED_SHARE=0.25", "HOME=/x"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.Scoring.Bins != 3 {
		t.Errorf("bins = %d, want 3 (environment over file)", cfg.Scoring.Bins)
	}
	if cfg.Scoring.Method != "ntile" {
		t.Errorf("method = %q, want ntile from the file", cfg.Scoring.Method)
	}
	if got := *cfg.Quality.MaxRejectedShare; got != 0.25 {
		t.Errorf("max_rejected_share = %g, want 0.25", got)
	}
	if want := filepath.Join(filepath.Dir(p), "tx/*.parquet"); cfg.Input.Transactions != want {
		t.Errorf("transactions = %q, want %q (relative to the config file)", cfg.Input.Transactions, want)
	}
	cols := cfg.EngineColumns()
	if cols.OrderID != "" || cols.Amount != "" || cols.Quantity != "Quantity" {
		t.Errorf("columns = %+v, want no order id, quantity × unit price", cols)
	}
	if cfg.Engine != "native" || cfg.Output.Dir != "out" || *cfg.Money.Scale != 2 || cfg.Pareto.ACut != 0.8 {
		t.Errorf("defaults not filled: %+v", cfg)
	}
}

func TestLoadConfigRejectsUnknownKeysAndVariables(t *testing.T) {
	p := writeConfig(t, "scoring:\n  binz: 4\ninput:\n  colums: {customer_id: id}\n")
	want := "invalid configuration: " + p + ": line 2: scoring.binz: unknown key (did you mean scoring.bins?)\n  " +
		p + ": line 4: input.colums: unknown key (did you mean input.columns?)"
	if _, err := Load(p, nil); !errors.Is(err, ErrConfig) || err.Error() != want {
		t.Errorf("unknown keys: got %v, want %q", err, want)
	}
	if _, err := Load("", []string{"RFM_SCORING_BINZ=4"}); err == nil || !strings.Contains(err.Error(), "RFM_SCORING_BINZ") {
		t.Errorf("unknown variable: got %v, want an error naming it", err)
	}
	if _, err := Load("", []string{"RFM_SCORING_BINS=five"}); err == nil || !errors.Is(err, ErrConfig) {
		t.Errorf("bad number: got %v, want ErrConfig", err)
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	cfg := &Config{Engine: "spark"}
	cfg.Scoring.Bins = 11
	cfg.Scoring.Method = "kmeans"
	cfg.Window.Lookback = "a year"
	cfg.Window.Timezone = "Mars/Olympus"
	cfg.Pareto.ACut, cfg.Pareto.BCut = 0.9, 0.5
	cfg.Input.Columns.Amount, cfg.Input.Columns.Quantity = "amount", "qty"
	cfg.Clusters.FitSample, cfg.Clusters.Restarts = 10, -1
	auto := 0
	cfg.Clusters.K, cfg.Clusters.KMin, cfg.Clusters.KMax = &auto, 5, 3
	cfg.Normalize()
	err := cfg.Validate()
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v, want ErrConfig", err)
	}
	for _, want := range []string{"input.transactions", "engine", "amount, or quantity", "lookback", "Mars/Olympus", "bins is 11", "kmeans", "a_cut",
		"clusters.fit_sample is 10, want ≥", "clusters.restarts is -1, want ≥ 1", "clusters.k_max is 3, want ≥ the smallest k tried (5)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	for _, field := range []string{"FitSample", "Restarts", "KMax", "KMin", "cluster: invalid options"} {
		if strings.Contains(err.Error(), field) {
			t.Errorf("error says the cluster package's %q, not a config key:\n%v", field, err)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{{"512MB", 512e6}, {"4GiB", 4 << 30}, {"1.5GB", 1.5e9}, {"100", 100}} {
		got, err := ParseBytes(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	if _, err := ParseBytes("lots"); err == nil {
		t.Error("ParseBytes(lots) succeeded")
	}
}

func TestLookbackAndDays(t *testing.T) {
	cfg := &Config{Window: WindowConfig{Lookback: "52w"}}
	if got := cfg.LookbackDays(); got != 364 {
		t.Errorf("52w = %d days, want 364", got)
	}
	if got := cadence.FormatDay(day("2024-02-29")); got != "2024-02-29" {
		t.Errorf("round trip of a leap day gave %s", got)
	}
	if d := day("1970-01-02"); d != 1 {
		t.Errorf("1970-01-02 = day %d, want 1", d)
	}
}

// TestValidateProblemsByKey: every problem of a config is an *OptionError naming its config
// key, in a fixed order (the scoring.fixed checks once ran in map order), never a Go field.
func TestValidateProblemsByKey(t *testing.T) {
	k := -3
	cfg := &Config{Engine: "spark", Scoring: ScoringConfig{Method: "fixed", Bins: 3}, Clusters: ClustersConfig{K: &k}}
	cfg.Input.Transactions = "tx.parquet"
	cfg.Tiers.Cuts = []float64{0.5}
	cfg.Migration.MaxDrop = -1
	cfg.Normalize()
	var ce *ConfigError
	if err := cfg.Validate(); !errors.As(err, &ce) || !errors.Is(err, ErrConfig) {
		t.Fatalf("Validate = %v, want a *ConfigError wrapping ErrConfig", err)
	}
	var fields []string
	for _, p := range ce.Problems {
		fields = append(fields, p.Field)
	}
	want := []string{"engine", "scoring.fixed.recency", "scoring.fixed.frequency", "scoring.fixed.monetary", "clusters.k", "tiers.cuts", "migration.max_drop"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
	if got := ce.Problems[5].Error(); got != "tiers.cuts is [0.5], want 2 cuts, one fewer than the 3 ranked tiers" {
		t.Errorf("tier problem %q", got)
	}
}

// TestObjectStoreLocations: s3:// inputs are for the native engine (DuckDB reads local files
// only here); outputs go to a local directory or an s3:// prefix.
func TestObjectStoreLocations(t *testing.T) {
	for _, c := range []struct {
		engine, input, output string
		fields                []string
	}{
		{"native", "s3://lake/sales/", "out", nil},
		{"duckdb", "s3://lake/sales/", "out", []string{"input.transactions"}},
		{"native", "tx.parquet", "s3://marts/rfm/", nil},
		{"native", "tx.parquet", "gs://marts/rfm/", []string{"output.dir"}},
	} {
		cfg := &Config{Engine: c.engine}
		cfg.Input.Transactions, cfg.Output.Dir = c.input, c.output
		cfg.Normalize()
		var fields []string
		var ce *ConfigError
		if err := cfg.Validate(); errors.As(err, &ce) {
			for _, p := range ce.Problems {
				fields = append(fields, p.Field)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fields, c.fields) {
			t.Errorf("engine %s, input %s, output %s: problems %v, want %v", c.engine, c.input, c.output, fields, c.fields)
		}
	}
}

// TestLoadKeepsURLs: a config file's relative input paths are relative to the file, but
// s3:// URLs, like absolute paths, stay as written (they were once joined to the file's
// directory, "jobs/s3:/lake/…").
func TestLoadKeepsURLs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jobs")
	os.MkdirAll(dir, 0o755)
	p := filepath.Join(dir, "job.yaml")
	os.WriteFile(p, []byte("input:\n  transactions: s3://lake/sales/\noutput:\n  dir: s3://marts/rfm/\nprofit:\n  activities:\n    path: data/acts.parquet\n"), 0o644)
	cfg, err := Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Input.Transactions != "s3://lake/sales/" || cfg.Output.Dir != "s3://marts/rfm/" {
		t.Errorf("transactions %q, output %q: want the URLs as written", cfg.Input.Transactions, cfg.Output.Dir)
	}
	if want := filepath.Join(dir, "data", "acts.parquet"); cfg.Profit.Activities.Path != want {
		t.Errorf("activities %q, want %q (relative to the file)", cfg.Profit.Activities.Path, want)
	}
}
