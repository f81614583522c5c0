package series

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/store"
)

// fakeClock is a clock whose Sleep advances it at once, so a test walks through days of
// schedule in microseconds.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func schedConfig(t *testing.T, catchUp string) (*config.Config, config.ScheduleConfig) {
	cfg := fakeConfig(t)
	sc := config.ScheduleConfig{Cron: "0 2 * * *", CatchUp: catchUp, RetryDelay: "1m"}.Normalized("")
	return cfg, sc
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStartupCatchUp(t *testing.T) {
	tests := []struct {
		name      string
		catchUp   string
		committed []string
		want      []string
	}{
		{"none skips missed ticks", "none", []string{"2024-03-05"}, nil},
		{"latest runs the newest missed date", "latest", []string{"2024-03-05"}, []string{"2024-03-08"}},
		{"all runs every missed date", "all", []string{"2024-03-04", "2024-03-05"}, []string{"2024-03-06", "2024-03-07", "2024-03-08"}},
		{"up to date: nothing", "all", []string{"2024-03-08"}, nil},
		{"nothing committed: only the latest tick", "all", nil, []string{"2024-03-08"}},
		{"only dates after the newest committed count", "all", []string{"2024-03-01", "2024-03-07"}, []string{"2024-03-08"}},
		// "!" marks a manifest whose listed output is missing: that date is not complete, so
		// catching up starts before it and runs it again.
		{"a newest date that lost an output is run again", "all", []string{"2024-03-06", "2024-03-07!"}, []string{"2024-03-07", "2024-03-08"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, sc := schedConfig(t, tc.catchUp)
			for _, d := range tc.committed {
				if date, lost := strings.CutSuffix(d, "!"); lost {
					writeManifestLosing(t, cfg.Output.Dir, date)
				} else {
					writeManifest(t, cfg.Output.Dir, d)
				}
			}
			s := &Scheduler{Config: cfg, Schedule: sc}
			c, err := sc.Cadence()
			if err != nil {
				t.Fatal(err)
			}
			// 10:00 on Mar 9: the ticks of Mar 7, 8 and 9 (02:00) are due, as of Mar 6, 7, 8.
			got, err := s.StartupDates(c, utc("2024-03-09 10:00"))
			if err != nil {
				t.Fatal(err)
			}
			if g := asOfs(got); !slices.Equal(g, tc.want) {
				t.Errorf("got %v, want %v", g, tc.want)
			}
		})
	}
}

// TestServeRunsTicksAndStops: catching up from Mar 5, then the ticks of Mar 10 and 11, each with
// the series' previous date; cancelled between runs, Serve returns nil.
func TestServeRunsTicksAndStops(t *testing.T) {
	cfg, sc := schedConfig(t, "all")
	writeManifest(t, cfg.Output.Dir, "2024-03-05")
	clock := &fakeClock{now: utc("2024-03-09 10:00")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var ran []ScheduledDate
	var at []time.Time
	f := &fakeRunner{hook: func(d ScheduledDate) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, d)
		at = append(at, clock.Now())
		if len(ran) == 5 {
			cancel()
		}
	}}
	// The fake runner refuses to commit once cancelled; let the fifth date commit first.
	runner := func(ctx context.Context, cfg *config.Config, d ScheduledDate, o jobs.RunOptions) (*store.Manifest, error) {
		return f.run(context.WithoutCancel(ctx), cfg, d, o)
	}
	s := &Scheduler{Config: cfg, Schedule: sc, Clock: clock, Runner: runner}
	if err := s.Serve(ctx); err != nil {
		t.Fatalf("got %v, want nil for a stop between runs", err)
	}
	want := []ScheduledDate{
		{AsOf: "2024-03-06", Previous: "2024-03-05"}, {AsOf: "2024-03-07", Previous: "2024-03-06"}, {AsOf: "2024-03-08", Previous: "2024-03-07"},
		{AsOf: "2024-03-09", Previous: "2024-03-08"}, {AsOf: "2024-03-10", Previous: "2024-03-09"},
	}
	if !slices.Equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
	if got, want := at[3], utc("2024-03-10 02:00"); !got.Equal(want) {
		t.Errorf("as-of 2024-03-09 ran at %v, want at its tick %v", got, want)
	}
}

