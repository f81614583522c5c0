package main

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
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
