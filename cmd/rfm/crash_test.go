package main

// Crash safety of the real binary: SIGKILL at random points of runs and backfills, a file size
// limit (a full disk as the process sees it) and a read-only output directory.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/store"
)

// openDir returns a new temporary directory that every user can read and traverse (the
// read-only test runs the binary as an unprivileged user when the test runs as root).
func openDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildRFM builds the rfm binary into a directory every user can read.
func buildRFM(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(openDir(t), "rfm")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestCrashSafety builds the binary once and runs the kill and write-failure tests on it.
func TestCrashSafety(t *testing.T) {
	bin := buildRFM(t)
	t.Run("kill", func(t *testing.T) { crashKill(t, bin) })
	t.Run("kill at the commit", func(t *testing.T) { crashKillAtCommit(t, bin) })
	t.Run("write failures", func(t *testing.T) { crashWriteFailures(t, bin) })
}

// crashData writes a synthetic history of customers and rows with the binary itself.
func crashData(t *testing.T, bin string, customers, rows int) string {
	t.Helper()
	path := filepath.Join(openDir(t), "tx.parquet")
	out, err := exec.Command(bin, "gen", "-q", "--customers", fmt.Sprint(customers), "--transactions", fmt.Sprint(rows),
		"--out", path).CombinedOutput()
	if err != nil {
		t.Fatalf("rfm gen: %v\n%s", err, out)
	}
	return path
}

// decodeParquet returns every row of a Parquet file as text, or an error for an unreadable
// (partial, corrupt) file.
func decodeParquet(path string) (text string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic decoding: %v", path, r)
		}
	}()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	var b strings.Builder
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 128)
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				fmt.Fprintln(&b, row)
			}
			if err != nil {
				break
			}
		}
		rows.Close()
	}
	if got := int64(strings.Count(b.String(), "\n")); got != pf.NumRows() {
		return "", fmt.Errorf("%s: decoded %d rows, the footer says %d", path, got, pf.NumRows())
	}
	return b.String(), nil
}

// published lists the files a reader can see: everything under the output directory except
// the staging area and the locks, keyed by path relative to it.
func published(t *testing.T, out string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(out, path)
		if d.IsDir() && (rel == ".staging" || rel == ".locks") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, rel)
		}
		return nil
	})
	slices.Sort(files)
	return files
}

// snapshot decodes every published Parquet file; it fails on any file that is not a complete
// output (data.parquet, manifest.json, index.html) or does not decode.
func snapshot(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, rel := range published(t, out) {
		path := filepath.Join(out, rel)
		switch filepath.Base(rel) {
		case "data.parquet":
			text, err := decodeParquet(path)
			if err != nil {
				t.Errorf("published %s is not a complete Parquet file: %v", rel, err)
			}
			got[rel] = text
		case "manifest.json":
			var m store.Manifest
			data, err := os.ReadFile(path)
			if err == nil {
				err = json.Unmarshal(data, &m)
			}
			if err != nil {
				t.Errorf("published %s does not parse: %v", rel, err)
			}
			// Every output the manifest lists, the report included, is there with its size
			// and hash: a manifest never stands without its outputs.
			if err := store.Verify(out, &m); err != nil {
				t.Errorf("%s: %v", rel, err)
			}
			if _, ok := m.Output(store.ReportTable); !ok {
				t.Errorf("%s lists no report page", rel)
			}
			for _, o := range m.Outputs {
				if o.Table == store.ReportTable {
					continue
				}
				text, err := decodeParquet(filepath.Join(out, filepath.FromSlash(o.Path)))
				if err != nil {
					t.Errorf("%s lists %s, which is not readable: %v", rel, o.Table, err)
				} else if n := int64(strings.Count(text, "\n")); n != o.Rows {
					t.Errorf("%s lists %s with %d rows, the file has %d", rel, o.Table, o.Rows, n)
				}
			}
		case "index.html":
			data, err := os.ReadFile(path)
			if err != nil || !strings.Contains(string(data), "</html>") {
				t.Errorf("published %s is not a complete page (%d bytes, %v)", rel, len(data), err)
			}
		default:
			// Nothing in flight is ever outside the staging area: no temporary file in a
			// published folder. Failure records are the one other kind of file.
			if !strings.HasPrefix(rel, ".failures"+string(filepath.Separator)) {
				t.Errorf("published path %s is not an output file", rel)
			}
		}
	}
	return got
}

// sameAs checks that every decoded table in got equals the reference's (same date, same inputs:
// whichever run wrote it, the content is the same).
func sameAs(t *testing.T, when string, got, ref map[string]string) {
	t.Helper()
	for rel, text := range got {
		want, ok := ref[rel]
		if !ok {
			t.Errorf("%s: %s is published but not in the reference run", when, rel)
		} else if text != want {
			t.Errorf("%s: %s differs from the reference run", when, rel)
		}
	}
}

