package native

import (
	"cmp"
	"slices"

	"github.com/rfmjob/rfm/analytics/feature"
)

// purchase is an order with a positive net (or a zero one, with Request.ZeroNetIsPurchase).
type purchase struct {
	customer int32 // rank of the customer id in byte order
	day      int32
	net      int64
}

// buildFeatures turns the merged orders into the feature table (see analytics/feature for the
// definitions).
func buildFeatures(orders map[orderKey]orderAcc, singles []single, scale int, hasCost, zeroIsPurchase bool) *feature.Table {
	floor := int64(0) // a purchase has net > floor
	if zeroIsPurchase {
		floor = -1
	}
	index := map[string]int32{}
	var ids []string
	var sums [][4]int64 // orders, rows, monetary, cost
	var purchases []purchase
	add := func(customer string, a orderAcc) {
		i, ok := index[customer]
		if !ok {
			i = int32(len(ids))
			index[customer] = i
			ids = append(ids, customer)
			sums = append(sums, [4]int64{})
		}
		s := &sums[i]
		s[0]++
		s[1] += a.rows
		s[2] += a.net
		s[3] += a.cost
		if a.net > floor {
			purchases = append(purchases, purchase{customer: i, day: a.day, net: a.net})
		}
	}
	for k, a := range orders {
		add(k.customer, a)
	}
	for _, s := range singles {
		add(s.customer, orderAcc{day: s.day, net: s.net, cost: s.cost, rows: 1})
	}

	order := make([]int32, len(ids)) // customer indexes in byte order of their ids
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(ids[a], ids[b]) })
	rank := make([]int32, len(ids))
	for r, i := range order {
		rank[i] = int32(r)
	}
	for i := range purchases {
		purchases[i].customer = rank[purchases[i].customer]
	}
	slices.SortFunc(purchases, func(a, b purchase) int {
		return cmp.Or(cmp.Compare(a.customer, b.customer), cmp.Compare(a.day, b.day))
	})

	t := &feature.Table{MoneyScale: scale, HasCost: hasCost}
	t.Grow(len(ids))
	for r, i := range order {
		t.CustomerID[r] = ids[i]
		t.Orders[r], t.Rows[r], t.Monetary[r], t.Cost[r] = sums[i][0], sums[i][1], sums[i][2], sums[i][3]
	}
	for _, p := range purchases {
		r := p.customer
		if t.Frequency[r] == 0 {
			t.FirstPurchase[r] = p.day
		}
		if t.LastPurchase[r] != p.day {
			t.PurchaseDays[r]++
		}
		t.LastPurchase[r] = p.day
		t.Frequency[r]++
		t.PurchaseValue[r] += p.net
		if p.day == t.FirstPurchase[r] {
			t.FirstDayValue[r] += p.net
		}
	}
	return t
}
