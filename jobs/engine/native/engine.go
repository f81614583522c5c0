package native

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// Engine is the native Parquet engine. Its zero value is ready to use.
type Engine struct{}

// New returns the native engine.
func New() *Engine { return &Engine{} }

// Name implements engine.Engine.
func (*Engine) Name() string { return "native" }

// Aggregate implements engine.Engine: it inspects the files, scans their row groups in
// parallel (req.Threads workers) and merges the partial results into the feature table.
func (*Engine) Aggregate(ctx context.Context, req engine.Request) (*engine.Result, error) {
	pl, closeAll, err := newPipeline(&req)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	parts := pl.parts
	cnt, rejected, err := pl.run(ctx, true, func(p *partition, part int, b *batch) { p.add(b, part) })
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(parts, func(p *partition) bool { return len(p.failed) > 0 }) {
		gs := make([]general, len(parts))
		for i := range gs {
			gs[i].orders = map[generalKey]generalOrder{}
		}
		// The second scan needs only the records: the counts and rejected rows are the first's.
		if _, _, err := pl.run(ctx, false, func(p *partition, part int, b *batch) { p.addGeneral(b, part, &gs[part]) }); err != nil {
			return nil, err
		}
		for i, p := range parts {
			p.recompute(&gs[i])
		}
	}
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() { p.finish(i) })
	}
	wg.Wait()
	res := &engine.Result{
		Features: buildFeatures(parts, req.MoneyScale, req.Columns.Cost != ""),
		Counts:   engine.Counts{Read: cnt.read, Used: cnt.used, AfterAsOf: cnt.afterAsOf, BeforeWindow: cnt.beforeWindow, Rejected: map[string]int64{}},
		Rejected: rejected,
	}
	for i, n := range cnt.rejected {
		if n > 0 {
			res.Counts.Rejected[rejectReasons[i]] = n
		}
	}
	return res, nil
}

// newPipeline checks req, inspects and opens its files and makes one partition per thread
// (req.Threads, 0 for every core), each counting purchases from req's floor; closeAll closes
// the files.
func newPipeline(req *engine.Request) (pl *pipeline, closeAll func(), err error) {
	if req.MoneyScale < 0 || req.MoneyScale > 15 {
		return nil, nil, fmt.Errorf("native: money scale %d outside 0..15", req.MoneyScale)
	}
	files, err := input.Inspect(req.Files, req.Columns)
	if err != nil {
		return nil, nil, err
	}
	opened, closeAll, err := openAll(files)
	if err != nil {
		return nil, nil, err
	}
	tasks := groupTasks(opened)
	threads := req.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	parts := make([]*partition, threads)
	for i := range parts {
		parts[i] = newPartition()
		parts[i].purchaseFloor = purchaseFloor(req)
	}
	return &pipeline{req: req, files: files, opened: opened, tasks: tasks, threads: max(1, min(threads, len(tasks))), parts: parts}, closeAll, nil
}

// purchaseFloor is the net an order must exceed to be a purchase: 0, or −1 with
// ZeroNetIsPurchase.
func purchaseFloor(req *engine.Request) int64 {
	if req.ZeroNetIsPurchase {
		return -1
	}
	return 0
}

// openAll opens every inspected file for reading its pages (input.OpenAll); closeAll closes
// them.
func openAll(files []input.File) (opened []*parquet.File, closeAll func(), err error) {
	opened, closeAll, err = input.OpenAll(files)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrOpen, err)
	}
	return opened, closeAll, nil
}

// groupTasks lists the row groups of the files as tasks, numbered in file and group order.
func groupTasks(opened []*parquet.File) []task {
	var tasks []task
	for i, pf := range opened {
		var first int64
		for g, rg := range pf.RowGroups() {
			tasks = append(tasks, task{index: len(tasks), file: i, group: g, firstRow: first})
			first += rg.NumRows()
		}
	}
	return tasks
}
