package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Layout of the outputs this package reads and the page it writes (the job's commit protocol
// owns the same layout; it is repeated here so that the job can call Build without an import
// cycle).
const (
	dataFile   = "data.parquet"
	pageFile   = "index.html"
	reportDir  = "report"
	manifests  = "manifests"
	manifestFn = "manifest.json"
)

// Output tables the report reads, and the columns it wants of each (nil: every column; these
// tables are small).
var tableColumns = map[string][]string{
	"customers":     {"r_score", "f_score", "monetary", "recency_days", "frequency", "profit", "tier", "p_alive", "clv"},
	"segments":      {"segment", "customers", "revenue"},
	"pareto":        {"curve", "metric", "customer_share", "value"},
	"tiers":         nil,
	"cost_to_serve": {"grain", "tier", "activity", "cost", "customer_id"},
	"clusters":      nil,
	"migration":     nil,
}

// Manifest is what the report uses of a run's manifest.json.
type Manifest struct {
	Version string `json:"version"`
	AsOf    string `json:"as_of"`
	Engine  string `json:"engine"`
	Window  struct {
		Start    string `json:"start"`
		Timezone string `json:"timezone"`
	} `json:"window"`
	Rows struct {
		Read             int64            `json:"read"`
		Used             int64            `json:"used"`
		Rejected         int64            `json:"rejected"`
		RejectedByReason map[string]int64 `json:"rejected_by_reason"`
		AfterAsOf        int64            `json:"after_as_of"`
		BeforeWindow     int64            `json:"before_window"`
	} `json:"rows"`
	Customers  int64 `json:"customers"`
	Highlights struct {
		Top20PctShare float64 `json:"top_20pct_value_share"`
		Gini          float64 `json:"gini"`
	} `json:"highlights"`
	Stages []struct {
		Name    string  `json:"name"`
		Seconds float64 `json:"seconds"`
	} `json:"stages"`
	FinishedAt string   `json:"finished_at"`
	Warnings   []string `json:"warnings"`
}

// Data is everything one page shows: the manifest and the output tables of one date, keyed by
// table name (customers, segments, pareto, tiers, cost_to_serve, clusters, migration). A table
// that was not written is absent from Tables, and its charts are left out.
type Data struct {
	AsOf     string
	Manifest *Manifest
	Tables   map[string]*Frame
}

// PagePath is where the report of a date lives: DIR/report/as_of=D/index.html.
func PagePath(outDir, date string) string {
	return filepath.Join(outDir, reportDir, "as_of="+date, pageFile)
}

// Build reads the committed outputs of date in outDir and writes its report to
// PagePath(outDir, date), atomically: a temporary file in the same directory is written,
// fsynced and renamed over the page, so a reader sees the old page or the new one. It returns
// the page's path. A date without a committed manifest returns ErrIncomplete.
func Build(outDir, date string) (string, error) {
	d, err := Load(outDir, date)
	if err != nil {
		return "", err
	}
	var page bytes.Buffer
	if err := Render(&page, d); err != nil {
		return "", err
	}
	path := PagePath(outDir, date)
	if err := writeAtomic(path, page.Bytes()); err != nil {
		return "", fmt.Errorf("report %s: %w", date, err)
	}
	return path, nil
}

// Load reads the manifest and the output tables of date.
func Load(outDir, date string) (*Data, error) {
	mpath := filepath.Join(outDir, manifests, "as_of="+date, manifestFn)
	raw, err := os.ReadFile(mpath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no manifest for %s (run the job for that date first)", ErrIncomplete, outDir, date)
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, mpath, err)
	}
	d := &Data{AsOf: date, Manifest: &m, Tables: map[string]*Frame{}}
	for table, cols := range tableColumns {
		want := func(string) bool { return true }
		if cols != nil {
			want = func(name string) bool { return slices.Contains(cols, name) }
		}
		f, err := readFrame(filepath.Join(outDir, table, "as_of="+date, dataFile), want)
		if errors.Is(err, fs.ErrNotExist) {
			continue // not written: its charts are left out
		}
		if err != nil {
			return nil, err
		}
		d.Tables[table] = f
	}
	return d, nil
}

// writeAtomic writes data to path through a fsynced temporary file in the same directory and a
// rename.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Created with mode 0644 less the umask, like every other output (CreateTemp's 0600 and a
	// chmod would ignore the umask).
	name := filepath.Join(dir, fmt.Sprintf(".%s-%d-%d.tmp", strings.TrimSuffix(filepath.Base(path), ".html"), os.Getpid(), time.Now().UnixNano()))
	tmp, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
