package jobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/store"
)

// sqlNames are column names that would change the meaning of SQL spliced as text.
// A newline once ended the SQL header comment a name was copied into (sql/hardening_test.go).
var sqlNames = []string{`x"; DROP TABLE t; --`, `"`, `a""b`, `'; SELECT 1; --`, `$as_of_day`, `{{files}}`, `amount) --`,
	`ü € 中`, "tab\tname", "amount\nSELECT 1; --", "x\"\n); COPY (SELECT 1) TO 'pwned.csv'; --"}

// writeNamed writes a three-row input whose columns have the given names.
func writeNamed(t testing.TB, path, id, ts, amount string) {
	inputtest.Write(t, path, 0,
		inputtest.Column{Name: id, Node: parquet.String(), Values: []any{"a", "b", "a"}},
		inputtest.Column{Name: ts, Node: parquet.Timestamp(parquet.Microsecond), Values: []any{us("2024-01-01 10:00"), us("2024-01-02 10:00"), us("2024-02-01 10:00")}},
		inputtest.Column{Name: amount, Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.25, 2.5, -0.75}})
}

// TestColumnNamesAreQuoted maps every role to columns whose names hold quotes, semicolons, SQL,
// placeholders and parameters, and runs the whole job on both engines: the names reach DuckDB
// only as quoted identifiers, so both give the hand-computed monetary (a: 1.25 − 0.75 = 0.50,
// b: 2.50).
func TestColumnNamesAreQuoted(t *testing.T) {
	for i, name := range sqlNames {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "tx.parquet")
			writeNamed(t, in, "id "+name, "ts "+name, name)
			for _, eng := range []string{"native", "duckdb"} {
				c := malformedCase{Columns: map[string]string{"customer_id": "id " + name, "timestamp": "ts " + name, "amount": name, "order_id": ""}}
				out := t.TempDir()
				if _, err := runBounded(t, corpusConfig(c, in, out, eng), malformedAsOf, 60*time.Second); err != nil {
					t.Fatalf("%s, columns named %q: %v", eng, name, err)
				}
				got := readCustomers(t, out, malformedAsOf)
				if got["a"].Monetary != 50 || got["b"].Monetary != 250 || len(got) != 2 {
					t.Errorf("%s, columns named %q: monetary a=%d b=%d (%d customers), want 50, 250 (2)", eng, name, got["a"].Monetary, got["b"].Monetary, len(got))
				}
			}
		})
	}
}

// TestDuckDBMemoryLimit runs the DuckDB engine on 150,000 rows of 30,000 customers with tiny
// memory limits and a spill directory: each run either completes with exactly the unlimited
// run's customers or fails within seconds with an error that says memory ran out; it never
// hangs, crashes or returns other numbers.
func TestDuckDBMemoryLimit(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 30_000, Transactions: 150_000, Seed: 7, Days: 365})
	run := func(limit string) (map[string]customerOut, error, time.Duration) {
		out := t.TempDir()
		cfg := corpusConfig(malformedCase{}, in, out, "duckdb")
		cfg.Limits.MemoryLimit, cfg.Limits.TempDir, cfg.Limits.Threads = limit, t.TempDir(), 2
		start := time.Now()
		if _, err := runBounded(t, cfg, malformedAsOf, 120*time.Second); err != nil {
			return nil, err, time.Since(start)
		}
		return readCustomers(t, out, malformedAsOf), nil, time.Since(start)
	}
	want, err, _ := run("")
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []string{"64MB", "16MB", "1MB"} {
		got, err, took := run(limit)
		switch {
		case err == nil && !reflect.DeepEqual(got, want):
			t.Errorf("memory_limit %s: completed with other customers than the unlimited run", limit)
		case err == nil:
			t.Logf("memory_limit %-6s completed in %v with the unlimited run's %d customers", limit, took.Round(time.Millisecond), len(got))
		case !strings.Contains(strings.ToLower(err.Error()), "memory"):
			t.Errorf("memory_limit %s: failed without saying memory ran out: %v", limit, err)
		default:
			t.Logf("memory_limit %-6s failed in %v: %.160s", limit, took.Round(time.Millisecond), err)
		}
	}
}

