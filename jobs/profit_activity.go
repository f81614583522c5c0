package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
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

// quantityScale is the fixed point activity quantities are summed in (millionths of a unit),
// so that the sums are exact and do not depend on the order row groups are read in.
const quantityScale = 1_000_000

// activityRequest is what readActivities reads: the files, the column mapping, the window and
// the customers of the run.
type activityRequest struct {
	files   []string
	columns ActivityColumns
	asOfDay int32
	// startDay is the first day of the lookback window, feature.NoDate for none.
	startDay   int32
	location   *time.Location
	moneyScale int
	threads    int
	customers  []string // the feature table's ids: an activity row belongs to one of them
}

// activityTotals is the activity table aggregated per activity and customer.
type activityTotals struct {
	// names lists the activities found in the window, sorted; quantity[a][i] and cost[a][i]
	// are customer i's quantity (in millionths) and direct cost (minor units) of names[a];
	// cost[a] is nil when no row of the activity had a cost.
	names    []string
	quantity [][]int64
	cost     [][]int64
	// costRows[a] counts the used rows of names[a] with a cost, rows[a] all its used rows.
	rows, costRows []int64
	counts         activityCounts
	// examples are the first rejected rows, for the error message of a failing quality check.
	examples []string
}

// activityCounts accounts for every activity row read:
// read = used + unmatched + afterAsOf + beforeWindow + Σ rejected.
type activityCounts struct {
	read, used, afterAsOf, beforeWindow int64
	// unmatched counts the rows in the window of customers without transactions in it; their
	// cost is attributed to nobody.
	unmatched int64
	rejected  map[string]int64
}

func (c activityCounts) rejectedTotal() int64 {
	var n int64
	for _, v := range c.rejected {
		n += v
	}
	return n
}

// activityRoles renames the roles of input.Inspect's messages to the activity table's: the
// reader inspects the activity column as an order id and the quantity as an amount, which
// accept the same types.
var activityRoles = strings.NewReplacer("(role order_id)", "(role activity)", "(role amount)", "(role quantity)")

// inspectActivities checks the activity files' footers: every mapped column present, of a
// type its role accepts, the same kind in every file.
func inspectActivities(files []string, cols ActivityColumns) ([]input.File, error) {
	ins, err := input.Inspect(files, engine.Columns{
		CustomerID: cols.CustomerID, OrderID: cols.Activity, Timestamp: cols.Timestamp,
		Amount: cols.Quantity, Cost: cols.Cost,
	})
	if err != nil {
		return nil, fmt.Errorf("activity table: %s", activityRoles.Replace(err.Error()))
	}
	return ins, nil
}

