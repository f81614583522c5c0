package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/store"
)

// cli runs the command line in-process and returns exit code, stdout and stderr.
func cli(t *testing.T, vars []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(context.Background(), args, &env{stdout: &out, stderr: &errb, vars: vars})
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "tx.parquet")
	if err := gen.WriteFile(in, gen.Options{Customers: 50, Transactions: 400, Seed: 1, Days: 60}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string // a substring the user must see; "" for none: stderr must be empty
		stdout string // a substring of stdout, when set
	}{
		{"no command", nil, jobs.ExitUsage, "Usage: rfm", ""},
		{"help", []string{"--help"}, jobs.ExitOK, "Exit codes", ""},
		{"unknown command", []string{"frobnicate"}, jobs.ExitUsage, `unknown command "frobnicate"`, ""},
		{"run help documents exit codes", []string{"run", "--help"}, jobs.ExitOK, "75   temporary, retry later", ""},
		{"run without as-of", []string{"run", "--input", in}, jobs.ExitUsage, "--as-of is required", ""},
		{"bad date", []string{"run", "--input", in, "--as-of", "2024-13-01", "--out", out}, jobs.ExitUsage, "not YYYY-MM-DD", ""},
		{"bad engine", []string{"run", "--input", in, "--as-of", "2023-02-01", "--engine", "spark"}, jobs.ExitUsage, `engine is "spark"`, ""},
		{"input missing", []string{"run", "--input", filepath.Join(dir, "none-*.parquet"), "--as-of", "2023-02-01", "--out", out}, jobs.ExitInputMissing, "input missing", ""},
		{"bad column", []string{"run", "--input", in, "--as-of", "2023-02-01", "--out", out}, jobs.ExitFailure, "Revenue", ""},
		{"ok", []string{"run", "--input", in, "--as-of", "2023-02-01", "--out", out, "-q"}, jobs.ExitOK, "", ""},
		{"version", []string{"version"}, jobs.ExitOK, "", "rfm " + jobs.Version() + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := []string{}
			if tc.name == "bad column" {
				vars = []string{"RFM_INPUT_COLUMNS_AMOUNT=Revenue"}
			}
			code, stdout, stderr := cli(t, vars, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			switch {
			case tc.stderr == "" && stderr != "":
				t.Errorf("stderr %q, want none", stderr)
			case !strings.Contains(stderr, tc.stderr):
				t.Errorf("stderr does not mention %q:\n%s", tc.stderr, stderr)
			}
			if tc.stdout != "" && stdout != tc.stdout {
				t.Errorf("stdout %q, want %q", stdout, tc.stdout)
			}
		})
	}
}

func TestRunIsSilentWithoutTerminalAndLockedExits75(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "tx.parquet")
	if err := gen.WriteFile(in, gen.Options{Customers: 50, Transactions: 400, Seed: 1, Days: 60}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := cli(t, nil, "run", "--input", in, "--as-of", "2023-02-01", "--out", out)
	if code != jobs.ExitOK || stdout != "" || stderr != "" {
		t.Errorf("under cron (no terminal) a successful run printed %q / %q (exit %d); want silence", stdout, stderr, code)
	}
	lock, err := store.AcquireLock(out, "2023-02-01")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, stderr = cli(t, nil, "run", "--input", in, "--as-of", "2023-02-01", "--out", out)
	if code != jobs.ExitLocked || !strings.Contains(stderr, "locked") {
		t.Errorf("exit %d (%s), want %d while the date is locked", code, stderr, jobs.ExitLocked)
	}
	code, _, stderr = cli(t, nil, "run", "--input", in, "--as-of", "2023-02-01", "--out", out, "--log-format", "json")
	if code != jobs.ExitLocked || !strings.Contains(stderr, "locked") {
		t.Errorf("exit %d, want %d", code, jobs.ExitLocked)
	}
}

func TestDemoPrintsSummary(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, nil, "demo", "--out", out)
	if code != jobs.ExitOK {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	for _, want := range []string{"5000 customers", "top 20% of customers hold", "Champions", "customers/as_of="} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(store.ManifestPath(out, gen.Options{Days: 730, Start: "2023-01-01"}.End())); err != nil {
		t.Errorf("demo left no manifest: %v", err)
	}
}
