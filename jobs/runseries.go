package jobs

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

// SeriesDate is one date of a series and the previous date of its schedule ("" for none).
type SeriesDate struct {
	AsOf, Previous string
}

// OnePass reports whether RunSeries reads the input once for all the dates of cfg's series
// with eng (nil: the engine Run would use): the engine aggregates series (the native engine
// does) and the window holds all history, so that a date's features are the date before's
// plus the rows in between.
func OnePass(cfg *config.Config, eng engine.Engine) bool {
	c := *cfg
	c.Normalize()
	e, err := engineFor(&c, eng)
	if err != nil {
		return false
	}
	_, ok := e.(engine.SeriesEngine)
	return ok && c.LookbackDays() == 0
}

// RunSeries runs the dates, ascending, and calls done(i, manifest, err) for dates[i] as each
// ends (one call at a time, in date order). Each date's outputs are exactly what Run writes
// for it with opts.Previous set to its previous date, and each commits on its own, so a date
// that fails leaves the others committed. With OnePass the engine reads the input once
// (engine.SeriesEngine) and each date's lock is taken when its turn comes; a previous date
// that is not in the series and has no committed output is computed from the same pass.
// Otherwise each date is a Run of its own.
//
// RunSeries returns an error wrapping ErrInterrupted when ctx is cancelled: the date running
// then does not commit and the dates after it are not started (done is not called for them).
// Every other error is a date's, given to done.
func RunSeries(ctx context.Context, cfg *config.Config, dates []SeriesDate, opts RunOptions, done func(i int, m *store.Manifest, err error)) error {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		for i := range dates {
			done(i, nil, err)
		}
		return nil
	}
	if !OnePass(cfg, opts.Engine) || len(dates) < 2 {
		for i, d := range dates {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%w: %w", ErrInterrupted, err)
			}
			o := opts
			o.Previous = d.Previous
			c := *cfg
			m, err := Run(ctx, &c, d.AsOf, o)
			if Classify(err).Kind == KindInterrupted {
				return err
			}
			done(i, m, err)
		}
		return nil
	}
	s, err := newSeries(cfg, dates, opts)
	if err != nil {
		for i := range dates {
			done(i, nil, err)
		}
		return nil
	}
	return s.run(ctx, done)
}

// series is one pass over the input for several dates.
type series struct {
	cfg   *config.Config
	runs  []*run  // by date
	cuts  []int32 // the dates and their previous dates, ascending
	eng   engine.SeriesEngine
	dates []SeriesDate
}

func newSeries(cfg *config.Config, dates []SeriesDate, opts RunOptions) (*series, error) {
	s := &series{cfg: cfg, dates: dates}
	for i, d := range dates {
		o := opts
		o.Previous = d.Previous
		r, err := newRun(cfg, d.AsOf, o)
		if err != nil {
			return nil, err
		}
		if i > 0 && r.asOfDay <= s.runs[i-1].asOfDay {
			return nil, fmt.Errorf("%w: series dates must ascend: %s after %s", ErrConfig, r.asOf, s.runs[i-1].asOf)
		}
		s.runs = append(s.runs, r)
		s.cuts = append(s.cuts, r.asOfDay)
		if r.prevDay != feature.NoDate {
			s.cuts = append(s.cuts, r.prevDay)
		}
	}
	slices.Sort(s.cuts)
	s.cuts = slices.Compact(s.cuts)
	s.eng = s.runs[0].eng.(engine.SeriesEngine)
	return s, nil
}

func (s *series) run(ctx context.Context, done func(int, *store.Manifest, error)) error {
	cfg := s.cfg
	fail := func(from int, err error) {
		for i := from; i < len(s.runs); i++ {
			done(i, nil, err)
		}
	}
	started, last := s.runs[0].opts.Now(), time.Now()
	files, err := resolveInputs(cfg)
	if err != nil {
		fail(0, err)
		return nil
	}
	inputs, err := store.DescribeInputs(files)
	if err != nil {
		fail(0, fmt.Errorf("%w: %w", ErrInput, err))
		return nil
	}
	resolved := time.Since(last).Seconds()

	byDay := map[int32]int{}
	for i, r := range s.runs {
		byDay[r.asOfDay] = i
	}
	next := 0 // the first date not yet done
	committed := false
	var previous *outputs.Customers // the customers of the date committed last
	var previousDay int32 = feature.NoDate
	var prior *engine.Result
	var priorDay int32 = feature.NoDate
	req := cfg.Request(files, s.cuts[len(s.cuts)-1])
	err = s.eng.AggregateSeries(ctx, req, s.cuts, func(k int, res *engine.Result) error {
		day := s.cuts[k]
		i, isDate := byDay[day]
		if isDate {
			r := s.runs[i]
			ag := aggregated{req: cfg.Request(files, day), files: files, inputs: inputs, started: started}
			if previousDay == r.prevDay {
				ag.previous = previous
			}
			m, err := s.date(ctx, r, res, ag, prior, priorDay, resolved, last)
			if Classify(err).Kind == KindInterrupted {
				return err
			}
			done(i, m, err)
			committed = err == nil
			previous, previousDay = nil, feature.NoDate
			if committed {
				previous, previousDay = r.date.Customers(), day
			}
			r.date = nil
			next = i + 1
			started, resolved = r.opts.Now(), 0
		}
		// A date that committed is read back by the next one, so only the aggregation of a
		// date that is not in the series (or did not commit) is kept for it. The time until the
		// next date's aggregation is its aggregate stage (the scan's too for the first).
		prior, priorDay = nil, feature.NoDate
		if !isDate || !committed {
			prior, priorDay = res, day
		}
		if isDate {
			last = time.Now()
		}
		return ctx.Err()
	})
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return interrupted(ctx, err)
	}
	fail(next, fmt.Errorf("%w: %w", ErrInput, err))
	return nil
}

// date runs one date of the series on its aggregation res: the aggregate stage is the time
// since the last date ended (since the series began, its scan included, for the first).
func (s *series) date(ctx context.Context, r *run, res *engine.Result, ag aggregated, prior *engine.Result, priorDay int32, resolved float64, since time.Time) (*store.Manifest, error) {
	// Each date starts from a collected heap: the collector's goal is then twice the series'
	// state, not twice whatever the previous date held at its last collection (its CLV arrays,
	// say), which let the heap grow to 1.9 GB of mostly garbage with 0.4 GB live (gctrace, 12
	// month ends of 20M rows).
	runtime.GC()
	warnUnlocked(s.cfg.Output.Dir, r.opts.Logger)
	lock, err := store.AcquireLockLease(s.cfg.Output.Dir, r.asOf, s.cfg.LockLease())
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	store.CleanStaging(s.cfg.Output.Dir, time.Now())
	r.stages = []store.Stage{{Name: "resolve", Seconds: resolved}}
	r.last = since
	r.lap("aggregate")
	if priorDay == r.prevDay {
		ag.prior = prior
	}
	m, err := r.commit(ctx, res, ag)
	return m, interrupted(ctx, err)
}
