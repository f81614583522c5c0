package analytics_test

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forbidden lists import paths (or prefixes ending in "/") that analytics must not use: the
// analytics are pure functions of their inputs, with no I/O, no drivers, no file formats. The
// clock is kept out by TestNoClock below.
var forbidden = []string{
	"os", "os/exec", "io/ioutil", "net/", "net", "database/", "syscall", "unsafe",
	"math/rand", // the global source; math/rand/v2 with an explicit seed is allowed
	"github.com/parquet-go/", "github.com/marcboeker/", "github.com/apache/arrow/",
	"github.com/rfmjob/rfm/jobs", "github.com/rfmjob/rfm/jobs/", "github.com/rfmjob/rfm/cmd/",
}

func isForbidden(path string) bool {
	for _, f := range forbidden {
		if path == f || (strings.HasSuffix(f, "/") && strings.HasPrefix(path, f)) {
			return true
		}
	}
	return false
}

// TestForbiddenImports keeps analytics/ pure: it fails when a non-test file of any package
// below analytics/ imports a forbidden package.
func TestForbiddenImports(t *testing.T) {
	dirs := packageDirs(t)
	if len(dirs) < 3 {
		t.Fatalf("found %d analytics packages, want several: is the walk broken?", len(dirs))
	}
	for _, dir := range dirs {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				continue
			}
			t.Fatalf("%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if isForbidden(imp) {
				t.Errorf("%s imports %q: analytics must stay pure (no I/O, drivers, clocks or global randomness)", dir, imp)
			}
		}
	}
}

// TestNoClock fails when non-test analytics code reads the wall clock.
func TestNoClock(t *testing.T) {
	for _, dir := range packageDirs(t) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, call := range []string{"time.Now(", "time.Since(", "time.Until("} {
				if strings.Contains(string(src), call) {
					t.Errorf("%s calls %s: pass dates in, never read the clock in analytics", f, call)
				}
			}
		}
	}
}

func TestForbiddenMatcher(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"os", true}, {"net/http", true}, {"math/rand", true}, {"math/rand/v2", false},
		{"github.com/parquet-go/parquet-go", true}, {"gonum.org/v1/gonum/stat", false},
		{"github.com/rfmjob/rfm/analytics/feature", false}, {"github.com/rfmjob/rfm/jobs/engine", true},
	} {
		if got := isForbidden(tc.path); got != tc.want {
			t.Errorf("isForbidden(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func packageDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() != "testdata" {
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}
