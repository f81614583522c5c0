package native_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
)

// TestOrderPaths checks, by hand, the customers of each aggregation path: purchases whose days
// arrive out of order (distinct days from the day log), order ids that decrease (the general
// path, with a row without order id), and orders spread over row groups, for numeric and
// string ids, several row-group sizes and thread counts.
func TestOrderPaths(t *testing.T) {
	// Rows (customer, order, day, amount), amounts in whole units (scale 0):
	rows := [][4]any{
		{7, 1, 10, 5}, {8, 20, 3, 10}, {9, 30, 1, 2}, {7, 2, 5, 3}, {8, 10, 4, 1}, {9, 30, 1, 3},
		{7, 3, 10, 2}, {8, 20, 2, 5}, {9, 31, 1, 1}, {7, 4, 7, -1}, {8, 10, 6, -1}, {7, 5, 5, 4},
		{8, nil, 2, 1}, {9, 31, 2, 1}, {6, 9, 3, 2}, {7, 6, 1, 0}, {6, 8, 2, 3}, {6, 8, 2, 1}, {6, 7, 1, 1},
	}
	// Hand computation:
	// 6: order ids decreasing (9, 8, 8, 7), still the fast path: order 9 = 2 on day 3, order 8 =
	//    3 + 1 on day 2, order 7 = 1 on day 1: 3 purchases on 3 days, first 1, last 3, value 7,
	//    first-day value 1.
	// 7: orders 1..6 are one row each, order ids increasing; purchases on days 10, 5, 10, 5
	//    (order 4 is a return, order 6 nets 0): 4 purchases on 2 distinct days, first 5, last
	//    10, value 14, first-day value 3 + 4 = 7, monetary 13.
	// 8: order 20 (+10 day 3, +5 day 2) = 15 on day 2; order 10 (+1 day 4, -1 day 6) = 0, not a
	//    purchase; the row without order id is an order of +1 on day 2. Order 20 comes back
	//    after order 10, so 8 takes the general path. 3 orders, 2 purchases, both on day 2:
	//    value 16, first-day value 16, monetary 16.
	// 9: order 30 = 2 + 3 on day 1; order 31 = 1 (day 1) + 1 (day 2) on day 1: 2 purchases on
	//    day 1, value 7.
	want := []customer{
		{"6", 1, 3, 3, 3, 4, 3, 7, 7, 1, 0},
		{"7", 5, 10, 4, 6, 6, 2, 13, 14, 7, 0},
		{"8", 2, 2, 2, 3, 5, 1, 16, 16, 16, 0},
		{"9", 1, 1, 2, 2, 4, 1, 7, 7, 7, 0},
	}
	text := func(v any) any {
		if v == nil {
			return nil
		}
		return fmt.Sprint(v)
	}
	for _, stringIDs := range []bool{false, true} {
		for _, rowGroup := range []int{0, 2, 3} {
			for _, threads := range []int{1, 2, 3} {
				name := fmt.Sprintf("strings=%v/rowgroup=%d/threads=%d", stringIDs, rowGroup, threads)
				t.Run(name, func(t *testing.T) {
					idNode := parquet.Node(parquet.Int(64))
					if stringIDs {
						idNode = parquet.String()
					}
					var cs, os, ds, as []any
					for _, r := range rows {
						c, o := r[0], r[1]
						if stringIDs {
							c, o = text(c), text(o)
						}
						cs, os, ds, as = append(cs, c), append(os, o), append(ds, r[2]), append(as, r[3])
					}
					path := filepath.Join(t.TempDir(), "paths.parquet")
					inputtest.Write(t, path, rowGroup,
						inputtest.Column{Name: "customer", Node: idNode, Values: cs},
						inputtest.Column{Name: "order", Node: parquet.Optional(idNode), Values: os},
						inputtest.Column{Name: "day", Node: parquet.Date(), Values: ds},
						inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: as})
					res := aggregate(t, engine.Request{Files: []string{path}, AsOfDay: 100, StartDay: none, Threads: threads,
						Columns: engine.Columns{CustomerID: "customer", OrderID: "order", Timestamp: "day", Amount: "amount"}})
					checkTable(t, res.Features, want)
				})
			}
		}
	}
}

// TestNumericIDOrder checks that numeric ids sort as their decimal text does (byte order), for
// ids below 10^15 (sorted by an order-preserving key) and with a larger one (sorted as text).
func TestNumericIDOrder(t *testing.T) {
	tests := []struct {
		name string
		ids  []any
		want []string
	}{
		{"small", []any{999, -5, 10, 9, -12, 0}, []string{"-12", "-5", "0", "10", "9", "999"}},
		{"large", []any{999, 1_000_000_000_000_000, -5, 10, 9}, []string{"-5", "10", "1000000000000000", "9", "999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, amounts := make([]any, len(tt.ids)), make([]any, len(tt.ids))
			for i := range tt.ids {
				days[i], amounts[i] = 1, 1
			}
			path := filepath.Join(t.TempDir(), "ids.parquet")
			inputtest.Write(t, path, 0,
				inputtest.Column{Name: "id", Node: parquet.Int(64), Values: tt.ids},
				inputtest.Column{Name: "day", Node: parquet.Date(), Values: days},
				inputtest.Column{Name: "amount", Node: parquet.Int(64), Values: amounts})
			res := aggregate(t, engine.Request{Files: []string{path}, AsOfDay: 100, StartDay: none,
				Columns: engine.Columns{CustomerID: "id", Timestamp: "day", Amount: "amount"}})
			got := res.Features.CustomerID
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got ids %q, want %q", got, tt.want)
			}
		})
	}
}
