package series

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/store"
)

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
	// Engine is passed to each run (jobs.RunOptions.Engine).
	Engine engine.Engine
	// Now stamps failure records; nil means time.Now.
	Now func() time.Time
}

// DateResult is the outcome of one date's run.
type DateResult struct {
	AsOf     string
	Manifest *store.Manifest // nil on error
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
func Backfill(ctx context.Context, cfg *config.Config, plan *Plan, opts BackfillOptions) (*BackfillReport, error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Parallel < 1 {
		opts.Parallel = 1
	}
	onePass := opts.Runner == nil && jobs.OnePass(cfg, opts.Engine)
	if opts.Runner == nil {
		opts.Runner = RunDate
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &dateRun{cfg: cfg, runner: opts.Runner, engine: opts.Engine, logger: opts.Logger, now: opts.Now}
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
	if onePass {
		p.onePass(ctx, todo, results, opts.OnDone)
	} else {
		p.eachDate(ctx, todo, results, opts)
	}

	interrupted := ctx.Err() != nil
	for _, res := range results {
		switch {
		case res == nil:
			rep.NotStarted++
		case jobs.Classify(res.Err).Kind == jobs.KindInterrupted:
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
		return rep, fmt.Errorf("%w: backfill stopped with %d of %d dates not run", jobs.ErrInterrupted, rep.NotStarted, len(todo))
	}
	return rep, nil
}

// eachDate runs the dates one Run each, at most opts.Parallel at once.
func (p *dateRun) eachDate(ctx context.Context, todo []ScheduledDate, results []*DateResult, opts BackfillOptions) {
	next := make(chan int)
	var mu sync.Mutex // serializes OnDone
	var wg sync.WaitGroup
	for range min(opts.Parallel, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := p.runOne(ctx, todo[i])
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
}

// onePass runs the dates in one pass over the input (jobs.RunSeries), in date order.
func (p *dateRun) onePass(ctx context.Context, todo []ScheduledDate, results []*DateResult, onDone func(DateResult)) {
	dates := make([]jobs.SeriesDate, len(todo))
	for i, d := range todo {
		dates[i] = jobs.SeriesDate{AsOf: d.AsOf, Previous: d.Previous}
	}
	last := time.Now()
	err := jobs.RunSeries(ctx, p.cfg, dates, jobs.RunOptions{Logger: p.logger, Engine: p.engine}, func(i int, m *store.Manifest, err error) {
		res := DateResult{AsOf: todo[i].AsOf, Manifest: m, Err: err, Seconds: time.Since(last).Seconds()}
		last = time.Now()
		if err == nil {
			store.ClearFailure(p.cfg.Output.Dir, todo[i].AsOf)
		} else if rerr := p.settle(todo[i], err, 1); rerr != nil {
			res.Err = fmt.Errorf("%w (and recording the failure: %v)", err, rerr)
		}
		results[i] = &res
		if onDone != nil {
			onDone(res)
		}
	})
	if err != nil {
		// Interrupted: the date that was running is reported as such, the others not started.
		for i := range results {
			if results[i] == nil {
				results[i] = &DateResult{AsOf: todo[i].AsOf, Err: err}
				break
			}
		}
	}
}

// runOne runs one date of a backfill: one attempt, its failure recorded.
func (p *dateRun) runOne(ctx context.Context, d ScheduledDate) DateResult {
	if err := ctx.Err(); err != nil {
		return DateResult{AsOf: d.AsOf, Err: fmt.Errorf("%w: %w", jobs.ErrInterrupted, err)}
	}
	start := time.Now()
	m, err := p.run(ctx, d)
	if err != nil {
		if rerr := p.settle(d, err, 1); rerr != nil {
			err = fmt.Errorf("%w (and recording the failure: %v)", err, rerr)
		}
	}
	return DateResult{AsOf: d.AsOf, Manifest: m, Err: err, Seconds: time.Since(start).Seconds()}
}