// readActivities reads the activity files' mapped columns, row groups in parallel, and sums
// quantity and direct cost per activity and customer over the run's window.
func readActivities(ctx context.Context, req activityRequest) (*activityTotals, error) {
	files, err := inspectActivities(req.files, req.columns)
	if err != nil {
		return nil, err
	}
	opened := make([]*parquet.File, len(files))
	for i := range files {
		r, err := os.Open(files[i].Path)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		if opened[i], err = parquet.OpenFile(r, files[i].Size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true)); err != nil {
			return nil, fmt.Errorf("activity table: %s: %w", files[i].Path, err)
		}
	}
	type task struct {
		file, group int
		firstRow    int64
	}
	var tasks []task
	for i, pf := range opened {
		var first int64
		for g, rg := range pf.RowGroups() {
			tasks = append(tasks, task{i, g, first})
			first += rg.NumRows()
		}
	}
	lk := newCustomerLookup(req.customers, files)
	agg := newActivityAggregator(len(req.customers))
	threads := req.threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	threads = max(1, min(threads, len(tasks)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan task)
	batches := make(chan *activityBatch, threads)
	errs := make([]error, threads)
	var wg sync.WaitGroup
	for w := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range todo {
				s := &activityScanner{req: &req, file: &files[t.file], lookup: lk, out: batches, ctx: ctx}
				if err := s.scan(opened[t.file], t.group, t.firstRow); err != nil {
					errs[w] = err
					cancel()
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
		close(batches)
	}()
	for b := range batches {
		agg.add(b)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
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
	counts   activityCounts
	examples []string
}

const activityBatchRows = 1 << 15

// activityAggregator sums batches into dense per-activity columns. Sums are integers, so the
// result does not depend on the order batches arrive in.
type activityAggregator struct {
	n        int
	index    map[string]int
	t        activityTotals
	examples []string
}

func newActivityAggregator(n int) *activityAggregator {
	return &activityAggregator{n: n, index: map[string]int{}, t: activityTotals{counts: activityCounts{rejected: map[string]int64{}}}}
}

func (g *activityAggregator) add(b *activityBatch) {
	t := &g.t
	last, lastA := "", -1
	for _, r := range b.records {
		a := lastA
		if r.activity != last || a < 0 {
			var ok bool
			if a, ok = g.index[r.activity]; !ok {
				a = len(t.names)
				g.index[r.activity] = a
				t.names = append(t.names, r.activity)
				t.quantity = append(t.quantity, make([]int64, g.n))
				t.cost = append(t.cost, nil)
				t.rows = append(t.rows, 0)
				t.costRows = append(t.costRows, 0)
			}
			last, lastA = r.activity, a
		}
		t.quantity[a][r.customer] += r.quantity
		t.rows[a]++
		if r.hasCost {
			if t.cost[a] == nil {
				t.cost[a] = make([]int64, g.n)
			}
			t.cost[a][r.customer] += r.cost
			t.costRows[a]++
		}
	}
	c := &t.counts
	c.read += b.counts.read
	c.used += b.counts.used
	c.afterAsOf += b.counts.afterAsOf
	c.beforeWindow += b.counts.beforeWindow
	c.unmatched += b.counts.unmatched
	for k, v := range b.counts.rejected {
		c.rejected[k] += v
	}
	g.examples = append(g.examples, b.examples...)
}

// result sorts the activities by name and the rejected examples by file and row.
func (g *activityAggregator) result() *activityTotals {
	t := g.t
	perm := make([]int, len(t.names))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(i, j int) bool { return t.names[perm[i]] < t.names[perm[j]] })
	out := &activityTotals{counts: t.counts}
	for _, a := range perm {
		out.names = append(out.names, t.names[a])
		out.quantity = append(out.quantity, t.quantity[a])
		out.cost = append(out.cost, t.cost[a])
		out.rows = append(out.rows, t.rows[a])
		out.costRows = append(out.costRows, t.costRows[a])
	}
	slices.Sort(g.examples)
	out.examples = g.examples
	return out
}

// customerLookup finds a customer id's row in the feature table: by integer value for integer
// and floating id columns, by bytes for strings.
type customerLookup struct {
	byString map[string]int32
	byInt    map[int64]int32
	// dense[v] is the row of integer id v when every integer id is in [0, len(dense)), ids
	// being usually dense: one array access instead of a hash lookup. −1: no such customer.
	dense []int32
}

// intRow returns the row of integer id v, −1 when it has none.
func (lk *customerLookup) intRow(v int64) int32 {
	if lk.dense != nil {
		if v >= 0 && v < int64(len(lk.dense)) {
			return lk.dense[v]
		}
		return -1
	}
	row, ok := lk.byInt[v]
	return orMinus(row, ok)
}

func newCustomerLookup(ids []string, files []input.File) *customerLookup {
	lk := &customerLookup{}
	numeric, text := false, false
	for _, f := range files {
		if f.Columns[input.RoleCustomerID].Kind == input.KindString {
			text = true
		} else {
			numeric = true
		}
	}
	if text {
		lk.byString = make(map[string]int32, len(ids))
		for i, id := range ids {
			lk.byString[id] = int32(i)
		}
	}
	if !numeric {
		return lk
	}
	// The integer value of each id printed canonically (as the engines print integer ids);
	// −1 marks the others, which no integer id matches.
	vals := make([]int64, len(ids))
	maxID := int64(-1)
	dense := true
	var buf []byte
	for i, id := range ids {
		v, err := strconv.ParseInt(id, 10, 64)
		if buf = strconv.AppendInt(buf[:0], v, 10); err != nil || string(buf) != id {
			vals[i] = -1
			continue
		}
		vals[i] = v
		dense = dense && v >= 0
		maxID = max(maxID, v)
	}
	if dense && maxID < 4*int64(len(ids))+1024 {
		lk.dense = make([]int32, maxID+1)
		for i := range lk.dense {
			lk.dense[i] = -1
		}
		for i, v := range vals {
			if v >= 0 {
				lk.dense[v] = int32(i)
			}
		}
		return lk
	}
	lk.byInt = make(map[int64]int32, len(ids))
	for i, v := range vals {
		if v != -1 || ids[i] == "-1" {
			lk.byInt[v] = int32(i)
		}
	}
	return lk
}

// activityScanner reads one row group.
type activityScanner struct {
	ctx    context.Context
	req    *activityRequest
	file   *input.File
	lookup *customerLookup
	out    chan<- *activityBatch
	batch  *activityBatch
	days   zoneDays
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
	s.batch.counts.rejected[reason]++
	if len(s.batch.examples) < 5 {
		s.batch.examples = append(s.batch.examples, fmt.Sprintf("%s row %d: %s", file, row, reason))
	}
}

// scan reads row group g (whose first row is row firstRow of the file) into batches.
func (s *activityScanner) scan(pf *parquet.File, g int, firstRow int64) (err error) {
	where := fmt.Sprintf("activity table: %s: row group %d", s.file.Path, g)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: corrupt: %v", ErrInput, where, p)
		}
	}()
	s.days = zoneDays{loc: s.req.location, start: 1}
	if s.days.loc == time.UTC {
		s.days.loc = nil
	}
	rg := pf.RowGroups()[g]
	chunks := rg.ColumnChunks()
	open := func(role string) *pageCursor {
		col, ok := s.file.Columns[role]
		if !ok {
			return nil
		}
		return &pageCursor{col: col, pages: chunks[col.Leaf].Pages()}
	}
	customer, activity, ts := open(input.RoleCustomerID), open(input.RoleOrderID), open(input.RoleTimestamp)
	quantity, cost := open(input.RoleAmount), open(input.RoleCost)
	cursors := []*pageCursor{customer, activity, ts, quantity}
	if cost != nil {
		cursors = append(cursors, cost)
	}
	defer func() {
		for _, c := range cursors {
			c.close()
		}
	}()
	var present [5]bool
	var idBuf []byte
	scale := s.req.moneyScale
	n := rg.NumRows()
	for r := range n {
		if s.batch == nil || len(s.batch.records) == activityBatchRows {
			if err := s.flush(); err != nil {
				return err
			}
			s.batch = &activityBatch{records: make([]activityRecord, 0, min(int64(activityBatchRows), n-r)), counts: activityCounts{rejected: map[string]int64{}}}
		}
		for k, c := range cursors {
			if present[k], err = c.next(); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrInput, where, err)
			}
		}
		s.batch.counts.read++
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
		d, ok := s.day(ts)
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
		q := quantity.float()
		micro := math.Round(q * quantityScale)
		if !(micro >= 0 && micro <= 9e15) {
			s.reject(s.file.Path, row, RejectActivityBadQuantity)
			continue
		}
		rec := activityRecord{customer: cust, quantity: int64(micro)}
		if cost != nil && present[4] {
			if rec.cost, ok = cost.minor(scale); !ok {
				s.reject(s.file.Path, row, RejectActivityBadCost)
				continue
			}
			rec.hasCost = true
		}
		switch {
		case d > s.req.asOfDay:
			s.batch.counts.afterAsOf++
			continue
		case s.req.startDay != feature.NoDate && d < s.req.startDay:
			s.batch.counts.beforeWindow++
			continue
		case cust < 0:
			s.batch.counts.unmatched++
			continue
		}
		rec.activity = activity.text()
		s.batch.counts.used++
		s.batch.records = append(s.batch.records, rec)
	}
	return s.flush()
}

