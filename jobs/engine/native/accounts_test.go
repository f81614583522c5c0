package native

import "testing"

// TestOrderKeyRange checks which order-id sequences keep a customer on the fast path: a new
// order must extend the range of order ids met (increasing or decreasing sequences, or a jump
// beyond either end), repeating the open order continues it, and an id inside the range sends
// the customer to the general path.
func TestOrderKeyRange(t *testing.T) {
	tests := []struct {
		name       string
		orders     []int64
		failed     bool
		wantOrders int64
	}{
		{"increasing", []int64{1, 2, 2, 5}, false, 3},
		{"decreasing", []int64{9, 8, 8, 7, 3}, false, 4},
		{"both ends", []int64{5, 6, 4, 7, 3, 3}, false, 5},
		{"open order continues", []int64{5, 6, 6, 4}, false, 3},
		{"closed order back", []int64{5, 6, 5}, true, 2},
		{"inside the range", []int64{1, 9, 5}, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPartition()
			b := &batch{records: [][]record{nil}, singles: [][]record{nil}}
			for _, o := range tt.orders {
				b.records[0] = append(b.records[0], record{customer: 42, order: o, net: 1, day: 1, rows: 1})
			}
			p.add(b, 0)
			a := p.accounts.at(p.slotOfID(42))
			if a.failed != tt.failed {
				t.Errorf("got failed %v, want %v", a.failed, tt.failed)
			}
			if !tt.failed && a.orders != tt.wantOrders {
				t.Errorf("got %d orders, want %d", a.orders, tt.wantOrders)
			}
		})
	}
}

// TestIndexGrowth adds numeric and string customers across many index growths and checks that
// every one keeps its slot: growing moves entries by their tag alone, and a lookup must not
// stop at an entry whose tag matches another customer's.
func TestIndexGrowth(t *testing.T) {
	p := newPartition()
	const n = 100_000
	slots := make([]int32, n)
	for i := range slots {
		slots[i] = p.slotOfID(int64(i) * 7919)
	}
	if p.accounts.len() != n {
		t.Fatalf("got %d accounts, want %d", p.accounts.len(), n)
	}
	for i, s := range slots {
		if got := p.slotOfID(int64(i) * 7919); got != s {
			t.Fatalf("id %d: slot %d after growth, was %d", i*7919, got, s)
		}
		if key := p.accounts.at(s).key; key != int64(i)*7919 {
			t.Fatalf("slot %d holds key %d, want %d", s, key, i*7919)
		}
	}

	// String ids with one hash (so one tag and one position): only the names tell them apart.
	q := newPartition()
	names := [][]byte{[]byte("alpha"), []byte("beta"), []byte("gamma")}
	const h = uint64(0xdeadbeef) << 32
	var got []int32
	for _, name := range names {
		got = append(got, q.slotOfName(name, h))
	}
	for i, name := range names {
		if s := q.slotOfName(name, h); s != got[i] || string(q.name(q.accounts.at(s))) != string(name) {
			t.Errorf("%s: slot %d, want %d", name, s, got[i])
		}
	}
	if q.accounts.len() != len(names) {
		t.Errorf("got %d accounts for %d names", q.accounts.len(), len(names))
	}
}