// TestNativeThreads runs the native engine with 1, 2 and 7 threads: identical customers.
func TestNativeThreads(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 3000, Transactions: 40_000, Seed: 8, Days: 365})
	var want map[string]customerOut
	for _, threads := range []int{1, 2, 7} {
		out := t.TempDir()
		cfg := corpusConfig(malformedCase{}, in, out, "native")
		cfg.Limits.Threads = threads
		if _, err := runBounded(t, cfg, malformedAsOf, 60*time.Second); err != nil {
			t.Fatal(err)
		}
		got := readCustomers(t, out, malformedAsOf)
		if want == nil {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("threads %d: customers differ from threads 1", threads)
		}
	}
}

var tableName = regexp.MustCompile(`^[a-z_]+$`)

// TestOutputPathsStayInside checks that as-of dates cannot carry path elements (they are
// validated as YYYY-MM-DD before any file is touched) and that every output a run writes is
// <table>/as_of=<date>/<file> inside the output directory, with a constant lower-case table name.
func TestOutputPathsStayInside(t *testing.T) {
	in := filepath.Join(t.TempDir(), "tx.parquet")
	validTx(t, in)
	root := t.TempDir()
	out := filepath.Join(root, "out")
	for _, asOf := range []string{"../../escape", "2024-12-31/../../escape", "2024-12-31/x", "2024-13-01", "2024-12-31\x00", "/etc", ""} {
		cfg := corpusConfig(malformedCase{Views: true}, in, out, "native")
		if _, err := Run(context.Background(), cfg, asOf, RunOptions{}); !errors.Is(err, ErrConfig) {
			t.Errorf("as-of %q: error %v, want ErrConfig", asOf, err)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("rejected as-of dates created %d entries next to the output directory", len(entries))
	}
	cfg := corpusConfig(malformedCase{Views: true}, in, out, "native")
	m, err := Run(context.Background(), cfg, malformedAsOf, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range m.Outputs {
		file := store.DataFile
		if o.Table == store.ReportTable {
			file = store.ReportFile
		}
		want := filepath.Join(o.Table, "as_of="+malformedAsOf, file)
		if !tableName.MatchString(o.Table) || o.Path != want || !filepath.IsLocal(o.Path) {
			t.Errorf("output %q at %q, want a lower-case table (or the report) at %q inside the output directory", o.Table, o.Path, want)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 {
		t.Errorf("the run wrote %d entries next to the output directory, want only out/", len(entries))
	}
}

// TestOutputPermissions runs the job under umasks 022, 002 and 000: files are created 0644 and
// directories 0755 before the umask, so no output is ever group- or world-writable, and with
// the common umask 022 they are exactly 0644 and 0755.
func TestOutputPermissions(t *testing.T) {
	for _, mask := range []int{0o022, 0o002, 0o000} {
		t.Run(fmt.Sprintf("umask %03o", mask), func(t *testing.T) { checkPermissions(t, mask) })
	}
}

// checkPermissions runs the job with every view under umask and checks every mode.
func checkPermissions(t *testing.T, mask int) {
	in := filepath.Join(t.TempDir(), "tx.parquet")
	validTx(t, in)
	out := filepath.Join(t.TempDir(), "out")
	old := syscall.Umask(mask)
	_, err := Run(context.Background(), corpusConfig(malformedCase{Views: true}, in, out, "native"), malformedAsOf, RunOptions{})
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Error(err)
			return nil
		}
		info, _ := d.Info()
		want := os.FileMode(0o644)
		if d.IsDir() {
			want = 0o755
		}
		want &^= os.FileMode(mask)
		if got := info.Mode().Perm(); got != want {
			rel, _ := filepath.Rel(out, path)
			t.Errorf("%s: mode %04o, want %04o", rel, got, want)
		}
		return nil
	})
}

// TestOutputPermissionsUmask077 was a known bug (fixed in jobs/report): under umask 077
// every output is private (0600, 0700) except the HTML report, which jobs/report chmods to
// 0644 after writing it, so the one file that shows customers' figures to a reader is the one
// readable by every local user. Expected: the report's mode follows the umask like the rest.
func TestOutputPermissionsUmask077(t *testing.T) {
	checkPermissions(t, 0o077)
}