// customerRow returns the feature-table row of the current customer id (−1 when the customer
// has no transactions in the window); ok is false for a floating id that is not an integer.
func (s *activityScanner) customerRow(c *pageCursor, buf *[]byte) (int32, bool) {
	lk := s.lookup
	find := func() (int32, bool) {
		switch c.col.Physical {
		case format.ByteArray:
			row, ok := lk.byString[string(c.values.bytes(c.k))]
			return orMinus(row, ok), true
		case format.Int32, format.Int64:
			return lk.intRow(c.integer()), true
		}
		x := c.float()
		if x != math.Trunc(x) || math.Abs(x) >= 9.2e18 {
			return 0, false
		}
		return lk.intRow(int64(x)), true
	}
	if c.idx == nil {
		return find()
	}
	// Dictionary pages: resolve each dictionary entry once.
	d := c.dictIndex
	if c.dictRows == nil {
		c.dictRows = make([]int32, c.values.n)
		for i := range c.dictRows {
			c.dictRows[i] = unresolved
		}
	}
	if row := c.dictRows[d]; row != unresolved {
		return row, row != badID
	}
	row, ok := find()
	if !ok {
		row = badID
	}
	c.dictRows[d] = row
	return row, ok
}

const (
	unresolved = math.MinInt32
	badID      = math.MinInt32 + 1
)

