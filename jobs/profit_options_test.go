package jobs

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestProfitRunErrors checks the errors of the profit view: unknown activities listed,
// rejected activity rows over the quality limit, activity columns of the wrong type, a
// corrupt activity file.
func TestProfitRunErrors(t *testing.T) {
	tx, acts := profitFixture(t)
	dir := t.TempDir()
	badType := filepath.Join(dir, "bad.parquet")
	type badRow struct {
		CustomerID string    `parquet:"customer_id"`
		TS         time.Time `parquet:"ts,timestamp(microsecond)"`
		Activity   string    `parquet:"activity"`
		Quantity   string    `parquet:"quantity"`
	}
	if err := parquet.WriteFile(badType, []badRow{{"a", ts("2024-01-01 00:00"), "order", "one"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(acts)
	if err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.parquet")
	if err := os.WriteFile(short, inputtest.OneRowShort(t, data), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		edit   func(*config.Config)
		target error
		want   []string
	}{
		{"unknown activities listed", func(c *config.Config) { delete(c.Profit.Rates, "return"); delete(c.Profit.Rates, "support_contact") },
			ErrConfig, []string{`"return", "support_contact"`, "profit.ignore_unknown_activities"}},
		{"rejected rows over the limit", func(c *config.Config) { s := 0.1; c.Quality.MaxRejectedShare = &s },
			ErrInput, []string{"3 of 20 rows rejected", "null_activity: 1, null_customer_id: 1, null_timestamp: 1", "activities.parquet row 16: null_customer_id"}},
		{"quantity of the wrong type", func(c *config.Config) { c.Profit.Activities.Path = badType; c.Profit.Activities.Columns.Cost = "" },
			ErrInput, []string{"bad.parquet", `column "quantity" (role quantity) is STRING`}},
		{"a chunk with more values than its row group's rows", func(c *config.Config) { c.Profit.Activities.Path = short },
			ErrInput, []string{"short.parquet", "more values than the row group's 19 rows"}},
		{"missing activity file", func(c *config.Config) { c.Profit.Activities.Path = filepath.Join(dir, "none-*.parquet") },
			ErrInputMissing, []string{"profit.activities.path"}},
		{"bad tier cuts", func(c *config.Config) { c.Tiers.Cuts = []float64{0.5} },
			ErrConfig, []string{"tiers.cuts is [0.5], want 2 cuts, one fewer than the 3 ranked tiers"}},
		{"bad rate", func(c *config.Config) { c.Profit.Rates["order"] = -1 },
			ErrConfig, []string{"profit.rates.order is -1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := profitConfig("native", tx, acts, t.TempDir())
			c.edit(cfg)
			_, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{})
			if !errors.Is(err, c.target) {
				t.Fatalf("got error %v, want %v", err, c.target)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestProfitRunOptions checks ignored activities, the lookback window, order cost without an
// activity table, a default margin rate, and turning the view off.
func TestProfitRunOptions(t *testing.T) {
	tx, acts := profitFixture(t)
	for _, c := range []struct {
		name string
		edit func(*config.Config)
		// wantProfit maps customers to profit; wantNote is a manifest warning.
		wantProfit map[string]int64
		wantNote   string
	}{
		{"ignored activities are not costed", func(c *config.Config) {
			delete(c.Profit.Rates, "support_contact")
			c.Profit.IgnoreUnknownActivities = true
		}, map[string]int64{"b": 15000 - 4700 + 1500, "c": 800 - 700}, "profit: activities without a rate not costed: support_contact"},
		// A 30-day window, 2024-03-02 … 03-31, keeps the transactions of c and e only, and
		// the activity rows of c (3) and e's order; the other 12 dated rows are before it.
		{"lookback window", func(c *config.Config) { c.Window.Lookback = "30d" },
			map[string]int64{"c": -2150, "e": 3800},
			"profit: activity table: 20 rows read, 4 used, 1 after the as-of day, 12 before the window, 0 of customers without transactions in the window (not attributed), 3 rejected (null_activity: 1, null_customer_id: 1, null_timestamp: 1)"},
		{"order cost without an activity table", func(c *config.Config) {
			c.Profit.Activities = config.ActivityConfig{}
			c.Profit.OrderCost = 1.25
		}, map[string]int64{"a": 6000 - 250, "d": -250}, ""},
		{"default margin rate without a cost column", func(c *config.Config) {
			c.Input.Columns.Cost = ""
			m := 0.25
			c.Profit.MarginRate = &m
			c.Profit.Activities = config.ActivityConfig{}
		}, map[string]int64{"a": 3750, "b": 7500}, "profit: no cost column; cost of goods from profit.margin_rate 0.25"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			cfg := profitConfig("native", tx, acts, out)
			c.edit(cfg)
			m, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, cu := range readTable[profitCustomer](t, out, outputs.TableCustomers, "2024-03-31") {
				got[cu.CustomerID] = cu.Profit
			}
			for id, w := range c.wantProfit {
				if got[id] != w {
					t.Errorf("customer %s: profit %d, want %d", id, got[id], w)
				}
			}
			if c.wantNote != "" && !slices.Contains(m.Warnings, c.wantNote) {
				t.Errorf("warnings = %q, want %q", m.Warnings, c.wantNote)
			}
		})
	}
	t.Run("tier rows of cost to serve only", func(t *testing.T) {
		out := t.TempDir()
		cfg := profitConfig("native", tx, acts, out)
		off := false
		cfg.Profit.CustomerCostToServe = &off
		if _, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{}); err != nil {
			t.Fatal(err)
		}
		costs := readTable[costOut](t, out, outputs.TableCostToServe, "2024-03-31")
		var perTier int64
		for _, c := range costs {
			if c.Grain != "tier" {
				t.Errorf("row %+v with profit.customer_cost_to_serve false, want tier rows only", c)
			}
			perTier += c.Cost
		}
		if len(costs) != 20 || perTier != 1400+4700+2950+1700+200 {
			t.Errorf("got %d rows costing %d, want 20 (4 tiers × 5 activities) costing 10950", len(costs), perTier)
		}
	})
	t.Run("off", func(t *testing.T) {
		out := t.TempDir()
		cfg := profitConfig("native", tx, acts, out)
		off := false
		cfg.Profit.Enabled = &off
		m, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range m.Outputs {
			if o.Table == outputs.TableTiers || o.Table == outputs.TableCostToServe {
				t.Errorf("profit off wrote table %s", o.Table)
			}
		}
	})
}

// TestProfitRunGenerated runs the profit view on generated integer-id data with its activity
// table (the demo's shape) on both engines: every activity row up to the as-of day is
// attributed (each belongs to a customer with transactions), and the cost-to-serve table's tier rows add
// up to the customers' cost to serve to the cent.
func TestProfitRunGenerated(t *testing.T) {
	dir := t.TempDir()
	opt := gen.Options{Customers: 300, Transactions: 6000, Seed: 9, Days: 200}
	tx, acts := filepath.Join(dir, "tx.parquet"), filepath.Join(dir, "acts.parquet")
	if err := gen.WriteFile(tx, opt); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteActivityFile(acts, opt, 0); err != nil {
		t.Fatal(err)
	}
	for _, eng := range []string{"native", "duckdb"} {
		t.Run(eng, func(t *testing.T) {
			out := t.TempDir()
			cfg := profitConfig(eng, tx, acts, out)
			cfg.Profit.Rates = map[string]float64{gen.ActivityOrder: 0.5, gen.ActivityDelivery: 7, gen.ActivityReturn: 15,
				gen.ActivitySupport: 2, gen.ActivitySalesVisit: 60, gen.ActivityMarketingTouch: 2.5}
			cfg.Tiers.Cuts = nil
			m, err := Run(context.Background(), cfg, opt.End(), RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var note string
			for _, w := range m.Warnings {
				if strings.HasPrefix(w, "profit: activity table:") {
					note = w
				}
			}
			// Deliveries and support after the last orders fall after the as-of day; nothing else
			// is left out.
			if !strings.Contains(note, "after the as-of day, 0 before the window, 0 of customers without transactions in the window (not attributed), 0 rejected") {
				t.Errorf("activity accounting %q, want every row used or after the as-of day", note)
			}
			var custCost, tierCost, reasonsFrom int64
			for _, c := range readTable[profitCustomer](t, out, outputs.TableCustomers, opt.End()) {
				custCost += c.CostToServe
				if c.TierReason >= "profit 1" {
					reasonsFrom++
				}
			}
			// tier_reason is written without page bounds; DuckDB must still filter on it.
			db, err := sql.Open("duckdb", "")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n int64
			path := filepath.Join(store.PartitionDir(out, outputs.TableCustomers, opt.End()), store.DataFile)
			if err := db.QueryRow(`SELECT count(*) FROM read_parquet($1) WHERE tier_reason >= 'profit 1'`, path).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != reasonsFrom || n == 0 {
				t.Errorf("DuckDB counts %d reasons from 'profit 1', Go %d; want equal and > 0", n, reasonsFrom)
			}
			for _, c := range readTable[costOut](t, out, outputs.TableCostToServe, opt.End()) {
				if c.Grain == "tier" {
					tierCost += c.Cost
				}
			}
			if custCost == 0 || custCost != tierCost {
				t.Errorf("cost to serve: customers %d, tier rows %d; want equal and > 0", custCost, tierCost)
			}
		})
	}
}
