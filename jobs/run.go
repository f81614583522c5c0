package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/pareto"
	"github.com/rfmjob/rfm/analytics/rfm"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/native"
	"github.com/rfmjob/rfm/jobs/engine/trino"
	"github.com/rfmjob/rfm/jobs/report"
)

// RunOptions are the run's collaborators; the zero value is ready to use.
type RunOptions struct {
	// Logger receives one line per stage at debug level and warnings; nil discards.
	Logger *slog.Logger
	// Now stamps the manifest's start and finish times; nil means time.Now.
	Now func() time.Time
	// Previous is the as-of date before this one in its schedule or backfill series ("" for
	// none): migration compares with its outputs, never with whatever is newest on disk.
	Previous string
	// OnStage, when set, is called as each stage ends (progress on a terminal).
	OnStage func(name string, seconds float64)
}

// Run computes every output of one as-of date (YYYY-MM-DD) and commits them atomically. It
// returns the committed manifest. Errors wrap ErrConfig, ErrInputMissing, ErrInput, ErrLocked or
// ErrInterrupted where they apply; on any error nothing of the date is changed.
func Run(ctx context.Context, cfg *Config, asOf string, opts RunOptions) (*Manifest, error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	asOfDay, err := ParseDay(asOf)
	if err != nil {
		return nil, err
	}
	asOf = FormatDay(asOfDay)
	if opts.Previous != "" {
		prev, err := ParseDay(opts.Previous)
		if err != nil {
			return nil, err
		}
		if prev >= asOfDay {
			return nil, fmt.Errorf("%w: previous date %s is not before the as-of date %s", ErrConfig, opts.Previous, asOf)
		}
		opts.Previous = FormatDay(prev)
	}
	r := &runner{cfg: cfg, asOf: asOf, asOfDay: asOfDay, opts: opts}
	if r.opts.Logger == nil {
		r.opts.Logger = slog.New(slog.DiscardHandler)
	}
	if r.opts.Now == nil {
		r.opts.Now = time.Now
	}
	m, err := r.run(ctx)
	if err != nil && ctx.Err() != nil && !errors.Is(err, ErrInterrupted) {
		err = fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	return m, err
}

type runner struct {
	cfg     *Config
	asOf    string
	asOfDay int32
	files   []string // resolved input files
	opts    RunOptions
	stages  []Stage
	last    time.Time
}

// lap closes the current stage.
func (r *runner) lap(name string) {
	now := time.Now()
	d := now.Sub(r.last).Seconds()
	r.stages = append(r.stages, Stage{Name: name, Seconds: d})
	r.last = now
	r.opts.Logger.Debug("stage", "name", name, "seconds", d, "as_of", r.asOf)
	if r.opts.OnStage != nil {
		r.opts.OnStage(name, d)
	}
}

func (r *runner) run(ctx context.Context) (*Manifest, error) {
	started := r.opts.Now()
	r.last = time.Now()
	cfg := r.cfg
	files, err := resolveInputs(cfg)
	if err != nil {
		return nil, err
	}
	r.files = files
	lock, err := AcquireLock(cfg.Output.Dir, r.asOf)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	cleanStaging(cfg.Output.Dir, 3600, time.Now().Unix())
	inputs, err := describeInputs(files)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	r.lap("resolve")

	req := r.request(files)
	eng := engineFor(cfg)
	res, err := aggregate(ctx, eng, req)
	if err != nil {
		return nil, err
	}
	r.lap("aggregate")
	if err := r.checkQuality(res); err != nil {
		return nil, err
	}

	t := res.Features
	scores, err := rfm.Score(t, r.asOfDay, r.scoringConfig())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	r.lap("score")
	par, err := pareto.Analyze(t.CustomerID, t.Monetary, pareto.Config{ACut: cfg.Pareto.ACut, BCut: cfg.Pareto.BCut})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	r.lap("pareto")
	views, err := r.views(ctx, t, scores)
	if err != nil {
		return nil, err
	}

	runID := fmt.Sprintf("%s-%d-%d", r.asOf, os.Getpid(), time.Now().UnixNano())
	st, err := newStage(cfg.Output.Dir, r.asOf, runID)
	if err != nil {
		return nil, err
	}
	defer st.discard()
	out := outputs{asOfDay: r.asOfDay, scale: t.MoneyScale}
	segs := rfm.Summarize(t, scores)
	written, err := out.writeAll(st, t, scores, segs, par, res.Rejected, views)
	if err != nil {
		return nil, fmt.Errorf("write outputs: %w", err)
	}
	r.lap("write")
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInterrupted, err)
	}

	m := &Manifest{
		Version:    Version(),
		AsOf:       r.asOf,
		Engine:     eng.Name(),
		ConfigHash: cfg.Hash(),
		Window:     Window{AsOf: r.asOf, Timezone: orUTC(cfg.Window.Timezone)},
		Inputs:     inputs,
		Rows: RowCounts{
			Read: res.Counts.Read, Used: res.Counts.Used, Rejected: res.Counts.RejectedTotal(),
			RejectedByReason: res.Counts.Rejected, AfterAsOf: res.Counts.AfterAsOf, BeforeWindow: res.Counts.BeforeWindow,
		},
		Customers:  int64(t.Len()),
		Outputs:    written,
		Highlights: Highlights{Top20PctShare: par.Summary.Top20PctShare, Gini: par.Summary.Gini},
		StartedAt:  started.UTC().Format(time.RFC3339),
	}
	for _, v := range views {
		m.Warnings = append(m.Warnings, v.warnings()...)
	}
	for _, sg := range segs {
		if sg.Customers > 0 {
			m.Highlights.Segments = append(m.Highlights.Segments, SegmentCount{sg.Segment, sg.Customers})
		}
	}
	if req.StartDay != feature.NoDate {
		m.Window.Start = FormatDay(req.StartDay)
	}
	r.lap("stage")
	m.Stages = r.stages
	m.FinishedAt = r.opts.Now().UTC().Format(time.RFC3339)
	if err := st.commit(m); err != nil {
		return nil, err
	}
	// The report reads the committed outputs back; the data stands without it, so a failure
	// is logged, never a failed run.
	if r.cfg.Report.enabled() {
		if _, err := report.Build(cfg.Output.Dir, r.asOf); err != nil {
			r.opts.Logger.Warn("report not written", "as_of", r.asOf, "err", err)
		}
		r.lap("report")
	}
	return m, nil
}

