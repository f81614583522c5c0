package series

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/store"
)

func demoConfig(t *testing.T, in, out string) *config.Config {
	cfg := &config.Config{}
	cfg.Input.Transactions = in
	cfg.Output.Dir = out
	return cfg
}

// TestBackfill24MonthsParallelMatchesRunAndRerunChangesNothing runs 24 month ends of the demo
// at parallel 2, checks each date equals a plain Run of it (done in reverse order into another
// directory), and that a second backfill runs nothing and changes no file.
func TestBackfill24MonthsParallelMatchesRunAndRerunChangesNothing(t *testing.T) {
	out := t.TempDir()
	in := generatedInput(t, smallDemo)
	cfg := demoConfig(t, in, out)
	c, _ := cadence.Parse("month", nil)
	series, err := seriesOf(c, "2023-01-31", "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(series) != 24 {
		t.Fatalf("got %d dates, want 24", len(series))
	}
	var done atomic.Int32
	rep, err := Backfill(context.Background(), cfg, BuildPlan(out, series, RerunFailed), BackfillOptions{
		Parallel: 2, OnDone: func(DateResult) { done.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 0 || rep.Succeeded() != 24 || done.Load() != 24 {
		t.Fatalf("got %d succeeded, %d failed (%v), %d reported; want 24, 0, 24", rep.Succeeded(), len(rep.Failed), rep.Failed, done.Load())
	}
	if got := store.CommittedDates(out); !slices.Equal(got, asOfs(series)) {
		t.Fatalf("committed %v, want %v", got, asOfs(series))
	}
	// Customers arrive over the two years, so the base grows from the first month end to the last.
	first, last := rep.Results[0].Manifest, rep.Results[23].Manifest
	if !(0 < first.Customers && first.Customers < last.Customers && last.Customers <= int64(smallDemo.Customers)) {
		t.Errorf("customers got %d on %s and %d on %s, want 0 < first < last <= %d",
			first.Customers, first.AsOf, last.Customers, last.AsOf, smallDemo.Customers)
	}

	// The same dates with Run, one at a time, newest first, elsewhere: identical content.
	ref := t.TempDir()
	for i := len(series) - 1; i >= 0; i-- {
		if _, err := jobs.Run(context.Background(), demoConfig(t, in, ref), series[i].AsOf, jobs.RunOptions{Previous: series[i].Previous}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range series {
		if got, want := decodedDate(t, out, d.AsOf), decodedDate(t, ref, d.AsOf); got != want {
			t.Errorf("%s: backfill output (digest %s) differs from run output (digest %s)", d.AsOf, digest(got), digest(want))
		}
	}

	before := snapshot(t, out)
	plan := BuildPlan(out, series, RerunFailed)
	if _, _, _, run := plan.Count(); run != 0 {
		t.Fatalf("rerun plan runs %d dates, want 0", run)
	}
	rep, err = Backfill(context.Background(), cfg, plan, BackfillOptions{Parallel: 2})
	if err != nil || len(rep.Results) != 0 || rep.Skipped != 24 {
		t.Fatalf("rerun got %d results, %d skipped, err %v; want 0, 24, nil", len(rep.Results), rep.Skipped, err)
	}
	if after := snapshot(t, out); !maps2Equal(before, after) {
		t.Error("a rerun of a complete backfill changed files")
	}
}

// snapshot maps every file under dir (but the lock files) to its size and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.Contains(p, ".locks") {
			return err
		}
		m[p] = fmt.Sprint(info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return m
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// fakeRunner commits a manifest for each date (so plans see it), failing the dates in fail.
type fakeRunner struct {
	mu   sync.Mutex
	ran  []string
	fail map[string]error
	hook func(d ScheduledDate) // called before the date "runs"
}

func (f *fakeRunner) run(ctx context.Context, cfg *config.Config, d ScheduledDate, _ jobs.RunOptions) (*store.Manifest, error) {
	if f.hook != nil {
		f.hook(d)
	}
	f.mu.Lock()
	f.ran = append(f.ran, d.AsOf)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", jobs.ErrInterrupted, err)
	}
	if err := f.fail[d.AsOf]; err != nil {
		return nil, err
	}
	p := store.ManifestPath(cfg.Output.Dir, d.AsOf)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(`{"as_of":"`+d.AsOf+`","rows":{"read":10}}`), 0o644); err != nil {
		return nil, err
	}
	return &store.Manifest{AsOf: d.AsOf, Rows: store.RowCounts{Read: 10}}, nil
}

func (f *fakeRunner) sortedRan() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := slices.Clone(f.ran)
	sort.Strings(s)
	return s
}

// fakeConfig is a valid configuration for a fakeRunner's runs, which never read the input.
func fakeConfig(t *testing.T) *config.Config {
	cfg := &config.Config{}
	cfg.Input.Transactions = "unused.parquet"
	cfg.Output.Dir = t.TempDir()
	return cfg
}

func daySeries(t *testing.T, from, to string) []ScheduledDate {
	t.Helper()
	c, _ := cadence.Parse("day", nil)
	s, err := seriesOf(c, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBackfillFailedDateDoesNotStopOthers(t *testing.T) {
	cfg := fakeConfig(t)
	out := cfg.Output.Dir
	series := daySeries(t, "2024-01-01", "2024-01-05")
	f := &fakeRunner{fail: map[string]error{"2024-01-03": fmt.Errorf("%w: amount column is text", jobs.ErrInput)}}
	rep, err := Backfill(context.Background(), cfg, BuildPlan(out, series, RerunFailed), BackfillOptions{Parallel: 3, Runner: f.run})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Succeeded() != 4 || len(rep.Failed) != 1 || rep.Failed[0].AsOf != "2024-01-03" || !errors.Is(rep.Failed[0].Err, jobs.ErrInput) {
		t.Fatalf("got %d succeeded, failed %+v; want 4 and 2024-01-03 with jobs.ErrInput", rep.Succeeded(), rep.Failed)
	}
	if got := asOfsOf(rep.Results); !slices.Equal(got, asOfs(series)) {
		t.Errorf("results got %v, want every date in order %v", got, asOfs(series))
	}
	tests := []struct {
		rerun Rerun
		run   []string
	}{
		{RerunFailed, []string{"2024-01-03"}},
		{RerunNone, nil},
	}
	for _, tc := range tests {
		p := BuildPlan(out, series, tc.rerun)
		var run []string
		for _, d := range p.Dates {
			if d.Run {
				run = append(run, d.AsOf)
			}
		}
		if !slices.Equal(run, tc.run) {
			t.Errorf("--rerun %s plan runs %v, want %v", tc.rerun, run, tc.run)
		}
	}
	// Fixed upstream: the rerun succeeds and clears the failure record.
	f.fail = nil
	if _, err := Backfill(context.Background(), cfg, BuildPlan(out, series, RerunFailed), BackfillOptions{Runner: f.run}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ReadFailure(out, "2024-01-03"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failure record after a successful rerun: got %v, want none", err)
	}
}

func asOfsOf(rs []DateResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.AsOf)
	}
	return out
}

// TestBackfillInterruptedRestartFinishesMissing cancels a backfill after its third date and
// checks that a restart runs exactly the dates that did not commit.
func TestBackfillInterruptedRestartFinishesMissing(t *testing.T) {
	cfg := fakeConfig(t)
	out := cfg.Output.Dir
	series := daySeries(t, "2024-02-01", "2024-02-10")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started atomic.Int32
	f := &fakeRunner{hook: func(ScheduledDate) {
		if started.Add(1) == 3 {
			cancel() // SIGTERM arrives while the third date runs
		}
	}}
	rep, err := Backfill(ctx, cfg, BuildPlan(out, series, RerunFailed), BackfillOptions{Parallel: 1, Runner: f.run})
	if !errors.Is(err, jobs.ErrInterrupted) {
		t.Fatalf("got %v, want jobs.ErrInterrupted", err)
	}
	if rep.Succeeded() != 2 || rep.NotStarted != 8 || len(rep.Failed) != 0 {
		t.Fatalf("got %d succeeded, %d not started, %d failed; want 2, 8, 0", rep.Succeeded(), rep.NotStarted, len(rep.Failed))
	}
	if _, err := store.ReadFailure(out, "2024-02-03"); err == nil {
		t.Error("an interrupted date left a failure record; want it to stay missing")
	}
	f2 := &fakeRunner{}
	plan := BuildPlan(out, series, RerunFailed)
	if _, err := Backfill(context.Background(), cfg, plan, BackfillOptions{Parallel: 2, Runner: f2.run}); err != nil {
		t.Fatal(err)
	}
	if got, want := f2.sortedRan(), asOfs(series[2:]); !slices.Equal(got, want) {
		t.Errorf("restart ran %v, want only the missing %v", got, want)
	}
}

// TestBackfillLockedDate: a date another process is running fails fast with jobs.ErrLocked, the
// other dates commit, and no failure record is left for the locked date.
func TestBackfillLockedDate(t *testing.T) {
	out := t.TempDir()
	cfg := demoConfig(t, generatedInput(t, smallDemo), out)
	lock, err := store.AcquireLock(out, "2024-06-02")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	series := daySeries(t, "2024-06-01", "2024-06-03")
	start := time.Now()
	rep, err := Backfill(context.Background(), cfg, BuildPlan(out, series, RerunFailed), BackfillOptions{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].AsOf != "2024-06-02" || !errors.Is(rep.Failed[0].Err, jobs.ErrLocked) {
		t.Fatalf("failed got %+v, want 2024-06-02 with jobs.ErrLocked", rep.Failed)
	}
	if rep.Failed[0].Seconds > 5 || time.Since(start) > 30*time.Second {
		t.Errorf("locked date took %.1fs; want it to fail fast", rep.Failed[0].Seconds)
	}
	if _, err := store.ReadFailure(out, "2024-06-02"); err == nil {
		t.Error("locked date left a failure record; want none (another run is at work)")
	}
	if got := store.CommittedDates(out); !slices.Equal(got, []string{"2024-06-01", "2024-06-03"}) {
		t.Errorf("committed %v, want the two unlocked dates", got)
	}
}
