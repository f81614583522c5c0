package jobs

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// drivers are the database drivers: only the engine packages that wrap them may import them.
var drivers = []string{"github.com/marcboeker/go-duckdb", "github.com/trinodb/trino-go-client", "database/sql/driver"}

// TestLayering keeps the data flowing one way through jobs/ (cmd → series → jobs → engine,
// outputs, report, store), from the non-test imports of every package under jobs/:
//   - only jobs/engine/duckdb and jobs/engine/trino import a driver;
//   - package jobs imports no engine but native, no parquet-go, and not series or engines;
//   - store imports no analytics, no engine and no Parquet library: it is the output contract;
//   - report never imports jobs, series or engines: it renders committed outputs;
//   - outputs and parquetio never import jobs.
func TestLayering(t *testing.T) {
	const mod = "github.com/rfmjob/rfm/"
	rules := []struct {
		pkg       string // relative to the module; "jobs/..." for every package below jobs/
		forbidden []string
		allowed   []string // exceptions to forbidden prefixes
	}{
		{"jobs/...", drivers, []string{"jobs/engine/duckdb", "jobs/engine/trino"}},
		{"jobs", []string{mod + "jobs/engine/duckdb", mod + "jobs/engine/trino", mod + "jobs/series", mod + "jobs/engines", "github.com/parquet-go/"}, nil},
		{"jobs/store", []string{mod + "analytics/", mod + "jobs/", "github.com/parquet-go/", "github.com/apache/arrow/"}, nil},
		{"jobs/report", []string{mod + "jobs", mod + "jobs/series", mod + "jobs/engines", mod + "jobs/engine/"}, nil},
		{"jobs/outputs", []string{mod + "jobs", mod + "jobs/series", mod + "jobs/report", mod + "jobs/engine/duckdb", mod + "jobs/engine/trino"}, nil},
		{"jobs/parquetio", []string{mod + "jobs", mod + "jobs/outputs", mod + "jobs/store", mod + "jobs/report"}, nil},
		{"jobs/cadence", []string{mod}, nil},
	}
	dirs, err := filepath.Glob("*")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[string][]string{} // "jobs/x" → imports
	walk := func(rel string) {
		p, err := build.ImportDir(filepath.Join("..", rel), 0)
		if err == nil {
			pkgs[rel] = p.Imports
		}
	}
	walk("jobs")
	var visit func(rel string)
	visit = func(rel string) {
		walk(rel)
		subs, _ := filepath.Glob(filepath.Join("..", rel, "*"))
		for _, s := range subs {
			if r, _ := filepath.Rel("..", s); !strings.Contains(r, "testdata") {
				if st, err := build.ImportDir(s, 0); err == nil || st != nil {
					visit(r)
				}
			}
		}
	}
	for _, d := range dirs {
		visit(filepath.Join("jobs", d))
	}
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages under jobs/, want more: is the walk broken?", len(pkgs))
	}
	for _, r := range rules {
		for rel, imports := range pkgs {
			if r.pkg == "jobs/..." {
				if contains(r.allowed, rel) {
					continue
				}
			} else if rel != r.pkg {
				continue
			}
			for _, imp := range imports {
				for _, f := range r.forbidden {
					if imp == f || (strings.HasSuffix(f, "/") && strings.HasPrefix(imp, f)) {
						t.Errorf("%s imports %s: see TestLayering for the one-way flow of jobs/", rel, imp)
					}
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
