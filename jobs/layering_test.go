package jobs

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// drivers are the database drivers: only the engine packages that wrap them may import them.
var drivers = []string{"github.com/marcboeker/go-duckdb", "github.com/trinodb/trino-go-client", "database/sql/driver"}

// TestLayering keeps the data flowing one way through jobs/ (cmd → series → jobs → engine,
// outputs, report, store), from the non-test imports of every package under jobs/:
//   - only jobs/engine/duckdb and jobs/engine/trino import a driver;
//   - package jobs imports no engine but native, no parquet-go, and not series or engines;
//   - store imports no analytics, no engine and no Parquet library: it is the output contract
//     (of the module, only objstore, the object-store client);
//   - report never imports jobs, series or engines: it renders committed outputs;
//   - outputs and parquetio never import jobs;
//   - config (the job.yaml schema) imports no engine implementation, no store and not jobs;
//   - objstore (the S3 client) imports nothing of the module and no Parquet library.
func TestLayering(t *testing.T) {
	const mod = "github.com/rfmjob/rfm/"
	rules := []struct {
		pkg       string // relative to the module; "jobs/..." for every package below jobs/
		forbidden []string
		allowed   []string // exceptions: packages for "jobs/...", imports for the others
	}{
		{"jobs/...", drivers, []string{"jobs/engine/duckdb", "jobs/engine/trino"}},
		{"jobs", []string{mod + "jobs/engine/duckdb", mod + "jobs/engine/trino", mod + "jobs/series", mod + "jobs/engines", "github.com/parquet-go/"}, nil},
		{"jobs/store", []string{mod + "analytics/", mod + "jobs/", "github.com/parquet-go/", "github.com/apache/arrow/"}, []string{mod + "jobs/objstore"}},
		{"jobs/report", []string{mod + "jobs", mod + "jobs/series", mod + "jobs/engines", mod + "jobs/engine/"}, nil},
		{"jobs/outputs", []string{mod + "jobs", mod + "jobs/series", mod + "jobs/report", mod + "jobs/engine/duckdb", mod + "jobs/engine/trino"}, nil},
		{"jobs/parquetio", []string{mod + "jobs", mod + "jobs/outputs", mod + "jobs/store", mod + "jobs/report"}, nil},
		{"jobs/cadence", []string{mod}, nil},
		{"jobs/objstore", []string{mod, "github.com/parquet-go/"}, nil},
		{"jobs/config", []string{mod + "jobs", mod + "jobs/store", mod + "jobs/outputs", mod + "jobs/report", mod + "jobs/series", mod + "jobs/engines", mod + "jobs/engine/native", mod + "jobs/engine/duckdb", mod + "jobs/engine/trino", "github.com/parquet-go/"}, nil},
	}
	pkgs := map[string][]string{} // "jobs/x" → non-test imports
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() == "testdata" {
			return err
		}
		if p, err := build.ImportDir(path, 0); err == nil {
			pkgs[filepath.ToSlash(filepath.Join("jobs", path))] = p.Imports
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages under jobs/, want more: is the walk broken?", len(pkgs))
	}
	for _, r := range rules {
		for rel, imports := range pkgs {
			if r.pkg == "jobs/..." {
				if slices.Contains(r.allowed, rel) {
					continue
				}
			} else if rel != r.pkg {
				continue
			}
			for _, imp := range imports {
				if r.pkg != "jobs/..." && slices.Contains(r.allowed, imp) {
					continue
				}
				for _, f := range r.forbidden {
					if imp == f || (strings.HasSuffix(f, "/") && strings.HasPrefix(imp, f)) {
						t.Errorf("%s imports %s: see TestLayering for the one-way flow of jobs/", rel, imp)
					}
				}
			}
		}
	}
}