func orMinus(row int32, ok bool) int32 {
	if !ok {
		return -1
	}
	return row
}

// day returns the day of the current timestamp in the run's time zone; false when a string
// does not parse. Naive timestamps are taken as UTC instants, as the engines do.
func (s *activityScanner) day(c *pageCursor) (int32, bool) {
	v, k := &c.values, c.k
	switch c.col.Kind {
	case input.KindDate:
		return v.i32[k], true
	case input.KindString:
		us, ok := parseActivityTime(string(v.bytes(k)))
		if !ok {
			return 0, false
		}
		return s.days.day(us, 1_000_000), true
	}
	if c.col.Physical == format.Int96 {
		x := v.i96[k]
		nanos := int64(uint64(x[1])<<32 | uint64(x[0]))
		return s.days.day((int64(x[2])-2440588)*86_400_000_000+nanos/1000, 1_000_000), true
	}
	perSec := int64(1_000_000)
	switch c.col.Unit {
	case "ms":
		perSec = 1_000
	case "ns":
		perSec = 1_000_000_000
	}
	return s.days.day(v.i64[k], perSec), true
}

// isoLayouts are the ISO-8601 forms a string timestamp may take.
var isoLayouts = []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07", "2006-01-02T15:04:05.999999999Z07"}

// parseActivityTime parses an ISO-8601 date or timestamp to microseconds since the epoch, a
// time without an offset taken as UTC.
func parseActivityTime(s string) (int64, bool) {
	for _, layout := range isoLayouts {
		if len(layout) > len(s)+9 || len(s) > len(layout)+6 {
			continue
		}
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMicro(), true
		}
	}
	return 0, false
}

// zoneDays turns instants into days in a time zone, caching the zone period of the last
// instant so that rows in the same period cost one comparison each.
type zoneDays struct {
	loc        *time.Location // nil: UTC
	start, end int64          // cached period, Unix seconds [start, end)
	offset     int64
}

func (z *zoneDays) day(v, perSec int64) int32 {
	if z.loc == nil {
		return int32(floorDiv(v, perSec*86400))
	}
	sec := floorDiv(v, perSec)
	if sec < z.start || sec >= z.end {
		t := time.Unix(sec, 0).In(z.loc)
		_, off := t.Zone()
		s, e := t.ZoneBounds()
		z.offset, z.start, z.end = int64(off), math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			z.start = s.Unix()
		}
		if !e.IsZero() {
			z.end = e.Unix()
		}
	}
	return int32(floorDiv(v+z.offset*perSec, perSec*86400))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// pageCursor walks one column chunk row by row, page by page, over the pages' typed values.
type pageCursor struct {
	col    input.Column
	pages  parquet.Pages
	page   parquet.Page
	defs   []byte
	row, n int
	dense  int
	idx    []int32
	dict   parquet.Dictionary
	values pageValues
	k      int // after next returned true: the row's value in values
	// dictIndex is the row's dictionary index when idx != nil; dictRows caches per-entry
	// lookups of the current dictionary (customer rows), dictText its entries as strings.
	dictIndex int
	dictRows  []int32
	dictText  []string
	// intern holds the strings of plain pages, so that a repeated value is one string.
	intern map[string]string
}

