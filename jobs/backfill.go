package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// DateRunner runs one date of a series. RunDate, the default, is what `rfm run` does; tests
// substitute their own.
type DateRunner func(ctx context.Context, cfg *Config, d ScheduledDate, opts RunOptions) (*Manifest, error)

// RunDate runs d.AsOf with Run, the same function `rfm run` calls, so a date's outputs are
// the same whichever command produced them.
func RunDate(ctx context.Context, cfg *Config, d ScheduledDate, opts RunOptions) (*Manifest, error) {
	opts.Previous = d.Previous
	return Run(ctx, cfg, d.AsOf, opts)
}

// BackfillOptions are a backfill's settings and collaborators; the zero value runs one date at
// a time with Run and reports nothing.
type BackfillOptions struct {
	// Parallel is the number of dates run at once; 0 means 1.
	Parallel int
	// Logger is passed to each run.
	Logger *slog.Logger
	// OnDone is called after each date that ran (not for skipped ones), one call at a time.
	OnDone func(DateResult)
	// Runner runs a date; nil means RunDate.
	Runner DateRunner
	// Now stamps failure records; nil means time.Now.
	Now func() time.Time
}

// DateResult is the outcome of one date's run.
type DateResult struct {
	AsOf     string
	Manifest *Manifest // nil on error
	Err      error
	Seconds  float64
}

// BackfillReport is what a backfill did.
type BackfillReport struct {
	Plan       *Plan
	Results    []DateResult // the dates that ran, in date order
	Failed     []DateResult // the dates whose run failed (not interrupted), in date order
	Skipped    int          // dates the plan did not run
	NotStarted int          // dates the plan runs but the backfill never started (interrupted)
}

// Succeeded is the number of dates that ran and committed.
func (r *BackfillReport) Succeeded() int {
	n := 0
	for _, res := range r.Results {
		if res.Err == nil {
			n++
		}
	}
	return n
}

// Backfill runs the dates plan marks, at most opts.Parallel at once, in ascending date order
// of starting. A failed date does not stop the others: its error is in the report and a failure
// record is left for the next plan (except for ErrLocked, where another run is at work on the
// date, and ErrInterrupted). A successful date's failure record is removed.
//
// When ctx is cancelled, no further date starts, running dates stop without committing, and
// Backfill returns the report with an error wrapping ErrInterrupted; a rerun with the same
// plan finishes the dates still missing. Otherwise the error is nil, whatever the dates did.
func Backfill(ctx context.Context, cfg *Config, plan *Plan, opts BackfillOptions) (*BackfillReport, error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Parallel < 1 {
		opts.Parallel = 1
	}
	if opts.Runner == nil {
		opts.Runner = RunDate
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	rep := &BackfillReport{Plan: plan}
	var todo []ScheduledDate
	for _, d := range plan.Dates {
		if d.Run {
			todo = append(todo, d.ScheduledDate)
		} else {
			rep.Skipped++
		}
	}
	results := make([]*DateResult, len(todo))
	next := make(chan int)
	var mu sync.Mutex // serializes OnDone
	var wg sync.WaitGroup
	for range min(opts.Parallel, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := runOne(ctx, cfg, todo[i], opts)
				results[i] = &res
				if opts.OnDone != nil {
					mu.Lock()
					opts.OnDone(res)
					mu.Unlock()
				}
			}
		}()
	}
dispatch:
	for i := range todo {
		select {
		case next <- i:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(next)
	wg.Wait()

	interrupted := ctx.Err() != nil
	for _, res := range results {
		switch {
		case res == nil:
			rep.NotStarted++
		case errors.Is(res.Err, ErrInterrupted):
			rep.Results = append(rep.Results, *res)
			rep.NotStarted++
			interrupted = true
		default:
			rep.Results = append(rep.Results, *res)
			if res.Err != nil {
				rep.Failed = append(rep.Failed, *res)
			}
		}
	}
	if interrupted {
		return rep, fmt.Errorf("%w: backfill stopped with %d of %d dates not run", ErrInterrupted, rep.NotStarted, len(todo))
	}
	return rep, nil
}

// runOne runs one date and keeps its failure record up to date.
func runOne(ctx context.Context, cfg *Config, d ScheduledDate, opts BackfillOptions) DateResult {
	if err := ctx.Err(); err != nil {
		return DateResult{AsOf: d.AsOf, Err: fmt.Errorf("%w: %v", ErrInterrupted, err)}
	}
	start := time.Now()
	c := *cfg // Run normalizes its config; give each date its own copy
	m, err := opts.Runner(ctx, &c, d, RunOptions{Logger: opts.Logger})
	res := DateResult{AsOf: d.AsOf, Manifest: m, Err: err, Seconds: time.Since(start).Seconds()}
	switch {
	case err == nil:
		ClearFailure(cfg.Output.Dir, d.AsOf)
	case errors.Is(err, ErrInterrupted), errors.Is(err, ErrLocked):
		// Not a failure of the date: the next plan sees it as it is on disk.
	default:
		if rerr := RecordFailure(cfg.Output.Dir, d.AsOf, err, opts.Now(), 1); rerr != nil {
			res.Err = fmt.Errorf("%w (and recording the failure: %v)", err, rerr)
		}
	}
	return res
}
