package native

import (
	"context"
	"fmt"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// task is one row group of one file.
type task struct {
	index    int // position in file, row group order: the order rejected rows are reported in
	file     int // index into the inspected files
	group    int
	firstRow int64 // row number within the file of the group's first row
}

// orderKey identifies an order: a customer's rows sharing an order id.
type orderKey struct{ customer, order string }

// orderAcc accumulates an order's rows.
type orderAcc struct {
	day             int32 // earliest day
	net, cost, rows int64
}

func (a *orderAcc) add(b orderAcc) {
	a.day = min(a.day, b.day)
	a.net += b.net
	a.cost += b.cost
	a.rows += b.rows
}

// single is a row without an order id: an order of its own.
type single struct {
	customer  string
	day       int32
	net, cost int64
}

// partial is what scanning one row group produces.
type partial struct {
	task     int
	orders   map[orderKey]orderAcc
	singles  []single
	counts   engine.Counts
	rejected []engine.Rejected
}

// scanner reads one row group's mapped columns row by row and classifies each row.
type scanner struct {
	req  *engine.Request
	file *input.File

	customer, order, timestamp, amount, quantity, unitPrice, cost *cursor

	days   *dayer
	intern map[string]string // customer ids seen in this row group

	idBuf, orderBuf []byte
}

// scanGroup aggregates one row group into a partial result.
func scanGroup(ctx context.Context, req *engine.Request, f *input.File, pf *parquet.File, t task) (p *partial, err error) {
	where := fmt.Sprintf("%s: row group %d", f.Path, t.group)
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, where, r)
		}
	}()
	rg := pf.RowGroups()[t.group]
	chunks := rg.ColumnChunks()
	s := &scanner{req: req, file: f, days: newDayer(req.Location), intern: map[string]string{}}
	var cursors []*cursor
	open := func(role string) *cursor {
		col, ok := f.Columns[role]
		if !ok {
			return nil
		}
		if col.Leaf >= len(chunks) {
			panic(fmt.Sprintf("column %q: leaf %d of %d", col.Name, col.Leaf, len(chunks)))
		}
		c := newCursor(chunks[col.Leaf], col)
		cursors = append(cursors, c)
		return c
	}
	s.customer, s.order, s.timestamp = open(input.RoleCustomerID), open(input.RoleOrderID), open(input.RoleTimestamp)
	s.amount, s.quantity, s.unitPrice = open(input.RoleAmount), open(input.RoleQuantity), open(input.RoleUnitPrice)
	s.cost = open(input.RoleCost)
	defer func() {
		for _, c := range cursors {
			c.close()
		}
	}()

	p = &partial{task: t.index, orders: map[orderKey]orderAcc{}, counts: engine.Counts{Rejected: map[string]int64{}}}
	var cur orderKey
	var acc orderAcc
	open_ := false
	flush := func() {
		if !open_ {
			return
		}
		if prev, ok := p.orders[cur]; ok {
			acc.add(prev)
		}
		p.orders[cur] = acc
		open_ = false
	}
	n := rg.NumRows()
	for r := int64(0); r < n; r++ {
		if r&0x3fff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var present [7]bool
		for i, c := range cursors {
			if present[i], err = c.next(); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
		}
		row, reason := s.classify(present[:len(cursors)], cursors)
		p.counts.Read++
		if reason != "" {
			p.counts.Rejected[reason]++
			p.rejected = append(p.rejected, s.rejected(t.firstRow+r, reason, present[:len(cursors)], cursors))
			continue
		}
		if row.day > req.AsOfDay {
			p.counts.AfterAsOf++
			continue
		}
		if req.StartDay != feature.NoDate && row.day < req.StartDay {
			p.counts.BeforeWindow++
			continue
		}
		p.counts.Used++
		if !row.hasOrder {
			p.singles = append(p.singles, single{customer: s.internID(), day: row.day, net: row.net, cost: row.cost})
			continue
		}
		if open_ && string(s.idBuf) == cur.customer && string(s.orderBuf) == cur.order {
			acc.add(orderAcc{day: row.day, net: row.net, cost: row.cost, rows: 1})
			continue
		}
		flush()
		cur = orderKey{customer: s.internID(), order: string(s.orderBuf)}
		acc = orderAcc{day: row.day, net: row.net, cost: row.cost, rows: 1}
		open_ = true
	}
	flush()
	return p, nil
}

func (s *scanner) internID() string {
	if id, ok := s.intern[string(s.idBuf)]; ok {
		return id
	}
	id := string(s.idBuf)
	s.intern[id] = id
	return id
}

// row is a classified, usable row.
type row struct {
	day       int32
	net, cost int64
	hasOrder  bool
}

// classify converts the current row's values; a non-empty reason rejects the row. The checks
// run in the order of engine's Reject constants.
func (s *scanner) classify(present []bool, cursors []*cursor) (row, string) {
	var out row
	if !present[0] {
		return out, engine.RejectNullCustomer
	}
	var ok bool
	if s.idBuf, ok = appendID(s.idBuf[:0], s.customer, false); !ok {
		return out, engine.RejectBadCustomer
	}
	i := 1
	if s.order != nil {
		if present[i] {
			s.orderBuf, _ = appendID(s.orderBuf[:0], s.order, true)
			out.hasOrder = true
		}
		i++
	}
	if !present[i] {
		return out, engine.RejectNullTimestamp
	}
	if out.day, ok = s.day(); !ok {
		return out, engine.RejectBadTimestamp
	}
	i++
	if s.amount != nil {
		if !present[i] {
			return out, engine.RejectNullAmount
		}
		if out.net, ok = money(s.amount, s.req.MoneyScale); !ok {
			return out, engine.RejectNonFiniteAmount
		}
		i++
	} else {
		if !present[i] || !present[i+1] {
			return out, engine.RejectNullAmount
		}
		q, p := float(s.quantity), float(s.unitPrice)
		if out.net, ok = floatMinor(q*p, s.req.MoneyScale); !ok {
			return out, engine.RejectNonFiniteAmount
		}
		i += 2
	}
	if s.cost != nil && present[i] {
		if c, ok := money(s.cost, s.req.MoneyScale); ok {
			out.cost = c
		}
	}
	return out, ""
}

// day returns the day of the current timestamp value, false when a string does not parse.
func (s *scanner) day() (int32, bool) {
	c := s.timestamp
	v, k := &c.values, c.k
	switch c.col.Kind {
	case input.KindDate:
		return v.i32[k], true
	case input.KindString:
		us, ok := parseISO(v.bytes(k))
		if !ok {
			return 0, false
		}
		return s.days.day(us, 1_000_000), true
	}
	if c.col.Physical == format.Int96 {
		return s.days.day(int96Micros(v.i96[k]), 1_000_000), true
	}
	return s.days.day(v.i64[k], perSecond(c.col.Unit)), true
}

func perSecond(unit string) int64 {
	switch unit {
	case "ms":
		return 1_000
	case "ns":
		return 1_000_000_000
	}
	return 1_000_000
}