// killRuns starts args kills times, each killed with SIGKILL after a random delay in
// [0, 1.2·full): committed outputs must stay complete and equal to the reference after each,
// and no run may find the date locked. It returns how many runs finished before their kill.
func killRuns(t *testing.T, rng *rand.Rand, bin string, args []string, out string, kills int, full time.Duration, ref map[string]string) (finished int) {
	t.Helper()
	for i := range kills {
		cmd := exec.Command(bin, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(full) * 12 / 10))
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
			finished++
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			err = <-done
		}
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == jobs.ExitLocked {
			t.Errorf("kill %d: the run found the date locked after the previous run was killed: %s", i, stderr.String())
		} else if ok && ee.ExitCode() > 0 {
			t.Errorf("kill %d: the run failed with exit code %d: %s", i, ee.ExitCode(), stderr.String())
		}
		sameAs(t, fmt.Sprintf("after kill %d at %v", i, delay), snapshot(t, out), ref)
	}
	return finished
}

// runOK runs the binary and fails the test unless it exits 0; it returns the wall time.
func runOK(t *testing.T, bin string, args ...string) time.Duration {
	t.Helper()
	start := time.Now()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("rfm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return time.Since(start)
}

// crashKill kills `rfm run` (both engines) and `rfm backfill` with SIGKILL at random
// points, many times, into the same output directory; after each kill every published output
// is complete and equal to an undisturbed run's, and a final rerun completes with identical
// decoded results. Staging directories of killed runs stay hidden under .staging.
func crashKill(t *testing.T, bin string) {
	in := crashData(t, bin, 4000, 80_000)
	rng := rand.New(rand.NewPCG(2026, 11))
	for _, tc := range []struct {
		name  string
		args  []string
		kills int
	}{
		{"run native", []string{"run", "--as-of", "2024-12-31", "--engine", "native"}, 50},
		{"run duckdb", []string{"run", "--as-of", "2024-12-31", "--engine", "duckdb"}, 20},
		{"backfill", []string{"backfill", "--from", "2024-12-29", "--to", "2024-12-31", "--parallel", "2", "--rerun", "all", "-q"}, 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refOut, out := t.TempDir(), t.TempDir()
			// The kill delays spread over a run's length: the faster of a first run and a rerun.
			full := min(runOK(t, bin, append(tc.args, "--input", in, "--out", refOut)...),
				runOK(t, bin, append(tc.args, "--input", in, "--out", refOut)...))
			ref := snapshot(t, refOut)
			args := append(tc.args, "--input", in, "--out", out)
			finished := killRuns(t, rng, bin, args, out, tc.kills, full, ref)
			runOK(t, bin, args...)
			got := snapshot(t, out)
			sameAs(t, "after the rerun", got, ref)
			if len(got) != len(ref) {
				t.Errorf("after the rerun: %d tables published, want %d as in the reference run", len(got), len(ref))
			}
			staged, _ := os.ReadDir(filepath.Join(out, ".staging"))
			t.Logf("%d kills (run takes %v; %d finished before the kill), %d staging directories left by killed runs",
				tc.kills, full.Round(time.Millisecond), finished, len(staged))
		})
	}
}

// crashKillAtCommit kills runs at the commit point (every output staged, the report among them,
// nothing published: the pause hook), alternately into an empty directory and over a committed
// date: never a manifest without its outputs, nothing published from the killed run, no
// temporary file in a published folder, and the next run completes.
func crashKillAtCommit(t *testing.T, bin string) {
	out := t.TempDir()
	killAtCommit(t, bin, out, out)
}

// killAtCommit is crashKillAtCommit into out, whose published files are under the local
// directory disk (out itself, or where an S3 server keeps the objects of an s3:// out).
func killAtCommit(t *testing.T, bin, out, disk string) {
	in := crashData(t, bin, 1000, 10_000)
	args := []string{"run", "--as-of", "2024-12-31", "--input", in, "--out", out}
	for i := range 6 {
		before := snapshot(t, disk)
		marker := filepath.Join(t.TempDir(), "paused")
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "RFM_TEST_PAUSE_BEFORE_COMMIT="+marker)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			if _, err := os.Stat(marker); err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := os.Stat(marker); err != nil {
			cmd.Process.Kill()
			t.Fatalf("kill %d: the run never reached the commit point", i)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		after := snapshot(t, disk)
		if len(after) != len(before) {
			t.Errorf("kill %d at the commit point: %d published tables, %d before", i, len(after), len(before))
		}
		sameAs(t, fmt.Sprintf("kill %d at the commit point", i), after, before)
		if i%2 == 1 {
			runOK(t, bin, args...) // commit the date, so the next kill is over a committed one
			if _, err := store.Complete(out, "2024-12-31"); err != nil {
				t.Errorf("after the run following kill %d: %v", i, err)
			}
		}
	}
}
