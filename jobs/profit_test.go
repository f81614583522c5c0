package jobs

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

// profitTx is a transaction line of the profit fixture, with its cost of goods.
type profitTx struct {
	CustomerID string    `parquet:"customer_id"`
	OrderID    string    `parquet:"order_id"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Amount     int64     `parquet:"amount,decimal(2:18)"`
	Cost       int64     `parquet:"cost,decimal(2:18)"`
}

// activityRow is a row of the activity table fixture.
type activityRow struct {
	CustomerID *string    `parquet:"customer_id,optional"`
	TS         *time.Time `parquet:"ts,optional,timestamp(microsecond)"`
	Activity   *string    `parquet:"activity,optional,dict"`
	Quantity   float64    `parquet:"quantity"`
	Cost       *float64   `parquet:"cost,optional"`
}

func tsp(s string) *time.Time { t := ts(s); return &t }
func f64(x float64) *float64  { return &x }

// profitFixture writes five customers' transactions and activities, as of 2024-03-31:
//
//	customer  revenue  cogs    gross margin  activities (rates: order 2, delivery 5, return 10,
//	                                         support_contact 0.50/min; sales_visit direct cost)
//	a         150.00   90.00   60.00         2 orders, 2 deliveries: 4 + 10 = 14.00
//	b         300.00  150.00  150.00         order, delivery, 30 min support, a 25.00 visit: 47.00
//	c          20.00   12.00    8.00         order, delivery, 45 min support: 29.50
//	d           0.00    0.00    0.00         a purchase returned: order, delivery, return: 17.00
//	e          80.00   40.00   40.00         order 2.00; its delivery is after the as-of day
//
// so profit is a 46.00, b 103.00, c −21.50, d −17.00, e 38.00 (total 148.50). The activity
// table also has three rejected rows (null customer, timestamp, activity) and one row of a
// customer z without transactions: 20 rows, 15 used, 1 after the as-of day, 1 unmatched.
func profitFixture(t *testing.T) (tx, acts string) {
	t.Helper()
	dir := t.TempDir()
	txs := []profitTx{
		{"a", "o1", ts("2024-01-10 10:00"), 10000, 6000},
		{"a", "o2", ts("2024-03-01 10:00"), 5000, 3000},
		{"b", "o3", ts("2024-02-01 10:00"), 30000, 15000},
		{"c", "o4", ts("2024-03-10 10:00"), 2000, 1200},
		{"d", "o5", ts("2024-01-05 10:00"), 4000, 3000},
		{"d", "o6", ts("2024-01-20 10:00"), -4000, -3000},
		{"e", "o7", ts("2024-03-30 10:00"), 8000, 4000},
	}
	tx = filepath.Join(dir, "tx.parquet")
	if err := parquet.WriteFile(tx, txs); err != nil {
		t.Fatal(err)
	}
	row := func(c, when, act string, q float64) activityRow {
		return activityRow{CustomerID: ptr(c), TS: tsp(when), Activity: ptr(act), Quantity: q}
	}
	rows := []activityRow{
		row("a", "2024-01-10 10:00", "order", 1), row("a", "2024-01-10 10:00", "delivery", 1),
		row("a", "2024-03-01 10:00", "order", 1), row("a", "2024-03-01 11:00", "delivery", 1),
		row("b", "2024-02-01 10:00", "order", 1), row("b", "2024-02-02 10:00", "delivery", 1),
		row("b", "2024-02-05 10:00", "support_contact", 30),
		{CustomerID: ptr("b"), TS: tsp("2024-02-06 10:00"), Activity: ptr("sales_visit"), Quantity: 1, Cost: f64(25)},
		row("c", "2024-03-10 10:00", "order", 1), row("c", "2024-03-11 10:00", "delivery", 1),
		row("c", "2024-03-20 10:00", "support_contact", 45),
		row("d", "2024-01-05 10:00", "order", 1), row("d", "2024-01-06 10:00", "delivery", 1),
		row("d", "2024-01-20 10:00", "return", 1),
		row("e", "2024-03-30 10:00", "order", 1), row("e", "2024-04-02 10:00", "delivery", 1),
		{CustomerID: nil, TS: tsp("2024-02-01 10:00"), Activity: ptr("order"), Quantity: 1},
		{CustomerID: ptr("a"), TS: nil, Activity: ptr("order"), Quantity: 1},
		{CustomerID: ptr("a"), TS: tsp("2024-02-01 10:00"), Activity: nil, Quantity: 1},
		row("z", "2024-02-01 10:00", "order", 1),
	}
	acts = filepath.Join(dir, "activities.parquet")
	if err := parquet.WriteFile(acts, rows); err != nil {
		t.Fatal(err)
	}
	return tx, acts
}

// profitConfig is the fixture's configuration: the rates above, tier cuts at 34% and 67% of the
// three profitable customers (⌊0.34·3⌋ = 1 platinum, ⌊0.67·3⌋ = 2: 1 gold, 1 iron).
func profitConfig(engine, tx, acts, out string) *config.Config {
	cfg := &config.Config{Engine: engine}
	cfg.Input.Transactions = tx
	cfg.Input.Columns.Cost = "cost"
	cfg.Output.Dir = out
	share := 0.2
	cfg.Quality.MaxRejectedShare = &share
	off := false
	cfg.Clusters.Enabled, cfg.CLV.Enabled = &off, &off
	cfg.Profit.Activities.Path = acts
	cfg.Profit.Activities.Columns.Cost = "cost"
	cfg.Profit.Rates = map[string]float64{"order": 2, "delivery": 5, "return": 10, "support_contact": 0.5}
	cfg.Tiers.Cuts = []float64{0.34, 0.67}
	return cfg
}

// profitCustomer is the profit part of the customers output.
type profitCustomer struct {
	CustomerID         string   `parquet:"customer_id"`
	Revenue            int64    `parquet:"revenue"`
	CostOfGoods        int64    `parquet:"cost_of_goods"`
	GrossMargin        int64    `parquet:"gross_margin"`
	CostToServe        int64    `parquet:"cost_to_serve"`
	Profit             int64    `parquet:"profit"`
	ProfitMargin       *float64 `parquet:"profit_margin,optional"`
	CostToServeRatio   *float64 `parquet:"cost_to_serve_ratio,optional"`
	ProfitRank         int64    `parquet:"profit_rank"`
	CumProfitShare     *float64 `parquet:"cum_profit_share,optional"`
	Tier               string   `parquet:"tier"`
	TierReason         string   `parquet:"tier_reason"`
	NextTier           *string  `parquet:"next_tier,optional"`
	NextTierGap        int64    `parquet:"next_tier_gap"`
	NextTierRevenueGap int64    `parquet:"next_tier_revenue_gap"`
	DowngradeRisk      int64    `parquet:"downgrade_risk"`
}

type tierOut struct {
	TierRank      int32   `parquet:"tier_rank"`
	Tier          string  `parquet:"tier"`
	Customers     int64   `parquet:"customers"`
	CustomerShare float64 `parquet:"customer_share"`
	Revenue       int64   `parquet:"revenue"`
	GrossMargin   int64   `parquet:"gross_margin"`
	CostToServe   int64   `parquet:"cost_to_serve"`
	Profit        int64   `parquet:"profit"`
	ProfitShare   float64 `parquet:"profit_share"`
}

type costOut struct {
	Grain      string   `parquet:"grain"`
	Tier       string   `parquet:"tier"`
	CustomerID *string  `parquet:"customer_id,optional"`
	Activity   string   `parquet:"activity"`
	Quantity   *float64 `parquet:"quantity,optional"`
	Cost       int64    `parquet:"cost"`
}

type paretoOut struct {
	Curve         string  `parquet:"curve"`
	Metric        string  `parquet:"metric"`
	CustomerShare float64 `parquet:"customer_share"`
	Value         float64 `parquet:"value"`
}

func readTable[T any](t *testing.T, out, table, date string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](filepath.Join(store.PartitionDir(out, table, date), store.DataFile))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestProfitRunHandComputed checks the profit columns, tiers, cost-to-serve and whale rows
// against the hand computation of profitFixture, on both engines.
func TestProfitRunHandComputed(t *testing.T) {
	tx, acts := profitFixture(t)
	type want struct {
		revenue, cogs, gm, cts, profit int64
		rank                           int64
		tier, next                     string
		gap, revenueGap, risk          int64
		reason                         string
	}
	// Gaps: e (iron, 38.00) must beat a (46.00, smaller id): 46.01; a (gold) reaches b's
	// 103.00 ahead of b by id. At e's margin 40/80 the 8.01 takes ⌈8.01/0.5⌉ = 16.02 of
	// revenue; a's 57.00 at 60/150 takes 142.50. Lead customers need break-even, where they
	// would rank 4th of 4 (caps ⌊0.34·4⌋ = 1, ⌊0.67·4⌋ = 2): iron; c's 21.50 at 8/20 takes
	// 53.75 of revenue, d has no margin rate (revenue 0). Risks: b stays platinum
	// while ahead of a (46.01, larger id), a gold while ahead of e (38.00), e iron down to 0.
	wants := map[string]want{
		"a": {15000, 9000, 6000, 1400, 4600, 2, "gold", "platinum", 5700, 14250, 800, "profit 46.00 ranks in the top 66.7% (gold ≤ 67%)"},
		"b": {30000, 15000, 15000, 4700, 10300, 1, "platinum", "", 0, 0, 5699, "profit 103.00 ranks in the top 33.3% (platinum ≤ 34%)"},
		"c": {2000, 1200, 800, 2950, -2150, 5, "lead", "iron", 2150, 5375, 0, "profit -21.50 is below break-even (lead: profit < 0)"},
		"d": {0, 0, 0, 1700, -1700, 4, "lead", "iron", 1700, 0, 0, "profit -17.00 is below break-even (lead: profit < 0)"},
		"e": {8000, 4000, 4000, 200, 3800, 3, "iron", "gold", 801, 1602, 3800, "profit 38.00 ranks in the top 100.0% (iron: below the top 67%)"},
	}
	for _, eng := range []string{"native", "duckdb"} {
		t.Run(eng, func(t *testing.T) {
			out := t.TempDir()
			m, err := Run(context.Background(), profitConfig(eng, tx, acts, out), "2024-03-31", RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			custs := readTable[profitCustomer](t, out, outputs.TableCustomers, "2024-03-31")
			if len(custs) != len(wants) {
				t.Fatalf("got %d customers, want %d", len(custs), len(wants))
			}
			for _, c := range custs {
				w := wants[c.CustomerID]
				got := want{c.Revenue, c.CostOfGoods, c.GrossMargin, c.CostToServe, c.Profit, c.ProfitRank, c.Tier, deref(c.NextTier), c.NextTierGap, c.NextTierRevenueGap, c.DowngradeRisk, c.TierReason}
				if got != w {
					t.Errorf("customer %s:\n got %+v\nwant %+v", c.CustomerID, got, w)
				}
				if c.Revenue > 0 {
					if pm := float64(w.profit) / float64(w.revenue); c.ProfitMargin == nil || math.Abs(*c.ProfitMargin-pm) > 1e-12 {
						t.Errorf("customer %s: profit_margin = %v, want %v", c.CustomerID, c.ProfitMargin, pm)
					}
				} else if c.ProfitMargin != nil || c.CostToServeRatio != nil {
					t.Errorf("customer %s: margin %v, ratio %v; want null for revenue 0", c.CustomerID, c.ProfitMargin, c.CostToServeRatio)
				}
			}

			// The tier table: the pyramid, and its sums equal the customer sums to the cent.
			tiers := readTable[tierOut](t, out, outputs.TableTiers, "2024-03-31")
			wantTiers := []tierOut{
				{1, "platinum", 1, 0.2, 30000, 15000, 4700, 10300, 10300.0 / 14850},
				{2, "gold", 1, 0.2, 15000, 6000, 1400, 4600, 4600.0 / 14850},
				{3, "iron", 1, 0.2, 8000, 4000, 200, 3800, 3800.0 / 14850},
				{4, "lead", 2, 0.4, 2000, 800, 4650, -3850, -3850.0 / 14850},
			}
			if len(tiers) != len(wantTiers) {
				t.Fatalf("got %d tiers, want %d", len(tiers), len(wantTiers))
			}
			var sum [5]int64
			for k, tr := range tiers {
				w := wantTiers[k]
				if tr.TierRank != w.TierRank || tr.Tier != w.Tier || tr.Customers != w.Customers || tr.Revenue != w.Revenue ||
					tr.GrossMargin != w.GrossMargin || tr.CostToServe != w.CostToServe || tr.Profit != w.Profit ||
					math.Abs(tr.CustomerShare-w.CustomerShare) > 1e-12 || math.Abs(tr.ProfitShare-w.ProfitShare) > 1e-12 {
					t.Errorf("tier %d: got %+v, want %+v", k, tr, w)
				}
				for j, x := range []int64{tr.Customers, tr.Revenue, tr.GrossMargin, tr.CostToServe, tr.Profit} {
					sum[j] += x
				}
			}
			var custSum [5]int64
			for _, c := range custs {
				for j, x := range []int64{1, c.Revenue, c.GrossMargin, c.CostToServe, c.Profit} {
					custSum[j] += x
				}
			}
			if sum != custSum {
				t.Errorf("tier sums (customers, revenue, margin, cost to serve, profit) = %v, customer sums %v", sum, custSum)
			}

			// Cost to serve: 13 customer × activity rows with a cost, 4 tiers × 5 activities.
			costs := readTable[costOut](t, out, outputs.TableCostToServe, "2024-03-31")
			var tierRows, custRows int
			var visit *costOut
			for i, c := range costs {
				switch c.Grain {
				case "tier":
					tierRows++
				case "customer":
					custRows++
					if deref(c.CustomerID) == "b" && c.Activity == "sales_visit" {
						visit = &costs[i]
					}
				}
			}
			if tierRows != 20 || custRows != 13 {
				t.Errorf("cost_to_serve rows: %d tier, %d customer; want 20 and 13", tierRows, custRows)
			}
			if visit == nil || visit.Cost != 2500 || visit.Quantity != nil || visit.Tier != "platinum" {
				t.Errorf("b's sales visit = %+v, want cost 2500, null quantity (direct cost only), tier platinum", visit)
			}
			// Each tier row is the sum of its tier's customer rows, cost and quantity; a
			// customer row carries its customer's tier.
			type cell struct{ tier, activity string }
			tierCost, custCost := map[cell]int64{}, map[cell]int64{}
			tierQty, custQty := map[cell]float64{}, map[cell]float64{}
			for _, c := range costs {
				k := cell{c.Tier, c.Activity}
				switch c.Grain {
				case "tier":
					tierCost[k] += c.Cost
					if c.Quantity != nil {
						tierQty[k] += *c.Quantity
					}
				case "customer":
					custCost[k] += c.Cost
					if c.Quantity != nil {
						custQty[k] += *c.Quantity
					}
					if want := wants[deref(c.CustomerID)].tier; c.Tier != want {
						t.Errorf("cost_to_serve row of %s says tier %s, customers says %s", deref(c.CustomerID), c.Tier, want)
					}
				}
			}
			for k, c := range tierCost {
				if custCost[k] != c || math.Abs(custQty[k]-tierQty[k]) > 1e-9 {
					t.Errorf("%v: tier row cost %d quantity %v, customer rows sum to %d and %v", k, c, tierQty[k], custCost[k], custQty[k])
				}
			}

			// The whale curve: b, a, e make 187.00 of 148.50 (3 of 5 customers), d and c destroy
			// 38.50.
			metrics := map[string]paretoOut{}
			whale := 0
			for _, r := range readTable[paretoOut](t, out, outputs.TablePareto, "2024-03-31") {
				if r.Curve == "whale" {
					whale++
				}
				metrics[r.Metric] = r
			}
			for _, c := range []struct {
				metric string
				x, y   float64
			}{
				{"whale_peak_customer_share", 0.6, 0.6},
				{"whale_peak_profit_share", 0.6, 187 / 148.5},
				{"profit_destroyed", 0, 38.5},
				{"total_profit", 0, 148.5},
			} {
				r := metrics[c.metric]
				if math.Abs(r.CustomerShare-c.x) > 1e-12 || math.Abs(r.Value-c.y) > 1e-12 {
					t.Errorf("pareto %s = (%v, %v), want (%v, %v)", c.metric, r.CustomerShare, r.Value, c.x, c.y)
				}
			}
			if whale != 101 {
				t.Errorf("got %d whale rows, want 101", whale)
			}

			// Every activity row accounted for in the manifest.
			note := "profit: activity table: 20 rows read, 15 used, 1 after the as-of day, 0 before the window, 1 of customers without transactions in the window (not attributed), 3 rejected (null_activity: 1, null_customer_id: 1, null_timestamp: 1)"
			if !slices.Contains(m.Warnings, note) {
				t.Errorf("manifest warnings = %q, want one %q", m.Warnings, note)
			}
		})
	}
}
