// Package series runs the job over a series of as-of dates: plans (what is complete, failed or
// missing), backfills of a range, and the scheduler that runs dates as a cron schedule comes due.
// Both apply one per-date policy (policy.go): run the date with jobs.Run, clear or record its
// failure, and classify the error with jobs.Classify. The calendar is package cadence's.
package series

import (
	"fmt"
	"sync"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/store"
)

// ScheduledDate is one as-of date of a series and the series' date before it.
type ScheduledDate = cadence.ScheduledDate

// Dates returns the series of as-of dates of every from from to to (YYYY-MM-DD, inclusive), each
// with its previous date; every is day, week, month or a cron expression read in the
// schedule's time zone.
func Dates(cfg *config.Config, every, from, to string) (*cadence.Cadence, []ScheduledDate, error) {
	sc := cfg.Schedule.Normalized(cfg.Window.Timezone)
	loc, err := sc.Location()
	if err != nil {
		return nil, nil, err
	}
	c, err := cadence.Parse(every, loc)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", jobs.ErrConfig, err)
	}
	f, err := jobs.ParseDay(from)
	if err != nil {
		return nil, nil, err
	}
	t, err := jobs.ParseDay(to)
	if err != nil {
		return nil, nil, err
	}
	dates, err := c.Series(f, t)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", jobs.ErrConfig, err)
	}
	return c, dates, nil
}

// DateState says what the output directory holds for a date.
type DateState string

// Date states.
const (
	StateComplete DateState = "complete" // committed, every output present with its size and hash
	StateFailed   DateState = "failed"   // no manifest; the last run left a failure record
	StateMissing  DateState = "missing"  // neither: never run, interrupted, or an output lost
)

// Rerun says which dates a backfill runs.
type Rerun string

// Rerun policies.
const (
	RerunNone   Rerun = "none"   // only missing dates; complete and failed ones are skipped
	RerunFailed Rerun = "failed" // missing and failed dates (the default)
	RerunAll    Rerun = "all"    // every date, replacing complete outputs
)

// ParseRerun reads a --rerun value; "" is the default, failed.
func ParseRerun(s string) (Rerun, error) {
	switch Rerun(s) {
	case "":
		return RerunFailed, nil
	case RerunNone, RerunFailed, RerunAll:
		return Rerun(s), nil
	}
	return "", fmt.Errorf("%w: --rerun is %q, want none, failed or all", jobs.ErrConfig, s)
}

// PlannedDate is one date of a plan: its state on disk and whether the plan runs it.
type PlannedDate struct {
	ScheduledDate
	State   DateState      `json:"state"`
	Run     bool           `json:"run"`
	Failure *store.Failure `json:"failure,omitempty"` // the last failure, when State is failed
}

// Plan is the dates of a backfill in ascending order.
type Plan struct {
	Dates []PlannedDate `json:"dates"`
}

// Count returns how many dates are in each state and how many the plan runs.
func (p *Plan) Count() (complete, failed, missing, run int) {
	for _, d := range p.Dates {
		switch d.State {
		case StateComplete:
			complete++
		case StateFailed:
			failed++
		default:
			missing++
		}
		if d.Run {
			run++
		}
	}
	return
}

// BuildPlan reads the state of every date of series in outDir (a date whose manifest lists an
// output that is missing or changed is not complete) and marks the dates rerun says
// to run. It writes nothing.
func BuildPlan(outDir string, series []ScheduledDate, rerun Rerun) *Plan {
	p := &Plan{Dates: make([]PlannedDate, len(series))}
	// The dates are read a few at a time: in an object store each costs a manifest GET and
	// a HEAD per output, round trips that add up over a year of dailies.
	sem := make(chan struct{}, planReaders)
	var wg sync.WaitGroup
	for i, sd := range series {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			pd := PlannedDate{ScheduledDate: sd, State: StateMissing}
			if _, err := store.Complete(outDir, sd.AsOf); err == nil {
				pd.State = StateComplete
			} else if f, err := store.ReadFailure(outDir, sd.AsOf); err == nil {
				pd.State, pd.Failure = StateFailed, f
			}
			p.Dates[i] = pd
		})
	}
	wg.Wait()
	for i := range p.Dates {
		pd := &p.Dates[i]
		switch rerun {
		case RerunAll:
			pd.Run = true
		case RerunNone:
			pd.Run = pd.State == StateMissing
		default:
			pd.Run = pd.State != StateComplete
		}
	}
	return p
}

// planReaders bounds the dates BuildPlan reads at once.
const planReaders = 8
