package gen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestWriteActivityFileFollowsTheOrders checks the activity table against the transactions of
// the same options: one order row per order (quantity = its lines) and one delivery, one return
// row per return, support concentrated on small baskets, the same bytes for the same options.
func TestWriteActivityFileFollowsTheOrders(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"integer ids", Options{Customers: 400, Transactions: 8000, Seed: 3}},
		{"string ids", Options{Customers: 200, Transactions: 3000, Seed: 4, StringIDs: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tx, a, b := filepath.Join(dir, "tx.parquet"), filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.parquet")
			for _, p := range []string{a, b} {
				if err := WriteActivityFile(p, c.opt, 0); err != nil {
					t.Fatal(err)
				}
			}
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			if !bytes.Equal(da, db) {
				t.Fatal("same options gave different activity files")
			}
			if c.opt.StringIDs {
				// The same activities as with integer ids, customer n named C000000n.
				rows, err := parquet.ReadFile[stringActivityRow](a)
				if err != nil {
					t.Fatal(err)
				}
				intOpt := c.opt
				intOpt.StringIDs = false
				if err := WriteActivityFile(tx, intOpt, 0); err != nil {
					t.Fatal(err)
				}
				want, err := parquet.ReadFile[ActivityRow](tx)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != len(want) || len(rows) == 0 {
					t.Fatalf("string ids: %d rows, integer ids %d; want the same, not 0", len(rows), len(want))
				}
				for i, w := range want {
					r := rows[i]
					if r.CustomerID != fmt.Sprintf("C%07d", w.CustomerID) || !r.TS.Equal(w.TS) || r.Activity != w.Activity ||
						r.Quantity != w.Quantity || (r.Cost == nil) != (w.Cost == nil) || r.Cost != nil && *r.Cost != *w.Cost {
						t.Fatalf("row %d: string ids %+v, integer ids %+v", i, r, w)
					}
				}
				return
			}
			if err := WriteFile(tx, c.opt); err != nil {
				t.Fatal(err)
			}
			txs, err := parquet.ReadFile[Row](tx)
			if err != nil {
				t.Fatal(err)
			}
			lines := map[int64]int{} // order id → lines
			var orders, returns int
			for _, r := range txs {
				if lines[r.OrderID] == 0 {
					if r.Amount < 0 {
						returns++
					} else {
						orders++
					}
				}
				lines[r.OrderID]++
			}
			acts, err := parquet.ReadFile[ActivityRow](a)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			var orderLines int
			for _, r := range acts {
				count[r.Activity]++
				if r.Activity == ActivityOrder {
					orderLines += int(r.Quantity)
				}
				if r.Activity == ActivitySalesVisit && r.Cost == nil {
					t.Errorf("sales visit without travel cost: %+v", r)
				}
			}
			var wantLines int
			for _, n := range lines {
				wantLines += n
			}
			wantLines -= returns // a return is one line and no order row
			if count[ActivityOrder] != orders || count[ActivityDelivery] != orders || count[ActivityReturn] != returns || orderLines != wantLines {
				t.Errorf("got %d orders (%d lines), %d deliveries, %d returns; want %d orders (%d lines), %d deliveries, %d returns",
					count[ActivityOrder], orderLines, count[ActivityDelivery], count[ActivityReturn], orders, wantLines, orders, returns)
			}
			if count[ActivitySupport] == 0 || count[ActivitySalesVisit] == 0 || count[ActivityMarketingTouch] == 0 {
				t.Errorf("activity counts %v, want some support, sales visits and marketing", count)
			}
			// Support per order: the smallest third of baskets get more than the largest third.
			opt := c.opt
			opt.normalize()
			g := newGenerator(opt)
			small := func(id int64) int {
				x := g.customers[id-1].basketLog
				switch {
				case x < 7.55: // below about 19.00 a line
					return 0
				case x > 8.09: // above about 32.60 a line
					return 2
				}
				return 1
			}
			var support, perOrder [3]float64
			for _, r := range acts {
				switch r.Activity {
				case ActivitySupport:
					support[small(r.CustomerID)]++
				case ActivityOrder:
					perOrder[small(r.CustomerID)]++
				}
			}
			if lo, hi := support[0]/perOrder[0], support[2]/perOrder[2]; !(lo > 2*hi) {
				t.Errorf("support contacts per order: small baskets %.3f, large %.3f; want small > 2 × large", lo, hi)
			}
			// maxRows stops the table there.
			capped := filepath.Join(dir, "capped.parquet")
			if err := WriteActivityFile(capped, c.opt, 100); err != nil {
				t.Fatal(err)
			}
			if rows, _ := parquet.ReadFile[ActivityRow](capped); len(rows) != 100 {
				t.Errorf("maxRows 100 wrote %d rows", len(rows))
			}
		})
	}
}
