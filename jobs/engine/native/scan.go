package native

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// task is one row group of one file.
type task struct {
	index    int // position in file, row group order: the order batches are aggregated in
	file     int // index into the inspected files
	group    int
	firstRow int64 // row number within the file of the group's first row
}

// record is a run of consecutive used rows of one customer and one order within a row group
// (or a single row without an order id).
type record struct {
	customer int64 // integer id, or index into batch.customers for string ids
	order    int64 // order key (see idConverter), or index into batch.orders for string ids
	net      int64
	cost     int64
	day      int32 // earliest day
	rows     int32
}

// rejectReasons are engine's Reject constants in the order they are checked; counts index
// them.
var rejectReasons = [...]string{engine.RejectNullCustomer, engine.RejectBadCustomer, engine.RejectNullTimestamp,
	engine.RejectBadTimestamp, engine.RejectNullAmount, engine.RejectNonFiniteAmount}

// counts is a batch's share of engine.Counts.
type counts struct {
	read, used, afterAsOf, beforeWindow int64
	rejected                            [len(rejectReasons)]int64
}

// batch is what scanning one row group produces: its used rows as records, split by customer
// partition.
type batch struct {
	task              task
	records           [][]record   // by partition, in row order
	singles           [][]record   // rows without an order id, by partition
	customers, orders *stringTable // the string ids records refer to
	counts            counts
	rejected          []engine.Rejected

	stringCustomers, stringOrders bool // ids are indexes into customers, orders
	hasOrders, hasCost            bool // the order id and cost columns are mapped
	// beforeCut counts a series' rows before the window start by the span their day is in
	// (scanner.cuts): as of an earlier cut they are after the as-of day.
	beforeCut []int64
}

// scanner decodes row groups; one per worker, reusing its buffers.
type scanner struct {
	req   *engine.Request
	parts int
	days  *dayer
	spare chan *batch // batches the partitions are done with, for reuse
	// describe: print the rejected rows into batch.rejected (see describe).
	describe bool
	// cuts are a series' as-of days (AggregateSeries), nil for one date: rows merge into a
	// record only when they fall between the same two cuts.
	cuts []int32

	customer, order, timestamp, amount, quantity, unitPrice, cost vector
	readers                                                       [7]columnReader
}

// window is how many rows of a row group are decoded at a time: the vectors stay in cache.
const window = 1 << 14

func newScanner(req *engine.Request, parts int, spare chan *batch) *scanner {
	return &scanner{req: req, parts: parts, days: newDayer(req.Location), spare: spare}
}

// newBatch returns an empty batch for t, reusing a spare one's buffers when there is one.
func (s *scanner) newBatch(t task) *batch {
	var b *batch
	select {
	case b = <-s.spare:
	default:
		b = &batch{records: make([][]record, s.parts), singles: make([][]record, s.parts)}
	}
	for p := range b.records {
		b.records[p], b.singles[p] = b.records[p][:0], b.singles[p][:0]
	}
	b.task, b.counts, b.rejected = t, counts{}, nil
	if s.cuts != nil {
		b.beforeCut = slices.Grow(b.beforeCut[:0], len(s.cuts))[:len(s.cuts)]
		clear(b.beforeCut)
	}
	b.stringCustomers, b.stringOrders, b.hasOrders, b.hasCost = false, false, false, false
	return b
}

