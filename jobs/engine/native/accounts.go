package native

import (
	"math"
	"slices"
)

// account is one customer's accumulators. Rows, Monetary and Cost are sums over rows; the
// order-derived features are kept up to date as orders close (see partition.add).
type account struct {
	// The first 64 bytes: what every record reads and writes.
	key                          int64 // the numeric id, or the string id's hash
	maxKey, openNet              int64 // the greatest order key met; the open order's net
	openDay                      int32 // and earliest day
	open, unordered, failed      bool
	openAtMin                    bool // the open order's key is minKey, not maxKey
	rows, monetary, cost, orders int64

	// The next 64: what closing an order with a positive net updates.
	frequency, value, firstDayValue int64
	days                            int64 // distinct purchase days while !unordered
	first, last                     int32 // earliest and latest purchase day (frequency > 0)
	arrival                         int32 // day of the last purchase in arrival order
	nameLen                         int32 // the id's text is partition.names[nameAt:nameAt+nameLen]
	nameAt                          int64
	minKey                          int64 // the smallest order key met
}

// accountStore holds accounts in fixed-size blocks: growing never copies them, and the peak
// memory is the accounts themselves.
type accountStore struct {
	blocks [][]account
	n      int
}

const blockBits = 12

func (st *accountStore) len() int { return st.n }

func (st *accountStore) at(s int32) *account {
	return &st.blocks[s>>blockBits][s&(1<<blockBits-1)]
}

// add appends an account for key and returns its slot.
func (st *accountStore) add(key int64) int32 {
	if st.n&(1<<blockBits-1) == 0 {
		st.blocks = append(st.blocks, make([]account, 1<<blockBits))
	}
	s := int32(st.n)
	st.n++
	*st.at(s) = account{key: key}
	return s
}

// dayLog is a list of (slot, day) pairs, slot<<32 | uint32(day), kept in blocks so that it
// grows without copying.
type dayLog struct{ blocks [][]uint64 }

const dayLogBlock = 1 << 16

func (l *dayLog) add(s, day int32) {
	if n := len(l.blocks); n == 0 || len(l.blocks[n-1]) == dayLogBlock {
		l.blocks = append(l.blocks, make([]uint64, 0, dayLogBlock))
	}
	last := &l.blocks[len(l.blocks)-1]
	*last = append(*last, uint64(s)<<32|uint64(uint32(day)))
}

func (l *dayLog) len() int {
	n := 0
	for _, b := range l.blocks {
		n += len(b)
	}
	return n
}

// partition holds the customers whose hash falls in one partition, with an account each.
// Batches are added in row-group order, so a customer's rows arrive in input order.
type partition struct {
	index []uint64 // open addressing by hash (see entry)
	shift uint     // index position = hash >> shift

	names              []byte // customer ids' text, one after the other (see account.nameAt)
	text               string // names, once sorted
	sorted             []customerRef
	stringIDs          bool
	accounts           accountStore
	minOrder, maxOrder []string // string order ids: each slot's smallest and greatest

	// dayLog holds slot<<32 | uint32(day) for every purchase day of a customer with more than
	// one purchase day, skipping repeats of the previous day; finish counts the distinct days
	// of customers whose days arrived out of order from it.
	dayLog dayLog
	failed []int32 // slots whose order ids did not increase: recomputed by the general path

	// purchaseFloor: an order is a purchase when its net > purchaseFloor (0, or −1 with
	// Request.ZeroNetIsPurchase).
	purchaseFloor int64

	cache []int32 // string ids of the current batch: table entry → slot + 1
	slots []int32 // the slots of the current batch's records
	// keepSlots: add replaces each record's customer by its slot (a series keeps its records
	// for the general path, see series.go).
	keepSlots bool
	// cuts are a series' as-of days: the first pass of a series sends the customers of an
	// order with rows on both sides of a cut to the general path (see series.go).
	cuts []int32
}

func newPartition() *partition {
	p := &partition{}
	p.rehash(1 << 12)
	return p
}

// An index entry is the top 32 bits of the customer's hash (its tag) above slot + 1, 0 for an
// empty entry. Its position is the hash's top bits, so growing the index and skipping the
// entries of other customers read the index alone, not the accounts.
func entry(h uint64, s int32) uint64 { return h>>32<<32 | uint64(uint32(s+1)) }

func entrySlot(e uint64) int32 { return int32(uint32(e)) - 1 }

func (p *partition) rehash(size int) {
	old := p.index
	p.index = make([]uint64, size)
	// Write the new index before reading it. Fresh memory from the operating system that is
	// read first is mapped to the shared zero page, and the first write to each page then
	// replaces that mapping, which flushes the other cores' TLBs: an inter-processor interrupt
	// per page, costly on virtual machines. Writing first maps a zeroed page directly. (Growing
	// the index took 0.58 s of a 2.1 s run on 20M rows on a 2-core VM, 0.05 s after.)
	clear(p.index)
	p.shift = uint(64 - bitsOf(size))
	mask := uint64(size - 1)
	for _, e := range old {
		if e == 0 {
			continue
		}
		i := e >> p.shift // the tag's top bits: the hash's
		for p.index[i] != 0 {
			i = (i + 1) & mask
		}
		p.index[i] = e
	}
}

