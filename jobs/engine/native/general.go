package native

import (
	"cmp"
	"slices"
)

// The general path aggregates the customers that left the fast path (an order id inside the
// range of ids already met, see partition.add): a second scan keys each of their orders by
// (customer, order id) in a map, so an order may be spread over the input in any way.

type generalKey struct {
	slot int32
	key  int64  // numeric order key
	name string // string order id
}

type generalOrder struct {
	day int32
	net int64
}

// general collects the failed customers' orders of one partition.
type general struct {
	orders  map[generalKey]generalOrder
	singles []purchase
}

// purchase is an order of the customer in slot: a purchase when net > partition.purchaseFloor.
type purchase struct {
	slot, day int32
	net       int64
}

// addGeneral collects the orders of failed customers from partition part of b.
func (p *partition) addGeneral(b *batch, part int, g *general) {
	slotOf := p.resolver(b)
	for i := range b.records[part] {
		r := &b.records[part][i]
		s := slotOf(r.customer)
		if !p.accounts.at(s).failed {
			continue
		}
		g.addRecord(b.stringOrders, b.orders, s, r)
	}
	for i := range b.singles[part] {
		r := &b.singles[part][i]
		if s := slotOf(r.customer); p.accounts.at(s).failed {
			g.singles = append(g.singles, purchase{slot: s, day: r.day, net: r.net})
		}
	}
}

// addRecord adds a record, whose customer is in slot s, to its order; with stringOrders its
// order indexes orders.
func (g *general) addRecord(stringOrders bool, orders *stringTable, s int32, r *record) {
	k := generalKey{slot: s}
	if stringOrders {
		k.name = string(orders.at(r.order))
	} else {
		k.key = r.order
	}
	o, ok := g.orders[k]
	if ok {
		o.day = min(o.day, r.day)
		o.net += r.net
	} else {
		o = generalOrder{day: r.day, net: r.net}
	}
	g.orders[k] = o
}

// recompute sets the order-derived features of the failed customers from g.
func (p *partition) recompute(g *general) {
	for _, s := range p.failed {
		a := p.accounts.at(s)
		a.orders, a.frequency, a.value, a.firstDayValue, a.days = 0, 0, 0, 0, 0
	}
	var ps []purchase
	for k, o := range g.orders {
		p.accounts.at(k.slot).orders++
		if o.net > p.purchaseFloor {
			ps = append(ps, purchase{slot: k.slot, day: o.day, net: o.net})
		}
	}
	for _, o := range g.singles {
		p.accounts.at(o.slot).orders++
		if o.net > p.purchaseFloor {
			ps = append(ps, o)
		}
	}
	slices.SortFunc(ps, func(a, b purchase) int { return cmp.Or(cmp.Compare(a.slot, b.slot), cmp.Compare(a.day, b.day)) })
	for _, o := range ps {
		a := p.accounts.at(o.slot)
		if a.frequency == 0 {
			a.first = o.day
		}
		if a.frequency == 0 || a.last != o.day {
			a.days++
		}
		a.last = o.day
		a.frequency++
		a.value += o.net
		if o.day == a.first {
			a.firstDayValue += o.net
		}
	}
}
