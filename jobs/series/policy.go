package series

import (
	"context"
	"log/slog"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/store"
)

// DateRunner runs one date of a series. RunDate, the default, is what `rfm run` does; tests
// substitute their own.
type DateRunner func(ctx context.Context, cfg *config.Config, d ScheduledDate, opts jobs.RunOptions) (*store.Manifest, error)

// RunDate runs d.AsOf with jobs.Run, the same function `rfm run` calls, so a date's outputs are
// the same whichever command produced them.
func RunDate(ctx context.Context, cfg *config.Config, d ScheduledDate, opts jobs.RunOptions) (*store.Manifest, error) {
	opts.Previous = d.Previous
	return jobs.Run(ctx, cfg, d.AsOf, opts)
}

// dateRun is the one per-date policy of backfills and the scheduler.
type dateRun struct {
	cfg    *config.Config
	runner DateRunner
	engine engine.Engine
	logger *slog.Logger
	now    func() time.Time
}

// run runs one date on its own copy of the configuration (Run normalizes it) and clears the
// date's failure record when it commits.
func (p *dateRun) run(ctx context.Context, d ScheduledDate) (*store.Manifest, error) {
	c := *p.cfg
	m, err := p.runner(ctx, &c, d, jobs.RunOptions{Logger: p.logger, Engine: p.engine})
	if err == nil {
		store.ClearFailure(p.cfg.Output.Dir, d.AsOf)
	}
	return m, err
}

// settle records the failure of a date after its last attempt, so the next plan tells it from
// a date never run; an interrupted run, or one that found the date locked by another, is not a
// failure of the date and leaves no record. It returns the error of writing the record.
func (p *dateRun) settle(d ScheduledDate, err error, attempts int) error {
	kind := jobs.Classify(err).Kind
	if kind == jobs.KindInterrupted || kind == jobs.KindLocked {
		return nil
	}
	f := store.Failure{AsOf: d.AsOf, Kind: string(kind), Error: err.Error(), At: p.now().UTC().Format(time.RFC3339), Attempts: attempts}
	return store.RecordFailure(p.cfg.Output.Dir, f)
}
