package native

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/rfmjob/rfm/analytics/feature"
)

// customerRef is a customer's partition and slot, packed as partition<<32 | slot, with the key
// its id sorts by.
type customerRef struct {
	key uint64
	ref uint64
}

// buildFeatures turns the partitions' accounts into the feature table, sorted by customer id in
// byte order. Numeric ids below 10^15 in magnitude sort by decimalKey, without formatting them
// first; larger ones sort by their text.
func buildFeatures(parts []*partition, scale int, hasCost bool) *feature.Table {
	n := 0
	for _, p := range parts {
		n += p.accounts.len()
	}
	refs := make([]customerRef, 0, n)
	for i, p := range parts {
		for s := range p.accounts.len() {
			refs = append(refs, customerRef{ref: uint64(i)<<32 | uint64(s)})
		}
	}
	at := func(r customerRef) (*partition, int32) { return parts[r.ref>>32], int32(uint32(r.ref)) }
	stringIDs := false
	for _, p := range parts {
		stringIDs = stringIDs || p.stringIDs
	}

	t := &feature.Table{MoneyScale: scale, HasCost: hasCost}
	t.Grow(n)
	if stringIDs {
		// Each partition's ids are one string; the table's strings are slices of them.
		text := make([]string, len(parts))
		for i, p := range parts {
			text[i] = string(p.names)
		}
		id := func(r customerRef) string {
			p, s := at(r)
			a := p.accounts.at(s)
			return text[r.ref>>32][a.nameAt : a.nameAt+int64(a.nameLen)]
		}
		slices.SortFunc(refs, func(a, b customerRef) int { return strings.Compare(id(a), id(b)) })
		for i, r := range refs {
			t.CustomerID[i] = id(r)
		}
	} else {
		fits := true
		for i := range refs {
			p, s := at(refs[i])
			var ok bool
			refs[i].key, ok = decimalKey(p.accounts.at(s).key)
			fits = fits && ok
		}
		if fits {
			slices.SortFunc(refs, func(a, b customerRef) int { return cmp.Compare(a.key, b.key) })
		} else {
			slices.SortFunc(refs, func(a, b customerRef) int {
				pa, sa := at(a)
				pb, sb := at(b)
				return strings.Compare(strconv.FormatInt(pa.accounts.at(sa).key, 10), strconv.FormatInt(pb.accounts.at(sb).key, 10))
			})
		}
		// One buffer holds every id's text; the table's strings are slices of it.
		buf := make([]byte, 0, 8*n)
		ends := make([]int, n)
		for i, r := range refs {
			p, s := at(r)
			buf = strconv.AppendInt(buf, p.accounts.at(s).key, 10)
			ends[i] = len(buf)
		}
		text := string(buf)
		start := 0
		for i, end := range ends {
			t.CustomerID[i] = text[start:end]
			start = end
		}
	}
	for i, r := range refs {
		p, s := at(r)
		a := p.accounts.at(s)
		t.Orders[i], t.Rows[i], t.Monetary[i], t.Cost[i] = a.orders, a.rows, a.monetary, a.cost
		if a.frequency > 0 {
			t.FirstPurchase[i], t.LastPurchase[i] = a.first, a.last
			t.Frequency[i], t.PurchaseDays[i] = a.frequency, a.days
			t.PurchaseValue[i], t.FirstDayValue[i] = a.value, a.firstDayValue
		}
	}
	return t
}

// decimalKey returns a key whose order is the byte order of id's decimal text, and whether
// |id| < 10^15 so that it has one: bit 63 is set for id ≥ 0 ('-' sorts before digits), then
// each of up to 15 digits as digit+1 in a nibble, from the top, zero-padded (a prefix sorts
// first).
func decimalKey(id int64) (uint64, bool) {
	const limit = 1_000_000_000_000_000
	if id <= -limit || id >= limit {
		return 0, false
	}
	var key uint64
	u := id
	if id >= 0 {
		key = 1 << 63
	} else {
		u = -id
	}
	var digits [15]byte
	m := 0
	for {
		digits[m] = byte(u % 10)
		m++
		u /= 10
		if u == 0 {
			break
		}
	}
	for i := range m {
		key |= uint64(digits[m-1-i]+1) << (56 - 4*i)
	}
	return key, true
}
