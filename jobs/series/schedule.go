package series

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/store"
)

const (
	maxRetryDelay = time.Hour
	// maxCatchUp bounds catch_up: all after a long outage; older dates are left to a backfill.
	maxCatchUp = 366
)

// Clock is the scheduler's source of time, injectable for tests.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx's error in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or ctx.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Scheduler runs the job on a cron schedule until its context is cancelled.
//
// Each tick runs the as-of date of the tick (its local date minus one day) with Run. Ticks
// missed while the scheduler was down or busy are handled by the catch-up policy, judged from
// the complete dates: at start-up the missed dates are those after the newest complete date
// whose ticks are due (with no complete date, only the latest due tick counts); while
// running, the ticks that passed during a long run. Complete dates are never rerun.
// A run that fails with a temporary error (locked, input missing) is retried with exponential
// backoff; a run that fails otherwise leaves a failure record and the scheduler carries on with
// the next tick. A configuration error stops it.
type Scheduler struct {
	Config   *config.Config
	Schedule config.ScheduleConfig // normalized with Normalized
	// Clock is the time source; nil means SystemClock.
	Clock Clock
	// Runner runs a date; nil means RunDate.
	Runner DateRunner
	// Engine is passed to each run (jobs.RunOptions.Engine).
	Engine engine.Engine
	// Logger receives one line per tick, retry and outcome; nil discards.
	Logger *slog.Logger
}

