package native

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// pipeline scans row groups in parallel and feeds the batches to the partitions in row-group
// order: threads scanners decode tasks (at most threads+1 batches are held at a time), and one
// goroutine per partition consumes batch 0, 1, 2, … as each becomes ready.
type pipeline struct {
	req     *engine.Request
	files   []input.File
	opened  []*parquet.File
	tasks   []task
	threads int
	parts   []*partition
	cuts    []int32 // a series' as-of days (scanner.cuts)
}

// run scans every task once, calling consume for each partition and batch in task order, and
// returns the summed counts and, when rejected is set, the rejected rows in file and row order
// (printing them reads their row groups' pages a second time).
func (pl *pipeline) run(parent context.Context, rejected bool, consume func(p *partition, part int, b *batch)) (counts, []engine.Rejected, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	n := len(pl.tasks)
	batches := make([]*batch, n)
	ready := make([]chan struct{}, n)
	pending := make([]atomic.Int32, n)
	for i := range ready {
		ready[i] = make(chan struct{})
		pending[i].Store(int32(len(pl.parts)))
	}
	cnts := make([]counts, n)
	rejectedRows := make([][]engine.Rejected, n)
	window := make(chan struct{}, pl.threads+1)
	spare := make(chan *batch, pl.threads+1)

	// Errors are kept per task and the first task's reported, so that the error does not
	// depend on which worker met its error first.
	taskErrs := make([]error, n)
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}

	var wg sync.WaitGroup
	todo := make(chan task)
	wg.Go(func() {
		defer close(todo)
		for _, t := range pl.tasks {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case todo <- t:
			case <-ctx.Done():
				return
			}
		}
	})
	for range pl.threads {
		wg.Go(func() {
			s := newScanner(pl.req, len(pl.parts), spare)
			s.describe, s.cuts = rejected, pl.cuts
			for t := range todo {
				b, err := s.scan(ctx, &pl.files[t.file], pl.opened[t.file], t)
				if err != nil {
					taskErrs[t.index] = err
					fail(err)
				} else {
					batches[t.index], cnts[t.index], rejectedRows[t.index] = b, b.counts, b.rejected
				}
				close(ready[t.index])
			}
		})
	}
	for part, p := range pl.parts {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					fail(fmt.Errorf("native: internal error aggregating partition %d: %v", part, r))
				}
			}()
			for i := range n {
				select {
				case <-ready[i]:
				case <-ctx.Done():
					return
				}
				b := batches[i]
				if b == nil {
					return
				}
				consume(p, part, b)
				if pending[i].Add(-1) == 0 {
					batches[i] = nil
					select {
					case spare <- b:
					default:
					}
					<-window
				}
			}
		})
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return counts{}, nil, err
	}
	for _, err := range taskErrs {
		if err != nil && !errors.Is(err, context.Canceled) {
			firstErr = err
			break
		}
	}
	if firstErr != nil {
		return counts{}, nil, firstErr
	}
	var sum counts
	for _, c := range cnts {
		sum.read += c.read
		sum.used += c.used
		sum.afterAsOf += c.afterAsOf
		sum.beforeWindow += c.beforeWindow
		for i, r := range c.rejected {
			sum.rejected[i] += r
		}
	}
	return sum, slices.Concat(rejectedRows...), nil
}