// pageValues views the dense values of a page or dictionary; the slice of the column's
// physical type is set.
type pageValues struct {
	i32     []int32
	i64     []int64
	f32     []float32
	f64     []float64
	i96     []deprecated.Int96
	data    []byte
	offsets []uint32
	size    int
	n       int
}

func (v *pageValues) load(d encoding.Values, phys format.Type) {
	*v = pageValues{}
	switch phys {
	case format.Int32:
		v.i32 = d.Int32()
		v.n = len(v.i32)
	case format.Int64:
		v.i64 = d.Int64()
		v.n = len(v.i64)
	case format.Int96:
		v.i96 = d.Int96()
		v.n = len(v.i96)
	case format.Float:
		v.f32 = d.Float()
		v.n = len(v.f32)
	case format.Double:
		v.f64 = d.Double()
		v.n = len(v.f64)
	case format.ByteArray:
		v.data, v.offsets = d.ByteArray()
		v.n = max(len(v.offsets)-1, 0)
	case format.FixedLenByteArray:
		v.data, v.size = d.FixedLenByteArray()
		if v.size > 0 {
			v.n = len(v.data) / v.size
		}
	default:
		panic(fmt.Sprintf("physical type %s", phys))
	}
}

func (v *pageValues) bytes(k int) []byte {
	if v.size > 0 {
		return v.data[k*v.size : (k+1)*v.size]
	}
	return v.data[v.offsets[k]:v.offsets[k+1]]
}

// next advances to the next row and reports whether its value is present.
func (c *pageCursor) next() (bool, error) {
	for c.row >= c.n {
		if err := c.readPage(); err != nil {
			return false, err
		}
	}
	r := c.row
	c.row++
	if c.defs != nil && c.defs[r] == 0 {
		return false, nil
	}
	c.k = c.dense
	c.dense++
	if c.idx != nil {
		c.dictIndex = int(c.idx[c.k])
		c.k = c.dictIndex
		if c.k < 0 || c.k >= c.values.n {
			return false, fmt.Errorf("column %q: dictionary index %d out of range [0,%d)", c.col.Name, c.k, c.values.n)
		}
	}
	return true, nil
}

func (c *pageCursor) readPage() error {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	page, err := c.pages.ReadPage()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("column %q ends before the row group's last row", c.col.Name)
	}
	if err != nil {
		return fmt.Errorf("column %q: %v", c.col.Name, err)
	}
	c.page = page
	c.row, c.n, c.dense, c.defs = 0, int(page.NumRows()), 0, nil
	present := c.n
	if c.col.Optional {
		c.defs = page.DefinitionLevels()
		if len(c.defs) != c.n {
			return fmt.Errorf("column %q: %d definition levels for %d rows", c.col.Name, len(c.defs), c.n)
		}
		present = 0
		for _, d := range c.defs {
			if d > 1 {
				return fmt.Errorf("column %q: definition level %d", c.col.Name, d)
			}
			present += int(d)
		}
	}
	data := page.Data()
	if dict := page.Dictionary(); dict != nil {
		c.idx = data.Int32()
		if dict != c.dict {
			c.dict = dict
			c.values.load(dict.Page().Data(), c.col.Physical)
			c.dictRows, c.dictText = nil, nil
		}
		if len(c.idx) != present {
			return fmt.Errorf("column %q: %d values for %d non-null rows", c.col.Name, len(c.idx), present)
		}
		return nil
	}
	c.idx, c.dict, c.dictRows, c.dictText = nil, nil, nil, nil
	c.values.load(data, c.col.Physical)
	if c.values.n != present {
		return fmt.Errorf("column %q: %d values for %d non-null rows", c.col.Name, c.values.n, present)
	}
	return nil
}

func (c *pageCursor) close() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	c.pages.Close()
}

