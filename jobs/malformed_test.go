package jobs

// The malformed-input corpus: testdata/malformed/<case>/ holds the files of one case and
// testdata/malformed/cases.json its expected outcome. The files are written by
// malformedWriters (malformed_writers_test.go); `go test ./jobs -run TestMalformedCorpus -regen-malformed` rewrites
// them (the expectations in cases.json are edited by hand, never regenerated).

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/native"
	"github.com/rfmjob/rfm/jobs/store"
)

var regenMalformed = flag.Bool("regen-malformed", false, "rewrite the files of testdata/malformed")

const malformedDir = "../testdata/malformed"

// malformedCase is one entry of testdata/malformed/cases.json.
type malformedCase struct {
	Name string `json:"name"`
	What string `json:"what"`
	// Columns overrides the default column mapping (role → column name).
	Columns map[string]string `json:"columns,omitempty"`
	// MaxRejectedShare overrides quality.max_rejected_share (default 0.01).
	MaxRejectedShare *float64 `json:"max_rejected_share,omitempty"`
	// Input names another case whose files this case reads (default: its own directory).
	Input string `json:"input,omitempty"`
	// Timezone sets window.timezone.
	Timezone string `json:"timezone,omitempty"`
	// Views runs the optional views (clusters, CLV, profit, report) too; off by default to
	// keep the corpus fast.
	Views bool            `json:"views,omitempty"`
	Want  malformedResult `json:"want"`
}

// malformedResult is the outcome of one case on one engine.
type malformedResult struct {
	// Error is "" for a committed run, else the class of the error (see errorClass).
	Error string `json:"error,omitempty"`
	// ErrorHas are substrings the message must contain (file, column, row, value).
	ErrorHas []string `json:"error_has,omitempty"`

	Read      int64            `json:"read,omitempty"`
	Used      int64            `json:"used,omitempty"`
	AfterAsOf int64            `json:"after_as_of,omitempty"`
	Rejected  map[string]int64 `json:"rejected,omitempty"`
	Customers int64            `json:"customers,omitempty"`
	// Monetary is each customer's monetary in minor units (ids longer than 40 bytes are
	// written as their length, "len:100000").
	Monetary map[string]int64 `json:"monetary,omitempty"`
	// LastPurchase is each customer's last purchase date ("" without a purchase).
	LastPurchase map[string]string `json:"last_purchase,omitempty"`
}

const malformedAsOf = "2024-12-31"

// errorClass names the kind of a run error for the corpus.
func errorClass(err error) string {
	switch {
	case err == nil:
		return ""
	case !errors.Is(err, ErrInput) && !errors.Is(err, ErrInputMissing):
		return "unclassified" // every bad-data error must map to exit code 1 (ErrInput)
	// Run wraps the engine's error with %w: the engine's sentinels are found by errors.Is, not
	// by their text.
	case errors.Is(err, input.ErrNotParquet):
		return "not_parquet"
	case errors.Is(err, input.ErrMissingColumn):
		return "missing_column"
	case errors.Is(err, input.ErrColumnType):
		return "column_type"
	case errors.Is(err, input.ErrSchemaDrift):
		return "schema_drift"
	case errors.Is(err, native.ErrCorrupt), errors.Is(err, input.ErrCorruptPage), strings.Contains(err.Error(), "duckdb: "):
		return "corrupt_data" // the footer was readable, the data was not
	case errors.Is(err, input.ErrBadString):
		return "bad_string"
	case strings.Contains(err.Error(), "above quality.max_rejected_share"):
		return "quality"
	}
	return "input"
}

func displayID(id string) string {
	if len(id) > 40 {
		return fmt.Sprintf("len:%d", len(id))
	}
	return id
}

// runBounded runs the job with a deadline; a run that does not return well after it is a hang.
func runBounded(t testing.TB, cfg *config.Config, asOf string, limit time.Duration) (*store.Manifest, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	type result struct {
		m   *store.Manifest
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := Run(ctx, cfg, asOf, RunOptions{})
		done <- result{m, err}
	}()
	select {
	case r := <-done:
		return r.m, r.err
	case <-time.After(limit + 10*time.Second):
		t.Fatalf("run did not return within %s: a hang", limit+10*time.Second)
		return nil, nil
	}
}

func off() *bool { b := false; return &b }

