package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engines"
	"github.com/rfmjob/rfm/jobs/series"
)

// scheduleFlags override the schedule section of the configuration.
type scheduleFlags struct {
	cron, timezone, catchUp, retryDelay string
	retries                             int
}

func (s *scheduleFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.cron, "cron", "", `when to run, e.g. "0 2 * * *" (overrides schedule.cron)`)
	fs.StringVar(&s.timezone, "timezone", "", "time zone of the cron expression (overrides schedule.timezone; default window.timezone, else UTC)")
	fs.StringVar(&s.catchUp, "catch-up", "", "missed ticks: none, latest (default) or all (overrides schedule.catch_up)")
	fs.IntVar(&s.retries, "retries", -1, "retries of a run that failed with a temporary error (overrides schedule.retries; default 3)")
	fs.StringVar(&s.retryDelay, "retry-delay", "", "first retry delay, doubling up to 1h (overrides schedule.retry_delay; default 1m)")
}

func (s *scheduleFlags) apply(sc config.ScheduleConfig) config.ScheduleConfig {
	if s.cron != "" {
		sc.Cron = s.cron
	}
	if s.timezone != "" {
		sc.Timezone = s.timezone
	}
	if s.catchUp != "" {
		sc.CatchUp = s.catchUp
	}
	if s.retries >= 0 {
		r := s.retries
		sc.Retries = &r
	}
	if s.retryDelay != "" {
		sc.RetryDelay = s.retryDelay
	}
	return sc
}

func cmdSchedule(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("schedule", "schedule --config job.yaml [--cron EXPR] [--timezone TZ] [--catch-up none|latest|all] [--retries N] [--retry-delay D] [-q] [--log-format text|json]", e)
	var jf jobFlags
	var lg logging
	var sf scheduleFlags
	jf.register(fs)
	lg.register(fs)
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := jf.load(e)
	if err != nil {
		return err
	}
	sc := sf.apply(cfg.Schedule).Normalized(cfg.Window.Timezone)
	if err := sc.Validate(); err != nil {
		return err
	}
	// A daemon reports what it does: text lines unless -q or --log-format json.
	var logger *slog.Logger
	switch {
	case lg.quiet:
		logger = slog.New(slog.DiscardHandler)
	case lg.format == "json":
		logger = slog.New(slog.NewJSONHandler(e.stderr, nil))
	case lg.format == "" || lg.format == "text":
		logger = slog.New(slog.NewTextHandler(e.stderr, nil))
	default:
		_, err := lg.logger(e) // reports the bad --log-format
		return err
	}
	eng, err := engines.For(cfg)
	if err != nil {
		return err
	}
	s := &series.Scheduler{Config: cfg, Schedule: sc, Logger: logger, Engine: eng}
	return s.Serve(ctx)
}
