package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/objstore/gateway"
	"github.com/rfmjob/rfm/jobs/store"
)

// startGateway runs a real S3 server (the Versity gateway, with object metadata and so with
// conditional writes) for the test and points the environment the binary inherits at it.
func startGateway(t *testing.T) *gateway.Gateway {
	t.Helper()
	g, err := gateway.Start(openDir(t), false)
	if errors.Is(err, gateway.ErrNoBinary) {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Stop)
	for k, v := range g.Env() {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
	return g
}

// TestCrashSafetyS3 kills `rfm run` and `rfm backfill` writing to an s3:// output prefix with
// SIGKILL at random points, 50 times: after each kill every published object (as the server
// stores it) is complete and equal to an undisturbed local run's, every manifest lists outputs
// that are there with their sizes and hashes, no lock left by a killed run blocks the next run,
// and a final rerun completes with the same tables and leaves no lock behind.
func TestCrashSafetyS3(t *testing.T) {
	bin := buildRFM(t)
	g := startGateway(t)
	if err := os.MkdirAll(filepath.Join(g.Root, "marts"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Killed with every output staged and nothing published (6 times, over an empty prefix
	// and over a committed date): the store is as it was.
	t.Run("kill at the commit", func(t *testing.T) {
		killAtCommit(t, bin, "s3://marts/commit/", filepath.Join(g.Root, "marts", "commit"))
	})
	t.Run("kill at each step of the commit", func(t *testing.T) { killAtEachStep(t, bin, g) })
	in := crashData(t, bin, 4000, 80_000)
	rng := rand.New(rand.NewPCG(2026, 12))
	for _, tc := range []struct {
		name  string
		args  []string
		kills int
	}{
		{"run", []string{"run", "--as-of", "2024-12-31"}, 30},
		{"backfill", []string{"backfill", "--from", "2024-12-29", "--to", "2024-12-31", "--rerun", "all", "-q"}, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refOut := t.TempDir()
			runOK(t, bin, append(tc.args, "--input", in, "--out", refOut)...)
			ref := snapshot(t, refOut)
			// The kill delays spread over the length of a run into the store (a first run and
			// a rerun, the faster), so that kills land in the commit too.
			scratch := "s3://marts/scratch-" + tc.name + "/"
			full := min(runOK(t, bin, append(tc.args, "--input", in, "--out", scratch)...),
				runOK(t, bin, append(tc.args, "--input", in, "--out", scratch)...))
			url := "s3://marts/" + tc.name + "/"
			disk := filepath.Join(g.Root, "marts", tc.name) // the objects as the gateway stores them
			args := append(tc.args, "--input", in, "--out", url)
			finished := killRuns(t, rng, bin, args, disk, tc.kills, full, ref)
			runOK(t, bin, args...)
			got := snapshot(t, disk)
			sameAs(t, "after the rerun", got, ref)
			if len(got) != len(ref) {
				t.Errorf("after the rerun: %d tables published, want %d as in the reference run", len(got), len(ref))
			}
			for _, d := range []string{"2024-12-29", "2024-12-30", "2024-12-31"} {
				if tc.name == "run" && d != "2024-12-31" {
					continue
				}
				if _, err := store.Complete(url, d); err != nil {
					t.Errorf("%s after the rerun: %v", d, err)
				}
			}
			locks, _ := os.ReadDir(filepath.Join(disk, ".locks"))
			if len(locks) != 0 {
				t.Errorf("%d lock objects left after the final run", len(locks))
			}
			t.Logf("%d kills (a run takes %v; %d finished before the kill)", tc.kills, full.Round(time.Millisecond), finished)
		})
	}
}

// killAtEachStep commits a date with every view, then reruns it with CLV off (one table fewer)
// and kills that run at each step of its commit in turn: with the previous manifest out of the
// way, then after each published object. After every kill the date is not committed, and every
// object there is whole, the committed version or the new one; the run after the last kill commits, with the tables of an undisturbed
// run, and removes the clv table the killed runs' predecessor had (learned from the copy of its
// manifest), the copy itself and its lock.
func killAtEachStep(t *testing.T, bin string, g *gateway.Gateway) {
	in := crashData(t, bin, 1000, 10_000)
	const date = "2024-12-31"
	url, disk := "s3://marts/steps/", filepath.Join(g.Root, "marts", "steps")
	args := []string{"run", "--as-of", date, "--input", in, "--out", url}
	runOK(t, bin, args...)
	if _, err := os.Stat(filepath.Join(disk, "clv", "as_of="+date, "data.parquet")); err != nil {
		t.Fatalf("the first commit has no clv table: %v", err)
	}
	first := snapshot(t, disk)
	t.Setenv("RFM_CLV_ENABLED", "false")
	refOut := t.TempDir()
	runOK(t, bin, "run", "--as-of", date, "--input", in, "--out", refOut)
	ref := snapshot(t, refOut)
	steps := 0
	for k := 0; ; k++ {
		marker := filepath.Join(t.TempDir(), "paused")
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), fmt.Sprintf("RFM_TEST_PAUSE_AT_PUBLISH=%d:%s", k, marker))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		reached := false
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(marker); err == nil {
				reached = true
				break
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("step %d: the run failed: %v", k, err)
				}
				deadline = time.Now() // the commit has fewer steps: it finished
			default:
			}
		}
		if !reached {
			break
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		steps++
		if _, err := store.Complete(url, date); err == nil {
			t.Errorf("killed at step %d of the commit, the date is complete", k)
		}
		// Each object is the first commit's or the new run's, whole (snapshot decodes it).
		for rel, text := range snapshot(t, disk) {
			if text != first[rel] && text != ref[rel] {
				t.Errorf("killed at step %d: %s is neither the committed version nor the new one", k, rel)
			}
		}
	}
	if steps < 5 {
		t.Fatalf("the commit was stopped at %d steps, want one before and one after each object", steps)
	}
	// The date is committed by the last run (the loop's run that finished): complete, equal to
	// the undisturbed run, the clv table gone, and nothing of the killed commits left.
	if _, err := store.Complete(url, date); err != nil {
		t.Fatalf("after the run that finished: %v", err)
	}
	got := snapshot(t, disk)
	sameAs(t, "after the last run", got, ref)
	if len(got) != len(ref) {
		t.Errorf("%d tables after the last run, want %d as without CLV", len(got), len(ref))
	}
	for _, p := range []string{filepath.Join(disk, "clv", "as_of="+date, "data.parquet"), filepath.Join(disk, ".staging", "previous", "as_of="+date+".json"),
		filepath.Join(disk, ".locks", "as_of="+date+".lock")} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there after the last commit (%v)", p, err)
		}
	}
	t.Logf("killed at %d steps of the commit", steps)
}
