package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/store"
)

// command runs one subcommand in-process, mapping its error to the exit code as main does.
func command(t *testing.T, cmd func(context.Context, []string, *env) error, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, vars: []string{}}
	code := exitCode(cmd(context.Background(), args, e), e)
	return code, out.String(), errb.String()
}

// smallInput writes a small synthetic history (2023-01-01 for 180 days) and returns its path.
func smallInput(t *testing.T) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "tx.parquet")
	if err := gen.WriteFile(in, gen.Options{Customers: 80, Transactions: 1500, Seed: 3, Days: 180}); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestBackfillDryRunWritesNothing(t *testing.T) {
	in := smallInput(t)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := command(t, cmdBackfill, "--input", in, "--out", out, "--from", "2023-01-31", "--to", "2023-06-30", "--every", "month", "--dry-run")
	if code != jobs.ExitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, s := range []string{"6 dates (0 complete, 0 failed, 6 missing); 6 would run", "2023-02-28  missing   run   2023-01-31"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("plan does not show %q:\n%s", s, stdout)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a dry run created %s (err %v); want nothing written", out, err)
	}
}

func TestBackfillLogsOneJSONLinePerDateAndQuietRerun(t *testing.T) {
	in := smallInput(t)
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"--input", in, "--out", out, "--from", "2023-03-01", "--to", "2023-03-04", "--parallel", "2"}
	code, _, stderr := command(t, cmdBackfill, append(args, "--log-format", "json")...)
	if code != jobs.ExitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	dates := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line is not JSON: %q", line)
		}
		if rec["msg"] == "date committed" {
			dates[rec["as_of"].(string)] = true
			if rec["total"] != 4.0 || rec["rows_read"] == nil {
				t.Errorf("log line %q lacks total 4 or rows_read", line)
			}
		}
	}
	if len(dates) != 4 {
		t.Errorf("got committed lines for %v, want the 4 dates", dates)
	}
	code, stdout, stderr := command(t, cmdBackfill, append(args, "-q")...)
	if code != jobs.ExitOK || stdout != "" || stderr != "" {
		t.Errorf("quiet rerun: exit %d, stdout %q, stderr %q; want 0 and silence", code, stdout, stderr)
	}
	_, stdout, _ = command(t, cmdBackfill, append(args, "--dry-run")...)
	if !strings.Contains(stdout, "4 dates (4 complete, 0 failed, 0 missing); 0 would run") {
		t.Errorf("plan after the backfill:\n%s", stdout)
	}
}

func TestBackfillExitCodes(t *testing.T) {
	in := smallInput(t)
	out := filepath.Join(t.TempDir(), "out")
	lock, err := store.AcquireLock(out, "2023-03-02")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	tests := []struct {
		name     string
		from, to string
		code     int
		stderr   string
	}{
		{"one of three dates locked: partial failure", "2023-03-01", "2023-03-03", jobs.ExitPartial, "2023-03-02  locked"},
		{"the only date locked: locked", "2023-03-02", "2023-03-02", jobs.ExitLocked, "locked by another run"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := command(t, cmdBackfill, "--input", in, "--out", out, "--from", tc.from, "--to", tc.to, "-q")
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr does not mention %q:\n%s", tc.stderr, stderr)
			}
		})
	}
	usage := []struct {
		name string
		args []string
		code int
	}{
		{"no dates", []string{"--input", in}, jobs.ExitUsage},
		{"bad cadence", []string{"--input", in, "--from", "2023-01-01", "--to", "2023-02-01", "--every", "fortnight"}, jobs.ExitUsage},
		{"bad rerun", []string{"--input", in, "--from", "2023-01-01", "--to", "2023-02-01", "--rerun", "some"}, jobs.ExitUsage},
		{"to before from", []string{"--input", in, "--from", "2023-02-01", "--to", "2023-01-01"}, jobs.ExitUsage},
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := command(t, cmdBackfill, tc.args...); code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
		})
	}
}