func bitsOf(size int) int {
	n := 0
	for 1<<n < size {
		n++
	}
	return n
}

// newSlot appends an account for key, whose hash is h, at index entry i, growing the index at
// half load.
func (p *partition) newSlot(i, h uint64, key int64) int32 {
	s := p.accounts.add(key)
	if p.maxOrder != nil {
		p.minOrder, p.maxOrder = append(p.minOrder, ""), append(p.maxOrder, "")
	}
	p.index[i] = entry(h, s)
	if 2*p.accounts.len() >= len(p.index) {
		p.rehash(2 * len(p.index))
	}
	return s
}

// slotOfID returns the slot of a numeric customer id, adding the customer when new.
func (p *partition) slotOfID(id int64) int32 {
	h := mix(id)
	tag := h >> 32
	mask := uint64(len(p.index) - 1)
	for i := h >> p.shift; ; i = (i + 1) & mask {
		e := p.index[i]
		if e == 0 {
			return p.newSlot(i, h, id)
		}
		if e>>32 == tag && p.accounts.at(entrySlot(e)).key == id {
			return entrySlot(e)
		}
	}
}

// slotOfName returns the slot of a string customer id with hash h, adding it when new.
func (p *partition) slotOfName(b []byte, h uint64) int32 {
	tag := h >> 32
	mask := uint64(len(p.index) - 1)
	for i := h >> p.shift; ; i = (i + 1) & mask {
		e := p.index[i]
		if e == 0 {
			s := p.newSlot(i, h, int64(h))
			a := p.accounts.at(s)
			a.nameAt, a.nameLen = int64(len(p.names)), int32(len(b))
			p.names = append(p.names, b...)
			return s
		}
		if e>>32 != tag {
			continue
		}
		if a := p.accounts.at(entrySlot(e)); a.key == int64(h) && string(p.name(a)) == string(b) {
			return entrySlot(e)
		}
	}
}

// name returns the string id of a.
func (p *partition) name(a *account) []byte { return p.names[a.nameAt : a.nameAt+int64(a.nameLen)] }

// resolver returns the function mapping b's customer references to slots.
func (p *partition) resolver(b *batch) func(int64) int32 {
	if !b.stringCustomers {
		return p.slotOfID
	}
	p.stringIDs = true
	n := b.customers.len()
	if cap(p.cache) < n {
		p.cache = make([]int32, n)
	}
	p.cache = p.cache[:n]
	clear(p.cache)
	return func(i int64) int32 {
		if s := p.cache[i]; s != 0 {
			return s - 1
		}
		s := p.slotOfName(b.customers.at(i), b.customers.hashes[i])
		p.cache[i] = s + 1
		return s
	}
}

// add aggregates the records of partition part of b. Every new order of a customer extends
// the range of order keys met, [minKey, maxKey], so its key is one of the two ends and no
// order closed earlier can come back: the open order stays open while records carry its key,
// and closes when a key beyond either end arrives. A key inside the range could be an order
// closed earlier, so the customer is marked failed and left to the general path. Increasing
// and decreasing order ids both take the fast path.
func (p *partition) add(b *batch, part int) {
	slotOf := p.resolver(b)
	if b.stringOrders && p.maxOrder == nil {
		p.minOrder, p.maxOrder = make([]string, p.accounts.len()), make([]string, p.accounts.len())
	}
	recs := b.records[part]
	if cap(p.slots) < resolveBlock {
		p.slots = make([]int32, resolveBlock)
	}
	for i := range recs {
		// Resolve a block of slots at a time: independent lookups overlap their cache misses,
		// and the accounts they bring in are still cached when the block's records update them.
		if i%resolveBlock == 0 {
			for j, r := range recs[i:min(i+resolveBlock, len(recs))] {
				p.slots[j] = slotOf(r.customer)
			}
			if p.keepSlots {
				for j := range recs[i:min(i+resolveBlock, len(recs))] {
					recs[i+j].customer = int64(p.slots[j])
				}
			}
		}
		r, s := &recs[i], p.slots[i%resolveBlock]
		a := p.accounts.at(s)
		a.rows += int64(r.rows)
		a.monetary += r.net
		a.cost += r.cost
		if a.failed {
			continue
		}
		// belowMin, aboveMax: the key is beyond that end of the range met (both for the
		// customer's first order); atOpen: it is the open order's key.
		belowMin, aboveMax, atOpen := true, true, false
		switch {
		case !a.open:
		case b.stringOrders:
			o, lo, hi := b.orders.at(r.order), p.minOrder[s], p.maxOrder[s]
			belowMin, aboveMax = string(o) < lo, string(o) > hi
			atOpen = a.openAtMin && string(o) == lo || !a.openAtMin && string(o) == hi
		default:
			belowMin, aboveMax = r.order < a.minKey, r.order > a.maxKey
			atOpen = a.openAtMin && r.order == a.minKey || !a.openAtMin && r.order == a.maxKey
		}
		if atOpen {
			if p.cuts != nil && !sameCut(p.cuts, a.openDay, r.day) {
				// A series' order on both sides of a cut: aggregated by the general path.
				a.failed = true
				p.failed = append(p.failed, s)
				continue
			}
			a.openNet += r.net
			a.openDay = min(a.openDay, r.day)
			continue
		}
		if !belowMin && !aboveMax {
			a.failed = true
			p.failed = append(p.failed, s)
			continue
		}
		if a.open {
			p.close(s, a)
		}
		a.orders++
		a.open, a.openNet, a.openDay, a.openAtMin = true, r.net, r.day, !aboveMax
		if belowMin {
			a.minKey = r.order
		}
		if aboveMax {
			a.maxKey = r.order
		}
		if b.stringOrders {
			o := string(b.orders.at(r.order))
			if belowMin {
				p.minOrder[s] = o
			}
			if aboveMax {
				p.maxOrder[s] = o
			}
		}
	}
	for i := range b.singles[part] {
		r := &b.singles[part][i]
		s := slotOf(r.customer)
		if p.keepSlots {
			r.customer = int64(s)
		}
		a := p.accounts.at(s)
		a.rows++
		a.monetary += r.net
		a.cost += r.cost
		if !a.failed {
			a.orders++
			p.purchase(s, a, r.day, r.net)
		}
	}
}

