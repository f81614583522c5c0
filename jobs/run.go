package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/native"
	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/report"
	"github.com/rfmjob/rfm/jobs/store"
)

// RunOptions are the run's collaborators; the zero value is ready to use.
type RunOptions struct {
	// Engine computes the per-customer features. nil means the native engine, the only one
	// package jobs links; a caller whose configuration names another engine passes it (cmd/rfm
	// picks it), and an engine whose name differs from the configuration's is a configuration
	// error.
	Engine engine.Engine
	// Logger receives one line per stage at debug level and warnings; nil discards.
	Logger *slog.Logger
	// Now stamps the manifest's start and finish times; nil means time.Now.
	Now func() time.Time
	// Previous is the as-of date before this one in its schedule or backfill series ("" for
	// none): migration compares with its outputs, never with whatever is newest on disk.
	Previous string
	// OnStage, when set, is called as each stage ends (progress on a terminal).
	OnStage func(name string, seconds float64)
	// BeforeCommit, when set, is called after every output (the report included) is staged
	// and before anything is published: kill tests pause there.
	BeforeCommit func()
	// Published, when set, is called at each step of the commit (store.Staging.Published):
	// kill tests pause there to stop a commit halfway.
	Published func(k int)
}

// Run computes every output of one as-of date (YYYY-MM-DD) and commits them atomically, the
// report page among them. It returns the committed manifest. Errors wrap ErrConfig,
// ErrInputMissing, ErrInput, ErrLocked or ErrInterrupted where they apply (see Classify); on any
// error nothing of the date is changed.
//
// The stages, in order: resolve the inputs, take the date's lock, aggregate the features
// (engine), check the rejected share, analyze (scores, Pareto, profit and tiers, clusters,
// migration, CLV) into one immutable outputs.Date, write its tables and the report into the
// staging area, and commit (store.Staging.Commit: publish, manifest last).
func Run(ctx context.Context, cfg *config.Config, asOf string, opts RunOptions) (*store.Manifest, error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r, err := newRun(cfg, asOf, opts)
	if err != nil {
		return nil, err
	}
	m, err := r.run(ctx)
	return m, interrupted(ctx, err)
}

