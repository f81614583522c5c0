package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/engines"
	"github.com/rfmjob/rfm/jobs/series"
)

// backfillFlags are the flags of rfm backfill.
type backfillFlags struct {
	from, to, every, rerun string
	parallel               int
	dryRun                 bool
}

func cmdBackfill(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("backfill", "backfill --config job.yaml --from YYYY-MM-DD --to YYYY-MM-DD [--every day|week|month|CRON] [--parallel N] [--dry-run] [--rerun failed|all|none] [-q] [--log-format text|json]", e)
	var jf jobFlags
	var lg logging
	var bf backfillFlags
	jf.register(fs)
	lg.register(fs)
	fs.StringVar(&bf.from, "from", "", "first as-of date, YYYY-MM-DD (required)")
	fs.StringVar(&bf.to, "to", "", "last as-of date, YYYY-MM-DD (required)")
	fs.StringVar(&bf.every, "every", "day", "cadence: day, week, month (same day of month, clamped to month ends) or a cron expression whose ticks' previous local days are the dates")
	fs.IntVar(&bf.parallel, "parallel", 1, "dates run at once")
	fs.BoolVar(&bf.dryRun, "dry-run", false, "print the plan (dates, what exists, what would run) and write nothing")
	fs.StringVar(&bf.rerun, "rerun", "failed", "which dates to run besides missing ones: failed (default), all, or none (missing only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if bf.from == "" || bf.to == "" {
		fmt.Fprintln(e.stderr, "rfm backfill: --from and --to are required")
		return errUsage
	}
	if bf.parallel < 1 {
		fmt.Fprintln(e.stderr, "rfm backfill: --parallel must be at least 1")
		return errUsage
	}
	rerun, err := series.ParseRerun(bf.rerun)
	if err != nil {
		return err
	}
	cfg, err := jf.load(e)
	if err != nil {
		return err
	}
	runLogger, err := lg.logger(e)
	if err != nil {
		return err
	}
	cad, dates, err := series.Dates(cfg, bf.every, bf.from, bf.to)
	if err != nil {
		return err
	}
	eng, err := engines.For(cfg)
	if err != nil {
		return err
	}
	plan := series.BuildPlan(cfg.Output.Dir, dates, rerun)
	if bf.dryRun {
		return printPlan(e, lg, cfg.Output.Dir, cad, plan)
	}
	p := newBackfillProgress(e, lg, plan)
	start := time.Now()
	rep, err := series.Backfill(ctx, cfg, plan, series.BackfillOptions{Parallel: bf.parallel, Logger: runLogger, OnDone: p.done, Engine: eng})
	p.finish()
	if rep == nil {
		return err
	}
	failed := len(rep.Failed) > 0
	if !lg.quiet || failed || err != nil {
		printBackfillSummary(e, bf, rep, time.Since(start))
	}
	switch {
	case err != nil:
		return err
	case !failed:
		return nil
	case rep.Succeeded() == 0:
		// Nothing committed: the first failure's kind is the exit code (locked, input missing…).
		return fmt.Errorf("every date failed, first %s: %w", rep.Failed[0].AsOf, rep.Failed[0].Err)
	default:
		return fmt.Errorf("%w: %d of %d dates failed", errPartial, len(rep.Failed), len(rep.Results))
	}
}

// printPlan writes the plan of a dry run: a table for people, or JSON with --log-format json.
func printPlan(e *env, lg logging, outDir string, c *cadence.Cadence, plan *series.Plan) error {
	if lg.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(plan)
	}
	complete, failed, missing, run := plan.Count()
	fmt.Fprintf(e.stdout, "plan for %s, every %s: %d dates (%d complete, %d failed, %d missing); %d would run\n",
		outDir, c, len(plan.Dates), complete, failed, missing, run)
	fmt.Fprintf(e.stdout, "  %-10s  %-8s  %-4s  %-10s  %s\n", "as_of", "state", "run", "previous", "last error")
	for _, d := range plan.Dates {
		action := "skip"
		if d.Run {
			action = "run"
		}
		last := ""
		if d.Failure != nil {
			last = d.Failure.Kind + ": " + firstLine(d.Failure.Error)
		}
		fmt.Fprintf(e.stdout, "  %-10s  %-8s  %-4s  %-10s  %s\n", d.AsOf, d.State, action, d.Previous, last)
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// backfillProgress reports each finished date: a progress bar on a terminal, else one log line
// per date (text, or JSON with --log-format json), nothing with -q.
type backfillProgress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	log     *slog.Logger
	start   time.Time
	rows    int64
	total   int
	doneN   int
	elapsed func() time.Duration
}

func newBackfillProgress(e *env, lg logging, plan *series.Plan) *backfillProgress {
	_, _, _, run := plan.Count()
	p := &backfillProgress{start: time.Now(), total: run}
	p.elapsed = func() time.Duration { return time.Since(p.start) }
	switch {
	case lg.quiet:
	case e.terminal && lg.format == "":
		p.bar = progressbar.NewOptions(run,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription("backfill"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetItsString("dates"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	case lg.format == "json":
		p.log = slog.New(slog.NewJSONHandler(e.stderr, nil))
	default:
		p.log = slog.New(slog.NewTextHandler(e.stderr, nil))
	}
	return p
}

// done is BackfillOptions.OnDone.
func (p *backfillProgress) done(r series.DateResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doneN++
	if r.Manifest != nil {
		p.rows += r.Manifest.Rows.Read
	}
	rate := float64(p.rows) / max(p.elapsed().Seconds(), 1e-9)
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("backfill %s, %s rows/s", r.AsOf, humanCount(rate)))
		p.bar.Add(1)
	}
	if p.log == nil {
		return
	}
	attrs := []any{"as_of", r.AsOf, "done", p.doneN, "total", p.total, "seconds", round2(r.Seconds)}
	if r.Err != nil {
		p.log.Error("date failed", append(attrs, "kind", jobs.Classify(r.Err).Kind, "error", r.Err.Error())...)
		return
	}
	p.log.Info("date committed", append(attrs, "customers", r.Manifest.Customers, "rows_read", r.Manifest.Rows.Read,
		"rows_per_second", int64(rate))...)
}

func (p *backfillProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func printBackfillSummary(e *env, bf backfillFlags, rep *series.BackfillReport, took time.Duration) {
	w := e.stdout
	if len(rep.Failed) > 0 {
		w = e.stderr
	}
	fmt.Fprintf(w, "backfill %s..%s every %s: %d dates; %d committed, %d failed, %d skipped", bf.from, bf.to, bf.every,
		len(rep.Plan.Dates), rep.Succeeded(), len(rep.Failed), rep.Skipped)
	if rep.NotStarted > 0 {
		fmt.Fprintf(w, ", %d not run (interrupted)", rep.NotStarted)
	}
	fmt.Fprintf(w, " in %.1fs\n", took.Seconds())
	for _, f := range rep.Failed {
		fmt.Fprintf(w, "  %s  %s: %s\n", f.AsOf, jobs.Classify(f.Err).Kind, strings.ReplaceAll(f.Err.Error(), "\n", "\n      "))
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintf(w, "rerun the failed dates with the same command (--rerun failed is the default)\n")
	}
}

func humanCount(x float64) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.1fG", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.1fM", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.1fk", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