// mix is the splitmix64 finalizer: a well-spread hash of an integer id.
func mix(k int64) uint64 {
	h := uint64(k)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// partitionOf maps a customer hash to a partition in [0, parts) by its low 32 bits; the
// partition's table indexes by the high bits.
func partitionOf(h uint64, parts int) int { return int(uint64(uint32(h)) * uint64(parts) >> 32) }

// scan decodes one row group's mapped columns and turns its rows into records.
func (s *scanner) scan(ctx context.Context, f *input.File, pf *parquet.File, t task) (b *batch, err error) {
	where := fmt.Sprintf("%s: row group %d", f.Path, t.group)
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, where, r)
		} else if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, input.ErrBadString) {
			err = fmt.Errorf("%s: %w", where, err)
		}
	}()
	rg := pf.RowGroups()[t.group]
	chunks := rg.ColumnChunks()
	n64 := rg.NumRows()
	if n64 < 0 || n64 > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d rows", ErrCorrupt, n64)
	}
	n := int(n64)
	b = s.newBatch(t)
	var open []*columnReader
	defer func() {
		for _, cr := range open {
			cr.close()
		}
	}()
	var fills []func(rows int) error
	column := func(role string, x *vector, conv func(input.Column) converter) (bool, error) {
		col, ok := f.Columns[role]
		if !ok {
			return false, nil
		}
		if col.Leaf >= len(chunks) {
			return false, fmt.Errorf("%w: column %q: leaf %d of %d", ErrCorrupt, col.Name, col.Leaf, len(chunks))
		}
		cr := &s.readers[len(open)]
		cr.open(chunks[col.Leaf], col, conv(col))
		open = append(open, cr)
		fills = append(fills, func(rows int) error { return cr.fill(x, rows) })
		return true, nil
	}
	ids := func(table **stringTable, hash, loose bool, str *bool) func(input.Column) converter {
		return func(col input.Column) converter {
			if col.Kind == input.KindString {
				if *table == nil {
					*table = &stringTable{}
				}
				(*table).reset(hash)
				*str = true
				return stringConverter(*table)
			}
			return idConverter(col, loose)
		}
	}
	money := func(col input.Column) converter { return moneyConverter(col, s.req.MoneyScale) }
	floats := func(input.Column) converter { return floatConverter }
	if _, err := column(input.RoleCustomerID, &s.customer, ids(&b.customers, true, false, &b.stringCustomers)); err != nil {
		return nil, err
	}
	if b.hasOrders, err = column(input.RoleOrderID, &s.order, ids(&b.orders, false, true, &b.stringOrders)); err != nil {
		return nil, err
	}
	if _, err := column(input.RoleTimestamp, &s.timestamp, func(col input.Column) converter { return dayConverter(col, s.days) }); err != nil {
		return nil, err
	}
	hasAmount, err := column(input.RoleAmount, &s.amount, money)
	if err != nil {
		return nil, err
	}
	if !hasAmount {
		if _, err := column(input.RoleQuantity, &s.quantity, floats); err != nil {
			return nil, err
		}
		if _, err := column(input.RoleUnitPrice, &s.unitPrice, floats); err != nil {
			return nil, err
		}
	}
	if b.hasCost, err = column(input.RoleCost, &s.cost, money); err != nil {
		return nil, err
	}
	for p := range b.records {
		if c := n/s.parts/2 + 16; cap(b.records[p]) < c {
			b.records[p] = make([]record, 0, c)
		}
	}
	var rejects []reject
	last := -1
	for base := 0; base < n; base += window {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows := min(window, n-base)
		for _, fill := range fills {
			if err := fill(rows); err != nil {
				return nil, err
			}
		}
		if !hasAmount {
			s.multiply(rows)
		}
		if err := s.checkText(b, f, t.firstRow+int64(base)); err != nil {
			return nil, err
		}
		rejects, last = s.collect(b, base, rows, rejects, last)
	}
	for _, cr := range open {
		if err := cr.end(n); err != nil {
			return nil, err
		}
	}
	b.counts.read = int64(n)
	if len(rejects) > 0 && s.describe {
		if b.rejected, err = describe(f, chunks, t.firstRow, rejects); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// checkText returns input.ErrBadString, as input.Verify words it, for the first customer id of
// the window that is not valid UTF-8; first is the window's first row in the file.
func (s *scanner) checkText(b *batch, f *input.File, first int64) error {
	if !b.stringCustomers || s.customer.state == nil {
		return nil
	}
	for r, st := range s.customer.state {
		if st == stateBadText {
			return fmt.Errorf("%w: %s: row %d, column %q: customer id %q is not valid UTF-8",
				input.ErrBadString, f.Path, first+int64(r), f.Columns[input.RoleCustomerID].Name, b.customers.at(s.customer.v[r]))
		}
	}
	return nil
}

// multiply sets the amount vector to quantity × unit price in minor units.
func (s *scanner) multiply(n int) {
	a, q, p := &s.amount, &s.quantity, &s.unitPrice
	a.v = grow(a.v, n)
	a.state = nil
	if q.state != nil || p.state != nil {
		a.buf = growBytes(a.buf, n)
		clear(a.buf)
		a.state = a.buf
	}
	for r := range n {
		if !q.ok(r) || !p.ok(r) {
			a.state[r] = stateNull
			continue
		}
		m, ok := floatMinor(math.Float64frombits(uint64(q.v[r]))*math.Float64frombits(uint64(p.v[r])), s.req.MoneyScale)
		if !ok {
			if a.state == nil {
				a.buf = growBytes(a.buf, n)
				clear(a.buf)
				a.state = a.buf
			}
			a.state[r] = stateBad
		}
		a.v[r] = m
	}
}

// reject is a rejected row: its index in the row group and its reason (index into
// rejectReasons).
type reject struct{ row, reason int }

// reason returns the row's rejection reason, or -1.
func (s *scanner) reason(r int) int {
	for i, x := range [...]*vector{&s.customer, &s.timestamp, &s.amount} {
		if x.state != nil && x.state[r] != stateOK {
			return 2*i + int(x.state[r]) - 1
		}
	}
	return -1
}

// collect classifies rows base … base+n-1, decoded in the vectors, and appends the used ones
// to b's records, merging consecutive rows of the same customer and order; last is the
// partition of the last record, -1 when there is none to extend.
func (s *scanner) collect(b *batch, base, n int, rejects []reject, last int) ([]reject, int) {
	checks := s.customer.state != nil || s.timestamp.state != nil || s.amount.state != nil
	asOf, start := s.req.AsOfDay, s.req.StartDay
	if start == feature.NoDate {
		start = math.MinInt32
	}
	cust, order, days, net := s.customer.v, s.order.v, s.timestamp.v, s.amount.v
	var cost []int64
	if b.hasCost {
		cost = s.cost.v
	}
	for r := range n {
		if checks {
			if why := s.reason(r); why >= 0 {
				b.counts.rejected[why]++
				rejects = append(rejects, reject{base + r, why})
				continue
			}
		}
		day := int32(days[r])
		if day > asOf {
			b.counts.afterAsOf++
			continue
		}
		if day < start {
			b.counts.beforeWindow++
			if s.cuts != nil {
				k, _ := slices.BinarySearch(s.cuts, day)
				b.beforeCut[k]++
			}
			continue
		}
		b.counts.used++
		var c int64
		if cost != nil && s.cost.ok(r) {
			c = cost[r]
		}
		hasOrder := b.hasOrders && s.order.ok(r)
		if last >= 0 && hasOrder {
			rec := &b.records[last][len(b.records[last])-1]
			if rec.customer == cust[r] && rec.order == order[r] && rec.rows < math.MaxInt32 && (s.cuts == nil || sameCut(s.cuts, rec.day, day)) {
				rec.net += net[r]
				rec.cost += c
				rec.day = min(rec.day, day)
				rec.rows++
				continue
			}
		}
		var h uint64
		if b.stringCustomers {
			h = b.customers.hashes[cust[r]]
		} else {
			h = mix(cust[r])
		}
		p := partitionOf(h, s.parts)
		rec := record{customer: cust[r], net: net[r], cost: c, day: day, rows: 1}
		if !hasOrder {
			b.singles[p] = append(b.singles[p], rec)
			last = -1
			continue
		}
		rec.order = order[r]
		b.records[p] = append(b.records[p], rec)
		last = p
	}
	return rejects, last
}

// describe prints the raw values of the rejected rows of one row group, reading their pages a
// second time.
func describe(f *input.File, chunks []parquet.ColumnChunk, firstRow int64, rejects []reject) ([]engine.Rejected, error) {
	var cs [len(roles)]*cursor
	for i, role := range roles {
		if col, ok := f.Columns[role]; ok {
			cs[i] = newCursor(chunks[col.Leaf], col)
			defer cs[i].close()
		}
	}
	var texts [len(roles)]dictTexts
	out := make([]engine.Rejected, 0, len(rejects))
	for _, rj := range rejects {
		for _, c := range cs {
			if c != nil {
				if err := c.seek(rj.row); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, rejectedRow(f.Path, firstRow+int64(rj.row), rejectReasons[rj.reason], cs, &texts))
	}
	return out, nil
}