// TestServeLongRunMissesTicks: the run of Mar 9 takes three days; the policy decides what runs
// for the ticks that passed meanwhile.
func TestServeLongRunMissesTicks(t *testing.T) {
	tests := []struct {
		catchUp string
		want    []string
	}{
		{"none", []string{"2024-03-09", "2024-03-13"}},
		{"latest", []string{"2024-03-09", "2024-03-12", "2024-03-13"}},
		{"all", []string{"2024-03-09", "2024-03-10", "2024-03-11", "2024-03-12", "2024-03-13"}},
	}
	for _, tc := range tests {
		t.Run(tc.catchUp, func(t *testing.T) {
			cfg, sc := schedConfig(t, tc.catchUp)
			writeManifest(t, cfg.Output.Dir, "2024-03-08")
			clock := &fakeClock{now: utc("2024-03-09 10:00")}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var ran []string
			f := &fakeRunner{hook: func(d ScheduledDate) {
				ran = append(ran, d.AsOf)
				if d.AsOf == "2024-03-09" {
					clock.advance(3 * 24 * time.Hour) // until Mar 13 02:00: ticks of Mar 11, 12, 13 passed
				}
				if d.AsOf == "2024-03-13" {
					cancel()
				}
			}}
			runner := func(ctx context.Context, cfg *config.Config, d ScheduledDate, o jobs.RunOptions) (*store.Manifest, error) {
				return f.run(context.WithoutCancel(ctx), cfg, d, o)
			}
			s := &Scheduler{Config: cfg, Schedule: sc, Clock: clock, Runner: runner}
			if err := s.Serve(ctx); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ran, tc.want) {
				t.Errorf("ran %v, want %v", ran, tc.want)
			}
		})
	}
}

func TestServeRetriesTemporaryErrorsWithBackoff(t *testing.T) {
	tests := []struct {
		name        string
		failures    int // attempts that fail before success
		err         error
		wantRuns    int
		wantSleeps  []time.Duration // the retry waits (of at most a minute each step)
		wantFailure string          // the failure record's kind, "" for none
	}{
		{"locked twice then committed", 2, jobs.ErrLocked, 3, []time.Duration{time.Minute, time.Minute, time.Minute}, ""},
		{"input missing past the retries", 99, jobs.ErrInputMissing, 4, []time.Duration{time.Minute, time.Minute, time.Minute, time.Minute, time.Minute, time.Minute, time.Minute}, "input_missing"},
		{"bad input is not retried", 99, jobs.ErrInput, 1, nil, "input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, sc := schedConfig(t, "latest")
			writeManifest(t, cfg.Output.Dir, "2024-03-08")
			clock := &fakeClock{now: utc("2024-03-10 02:00")} // the tick of as-of Mar 9 is due
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			runs := 0
			runner := func(_ context.Context, cfg *config.Config, d ScheduledDate, _ jobs.RunOptions) (*store.Manifest, error) {
				if d.AsOf != "2024-03-09" {
					cancel()
					return nil, fmt.Errorf("%w: stop", jobs.ErrInterrupted)
				}
				runs++
				if runs <= tc.failures {
					return nil, fmt.Errorf("%w: try again", tc.err)
				}
				writeManifest(t, cfg.Output.Dir, d.AsOf)
				return &store.Manifest{AsOf: d.AsOf}, nil
			}
			s := &Scheduler{Config: cfg, Schedule: sc, Clock: clock, Runner: runner}
			if err := s.Serve(ctx); !errors.Is(err, jobs.ErrInterrupted) {
				t.Fatalf("got %v, want jobs.ErrInterrupted from the stop during the next run", err)
			}
			if runs != tc.wantRuns {
				t.Errorf("runs got %d, want %d", runs, tc.wantRuns)
			}
			// Backoff 1m, 2m, 4m, slept in steps of at most a minute, before the next day's wait.
			sleeps := clock.sleeps[:min(len(tc.wantSleeps), len(clock.sleeps))]
			if !slices.Equal(sleeps, tc.wantSleeps) {
				t.Errorf("first sleeps got %v, want %v", sleeps, tc.wantSleeps)
			}
			f, err := store.ReadFailure(cfg.Output.Dir, "2024-03-09")
			switch {
			case tc.wantFailure == "" && err == nil:
				t.Errorf("got failure record %+v, want none", f)
			case tc.wantFailure != "" && (err != nil || f.Kind != tc.wantFailure || f.Attempts != tc.wantRuns):
				t.Errorf("got failure record %+v (%v), want kind %s after %d attempts", f, err, tc.wantFailure, tc.wantRuns)
			}
		})
	}
}