// resolveBlock is how many records partition.add resolves to slots before updating them.
const resolveBlock = 256

// close ends the customer's open order.
func (p *partition) close(s int32, a *account) {
	a.open = false
	p.purchase(s, a, a.openDay, a.openNet)
}

// purchase accounts for a finished order of day and net.
func (p *partition) purchase(s int32, a *account, day int32, net int64) {
	if net <= p.purchaseFloor {
		return
	}
	a.frequency++
	a.value += net
	if a.frequency == 1 {
		a.first, a.last, a.firstDayValue, a.days, a.arrival = day, day, net, 1, day
		return
	}
	switch {
	case day < a.first:
		a.first, a.firstDayValue = day, net
	case day == a.first:
		a.firstDayValue += net
	}
	a.last = max(a.last, day)
	if day == a.arrival {
		return
	}
	if a.days == 1 && !a.unordered { // the first purchase on another day: log the first day too
		p.dayLog.add(s, a.arrival)
	}
	p.dayLog.add(s, day)
	if day < a.arrival {
		a.unordered = true
	} else if !a.unordered {
		a.days++
	}
	a.arrival = day
}

// finish closes the open orders, counts the distinct days and sorts the partition's
// customers (sortCustomers).
func (p *partition) finish(part int) {
	p.countDays()
	p.sortCustomers(part, false)
}

// countDays closes the open orders and counts the distinct purchase days of customers whose
// purchases arrived out of day order, from the day log: a counting sort by slot, then a sort
// of each such customer's few days.
func (p *partition) countDays() {
	p.closeOpen()
	start, days := p.loggedDays(math.MinInt32)
	p.dayLog = dayLog{}
	for s := range int32(p.accounts.len()) {
		a := p.accounts.at(s)
		if !a.unordered || a.failed {
			continue
		}
		a.days = distinct(days[start[s]:start[s+1]])
	}
}

// closeOpen closes the open orders of the customers on the fast path.
func (p *partition) closeOpen() {
	for s := range int32(p.accounts.len()) {
		if a := p.accounts.at(s); a.open && !a.failed {
			p.close(s, a)
		}
	}
}

// loggedDays sorts the day log's days after the given day by slot (a counting sort): slot s's
// are days[start[s]:start[s+1]].
func (p *partition) loggedDays(after int32) (start, days []int32) {
	n := p.accounts.len()
	start = make([]int32, n+1)
	for _, block := range p.dayLog.blocks {
		for _, e := range block {
			if int32(uint32(e)) > after {
				start[e>>32+1]++
			}
		}
	}
	for s := 1; s < len(start); s++ {
		start[s] += start[s-1]
	}
	days = make([]int32, start[n])
	next := slices.Clone(start[:n])
	for _, block := range p.dayLog.blocks {
		for _, e := range block {
			if d := int32(uint32(e)); d > after {
				days[next[e>>32]] = d
				next[e>>32]++
			}
		}
	}
	return start, days
}

// distinct is the number of distinct days in d, which it sorts.
func distinct(d []int32) int64 {
	slices.Sort(d)
	return int64(len(slices.Compact(d)))
}
