package native

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// Reasons an activity row is rejected, in the order they are checked. Rejected rows are
// counted by reason, never silently dropped.
const (
	RejectActivityNullCustomer  = "null_customer_id"
	RejectActivityBadCustomer   = "bad_customer_id" // a floating id that is not an integer
	RejectActivityNullTimestamp = "null_timestamp"
	RejectActivityBadTimestamp  = "bad_timestamp" // a string that is not an ISO-8601 timestamp
	RejectActivityNull          = "null_activity"
	RejectActivityNullQuantity  = "null_quantity"
	RejectActivityBadQuantity   = "bad_quantity" // negative, NaN, ±Inf or above 9e9 units
	RejectActivityBadCost       = "bad_cost"     // NaN, ±Inf or beyond ±9e15 minor units
)

// QuantityScale is the fixed point activity quantities are summed in (millionths of a unit),
// so that the sums are exact and do not depend on the order row groups are read in.
const QuantityScale = 1_000_000

// ActivityColumns maps the roles of the activity table to column names: customer id,
// timestamp, activity name and quantity are required, cost is optional.
type ActivityColumns struct {
	CustomerID, Timestamp, Activity, Quantity, Cost string
}

// ActivityRequest is what ReadActivities reads: the files, the column mapping, the window and
// the customers of the run.
type ActivityRequest struct {
	Files   []string
	Columns ActivityColumns
	AsOfDay int32
	// StartDay is the first day of the lookback window, feature.NoDate for none.
	StartDay   int32
	Location   *time.Location
	MoneyScale int
	Threads    int
	Customers  []string // the feature table's ids: an activity row belongs to one of them
}

// ActivityTotals is the activity table aggregated per activity and customer.
type ActivityTotals struct {
	// Names lists the activities found in the window, sorted; Quantity[a][i] and Cost[a][i]
	// are customer i's quantity (in millionths) and direct cost (minor units) of Names[a];
	// Cost[a] is nil when no row of the activity had a cost.
	Names    []string
	Quantity [][]int64
	Cost     [][]int64
	// CostRows[a] counts the used rows of Names[a] with a cost, Rows[a] all its used rows.
	Rows, CostRows []int64
	Counts         ActivityCounts
	// Examples are the first rejected rows ("file row N: reason"), for the error message of
	// a failing quality check.
	Examples []string
}

// ActivityCounts accounts for every activity row read:
// Read = Used + Unmatched + AfterAsOf + BeforeWindow + Σ Rejected.
type ActivityCounts struct {
	Read, Used, AfterAsOf, BeforeWindow int64
	// Unmatched counts the rows in the window of customers without transactions in it; their
	// cost is attributed to nobody.
	Unmatched int64
	Rejected  map[string]int64
}

// RejectedTotal sums the rejected rows over all reasons.
func (c ActivityCounts) RejectedTotal() int64 {
	var n int64
	for _, v := range c.Rejected {
		n += v
	}
	return n
}