// integer returns the current INT32 or INT64 value.
func (c *pageCursor) integer() int64 {
	if c.col.Physical == format.Int32 {
		if c.col.Unsigned {
			return int64(uint32(c.values.i32[c.k]))
		}
		return int64(c.values.i32[c.k])
	}
	return c.values.i64[c.k]
}

// text returns the current value as text: strings as they are (each dictionary entry
// converted once), numbers in decimal.
func (c *pageCursor) text() string {
	if c.idx != nil {
		if c.dictText == nil {
			c.dictText = make([]string, c.values.n)
		}
		if s := c.dictText[c.k]; s != "" {
			return s
		}
		s := c.plainText()
		c.dictText[c.k] = s
		return s
	}
	return c.plainText()
}

func (c *pageCursor) plainText() string {
	switch c.col.Physical {
	case format.ByteArray, format.FixedLenByteArray:
		b := c.values.bytes(c.k)
		if s, ok := c.intern[string(b)]; ok {
			return s
		}
		if c.intern == nil {
			c.intern = map[string]string{}
		}
		s := string(b)
		if len(c.intern) < 1<<16 {
			c.intern[s] = s
		}
		return s
	case format.Int32, format.Int64:
		return strconv.FormatInt(c.integer(), 10)
	}
	return strconv.FormatFloat(c.float(), 'g', -1, 64)
}

// float returns the current numeric value (DECIMAL: unscaled / 10^scale; NaN for a decimal
// too wide for int64).
func (c *pageCursor) float() float64 {
	if c.col.Kind == input.KindDecimal {
		u, ok := c.unscaled()
		if !ok {
			return math.NaN()
		}
		return float64(u) / math.Pow10(c.col.Scale)
	}
	switch c.col.Physical {
	case format.Int32, format.Int64:
		return float64(c.integer())
	case format.Float:
		return float64(c.values.f32[c.k])
	}
	return c.values.f64[c.k]
}

// unscaled returns a decimal's unscaled integer; false when it does not fit in int64.
func (c *pageCursor) unscaled() (int64, bool) {
	switch c.col.Physical {
	case format.Int32, format.Int64:
		return c.integer(), true
	}
	b := c.values.bytes(c.k) // big-endian two's complement
	if len(b) == 0 {
		return 0, true
	}
	neg := b[0]&0x80 != 0
	ext := byte(0)
	if neg {
		ext = 0xff
	}
	for len(b) > 8 && b[0] == ext && (b[1]&0x80 != 0) == neg {
		b = b[1:]
	}
	if len(b) > 8 {
		return 0, false
	}
	var u uint64
	if neg {
		u = math.MaxUint64
	}
	for _, x := range b {
		u = u<<8 | uint64(x)
	}
	return int64(u), true
}

// minor returns the current value in minor units (10^scale per unit), rounded half away from
// zero; false for NaN, ±Inf and magnitudes beyond 9e15.
func (c *pageCursor) minor(scale int) (int64, bool) {
	const maxMinor = 9e15
	if c.col.Kind == input.KindDecimal {
		u, ok := c.unscaled()
		if !ok {
			return 0, false
		}
		shift := scale - c.col.Scale
		switch {
		case shift >= 0 && shift <= 15:
			p := int64(math.Pow10(shift))
			if u > maxMinor/p || u < -maxMinor/p {
				return 0, false
			}
			return u * p, true
		case shift < 0 && shift >= -18:
			d := uint64(1)
			for range -shift {
				d *= 10
			}
			neg := u < 0
			a := uint64(u)
			if neg {
				a = -a
			}
			q, r := a/d, a%d
			if 2*r >= d {
				q++
			}
			v := int64(q)
			if neg {
				v = -v
			}
			return v, v >= -maxMinor && v <= maxMinor
		}
		return 0, false
	}
	if c.col.Physical == format.Int32 || c.col.Physical == format.Int64 {
		x, p := c.integer(), int64(math.Pow10(scale))
		if x > maxMinor/p || x < -maxMinor/p {
			return 0, false
		}
		return x * p, true
	}
	r := math.Round(c.float() * math.Pow10(scale))
	if !(r >= -maxMinor && r <= maxMinor) {
		return 0, false
	}
	return int64(r), true
}
