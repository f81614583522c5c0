package jobs

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/outputs"
)

type stringTx struct {
	CustomerID string `parquet:"customer_id,dict"`
	OrderID    string `parquet:"order_id"`
	TS         string `parquet:"ts"`
	Amount     int64  `parquet:"amount,decimal(2:18)"`
}

type stringActivity struct {
	CustomerID string `parquet:"customer_id,dict"`
	TS         string `parquet:"ts"`
	Activity   string `parquet:"activity,dict"`
	Quantity   int64  `parquet:"quantity"`
	Cost       *int64 `parquet:"cost,optional,decimal(2:18)"`
}

// TestActivityDaysMatchTransactions reads an activity table with ISO-8601 string timestamps in
// America/New_York across a DST change: its rows fall inside or after the as-of day exactly as
// transactions with the same timestamps do (one reader, one parser, one zone rule), with
// dictionary-encoded ids and a DECIMAL direct cost. Costs by hand: a 2 min × 3.00 = 6.00 (the
// 5-minute contact at 00:00 EDT on 03-11 is after the as-of day); c 1 delivery × 9.00 + 1.25.
func TestActivityDaysMatchTransactions(t *testing.T) {
	dir := t.TempDir()
	tx := []stringTx{
		{"a", "o1", "2024-03-10 03:30:00Z", 1000},     // 22:30 EST on 03-09
		{"b", "o2", "2024-03-11T04:30:00Z", 1000},     // 00:30 EDT on 03-11: after the as-of day
		{"c", "o3", "2024-03-10 12:00:00+01:00", 500}, // 07:00 EDT on 03-10
	}
	cost := int64(125)
	acts := []stringActivity{
		{"a", "2024-03-11T03:59:59Z", "support_contact", 2, nil}, // 23:59:59 EDT on 03-10
		{"a", "2024-03-11T04:00:00Z", "support_contact", 5, nil}, // 00:00 EDT on 03-11: after
		{"c", "2024-03-10 12:00:00+01:00", "delivery", 1, &cost},
	}
	txPath, actPath := filepath.Join(dir, "tx.parquet"), filepath.Join(dir, "acts.parquet")
	if err := parquet.WriteFile(txPath, tx); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(actPath, acts); err != nil {
		t.Fatal(err)
	}
	for _, eng := range []string{"native", "duckdb"} {
		t.Run(eng, func(t *testing.T) {
			cfg := profitConfig(eng, txPath, actPath, filepath.Join(dir, "out-"+eng))
			cfg.Input.Columns.Cost = ""
			cfg.Window.Timezone = "America/New_York"
			cfg.Profit.Rates = map[string]float64{"support_contact": 3, "delivery": 9}
			m, err := Run(context.Background(), cfg, "2024-03-10", RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Rows.AfterAsOf != 1 || m.Customers != 2 {
				t.Errorf("transactions: %d after the as-of day, %d customers; want 1 and 2", m.Rows.AfterAsOf, m.Customers)
			}
			want := map[string]int64{"a": 600, "c": 1025}
			for _, c := range readTable[profitCustomer](t, cfg.Output.Dir, outputs.TableCustomers, "2024-03-10") {
				if c.CostToServe != want[c.CustomerID] {
					t.Errorf("%s: cost to serve %d, want %d", c.CustomerID, c.CostToServe, want[c.CustomerID])
				}
			}
		})
	}
}