func orUTC(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return tz
}

// views runs the optional analyses in order; each may use the ones before it.
func (r *runner) views(ctx context.Context, t *feature.Table, scores *rfm.Scores) ([]view, error) {
	var views []view
	pv, err := r.profitStage(ctx, t)
	if err != nil {
		return nil, err
	}
	if pv != nil {
		views = append(views, pv)
	}
	if err := r.stageDone(ctx, "profit"); err != nil {
		return nil, err
	}
	cl, err := r.clusterStage(t, pv.profitMajor())
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	if err := pv.tiersFromClusters(r, cl); err != nil {
		return nil, err
	}
	if cl != nil {
		views = append(views, cl)
	}
	if err := r.stageDone(ctx, "clusters"); err != nil {
		return nil, err
	}
	cv, err := r.clvStage(t)
	if err != nil {
		return nil, fmt.Errorf("clv: %w", err)
	}
	if cv != nil {
		cv.rankTiers(pv)
		views = append(views, cv)
	}
	if err := r.stageDone(ctx, "clv"); err != nil {
		return nil, err
	}
	mv, err := r.migrationStage(ctx, t, scores, pv)
	if err != nil {
		return nil, err
	}
	if mv != nil {
		views = append(views, mv)
	}
	r.lap("migration")
	return views, nil
}

// stageDone closes a stage and stops the run when it was cancelled.
func (r *runner) stageDone(ctx context.Context, name string) error {
	r.lap(name)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	return nil
}

// request builds the engine request of this run.
func (r *runner) request(files []string) engine.Request {
	cfg := r.cfg
	loc, _ := cfg.Location()
	req := engine.Request{
		Files:             files,
		Columns:           cfg.columns(),
		AsOfDay:           r.asOfDay,
		StartDay:          feature.NoDate,
		Location:          loc,
		MoneyScale:        *cfg.Money.Scale,
		ZeroNetIsPurchase: cfg.Input.ZeroNetIsPurchase,
		Threads:           cfg.Limits.Threads,
		TempDir:           cfg.Limits.TempDir,
	}
	if n := cfg.LookbackDays(); n > 0 {
		req.StartDay = r.asOfDay - int32(n) + 1
	}
	if cfg.Limits.MemoryLimit != "" {
		req.MemoryLimitBytes, _ = ParseBytes(cfg.Limits.MemoryLimit)
	}
	return req
}

