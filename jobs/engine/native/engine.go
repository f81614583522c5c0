package native

import (
	"context"
	"fmt"
	"os"
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
	if req.MoneyScale < 0 || req.MoneyScale > 15 {
		return nil, fmt.Errorf("native: money scale %d outside 0..15", req.MoneyScale)
	}
	files, err := input.Inspect(req.Files, req.Columns)
	if err != nil {
		return nil, err
	}
	opened := make([]*parquet.File, len(files))
	for i := range files {
		r, pf, err := openFile(files[i].Path)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		opened[i] = pf
	}

	var tasks []task
	for i, pf := range opened {
		var first int64
		for g, rg := range pf.RowGroups() {
			tasks = append(tasks, task{index: len(tasks), file: i, group: g, firstRow: first})
			first += rg.NumRows()
		}
	}

	threads := req.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	threads = max(1, min(threads, len(tasks)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan task)
	done := make(chan result)
	var wg sync.WaitGroup
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range todo {
				p, err := scanGroup(ctx, &req, &files[t.file], opened[t.file], t)
				select {
				case done <- result{p, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(todo)
		for _, t := range tasks {
			select {
			case todo <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()

	m := newMerger(len(tasks))
	var firstErr error
	for res := range done {
		if res.err != nil {
			if firstErr == nil {
				firstErr = res.err
				cancel()
			}
			continue
		}
		if firstErr == nil {
			m.add(res.p)
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return m.result(&req), nil
}

type result struct {
	p   *partial
	err error
}

// openFile opens a file for reading its pages.
func openFile(path string) (*os.File, *parquet.File, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	info, err := r.Stat()
	if err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	pf, err := parquet.OpenFile(r, info.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrOpen, path, err)
	}
	return r, pf, nil
}

// merger combines partial results. Orders and sums are merged as partials arrive (addition and
// minimum do not depend on the order); rejected rows are kept per task and concatenated in task
// order at the end, so the result is the same for any number of workers.
type merger struct {
	orders   map[orderKey]orderAcc
	singles  []single
	counts   engine.Counts
	rejected [][]engine.Rejected
}

func newMerger(tasks int) *merger {
	return &merger{orders: map[orderKey]orderAcc{}, counts: engine.Counts{Rejected: map[string]int64{}},
		rejected: make([][]engine.Rejected, tasks)}
}

func (m *merger) add(p *partial) {
	if len(p.orders) > len(m.orders) {
		m.orders, p.orders = p.orders, m.orders // insert the smaller map into the larger
	}
	for k, a := range p.orders {
		if prev, ok := m.orders[k]; ok {
			a.add(prev)
		}
		m.orders[k] = a
	}
	m.singles = append(m.singles, p.singles...)
	m.counts.Read += p.counts.Read
	m.counts.Used += p.counts.Used
	m.counts.AfterAsOf += p.counts.AfterAsOf
	m.counts.BeforeWindow += p.counts.BeforeWindow
	for r, n := range p.counts.Rejected {
		m.counts.Rejected[r] += n
	}
	m.rejected[p.task] = p.rejected
}

func (m *merger) result(req *engine.Request) *engine.Result {
	return &engine.Result{
		Features: buildFeatures(m.orders, m.singles, req.MoneyScale, req.Columns.Cost != "", req.ZeroNetIsPurchase),
		Counts:   m.counts,
		Rejected: slices.Concat(m.rejected...),
	}
}