// Serve runs until ctx is cancelled. It returns nil when stopped between runs and an error
// wrapping ErrInterrupted when stopped during a run (nothing of that date is committed: Run
// commits atomically). It returns a jobs.ErrConfig error for an unusable configuration.
func (s *Scheduler) Serve(ctx context.Context) error {
	s.Config.Normalize()
	if err := errors.Join(s.Config.Validate(), s.Schedule.Validate()); err != nil {
		return err
	}
	c, err := s.Schedule.Cadence()
	if err != nil {
		return err
	}
	if s.Clock == nil {
		s.Clock = SystemClock{}
	}
	onePass := s.Runner == nil && jobs.OnePass(s.Config, s.Engine)
	if s.Runner == nil {
		s.Runner = RunDate
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	pending, err := s.StartupDates(c, s.Clock.Now())
	if err != nil {
		return err
	}
	s.Logger.Info("schedule started", "cron", s.Schedule.Cron, "timezone", c.Location().String(),
		"catch_up", s.Schedule.CatchUp, "catching_up", len(pending))
	for {
		if onePass {
			var err error
			if pending, err = s.catchUp(ctx, pending); err != nil {
				return err
			}
		}
		for _, d := range pending {
			if err := s.runWithRetries(ctx, d); err != nil {
				return err
			}
		}
		handled := s.Clock.Now()
		tick, asOf := c.NextTick(handled)
		if tick.IsZero() {
			return fmt.Errorf("%w: schedule.cron %q never fires again", jobs.ErrConfig, s.Schedule.Cron)
		}
		s.Logger.Info("waiting", "next_tick", tick.Format(time.RFC3339), "as_of", asOf)
		if err := s.sleepUntil(ctx, tick); err != nil {
			s.Logger.Info("schedule stopped")
			return nil
		}
		if err := s.runWithRetries(ctx, ScheduledDate{AsOf: asOf, Previous: s.previous(c, tick)}); err != nil {
			return err
		}
		pending = s.missedSince(c, tick, s.Clock.Now())
	}
}

// StartupDates are the dates the catch-up policy runs when the scheduler starts at now.
func (s *Scheduler) StartupDates(c *cadence.Cadence, now time.Time) ([]ScheduledDate, error) {
	if s.Schedule.CatchUp == "none" {
		return nil, nil
	}
	// Catch up from the newest complete date, so a newest date that lost an output is run
	// again.
	newest := store.NewestComplete(s.Config.Output.Dir)
	var since time.Time
	if newest != "" {
		// Ticks whose as-of date is after the newest complete one: local date ≥ newest + 2.
		d, err := jobs.ParseDay(newest)
		if err != nil {
			return nil, err
		}
		y, m, dd := time.Unix(int64(d+2)*86400, 0).UTC().Date()
		since = time.Date(y, m, dd, 0, 0, 0, 0, c.Location()).Add(-time.Nanosecond)
	} else {
		since = now.AddDate(-1, 0, 0)
	}
	due := s.due(c, since, now)
	if newest == "" && len(due) > 1 {
		due = due[len(due)-1:] // nothing to catch up from: only the latest tick
	}
	return s.policy(due), nil
}

// missedSince are the dates the catch-up policy runs for ticks in (after, now].
func (s *Scheduler) missedSince(c *cadence.Cadence, after, now time.Time) []ScheduledDate {
	if s.Schedule.CatchUp == "none" {
		return nil
	}
	return s.policy(s.due(c, after, now))
}

// due lists the dates of ticks in (after, now] that are not complete, oldest first, at most
// maxCatchUp of the newest.
func (s *Scheduler) due(c *cadence.Cadence, after, now time.Time) []ScheduledDate {
	var out []ScheduledDate
	prevAsOf := ""
	for t := after; ; {
		tick, asOf := c.NextTick(t)
		if tick.IsZero() || tick.After(now) {
			break
		}
		if asOf != prevAsOf {
			if _, err := store.Complete(s.Config.Output.Dir, asOf); err != nil {
				out = append(out, ScheduledDate{AsOf: asOf, Previous: s.previous(c, tick)})
			}
			prevAsOf = asOf
		}
		t = tick
	}
	if len(out) > maxCatchUp {
		s.Logger.Warn("too many missed ticks; run a backfill for the older ones", "missed", len(out), "catching_up", maxCatchUp, "oldest_missed", out[0].AsOf)
		out = out[len(out)-maxCatchUp:]
	}
	return out
}

func (s *Scheduler) policy(due []ScheduledDate) []ScheduledDate {
	if s.Schedule.CatchUp == "latest" && len(due) > 1 {
		return due[len(due)-1:]
	}
	return due
}

// previous is the as-of date of the series before the tick's.
func (s *Scheduler) previous(c *cadence.Cadence, tick time.Time) string {
	d, _ := jobs.ParseDay(c.AsOf(tick))
	return c.PreviousBefore(d)
}

// sleepUntil waits until the clock reads t, in steps of at most a minute so a wall clock that
// jumps (suspend, NTP) is noticed.
func (s *Scheduler) sleepUntil(ctx context.Context, t time.Time) error {
	for {
		d := t.Sub(s.Clock.Now())
		if d <= 0 {
			return nil
		}
		if err := s.Clock.Sleep(ctx, min(d, time.Minute)); err != nil {
			return err
		}
	}
}

// catchUp runs the dates of pending not yet complete in one pass over the input when there are
// several (jobs.RunSeries), and returns those that failed, which runWithRetries then retries
// and records one by one as it does any date.
func (s *Scheduler) catchUp(ctx context.Context, pending []ScheduledDate) ([]ScheduledDate, error) {
	var todo []ScheduledDate
	for _, d := range pending {
		if _, err := store.Complete(s.Config.Output.Dir, d.AsOf); err != nil {
			todo = append(todo, d)
		}
	}
	if len(todo) < 2 {
		return todo, nil
	}
	dates := make([]jobs.SeriesDate, len(todo))
	for i, d := range todo {
		dates[i] = jobs.SeriesDate{AsOf: d.AsOf, Previous: d.Previous}
	}
	var failed []ScheduledDate
	c := *s.Config
	err := jobs.RunSeries(ctx, &c, dates, jobs.RunOptions{Logger: s.Logger, Engine: s.Engine}, func(i int, m *store.Manifest, err error) {
		if err != nil {
			failed = append(failed, todo[i])
			return
		}
		store.ClearFailure(s.Config.Output.Dir, todo[i].AsOf)
		s.Logger.Info("committed", "as_of", todo[i].AsOf, "customers", m.Customers, "rows_read", m.Rows.Read, "catching_up", len(todo))
	})
	if err != nil {
		s.Logger.Info("interrupted; nothing committed", "error", err.Error())
		return nil, err
	}
	return failed, nil
}

// runWithRetries runs one date, retrying temporary errors with backoff. It returns an error
// only when the scheduler must stop: interrupted or misconfigured.
func (s *Scheduler) runWithRetries(ctx context.Context, d ScheduledDate) error {
	delay, _ := time.ParseDuration(s.Schedule.RetryDelay)
	retries := *s.Schedule.Retries
	if _, err := store.Complete(s.Config.Output.Dir, d.AsOf); err == nil {
		s.Logger.Info("already committed", "as_of", d.AsOf)
		return nil
	}
	p := &dateRun{cfg: s.Config, runner: s.Runner, engine: s.Engine, logger: s.Logger, now: s.Clock.Now}
	for attempt := 1; ; attempt++ {
		start := s.Clock.Now()
		m, err := p.run(ctx, d)
		class := jobs.Classify(err)
		switch {
		case err == nil:
			s.Logger.Info("committed", "as_of", d.AsOf, "customers", m.Customers, "rows_read", m.Rows.Read,
				"seconds", s.Clock.Now().Sub(start).Seconds(), "attempt", attempt)
			return nil
		case class.Kind == jobs.KindInterrupted || ctx.Err() != nil:
			s.Logger.Info("interrupted; nothing committed", "as_of", d.AsOf)
			return fmt.Errorf("%w: run of %s stopped", jobs.ErrInterrupted, d.AsOf)
		case class.Kind == jobs.KindConfig:
			return err
		case class.Retry && attempt <= retries:
			s.Logger.Warn("temporary failure; will retry", "as_of", d.AsOf, "kind", class.Kind,
				"error", err.Error(), "attempt", attempt, "retry_in", delay.String())
			if s.sleepUntil(ctx, s.Clock.Now().Add(delay)) != nil {
				s.Logger.Info("schedule stopped")
				return nil
			}
			delay = min(2*delay, maxRetryDelay)
		default:
			s.Logger.Error("failed", "as_of", d.AsOf, "kind", class.Kind, "error", err.Error(), "attempts", attempt)
			if rerr := p.settle(d, err, attempt); rerr != nil {
				s.Logger.Error("recording the failure", "as_of", d.AsOf, "error", rerr.Error())
			}
			return nil
		}
	}
}