func (c *Config) columns() engine.Columns {
	cols := c.Input.Columns
	out := engine.Columns{
		CustomerID: cols.CustomerID, Timestamp: cols.Timestamp, Amount: cols.Amount,
		Quantity: cols.Quantity, UnitPrice: cols.UnitPrice, Cost: cols.Cost,
	}
	if cols.OrderID != nil {
		out.OrderID = *cols.OrderID
	}
	return out
}

func (r *runner) scoringConfig() rfm.Config {
	s := r.cfg.Scoring
	cfg := rfm.Config{
		Bins:   s.Bins,
		Method: rfm.Method(s.Method),
		Fixed:  rfm.Breaks{Recency: s.Fixed.Recency, Frequency: s.Fixed.Frequency, Monetary: s.Fixed.Monetary},
	}
	for _, seg := range s.Segments {
		cfg.Segments = append(cfg.Segments, rfm.SegmentRule{Name: seg.Name, R: seg.R, F: seg.F, M: seg.M})
	}
	return cfg
}

// checkQuality fails the run when the rejected share exceeds the configured maximum, naming
// the reasons and the first rejected rows so the data can be fixed from the message alone.
func (r *runner) checkQuality(res *engine.Result) error {
	c := res.Counts
	if got := c.Used + c.AfterAsOf + c.BeforeWindow + c.RejectedTotal(); got != c.Read {
		return fmt.Errorf("internal error: %d rows read but %d accounted for", c.Read, got)
	}
	rejected := c.RejectedTotal()
	if rejected == 0 || c.Read == 0 {
		return nil
	}
	share := float64(rejected) / float64(c.Read)
	max := *r.cfg.Quality.MaxRejectedShare
	if share <= max {
		if rejected > 0 {
			r.opts.Logger.Warn("rows rejected", "rows", rejected, "share", share, "as_of", r.asOf)
		}
		return nil
	}
	var reasons []string
	for reason, n := range c.Rejected {
		reasons = append(reasons, fmt.Sprintf("%s: %d", reason, n))
	}
	sort.Strings(reasons)
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d rows rejected (%.2f%%), above quality.max_rejected_share %.2f%% (%s)",
		rejected, c.Read, 100*share, 100*max, strings.Join(reasons, ", "))
	for i, rj := range res.Rejected {
		if i == 5 {
			fmt.Fprintf(&b, "\n  … and %d more", len(res.Rejected)-5)
			break
		}
		fmt.Fprintf(&b, "\n  %s row %d: %s (customer_id=%q timestamp=%q amount=%q)",
			filepath.Base(rj.File), rj.Row, rj.Reason, rj.CustomerID, rj.Timestamp, rj.Amount)
	}
	return fmt.Errorf("%w: %s", ErrInput, b.String())
}

// EngineByName returns the engine named "native" or "duckdb". Trino needs its server
// settings: use engineFor.
func EngineByName(name string) engine.Engine {
	if name == "duckdb" {
		return duckdb.New()
	}
	return native.New()
}

// engineFor returns the engine the config chooses.
func engineFor(cfg *Config) engine.Engine {
	if cfg.Engine == "trino" {
		opts, _ := cfg.Trino.Options() // Validate has reported its problems
		return trino.New(opts)
	}
	return EngineByName(cfg.Engine)
}

// resolveInputs returns the transaction files, or none for Trino, which reads a table.
func resolveInputs(cfg *Config) ([]string, error) {
	if cfg.Engine == "trino" {
		return nil, nil
	}
	files, err := input.Resolve(cfg.Input.Transactions)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInputMissing, err)
	}
	return files, nil
}

// aggregate runs the engine, its error marked ErrInterrupted when ctx was cancelled and
// ErrInput otherwise (wrapping the engine's error, whose kind callers may test).
func aggregate(ctx context.Context, eng engine.Engine, req engine.Request) (*engine.Result, error) {
	res, err := eng.Aggregate(ctx, req)
	switch {
	case err == nil:
		return res, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%w: %v", ErrInterrupted, err)
	default:
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
}