// ReadActivities reads the activity files' mapped columns, row groups in parallel, and sums
// quantity and direct cost per activity and customer over the run's window. Errors name the
// activity table, file, row group and column; of several failing row groups the first's is
// returned, whichever worker met its error first.
func ReadActivities(ctx context.Context, req ActivityRequest) (*ActivityTotals, error) {
	c := req.Columns
	files, err := input.InspectMapping(req.Files, [][2]string{{input.RoleCustomerID, c.CustomerID},
		{input.RoleActivity, c.Activity}, {input.RoleTimestamp, c.Timestamp}, {input.RoleQuantity, c.Quantity}, {input.RoleCost, c.Cost}}[:4+min(1, len(c.Cost))])
	if err != nil {
		return nil, fmt.Errorf("activity table: %w", err)
	}
	opened, closeAll, err := openAll(files)
	if err != nil {
		return nil, fmt.Errorf("activity table: %w", err)
	}
	defer closeAll()
	tasks := groupTasks(opened)
	lk := newCustomerLookup(req.Customers, files)
	agg := newActivityAggregator(len(req.Customers))
	threads := req.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	threads = max(1, min(threads, len(tasks)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan task)
	batches := make(chan *activityBatch, threads)
	// Errors are kept per task and the first task's reported, as the transaction scan does.
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for range threads {
		wg.Go(func() {
			for t := range todo {
				s := &activityScanner{req: &req, file: &files[t.file], lookup: lk, out: batches, ctx: ctx}
				if err := s.scan(opened[t.file], t.group, t.firstRow); err != nil {
					errs[t.index] = err
					cancel()
				}
			}
		})
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
		close(batches)
	}()
	for b := range batches {
		agg.add(b)
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return agg.result(), nil
}

// activityRecord is one used activity row.
type activityRecord struct {
	customer int32
	hasCost  bool
	quantity int64 // millionths
	cost     int64 // minor units
	activity string
}

// activityBatch is a run of one scanner's records and the counts of the rows it read.
type activityBatch struct {
	records  []activityRecord
	counts   ActivityCounts
	examples []string
}

const activityBatchRows = 1 << 15

// activityAggregator sums batches into dense per-activity columns. Sums are integers, so the
// result does not depend on the order batches arrive in.
type activityAggregator struct {
	n        int
	index    map[string]int
	t        ActivityTotals
	examples []string
}

func newActivityAggregator(n int) *activityAggregator {
	return &activityAggregator{n: n, index: map[string]int{}, t: ActivityTotals{Counts: ActivityCounts{Rejected: map[string]int64{}}}}
}

func (g *activityAggregator) add(b *activityBatch) {
	t := &g.t
	last, lastA := "", -1
	for _, r := range b.records {
		a := lastA
		if r.activity != last || a < 0 {
			var ok bool
			if a, ok = g.index[r.activity]; !ok {
				a = len(t.Names)
				g.index[r.activity] = a
				t.Names = append(t.Names, r.activity)
				t.Quantity = append(t.Quantity, make([]int64, g.n))
				t.Cost = append(t.Cost, nil)
				t.Rows = append(t.Rows, 0)
				t.CostRows = append(t.CostRows, 0)
			}
			last, lastA = r.activity, a
		}
		t.Quantity[a][r.customer] += r.quantity
		t.Rows[a]++
		if r.hasCost {
			if t.Cost[a] == nil {
				t.Cost[a] = make([]int64, g.n)
			}
			t.Cost[a][r.customer] += r.cost
			t.CostRows[a]++
		}
	}
	c := &t.Counts
	c.Read += b.counts.Read
	c.Used += b.counts.Used
	c.AfterAsOf += b.counts.AfterAsOf
	c.BeforeWindow += b.counts.BeforeWindow
	c.Unmatched += b.counts.Unmatched
	for k, v := range b.counts.Rejected {
		c.Rejected[k] += v
	}
	g.examples = append(g.examples, b.examples...)
}

// result sorts the activities by name and the rejected examples by file and row.
func (g *activityAggregator) result() *ActivityTotals {
	t := g.t
	perm := make([]int, len(t.Names))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(i, j int) bool { return t.Names[perm[i]] < t.Names[perm[j]] })
	out := &ActivityTotals{Counts: t.Counts}
	for _, a := range perm {
		out.Names = append(out.Names, t.Names[a])
		out.Quantity = append(out.Quantity, t.Quantity[a])
		out.Cost = append(out.Cost, t.Cost[a])
		out.Rows = append(out.Rows, t.Rows[a])
		out.CostRows = append(out.CostRows, t.CostRows[a])
	}
	slices.Sort(g.examples)
	out.Examples = g.examples
	return out
}

// activityScanner reads one row group.
type activityScanner struct {
	ctx    context.Context
	req    *ActivityRequest
	file   *input.File
	lookup *customerLookup
	out    chan<- *activityBatch
	batch  *activityBatch
	days   *Days
}

func (s *activityScanner) flush() error {
	if s.batch == nil {
		return nil
	}
	select {
	case s.out <- s.batch:
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
	s.batch = nil
	return nil
}

func (s *activityScanner) reject(file string, row int64, reason string) {
	s.batch.counts.Rejected[reason]++
	if len(s.batch.examples) < 5 {
		s.batch.examples = append(s.batch.examples, fmt.Sprintf("%s row %d: %s", file, row, reason))
	}
}

// scan reads row group g (whose first row is row firstRow of the file) into batches.
func (s *activityScanner) scan(pf *parquet.File, g int, firstRow int64) (err error) {
	where := fmt.Sprintf("activity table: %s: row group %d", s.file.Path, g)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: %v", ErrCorrupt, where, p)
		}
	}()
	s.days = NewDays(s.req.Location)
	rg := pf.RowGroups()[g]
	chunks := rg.ColumnChunks()
	open := func(role string) *activityColumn {
		col, ok := s.file.Columns[role]
		if !ok {
			return nil
		}
		return &activityColumn{Column: NewColumn(chunks[col.Leaf], col)}
	}
	customer, activity, ts := open(input.RoleCustomerID), open(input.RoleActivity), open(input.RoleTimestamp)
	quantity, cost := open(input.RoleQuantity), open(input.RoleCost)
	cursors := []*activityColumn{customer, activity, ts, quantity}
	if cost != nil {
		cursors = append(cursors, cost)
	}
	defer func() {
		for _, c := range cursors {
			c.Close()
		}
	}()
	var present [5]bool
	var idBuf []byte
	scale := s.req.MoneyScale
	n := rg.NumRows()
	for r := range n {
		if s.batch == nil || len(s.batch.records) == activityBatchRows {
			if err := s.flush(); err != nil {
				return err
			}
			s.batch = &activityBatch{records: make([]activityRecord, 0, min(int64(activityBatchRows), n-r)), counts: ActivityCounts{Rejected: map[string]int64{}}}
		}
		for k, c := range cursors {
			if present[k], err = c.Next(); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrCorrupt, where, err)
			}
		}
		s.batch.counts.Read++
		row := firstRow + r
		if !present[0] {
			s.reject(s.file.Path, row, RejectActivityNullCustomer)
			continue
		}
		cust, ok := s.customerRow(customer, &idBuf)
		if !ok {
			s.reject(s.file.Path, row, RejectActivityBadCustomer)
			continue
		}
		if !present[2] {
			s.reject(s.file.Path, row, RejectActivityNullTimestamp)
			continue
		}
		d, ok := ts.Day(s.days)
		if !ok {
			s.reject(s.file.Path, row, RejectActivityBadTimestamp)
			continue
		}
		if !present[1] {
			s.reject(s.file.Path, row, RejectActivityNull)
			continue
		}
		if !present[3] {
			s.reject(s.file.Path, row, RejectActivityNullQuantity)
			continue
		}
		q := quantity.Float()
		micro := math.Round(q * QuantityScale)
		if !(micro >= 0 && micro <= 9e15) {
			s.reject(s.file.Path, row, RejectActivityBadQuantity)
			continue
		}
		rec := activityRecord{customer: cust, quantity: int64(micro)}
		if cost != nil && present[4] {
			if rec.cost, ok = cost.Minor(scale); !ok {
				s.reject(s.file.Path, row, RejectActivityBadCost)
				continue
			}
			rec.hasCost = true
		}
		switch {
		case d > s.req.AsOfDay:
			s.batch.counts.AfterAsOf++
			continue
		case s.req.StartDay != feature.NoDate && d < s.req.StartDay:
			s.batch.counts.BeforeWindow++
			continue
		case cust < 0:
			s.batch.counts.Unmatched++
			continue
		}
		rec.activity = activity.text()
		s.batch.counts.Used++
		s.batch.records = append(s.batch.records, rec)
	}
	for _, c := range cursors {
		if err := c.End(int(n)); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, where, err)
		}
	}
	return s.flush()
}
