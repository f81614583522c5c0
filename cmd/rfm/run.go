package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engines"
	"github.com/rfmjob/rfm/jobs/store"
)

// jobFlags are the flags that override a job's configuration.
type jobFlags struct {
	config, out, input, engine string
}

func (j *jobFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&j.config, "config", "", "job configuration file (YAML); also RFM_CONFIG")
	fs.StringVar(&j.out, "out", "", "output directory (overrides output.dir)")
	fs.StringVar(&j.input, "input", "", "transactions: Parquet file, glob, directory or s3:// URL (overrides input.transactions)")
	fs.StringVar(&j.engine, "engine", "", "native, duckdb or trino (overrides engine)")
}

// load reads the configuration with precedence flags > environment > file > defaults.
func (j *jobFlags) load(e *env) (*config.Config, error) {
	path := j.config
	if path == "" {
		for _, kv := range e.vars {
			if v, ok := strings.CutPrefix(kv, "RFM_CONFIG="); ok {
				path = v
			}
		}
	}
	cfg, err := config.Load(path, e.vars)
	if err != nil {
		return nil, err
	}
	if j.out != "" {
		cfg.Output.Dir = j.out
	}
	if j.input != "" {
		cfg.Input.Transactions = j.input
	}
	if j.engine != "" {
		cfg.Engine = j.engine
	}
	cfg.Normalize()
	return cfg, cfg.Validate()
}

func cmdRun(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("run", "run --config job.yaml --as-of YYYY-MM-DD [--out DIR] [--input PATH] [--engine native|duckdb|trino] [-q] [--log-format text|json]", e)
	var jf jobFlags
	var lg logging
	var asOf string
	jf.register(fs)
	lg.register(fs)
	fs.StringVar(&asOf, "as-of", "", "the as-of date, YYYY-MM-DD: rows on or before this day are used (required)")
	previous := fs.String("previous-as-of", "", "the previous date of the series, YYYY-MM-DD: tier and segment migration compare with its outputs")
	if err := parse(fs, args); err != nil {
		return err
	}
	if asOf == "" {
		fmt.Fprintln(e.stderr, "rfm run: --as-of is required")
		return errUsage
	}
	cfg, err := jf.load(e)
	if err != nil {
		return err
	}
	logger, err := lg.logger(e)
	if err != nil {
		return err
	}
	eng, err := engines.For(cfg)
	if err != nil {
		return err
	}
	opts := jobs.RunOptions{Logger: logger, Previous: *previous, Engine: eng}
	if e.terminal && !lg.quiet && lg.format == "" {
		opts.OnStage = func(name string, seconds float64) {
			fmt.Fprintf(e.stderr, "  %-10s %6.2fs\n", name, seconds)
		}
	}
	opts.BeforeCommit = pauseBeforeCommit(e)
	opts.Published = pauseAtPublish(e)
	m, err := jobs.Run(ctx, cfg, asOf, opts)
	if err != nil {
		return err
	}
	logger.Info("committed", "as_of", m.AsOf, "customers", m.Customers, "rows_read", m.Rows.Read,
		"rows_rejected", m.Rows.Rejected, "out", cfg.Output.Dir)
	if e.terminal && !lg.quiet && lg.format == "" {
		printSummary(e, cfg.Output.Dir, m)
	}
	return nil
}

// printSummary tells a person at a terminal what the run did and where the outputs are.
func printSummary(e *env, outDir string, m *store.Manifest) {
	fmt.Fprintf(e.stdout, "as of %s: %d customers from %d rows (%d rejected, %d after the as-of date)\n",
		m.AsOf, m.Customers, m.Rows.Read, m.Rows.Rejected, m.Rows.AfterAsOf)
	total := 0.0
	for _, s := range m.Stages {
		total += s.Seconds
	}
	fmt.Fprintf(e.stdout, "outputs in %s (%.2fs):\n", outDir, total)
	for _, o := range m.Outputs {
		fmt.Fprintf(e.stdout, "  %-10s %8d rows  %s\n", o.Table, o.Rows, o.Path)
	}
}

// pauseAtPublish is the crash tests' other hook: with RFM_TEST_PAUSE_AT_PUBLISH=K:FILE set, a
// run's commit creates FILE at its K-th step (0: the previous manifest is out of the way; k:
// k files are published) and waits a minute there. Unset, it does nothing.
func pauseAtPublish(e *env) func(int) {
	for _, kv := range e.vars {
		if spec, ok := strings.CutPrefix(kv, "RFM_TEST_PAUSE_AT_PUBLISH="); ok {
			at, path, ok := strings.Cut(spec, ":")
			k, err := strconv.Atoi(at)
			if !ok || err != nil || path == "" {
				return nil
			}
			return func(step int) {
				if step == k {
					os.WriteFile(path, nil, 0o644)
					time.Sleep(time.Minute)
				}
			}
		}
	}
	return nil
}

// pauseBeforeCommit is the crash tests' hook: with RFM_TEST_PAUSE_BEFORE_COMMIT=FILE set, a run
// creates FILE once every output (the report included) is staged and nothing is published yet,
// then waits a minute, so a test can SIGKILL it at exactly that point. Unset, it does nothing.
func pauseBeforeCommit(e *env) func() {
	for _, kv := range e.vars {
		if path, ok := strings.CutPrefix(kv, "RFM_TEST_PAUSE_BEFORE_COMMIT="); ok && path != "" {
			return func() {
				os.WriteFile(path, nil, 0o644)
				time.Sleep(time.Minute)
			}
		}
	}
	return nil
}
