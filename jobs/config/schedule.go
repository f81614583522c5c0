package config

import (
	"fmt"
	"time"

	"github.com/rfmjob/rfm/jobs/cadence"
)

// ScheduleConfig is the `schedule:` section of the job configuration, read by `rfm schedule`.
// Its zero value means "all defaults" except Cron, which the scheduler requires.
type ScheduleConfig struct {
	// Cron is when to run: 5 fields (minute hour day-of-month month day-of-week) or a descriptor
	// (@daily, @weekly, @monthly), e.g. "0 2 * * *". Each tick runs the as-of date its local
	// date minus one day (see Cadence). Required.
	Cron string `yaml:"cron"`
	// Timezone reads Cron (IANA name); default window.timezone, else UTC.
	Timezone string `yaml:"timezone"`
	// CatchUp is what to do with ticks missed while the scheduler was down or busy:
	// none (skip them), latest (run the most recent one; the default) or all (run each).
	CatchUp string `yaml:"catch_up"`
	// Retries is how many times a run that failed with a temporary error (locked, input
	// missing) is retried before the date is recorded as failed; default 3.
	Retries *int `yaml:"retries"`
	// RetryDelay is the wait before the first retry, doubling for each further one up to one
	// hour (a Go duration like "30s" or "5m"); default 1m.
	RetryDelay string `yaml:"retry_delay"`
}

// Schedule defaults.
const (
	DefaultCatchUp    = "latest"
	DefaultRetries    = 3
	DefaultRetryDelay = time.Minute
)

// Normalized returns s with defaults filled; window is the job's window.timezone.
func (s ScheduleConfig) Normalized(window string) ScheduleConfig {
	if s.Timezone == "" {
		s.Timezone = window
	}
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	if s.CatchUp == "" {
		s.CatchUp = DefaultCatchUp
	}
	if s.Retries == nil {
		r := DefaultRetries
		s.Retries = &r
	}
	if s.RetryDelay == "" {
		s.RetryDelay = DefaultRetryDelay.String()
	}
	return s
}

// Cadence returns the cron cadence of a normalized schedule section.
func (s ScheduleConfig) Cadence() (*cadence.Cadence, error) {
	loc, err := s.Location()
	if err != nil {
		return nil, err
	}
	c, err := s.cadence(loc)
	if err != nil {
		return nil, fmt.Errorf("%w: schedule.cron: %w", ErrConfig, err)
	}
	return c, nil
}

// cadence reads Cron in loc; it must be a cron expression, not day, week or month.
func (s ScheduleConfig) cadence(loc *time.Location) (*cadence.Cadence, error) {
	c, err := cadence.Parse(s.Cron, loc)
	if err != nil {
		return nil, err
	}
	if !c.IsCron() {
		return nil, fmt.Errorf("%q is not a cron expression; the scheduler needs a cron expression (\"0 2 * * *\" for daily)", s.Cron)
	}
	return c, nil
}

// Location is the time zone of a normalized schedule section.
func (s ScheduleConfig) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return nil, fmt.Errorf("%w: schedule.timezone %q: %w", ErrConfig, s.Timezone, err)
	}
	return loc, nil
}