// interrupted marks err ErrInterrupted when ctx was cancelled.
func interrupted(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && !errors.Is(err, ErrInterrupted) {
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	return err
}

// newRun sets up the run of one date of a normalized, valid configuration.
func newRun(cfg *config.Config, asOf string, opts RunOptions) (*run, error) {
	day, err := ParseDay(asOf)
	if err != nil {
		return nil, err
	}
	r := &run{cfg: cfg, asOf: FormatDay(day), asOfDay: day, opts: opts, prevDay: feature.NoDate}
	if opts.Previous != "" {
		if r.prevDay, err = ParseDay(opts.Previous); err != nil {
			return nil, err
		}
		if r.prevDay >= day {
			return nil, fmt.Errorf("%w: previous date %s is not before the as-of date %s", ErrConfig, opts.Previous, r.asOf)
		}
	}
	if r.eng, err = engineFor(cfg, opts.Engine); err != nil {
		return nil, err
	}
	if r.opts.Logger == nil {
		r.opts.Logger = slog.New(slog.DiscardHandler)
	}
	if r.opts.Now == nil {
		r.opts.Now = time.Now
	}
	return r, nil
}

// run is one run of one date.
type run struct {
	cfg     *config.Config
	asOf    string
	asOfDay int32
	prevDay int32 // feature.NoDate without a previous date
	eng     engine.Engine
	opts    RunOptions
	stages  []store.Stage
	last    time.Time
	date    *outputs.Date // the date's outputs, once analyzed
}

// lap closes the current stage.
func (r *run) lap(name string) {
	now := time.Now()
	d := now.Sub(r.last).Seconds()
	r.stages = append(r.stages, store.Stage{Name: name, Seconds: d})
	r.last = now
	r.opts.Logger.Debug("stage", "name", name, "seconds", d, "as_of", r.asOf)
	if r.opts.OnStage != nil {
		r.opts.OnStage(name, d)
	}
}

// lapChecked closes a stage and stops the run when it was cancelled.
func (r *run) lapChecked(ctx context.Context, name string) error {
	r.lap(name)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	return nil
}

func (r *run) run(ctx context.Context) (*store.Manifest, error) {
	started := r.opts.Now()
	r.last = time.Now()
	files, err := resolveInputs(r.cfg)
	if err != nil {
		return nil, err
	}
	warnUnlocked(r.cfg.Output.Dir, r.opts.Logger)
	lock, err := store.AcquireLockLease(r.cfg.Output.Dir, r.asOf, r.cfg.LockLease())
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	store.CleanStaging(r.cfg.Output.Dir, time.Now())
	inputs, err := store.DescribeInputs(files)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	r.lap("resolve")

	req := r.cfg.Request(files, r.asOfDay)
	res, err := aggregate(ctx, r.eng, req)
	if err != nil {
		return nil, err
	}
	r.lap("aggregate")
	return r.commit(ctx, res, aggregated{req: req, files: files, inputs: inputs, started: started})
}

// aggregated is what a date's run knows once its features are aggregated.
type aggregated struct {
	req     engine.Request
	files   []string
	inputs  []store.InputFile
	started time.Time
	// prior, when set, is the result of the previous date's aggregation (a series has it):
	// migration computes the previous date from it when that date has no committed output.
	prior *engine.Result
	// previous, when set, is the previous date's customers as its committed table holds them
	// (a series has them from the date it just committed): migration reads them instead of
	// reading the table back.
	previous *outputs.Customers
}

// commit checks the rejected share, analyzes, writes the tables and the report into the
// staging area and commits them; the caller holds the date's lock.
func (r *run) commit(ctx context.Context, res *engine.Result, ag aggregated) (*store.Manifest, error) {
	cfg, dir := r.cfg, r.cfg.Output.Dir
	if err := checkQuality(cfg, res); err != nil {
		return nil, err
	}
	if res.Counts.RejectedTotal() > 0 {
		r.opts.Logger.Warn("rows rejected", "rows", res.Counts.RejectedTotal(), "as_of", r.asOf)
	}

	a := &analysis{cfg: cfg, asOfDay: r.asOfDay, prevDay: r.prevDay, eng: r.eng, files: ag.files, prior: ag.prior,
		previousCustomers: ag.previous, logger: r.opts.Logger, lap: r.lapChecked}
	d, warnings, err := a.analyze(ctx, res)
	if err != nil {
		return nil, err
	}
	r.date = d

	st, err := store.NewStaging(dir, r.asOf)
	if err != nil {
		return nil, err
	}
	defer st.Discard()
	tables := d.Tables()
	m := r.manifest(d, res, ag.req, ag.inputs, warnings, ag.started)
	// The report's charts are drawn from the tables in memory while their files are written;
	// the page itself waits for the write, whose time its footer shows.
	var draft *report.Draft
	var draftErr error
	drawn := make(chan struct{})
	if cfg.Report.On() {
		go func() {
			defer close(drawn)
			draft, draftErr = report.PrepareRun(m, tables)
		}()
	} else {
		close(drawn)
	}
	err = outputs.Write(st, tables)
	<-drawn
	if err != nil {
		return nil, fmt.Errorf("write outputs: %w", err)
	}
	r.lap("write")
	if cfg.Report.On() {
		if draftErr == nil {
			draftErr = draft.Stage(st, r.stages)
		}
		if draftErr != nil {
			return nil, fmt.Errorf("report: %w", draftErr)
		}
		r.lap("report")
	}
	if r.opts.BeforeCommit != nil {
		r.opts.BeforeCommit()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	m.Stages = r.stages
	m.FinishedAt = r.opts.Now().UTC().Format(time.RFC3339)
	st.Published = r.opts.Published
	if err := st.Commit(m); err != nil {
		return nil, err
	}
	return m, nil
}

// manifest describes the run; Commit fills in the outputs.
func (r *run) manifest(d *outputs.Date, res *engine.Result, req engine.Request, inputs []store.InputFile, warnings []string, started time.Time) *store.Manifest {
	c := res.Counts
	m := &store.Manifest{
		Version:    Version(),
		AsOf:       r.asOf,
		Engine:     r.eng.Name(),
		ConfigHash: r.cfg.Hash(),
		Window:     store.Window{AsOf: r.asOf, Timezone: orUTC(r.cfg.Window.Timezone)},
		Inputs:     inputs,
		Rows: store.RowCounts{
			Read: c.Read, Used: c.Used, Rejected: c.RejectedTotal(),
			RejectedByReason: c.Rejected, AfterAsOf: c.AfterAsOf, BeforeWindow: c.BeforeWindow,
		},
		Customers:  int64(d.Features.Len()),
		Highlights: store.Highlights{Top20PctShare: d.Pareto.Summary.Top20PctShare, Gini: d.Pareto.Summary.Gini},
		StartedAt:  started.UTC().Format(time.RFC3339),
		Stages:     r.stages,
		Warnings:   warnings,
	}
	for _, sg := range d.Segments {
		if sg.Customers > 0 {
			m.Highlights.Segments = append(m.Highlights.Segments, store.SegmentCount{Segment: sg.Segment, Customers: sg.Customers})
		}
	}
	if req.StartDay != feature.NoDate {
		m.Window.Start = FormatDay(req.StartDay)
	}
	return m
}

func orUTC(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return tz
}

// engineFor returns the engine of the configuration: given, which must be the one it names, or
// one linked into package jobs (only the native engine; tests link more).
func engineFor(cfg *config.Config, given engine.Engine) (engine.Engine, error) {
	switch {
	case given != nil && given.Name() != cfg.Engine:
		return nil, fmt.Errorf("%w: engine is %q but the run was given the %s engine", ErrConfig, cfg.Engine, given.Name())
	case given != nil:
		return given, nil
	}
	if newEngine, ok := linkedEngines[cfg.Engine]; ok {
		return newEngine(), nil
	}
	return nil, fmt.Errorf("%w: engine %q is not linked into this program (package jobs links only the native engine; pass RunOptions.Engine, e.g. from package engines)", ErrConfig, cfg.Engine)
}

// linkedEngines are the engines Run uses when it is given none.
var linkedEngines = map[string]func() engine.Engine{config.DefaultEngine: func() engine.Engine { return native.New() }}

// resolveInputs returns the transaction files, or none for Trino, which reads a table.
func resolveInputs(cfg *config.Config) ([]string, error) {
	if cfg.Engine == "trino" {
		return nil, nil
	}
	files, err := input.Resolve(cfg.Input.Transactions)
	if err != nil {
		return nil, resolveError(err)
	}
	return files, nil
}

// checkedStores remembers the object-store outputs whose conditional writes were probed.
var checkedStores sync.Map

// warnUnlocked says, once per output prefix and process, when an object store ignores
// If-None-Match (the Versity gateway without metadata, some older S3-compatible servers): its
// locks cannot keep two runs of a date apart, so one writer per prefix must be ensured outside
// rfm (one scheduler, not two). AWS S3, MinIO and the gateway with metadata honour it.
func warnUnlocked(outDir string, logger *slog.Logger) {
	if _, seen := checkedStores.LoadOrStore(outDir, true); seen || !objstore.IsURL(outDir) {
		return
	}
	if ok, err := store.ConditionalWrites(outDir); err == nil && !ok {
		logger.Warn("the object store ignores conditional writes (If-None-Match): its date locks cannot exclude a second run; run one writer per output prefix", "output", outDir)
	}
}

// resolveError classifies a failure to resolve inputs: nothing matched (or the bucket does not
// exist) is input missing, which upstream may fix; refused credentials are bad input; an
// unreachable store stays unavailable (both wrapped already).
func resolveError(err error) error {
	if errors.Is(err, objstore.ErrAccessDenied) || errors.Is(err, objstore.ErrURL) {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	if errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrInputMissing, err)
}

// aggregate runs the engine, its error marked ErrInterrupted when ctx was cancelled and
// ErrInput otherwise (wrapping the engine's error, whose kind callers may test).
func aggregate(ctx context.Context, eng engine.Engine, req engine.Request) (*engine.Result, error) {
	res, err := eng.Aggregate(ctx, req)
	switch {
	case err == nil:
		return res, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%w: %w", ErrInterrupted, err)
	default:
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
}
