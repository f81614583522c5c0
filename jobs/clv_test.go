package jobs

import (
	"context"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	pq "github.com/rfmjob/rfm/jobs/parquetio"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

type predictedRow struct {
	CustomerID       string   `parquet:"customer_id"`
	Tier             string   `parquet:"tier"`
	CLVRank          *int64   `parquet:"clv_rank,optional"`
	PredictedTier    *string  `parquet:"predicted_tier,optional"`
	UpgradePotential bool     `parquet:"upgrade_potential"`
	CLV              *float64 `parquet:"clv,optional"`
}

// TestUpgradePotential checks the predicted tiers against their definition: ranked by CLV,
// customers fill today's tiers in order with today's tier sizes, and upgrade_potential marks
// exactly the customers whose predicted tier is above their current one.
func TestUpgradePotential(t *testing.T) {
	cfg := demoConfig(t, generatedInput(t, gen.Options{Customers: 500, Transactions: 9000, Seed: 4, Days: 365}), t.TempDir())
	if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[predictedRow](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableCustomers, "2023-12-31"), store.DataFile))
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{"platinum": 0, "gold": 1, "iron": 2, "lead": 3}
	size, predicted := map[string]int{}, map[string]int{}
	byCLV := make([]predictedRow, len(rows)+1)
	upgrades := 0
	for _, r := range rows {
		size[r.Tier]++
		if r.CLVRank == nil {
			if r.PredictedTier != nil || r.UpgradePotential {
				t.Errorf("%s has no purchase but a predicted tier", r.CustomerID)
			}
			continue
		}
		byCLV[*r.CLVRank] = r
		predicted[*r.PredictedTier]++
		if want := rank[*r.PredictedTier] < rank[r.Tier]; r.UpgradePotential != want {
			t.Errorf("%s: tier %s, predicted %s, upgrade_potential %v", r.CustomerID, r.Tier, *r.PredictedTier, r.UpgradePotential)
		}
		if r.UpgradePotential {
			upgrades++
		}
	}
	for k := 2; k < len(byCLV) && byCLV[k].CLV != nil; k++ {
		if rank[*byCLV[k].PredictedTier] < rank[*byCLV[k-1].PredictedTier] || *byCLV[k].CLV > *byCLV[k-1].CLV {
			t.Fatalf("clv rank %d (%s, %.2f) is predicted above rank %d (%s, %.2f)", k, *byCLV[k].PredictedTier, *byCLV[k].CLV, k-1, *byCLV[k-1].PredictedTier, *byCLV[k-1].CLV)
		}
	}
	for _, tier := range []string{"platinum", "gold"} {
		if predicted[tier] != size[tier] {
			t.Errorf("%d customers predicted %s, want today's %d", predicted[tier], tier, size[tier])
		}
	}
	if upgrades == 0 {
		t.Error("no customer has upgrade potential in a data set with lapsing and growing customers")
	}
}

type churnRow struct {
	CustomerID string     `parquet:"customer_id"`
	AsOf       time.Time  `parquet:"as_of,date"`
	Frequency  int64      `parquet:"frequency"`
	PAlive     *float64   `parquet:"p_alive,optional"`
	Risk       *float64   `parquet:"churn_risk,optional"`
	Band       *string    `parquet:"churn_band,optional"`
	Next       *time.Time `parquet:"expected_next_order_date,optional,date"`
}