func TestServeInterruptedDuringRun(t *testing.T) {
	cfg, sc := schedConfig(t, "latest")
	clock := &fakeClock{now: utc("2024-03-10 03:00")}
	ctx, cancel := context.WithCancel(context.Background())
	runner := func(ctx context.Context, _ *config.Config, _ ScheduledDate, _ jobs.RunOptions) (*store.Manifest, error) {
		cancel() // SIGTERM while the run works
		<-ctx.Done()
		return nil, fmt.Errorf("%w: %v", jobs.ErrInterrupted, ctx.Err())
	}
	s := &Scheduler{Config: cfg, Schedule: sc, Clock: clock, Runner: runner}
	err := s.Serve(ctx)
	if !errors.Is(err, jobs.ErrInterrupted) {
		t.Fatalf("got %v, want jobs.ErrInterrupted", err)
	}
	if _, err := store.ReadFailure(cfg.Output.Dir, "2024-03-09"); err == nil {
		t.Error("an interrupted run left a failure record")
	}
}

func TestScheduleConfigValidate(t *testing.T) {
	neg := -1
	sc := config.ScheduleConfig{Cron: "0 25 * * *", Timezone: "Mars/Olympus", CatchUp: "some", Retries: &neg, RetryDelay: "soon"}
	err := sc.Validate()
	if !errors.Is(err, jobs.ErrConfig) {
		t.Fatalf("got %v, want jobs.ErrConfig", err)
	}
	for _, s := range []string{"schedule.cron", "schedule.timezone", "schedule.catch_up", "schedule.retries", "schedule.retry_delay"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
	if err := (config.ScheduleConfig{}).Normalized("Europe/Paris").Validate(); err == nil || !strings.Contains(err.Error(), "schedule.cron: required") {
		t.Errorf("empty cron: got %v, want 'schedule.cron: required'", err)
	}
	if err := (config.ScheduleConfig{Cron: "day"}).Normalized("").Validate(); err == nil || !strings.Contains(err.Error(), "needs a cron expression") {
		t.Errorf("cadence day: got %v, want 'needs a cron expression'", err)
	}
	// The cron message says what is wrong with the expression, not just that it is wrong.
	if err := (config.ScheduleConfig{Cron: "0 2 * *"}).Normalized("").Validate(); err == nil || !strings.Contains(err.Error(), `schedule.cron is "0 2 * *", want a cron expression`) || !strings.Contains(err.Error(), "expected exactly 5 fields, found 4") {
		t.Errorf("bad cron: got %v, want the expression and the parser's reason", err)
	}
	// A bad time zone is reported once, as the time zone's problem, not the expression's.
	if err := (config.ScheduleConfig{Cron: "0 2 * * *", Timezone: "Mars/Olympus"}).Normalized("").Validate(); err == nil ||
		strings.Contains(err.Error(), "schedule.cron") || strings.Count(err.Error(), "Mars/Olympus") != 2 {
		t.Errorf("bad time zone: got %v, want one schedule.timezone message and none about schedule.cron", err)
	}
	n := (config.ScheduleConfig{Cron: "@daily"}).Normalized("Europe/Paris")
	if n.Timezone != "Europe/Paris" || n.CatchUp != "latest" || *n.Retries != 3 || n.RetryDelay != "1m0s" {
		t.Errorf("defaults got %+v, want window time zone, latest, 3, 1m0s", n)
	}
}
