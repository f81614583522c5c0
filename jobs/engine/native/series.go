package native

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/rfmjob/rfm/jobs/engine"
)

// A series (AggregateSeries) reads the input once for all its as-of days, the cuts; the
// records of the rows between two cuts, (cuts[k-1], cuts[k]], are a span.
//
// The first pass is Aggregate's scan and fast path, as of the last cut, except that rows merge
// into a record only within one span. It resolves every record's customer to its account and
// files the record under its span, and it finds the customers the spans cannot fold simply:
// those the fast path sends to the general path (an order id back inside the range met), and
// those with an order whose rows fall in two spans. Every other customer's orders are each
// one contiguous run of the customer's records, within one span.
//
// Then the accounts are cleared and, for each cut in turn, every partition folds that span's
// records into them: the state of the date before plus the rows in between. A run of records
// of one order is an order; all of a span's orders are closed at its end, since none goes on
// into the next span. The other customers' orders are kept whole in a map, record by record
// as their spans come, and each date recomputes them from it (the general path). Each date
// then counts the distinct purchase days and sorts the customers who have rows by that date;
// the features are the ones Aggregate returns for the date.
//
// Memory: the accounts (as for one date), the records of the spans not yet folded (40 bytes
// per run of an order's rows; all of them after the first pass, fewer at each date), the day
// log of one span, and the map of the customers on the general path; not the number of dates.

// span is the records of one partition between two cuts, in input order; customers are slots.
type span struct {
	records, singles recordBlocks
	orders           stringTable // string order ids, which the records' orders index
	rows             int64       // the used rows
}

// recordBlocks is a list of records kept in fixed-size blocks: growing never copies them or
// holds spare capacity beyond the last block.
type recordBlocks [][]record

const recordBlock = 1 << 13

func (l *recordBlocks) add(r record) {
	if n := len(*l); n == 0 || len((*l)[n-1]) == recordBlock {
		*l = append(*l, make([]record, 0, recordBlock))
	}
	last := &(*l)[len(*l)-1]
	*last = append(*last, r)
}

// seriesPart is a partition's share of a series.
type seriesPart struct {
	spans        []span  // by cut
	cuts         []int32 // the series' days
	before       []int32 // by slot: the distinct purchase days before the current span
	stringOrders bool
	gen          general // the general path's customers' orders up to the current cut
}

// stash files the records of partition part of b by span, once add has replaced their
// customers by slots.
func (sp *seriesPart) stash(b *batch, part int, cuts []int32) {
	sp.stringOrders = b.stringOrders
	for single, recs := range [2][]record{b.records[part], b.singles[part]} {
		for _, r := range recs {
			k, _ := slices.BinarySearch(cuts, r.day)
			dst := &sp.spans[k]
			dst.rows += int64(r.rows)
			if single == 1 {
				dst.singles.add(r)
				continue
			}
			if b.stringOrders {
				r.order = dst.orders.add(b.orders.at(r.order))
			}
			dst.records.add(r)
		}
	}
}

// restart clears the accounts of the first pass for the folds, keeping the customers' keys,
// names and whether they take the general path.
func (p *partition) restart() {
	for s := range int32(p.accounts.len()) {
		a := p.accounts.at(s)
		*a = account{key: a.key, nameAt: a.nameAt, nameLen: a.nameLen, failed: a.failed}
	}
	p.dayLog = dayLog{}
	clear(p.maxOrder)
	p.minOrder = nil
	p.keepSlots, p.cuts = false, nil
}

// fold adds span k to p's accounts and returns p ready for buildFeatures as of cut k.
func (sp *seriesPart) fold(p *partition, part, k int) {
	sn := &sp.spans[k]
	for _, block := range sn.records {
		sp.foldRecords(p, sn, block)
	}
	for _, block := range sn.singles {
		sp.foldSingles(p, block)
	}

	*sn = span{rows: sn.rows}

	if len(p.failed) > 0 {
		p.recompute(&sp.gen)
	}
	prev := int32(math.MinInt32)
	if k > 0 {
		prev = sp.cuts[k-1]
	}
	sp.countDays(p, prev)
	p.sortCustomers(part, true)
}

// countDays closes the open orders (no order goes on into the next span) and sets the distinct
// purchase days of the customers whose purchases of the span arrived out of day order: the
// days before the span plus the span's distinct days in the day log, which holds the span's
// purchases only (and, for a customer with one day before it, that day, which is not after
// prev, the span's first cut). Then every account is put back in day order at its last day and
// the log is cleared: the next span's days all come after this span's. So the log holds one
// span, not the history, and counting costs the span's purchases, not all of them.
func (sp *seriesPart) countDays(p *partition, prev int32) {
	p.closeOpen()
	n := p.accounts.len()
	if len(sp.before) < n {
		sp.before = slices.Grow(sp.before, n-len(sp.before))[:n]
	}
	start, days := p.loggedDays(prev)
	p.dayLog = dayLog{}
	for s := range int32(n) {
		a := p.accounts.at(s)
		if a.failed || a.frequency == 0 {
			continue
		}
		if a.unordered {
			a.days = int64(sp.before[s]) + distinct(days[start[s]:start[s+1]])
			a.unordered = false
		}
		a.arrival = a.last
		sp.before[s] = int32(a.days)
	}
}