// corpusConfig is the configuration of one case on one engine.
func corpusConfig(c malformedCase, in, out, eng string) *config.Config {
	cfg := &config.Config{Engine: eng}
	cfg.Input.Transactions = in
	cfg.Output.Dir = out
	cfg.Quality.MaxRejectedShare = c.MaxRejectedShare
	cfg.Window.Timezone = c.Timezone
	if !c.Views {
		cfg.Clusters.Enabled, cfg.CLV.Enabled, cfg.Profit.Enabled, cfg.Report.Enabled = off(), off(), off(), off()
	}
	cols := &cfg.Input.Columns
	for role, name := range c.Columns {
		switch role {
		case "customer_id":
			cols.CustomerID = name
		case "order_id":
			cols.OrderID = &name
		case "timestamp":
			cols.Timestamp = name
		case "amount":
			cols.Amount = name
		case "quantity":
			cols.Quantity = name
		case "unit_price":
			cols.UnitPrice = name
		}
	}
	return cfg
}

// observe runs one case on one engine and describes what happened.
func observe(t *testing.T, c malformedCase, in, eng string) (malformedResult, error) {
	out := t.TempDir()
	m, err := runBounded(t, corpusConfig(c, in, out, eng), malformedAsOf, 60*time.Second)
	if err != nil {
		if _, statErr := os.Stat(store.ManifestPath(out, malformedAsOf)); statErr == nil {
			t.Errorf("%s: the run failed but committed a manifest", eng)
		}
		return malformedResult{Error: errorClass(err)}, err
	}
	got := malformedResult{
		Read: m.Rows.Read, Used: m.Rows.Used, AfterAsOf: m.Rows.AfterAsOf, Customers: m.Customers,
		Monetary: map[string]int64{}, LastPurchase: map[string]string{},
	}
	if len(m.Rows.RejectedByReason) > 0 {
		got.Rejected = m.Rows.RejectedByReason
	}
	for id, row := range readCustomers(t, out, malformedAsOf) {
		got.Monetary[displayID(id)] = row.Monetary
		got.LastPurchase[displayID(id)] = ""
		if row.LastPurchase != nil {
			got.LastPurchase[displayID(id)] = FormatDay(*row.LastPurchase)
		}
	}
	if len(got.Monetary) == 0 {
		got.Monetary, got.LastPurchase = nil, nil
	}
	return got, nil
}

// loadMalformedCases reads a list of cases (cases.json).
func loadMalformedCases(t *testing.T, file string) []malformedCase {
	data, err := os.ReadFile(filepath.Join(malformedDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var cases []malformedCase
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return cases
}

// TestMalformedCorpus runs every case of testdata/malformed/cases.json through both engines
// and checks the expected outcome: a classified error naming what is wrong, or a committed run
// with exactly the expected row accounting and per-customer values. Both engines must agree.
func TestMalformedCorpus(t *testing.T) {
	if *regenMalformed {
		for name, write := range malformedWriters {
			dir := filepath.Join(malformedDir, name)
			os.RemoveAll(dir)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, dir)
		}
	}
	cases := loadMalformedCases(t, "cases.json")
	listed := map[string]bool{}
	for _, c := range cases {
		listed[c.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(malformedWriters)) {
		if !listed[name] {
			t.Errorf("case %s has files but no entry in cases.json", name)
		}
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { checkMalformedCase(t, c) })
	}
}

// checkMalformedCase runs one case on both engines and compares with its expectation.
func checkMalformedCase(t *testing.T, c malformedCase) {
	dir := c.Name
	if c.Input != "" {
		dir = c.Input
	}
	in := filepath.Join(malformedDir, dir)
	if _, err := os.Stat(in); err != nil {
		t.Fatalf("no files for case %s: %v (run with -regen-malformed)", c.Name, err)
	}
	byEngine := map[string]malformedResult{}
	for _, eng := range []string{"native", "duckdb"} {
		got, err := observe(t, c, in, eng)
		byEngine[eng] = got
		want := c.Want
		if got.Error != want.Error {
			t.Errorf("%s: error class %q (%v), want %q", eng, got.Error, err, want.Error)
		}
		for _, s := range want.ErrorHas {
			if err == nil || !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %v does not contain %q", eng, err, s)
			}
		}
		if want.Error != "" {
			continue
		}
		got.ErrorHas = want.ErrorHas
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\n got %s\nwant %s", eng, g, w)
		}
	}
	if n, d := byEngine["native"], byEngine["duckdb"]; !reflect.DeepEqual(n, d) {
		g, _ := json.Marshal(n)
		w, _ := json.Marshal(d)
		t.Errorf("engines disagree:\nnative %s\nduckdb %s", g, w)
	}
}
