package report

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// coreCharts are drawn from the RFM and Pareto outputs and the manifest; optionalCharts need the
// profit, tier, cost-to-serve, migration, cluster and CLV outputs.
var (
	coreCharts     = []string{"rf-customers", "rf-monetary", "segments", "lorenz", "quality"}
	optionalCharts = []string{"whale", "tiers", "cost-to-serve", "migration", "flow", "clusters", "clv", "alive"}
)

func chartIDs(page string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<figure class="chart[^"]*" id="chart-([a-z-]+)"`).FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name     string
		optional bool
		want     []string
		figures  []string
	}{
		{"RFM and Pareto outputs only", false, coreCharts,
			[]string{"Customers", "Revenue", "Top 20% share", "Gini"}},
		{"every view", true, append(append([]string(nil), coreCharts...), optionalCharts...),
			[]string{"Customers", "Revenue", "Profit", "Top 20% share", "Gini", "Customers alive"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fx := fixture{date: "2024-12-31", customers: 500, optional: tc.optional}
			fx.write(t, dir)
			path, err := Build(dir, fx.date)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, "report", "as_of=2024-12-31", "index.html"); path != want {
				t.Errorf("got path %s, want %s", path, want)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			page := string(raw)
			got := chartIDs(page)
			if strings.Join(sorted(got), ",") != strings.Join(sorted(tc.want), ",") {
				t.Errorf("got charts %v, want %v", got, tc.want)
			}
			for _, f := range tc.figures {
				if !strings.Contains(page, `<div class="label">`+f+`</div>`) {
					t.Errorf("key figure %q missing", f)
				}
			}
			// The values, from the fixture's files summed here: the customer count, revenue
			// and profit (sums of the DECIMAL columns), and the Pareto figures.
			cust, err := pq.ReadTable(filepath.Join(dir, "customers", "as_of="+fx.date, "data.parquet"), nil)
			if err != nil {
				t.Fatal(err)
			}
			sumOf := func(name string) float64 {
				c, _ := cust.Col(name)
				var total int64
				for _, x := range c.Ints {
					total += x
				}
				return float64(total) / 100
			}
			want := map[string]string{"Customers": "500", "Revenue": money(sumOf("monetary"))}
			if tc.optional {
				want["Profit"] = money(sumOf("profit"))
			}
			for label, value := range want {
				if !strings.Contains(page, `<div class="label">`+label+`</div><div class="value">`+value+`</div>`) {
					t.Errorf("key figure %s: the page does not show %s", label, value)
				}
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("got %d files beside the page, want only index.html (no temporary file left)", len(entries))
			}
			checkSelfContained(t, page)
		})
	}
}

// checkSelfContained fails on anything that would make the browser fetch: scripts, links,
// sources, CSS urls or imports, any http(s) address.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, bad := range []string{"<script", "<link", "src=", "href=", "url(", "@import", "http:", "https:", "//"} {
		if i := strings.Index(page, bad); i >= 0 {
			t.Errorf("page contains %q: …%s…", bad, page[max(0, i-40):min(len(page), i+40)])
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestBuildReplacesThePage(t *testing.T) {
	dir := t.TempDir()
	fx := fixture{date: "2024-12-31", customers: 200}
	fx.write(t, dir)
	path := PagePath(dir, fx.date)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("old page"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(dir, fx.date); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(raw), "<!DOCTYPE html>") {
		t.Errorf("got %.20q, want the new page", raw)
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		want  error
	}{
		{"no manifest", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "manifests"))
		}, ErrIncomplete},
		{"manifest not JSON", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "manifests", "as_of=2024-12-31", "manifest.json"), "{not json")
		}, ErrCorrupt},
		{"customers not Parquet", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "customers", "as_of=2024-12-31", "data.parquet"), "PAR1 garbage")
		}, ErrCorrupt},
		{"pareto truncated", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "pareto", "as_of=2024-12-31", "data.parquet")
			raw, _ := os.ReadFile(p)
			write(t, p, string(raw[:len(raw)/2]))
		}, ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fx := fixture{date: "2024-12-31", customers: 50}
			fx.write(t, dir)
			tc.spoil(t, dir)
			_, err := Build(dir, fx.date)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if _, err := os.Stat(PagePath(dir, fx.date)); err == nil {
				t.Error("a page was written for outputs that could not be read")
			}
		})
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSectionsTolerateMissingColumns(t *testing.T) {
	// A customers table with scores but no monetary, p_alive without recency_days, and clv:
	// the customers heatmap and the CLV chart are drawn, the monetary heatmap and p_alive chart
	// are left out, and nothing fails.
	cust := NewFrame(3).SetNumbers("r_score", []float64{1, 2, 2}).SetNumbers("f_score", []float64{2, 2, 1}).
		SetNumbers("p_alive", []float64{0.1, 0.5, 0.9}).SetNumbers("clv", []float64{1, 2, 30})
	d := &Data{AsOf: "2024-12-31", Tables: map[string]*Frame{
		"customers": cust,
		"tiers":     NewFrame(1).SetStrings("tier", []string{"gold"}), // no shares: left out
		"pareto":    NewFrame(0),                                      // no columns: left out
	}}
	var got []string
	for _, s := range Sections(d) {
		for _, c := range s.Charts {
			got = append(got, c.ID)
		}
	}
	if want := "rf-customers,clv"; strings.Join(got, ",") != want {
		t.Errorf("got charts %v, want %s", got, want)
	}
	var b strings.Builder
	if err := Render(&b, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `id="chart-clv"`) {
		t.Error("rendered page lacks the CLV chart")
	}
}