// foldRecords folds a block of span sn's records into p's accounts.
func (sp *seriesPart) foldRecords(p *partition, sn *span, block []record) {
	for i := range block {
		r := &block[i]
		s := int32(r.customer)
		a := p.accounts.at(s)
		a.rows += int64(r.rows)
		a.monetary += r.net
		a.cost += r.cost
		if a.failed {
			sp.gen.addRecord(sp.stringOrders, &sn.orders, s, r)
			continue
		}
		if a.open {
			var same bool
			if sp.stringOrders {
				same = string(sn.orders.at(r.order)) == p.maxOrder[s]
			} else {
				same = r.order == a.maxKey
			}
			if same {
				a.openNet += r.net
				a.openDay = min(a.openDay, r.day)
				continue
			}
			p.close(s, a)
		}
		a.orders++
		a.open, a.openNet, a.openDay = true, r.net, r.day
		if sp.stringOrders {
			p.maxOrder[s] = string(sn.orders.at(r.order))
		} else {
			a.maxKey = r.order
		}
	}
}

// foldSingles folds a block of rows without an order id into p's accounts.
func (sp *seriesPart) foldSingles(p *partition, block []record) {
	for _, r := range block {
		s := int32(r.customer)
		a := p.accounts.at(s)
		a.rows++
		a.monetary += r.net
		a.cost += r.cost
		if a.failed {
			sp.gen.singles = append(sp.gen.singles, purchase{slot: s, day: r.day, net: r.net})
			continue
		}
		a.orders++
		p.purchase(s, a, r.day, r.net)
	}
}

// AggregateSeries implements engine.SeriesEngine (see the comment at the top of this file).
func (*Engine) AggregateSeries(ctx context.Context, req engine.Request, days []int32, each func(i int, res *engine.Result) error) error {
	if len(days) == 0 {
		return nil
	}
	for i := 1; i < len(days); i++ {
		if days[i] <= days[i-1] {
			return fmt.Errorf("native: series days must ascend, got %d after %d", days[i], days[i-1])
		}
	}
	req.AsOfDay = days[len(days)-1]
	pl, closeAll, err := newPipeline(&req)
	if err != nil {
		return err
	}
	defer closeAll()
	parts, floor := pl.parts, purchaseFloor(&req)
	series := make([]*seriesPart, len(parts))
	for i, p := range parts {
		// The first pass only classifies: no order is a purchase, so it keeps no day log.
		p.purchaseFloor = math.MaxInt64
		p.keepSlots, p.cuts = true, days
		series[i] = &seriesPart{spans: make([]span, len(days)), cuts: days, gen: general{orders: map[generalKey]generalOrder{}}}
	}
	pl.cuts = days
	beforeCut := make([]int64, len(days)) // rows before the window start, by span
	cnt, rejected, err := pl.run(ctx, true, func(p *partition, part int, b *batch) {
		p.add(b, part)
		series[part].stash(b, part, days)
		if part == 0 { // every partition sees every batch: count once
			for k, n := range b.beforeCut {
				beforeCut[k] += n
			}
		}
	})
	if err != nil {
		return err
	}
	closeAll()
	for _, p := range parts {
		p.restart()
		p.purchaseFloor = floor
	}

	var used, before int64
	for k := range days {
		if err := ctx.Err(); err != nil {
			return err
		}
		errs := make([]error, len(parts))
		var wg sync.WaitGroup
		for i, p := range parts {
			wg.Go(func() {
				defer func() {
					if r := recover(); r != nil {
						errs[i] = fmt.Errorf("native: internal error aggregating partition %d: %v", i, r)
					}
				}()
				series[i].fold(p, i, k)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		for _, sp := range series {
			used += sp.spans[k].rows
		}
		before += beforeCut[k]
		res := &engine.Result{
			Features: buildFeatures(parts, req.MoneyScale, req.Columns.Cost != ""),
			Counts: engine.Counts{Read: cnt.read, Used: used, AfterAsOf: cnt.afterAsOf + cnt.used - used + cnt.beforeWindow - before,
				BeforeWindow: before, Rejected: map[string]int64{}},
			Rejected: rejected,
		}
		for i, n := range cnt.rejected {
			if n > 0 {
				res.Counts.Rejected[rejectReasons[i]] = n
			}
		}
		if err := each(k, res); err != nil {
			return err
		}
	}
	return nil
}

// sameCut reports whether days a and b fall in the same span.
func sameCut(cuts []int32, a, b int32) bool {
	if a == b {
		return true
	}
	i, _ := slices.BinarySearch(cuts, a)
	j, _ := slices.BinarySearch(cuts, b)
	return i == j
}
