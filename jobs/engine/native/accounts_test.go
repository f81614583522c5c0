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