// TestChurnColumns: with BG/NBD every customer with a purchase has a churn risk in [0, 1] and
// its band; a next-order date after the as-of day exactly when P(alive) ≥ 1/2; customers
// without a purchase have none of them. With Pareto/NBD the columns are left out, with a note.
func TestChurnColumns(t *testing.T) {
	in := generatedInput(t, smallDemo)
	out := t.TempDir()
	cfg := demoConfig(t, in, out)
	cfg.CLV.MinBuyers = new(int) // 300 customers: below the default gate
	if _, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[churnRow](store.TablePath(out, outputs.TableCustomers, "2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	bands := map[string]int{}
	for _, r := range rows {
		if r.Frequency == 0 {
			if r.Risk != nil || r.Band != nil || r.Next != nil {
				t.Errorf("%s has no purchase but churn %v %v %v", r.CustomerID, r.Risk, r.Band, r.Next)
			}
			continue
		}
		if r.Risk == nil || !(*r.Risk >= 0 && *r.Risk <= 1) || r.Band == nil || *r.Band != clv.ChurnBand(*r.Risk) {
			t.Fatalf("%s: churn risk %v, band %v", r.CustomerID, r.Risk, r.Band)
		}
		bands[*r.Band]++
		if likely := *r.PAlive >= 0.5; likely != (r.Next != nil) || (r.Next != nil && !r.Next.After(r.AsOf)) {
			t.Errorf("%s: P(alive) %v, next order %v (as of %v)", r.CustomerID, *r.PAlive, r.Next, r.AsOf)
		}
	}
	if len(bands) < 2 {
		t.Errorf("bands %v: the demo should have customers in more than one band", bands)
	}
	cfg = demoConfig(t, in, t.TempDir())
	cfg.CLV.Model = "pareto_nbd"
	cfg.CLV.MinBuyers = new(int)
	m, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(m.Warnings, func(w string) bool { return strings.Contains(w, "need clv.model bgnbd") }) {
		t.Errorf("Pareto/NBD run: warnings %q, want the churn note", m.Warnings)
	}
	tb, err := pq.ReadTable(store.TablePath(cfg.Output.Dir, outputs.TableCustomers, "2024-06-30"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"churn_risk", "churn_band", "expected_next_order_date"} {
		if _, ok := tb.Col(name); ok {
			t.Errorf("Pareto/NBD run wrote %s", name)
		}
	}
	if _, ok := tb.Col("p_alive"); !ok {
		t.Error("Pareto/NBD run wrote no p_alive: the check above proves nothing")
	}
}

// TestCLVGate: with the default gate (500 buyers, 180 days), a 300-customer history fits no
// model: no CLV columns or table, and a manifest warning that says which bound failed; with the
// bound lowered the same history is fitted.
func TestCLVGate(t *testing.T) {
	in := generatedInput(t, smallDemo)
	cfg := demoConfig(t, in, t.TempDir())
	m, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Output(outputs.TableCLV); ok {
		t.Error("a gated run wrote the clv table")
	}
	if !slices.ContainsFunc(m.Warnings, func(w string) bool {
		return strings.Contains(w, "clv skipped: clv: too little data to fit:") && strings.Contains(w, "fewer than 500") && strings.Contains(w, "clv.min_buyers 500")
	}) {
		t.Errorf("warnings %q, want the gate's", m.Warnings)
	}
	tb, err := pq.ReadTable(store.TablePath(cfg.Output.Dir, outputs.TableCustomers, "2024-06-30"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tb.Col("clv"); ok {
		t.Error("a gated run wrote the clv column")
	}
	lower := 100
	cfg = demoConfig(t, in, t.TempDir())
	cfg.CLV.MinBuyers = &lower
	if m, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	} else if _, ok := m.Output(outputs.TableCLV); !ok {
		t.Errorf("with clv.min_buyers 100 the run wrote no clv table (warnings %q)", m.Warnings)
	}
}

type periodRow struct {
	CustomerID string    `parquet:"customer_id"`
	AsOf       time.Time `parquet:"as_of,date"`
	Period     time.Time `parquet:"period,date"`
	Purchases  float64   `parquet:"expected_purchases"`
	CLV        float64   `parquet:"clv"`
}

type customerCLV struct {
	CustomerID string   `parquet:"customer_id"`
	Purchases  *float64 `parquet:"expected_purchases,optional"`
	CLV        *float64 `parquet:"clv,optional"`
}

// TestCLVPeriods: clv_periods holds 12 months for every customer with a CLV, starting the day
// after the as-of day and about a month apart, and each customer's months sum to the customers
// table's clv to the cent and to its expected_purchases (to 1e-9).
func TestCLVPeriods(t *testing.T) {
	in := generatedInput(t, smallDemo)
	cfg := demoConfig(t, in, t.TempDir())
	cfg.CLV.MinBuyers = new(int)
	cfg.CLV.AnnualDiscountRate = 0.1
	on := true
	cfg.CLV.Periods = &on
	if _, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	periods, err := parquet.ReadFile[periodRow](store.TablePath(cfg.Output.Dir, outputs.TableCLVPeriods, "2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	customers, err := parquet.ReadFile[customerCLV](store.TablePath(cfg.Output.Dir, outputs.TableCustomers, "2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	type sums struct {
		months       int
		purchases, v float64
		first, last  time.Time
	}
	by := map[string]*sums{}
	for _, p := range periods {
		s := by[p.CustomerID]
		if s == nil {
			s = &sums{first: p.Period}
			by[p.CustomerID] = s
		}
		s.months++
		s.purchases += p.Purchases
		s.v += p.CLV
		s.last = p.Period
	}
	withCLV := 0
	for _, c := range customers {
		s := by[c.CustomerID]
		if c.CLV == nil {
			if s != nil {
				t.Errorf("%s has no clv but %d months", c.CustomerID, s.months)
			}
			continue
		}
		withCLV++
		if s == nil || s.months != 12 {
			t.Fatalf("%s: months %+v, want 12", c.CustomerID, s)
		}
		if math.Abs(s.v-*c.CLV) >= 0.005 || math.Abs(s.purchases-*c.Purchases) > 1e-9 {
			t.Errorf("%s: months sum to %.6f value and %.9f purchases; customers has %.6f and %.9f", c.CustomerID, s.v, s.purchases, *c.CLV, *c.Purchases)
		}
		if want := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC); !s.first.Equal(want) || s.last.Sub(s.first).Hours()/24 != 335 {
			t.Errorf("%s: months from %v to %v, want from 2024-07-01 to 335 days later", c.CustomerID, s.first, s.last)
		}
	}
	if withCLV == 0 {
		t.Fatal("no customer with a clv: the checks above prove nothing")
	}
}

// TestCLVIntervalColumns: every customer with a CLV has expected_purchases_lo ≤
// expected_purchases ≤ _hi and clv_lo ≤ clv ≤ clv_hi; clv.intervals: false leaves the four
// columns out.
func TestCLVIntervalColumns(t *testing.T) {
	in := generatedInput(t, smallDemo)
	for _, on := range []bool{true, false} {
		cfg := demoConfig(t, in, t.TempDir())
		cfg.CLV.MinBuyers = new(int)
		cfg.CLV.Intervals = &on
		if _, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{}); err != nil {
			t.Fatal(err)
		}
		tb, err := pq.ReadTable(store.TablePath(cfg.Output.Dir, outputs.TableCustomers, "2024-06-30"), nil)
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string]*pq.Col{}
		for _, name := range []string{"expected_purchases", "expected_purchases_lo", "expected_purchases_hi", "clv", "clv_lo", "clv_hi"} {
			if c, ok := tb.Col(name); ok {
				cols[name] = c
			}
		}
		if !on {
			if len(cols) != 2 {
				t.Errorf("intervals off: columns %v, want only expected_purchases and clv", slices.Sorted(maps.Keys(cols)))
			}
			continue
		}
		if len(cols) != 6 {
			t.Fatalf("intervals on: columns %v", slices.Sorted(maps.Keys(cols)))
		}
		checked := 0
		for i := range tb.Rows {
			if !cols["clv"].Valid[i] {
				continue
			}
			checked++
			for _, v := range []string{"expected_purchases", "clv"} {
				lo, x, hi := cols[v+"_lo"].Floats[i], cols[v].Floats[i], cols[v+"_hi"].Floats[i]
				if !(lo <= x && x <= hi) || (x > 0 && !(lo < x && x < hi)) {
					t.Fatalf("row %d: %s %v outside [%v, %v]", i, v, x, lo, hi)
				}
			}
		}
		if checked == 0 {
			t.Fatal("no customer with a CLV")
		}
	}
}

// TestCLVPeriodSumsBySegmentAndTier: the clv table's segment_period_* and tier_period_* rows sum,
// over the months, to the customers table's clv and expected_purchases of each segment and of
// each tier, and start on the months of clv_periods.
func TestCLVPeriodSumsBySegmentAndTier(t *testing.T) {
	in := generatedInput(t, smallDemo)
	cfg := demoConfig(t, in, t.TempDir())
	cfg.CLV.MinBuyers = new(int)
	cfg.CLV.AnnualDiscountRate = 0.1
	if _, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	type longRow struct {
		Section string  `parquet:"section"`
		Name    string  `parquet:"name"`
		Label   *string `parquet:"label,optional"`
		Index   int64   `parquet:"index"`
		Value   float64 `parquet:"value"`
	}
	rows, err := parquet.ReadFile[longRow](store.TablePath(cfg.Output.Dir, outputs.TableCLV, "2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	type customerGroup struct {
		Segment   string   `parquet:"segment"`
		Tier      *string  `parquet:"tier,optional"`
		Purchases *float64 `parquet:"expected_purchases,optional"`
		CLV       *float64 `parquet:"clv,optional"`
	}
	customers, err := parquet.ReadFile[customerGroup](store.TablePath(cfg.Output.Dir, outputs.TableCustomers, "2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{} // grain/name/purchases|clv → total
	for _, c := range customers {
		if c.CLV == nil {
			continue
		}
		want["segment/"+c.Segment+"/clv"] += *c.CLV
		want["segment/"+c.Segment+"/purchases"] += *c.Purchases
		if c.Tier != nil {
			want["tier/"+*c.Tier+"/clv"] += *c.CLV
			want["tier/"+*c.Tier+"/purchases"] += *c.Purchases
		}
	}
	got := map[string]float64{}
	months := map[string]int{}
	for _, r := range rows {
		grain, what, ok := strings.Cut(r.Section, "_period_")
		if !ok {
			continue
		}
		key := grain + "/" + r.Name + "/" + what
		got[key] += r.Value
		months[key]++
		if r.Index == 0 && (r.Label == nil || *r.Label != "2024-07-01") {
			t.Errorf("%s: month 0 labelled %v, want 2024-07-01", key, r.Label)
		}
	}
	tiers := 0
	for key, w := range want {
		if strings.HasPrefix(key, "tier/") {
			tiers++
		}
		if months[key] != 12 || math.Abs(got[key]-w) > 1e-6*math.Max(1, math.Abs(w)) {
			t.Errorf("%s: %d months summing to %.6f, want 12 summing to %.6f", key, months[key], got[key], w)
		}
	}
	if len(want) == 0 || tiers == 0 {
		t.Fatalf("%d groups with a clv (%d of tiers): the checks above prove nothing", len(want), tiers)
	}
}
