package tier

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
)

// tol is the float tolerance for shares and means: every expected value is a ratio of small
// integers computed by hand, so only float64 rounding separates them.
const tol = 1e-12

// fixture is the hand-worked example of these tests: twelve customers (cents) whose profits,
// ranked, are
//
//	rank  1    2    3    4    5    6   7   8   9  10  11   12
//	id    a    b    c    d    e    f   g   h   i   j   l    k
//	      5000 3000 2000 2000 1000 800 500 100 0   0   −50  −200
//
// Each has cost to serve 500 (one activity), gross margin profit+500 and revenue
// 2·(profit+500)+1000, so a gap g needs ⌈g·revenue/gross margin⌉ more revenue.
func fixture() (*feature.Table, *profit.Result, []int32) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	prof := []int64{5000, 3000, 2000, 2000, 1000, 800, 500, 100, 0, 0, -200, -50}
	freq := []int64{5, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1}
	recency := []int32{10, 20, 30, 100, 100, 100, 100, 100, 100, 100, 50, -1}
	n := len(ids)
	t := &feature.Table{MoneyScale: 2}
	t.Grow(n)
	copy(t.CustomerID, ids)
	copy(t.Frequency, freq)
	p := &profit.Result{Activities: []string{"handling"}, Profit: prof, ActivityCost: [][]int64{make([]int64, n)},
		Revenue: make([]int64, n), GrossMargin: make([]int64, n), CostToServe: make([]int64, n)}
	for i, v := range prof {
		p.GrossMargin[i] = v + 500
		p.Revenue[i] = 2*(v+500) + 1000
		p.CostToServe[i], p.ActivityCost[0][i] = 500, 500
		t.Monetary[i] = p.Revenue[i]
	}
	return t, p, recency
}

// want is one customer's expected assignment.
type want struct {
	tier, next string
	gap, risk  int64
}

func TestAssignHandFixture(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want map[string]want
	}{
		{"share", Config{ShareCuts: []float64{0.10, 0.30}}, map[string]want{
			// m = 10 profitable → platinum holds rank 1, gold ranks 2–3.
			"a": {"platinum", "", 0, 2000},        // at 3000 it still ties b ahead by id
			"b": {"gold", "platinum", 2001, 1000}, // must pass a (5000, smaller id): 5001
			"c": {"gold", "platinum", 3001, 0},    // ahead of d only by id
			"d": {"iron", "gold", 1, 2000},        // 2001 passes c; iron's floor is break-even
			"e": {"iron", "gold", 1001, 1000},
			"j": {"iron", "gold", 2001, 0},
			"l": {"lead", "iron", 50, 0}, // at 0 it ranks 11th of 11: iron
			"k": {"lead", "iron", 200, 0},
		}},
		{"cumulative", Config{Method: MethodCumulative}, map[string]want{
			// P = 14400; platinum while the customers above make < 7200, gold < 11520.
			"a": {"platinum", "", 0, 3000},        // at 2000 (ahead of c, d by id) above make 3000 < 5700
			"b": {"platinum", "", 0, 1000},        // at 2000 (ahead of c, d by id) above make 5000 < 6700
			"c": {"gold", "platinum", 1001, 1000}, // at 3001 it passes b: 5000 < 7700.5; at 3000 8000 ≥ 7700
			"d": {"gold", "platinum", 1001, 1000}, // falls to iron only below e
			"e": {"iron", "gold", 601, 1000},      // at 1601: 12000 < 0.8·15001
			"i": {"iron", "gold", 1001, 0},        // at 1001 it passes e: 12000 < 0.8·15401; at 1000 13000 ≥ 12320
			"k": {"lead", "iron", 200, 0},
		}},
		{"thresholds on profit", Config{Method: MethodThresholds, Thresholds: []int64{3000, 1000, 0}}, map[string]want{
			"a": {"platinum", "", 0, 2000},
			"b": {"platinum", "", 0, 0},
			"c": {"gold", "platinum", 1000, 1000},
			"e": {"gold", "platinum", 2000, 0},
			"f": {"iron", "gold", 200, 800},
			"i": {"iron", "gold", 1000, 0},
			"k": {"lead", "iron", 200, 0},
		}},
		{"thresholds on revenue", Config{Method: MethodThresholds, Basis: BasisRevenue, Tiers: []string{"A", "B"}, Thresholds: []int64{10000}}, map[string]want{
			"a": {"A", "", 0, 2000},  // revenue 12000
			"b": {"B", "A", 2000, 0}, // revenue 8000
		}},
		{"four tiers, no unprofitable tier", Config{Tiers: []string{"A", "B", "C", "D"}, NoUnprofitableTier: true, ShareCuts: []float64{0.25, 0.5, 0.75}}, map[string]want{
			// n = 12 → A ranks 1–3, B 4–6, C 7–9, D 10–12.
			"c": {"A", "", 0, 0},     // ahead of d (2000) only by id
			"d": {"B", "A", 1, 1500}, // B until it falls behind g (500, larger id)
			"j": {"D", "C", 1, 0},    // must pass i (0, smaller id)
			"k": {"D", "C", 201, 0},  // from −200 past i
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, p, rec := fixture()
			r, err := Assign(tb, p, rec, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for i, id := range tb.CustomerID {
				w, ok := tc.want[id]
				if !ok {
					continue
				}
				got := want{r.Tiers[r.Tier[i]], r.NextTier[i], r.NextTierGap[i], r.DowngradeRisk[i]}
				if got != w {
					t.Errorf("customer %s: got %+v, want %+v (reason %q)", id, got, w, r.Reason[i])
				}
			}
		})
	}
}

func TestReasonsAndRevenueGap(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		id      string
		reason  string
		revenue int64
	}{
		{"share top", Config{ShareCuts: []float64{0.10, 0.30}}, "a", "profit 50.00 ranks in the top 10.0% (platinum ≤ 10%)", 0},
		// gap 2001 at gross margin 3500 of revenue 8000: ⌈2001·8000/3500⌉ = ⌈4573.71⌉.
		{"share gold", Config{ShareCuts: []float64{0.10, 0.30}}, "b", "profit 30.00 ranks in the top 20.0% (gold ≤ 30%)", 4574},
		// gap 1 at 2500 of 6000: ⌈2.4⌉.
		{"share iron", Config{ShareCuts: []float64{0.10, 0.30}}, "d", "profit 20.00 ranks in the top 40.0% (iron: below the top 30%)", 3},
		// gap 200 at 300 of 1600: ⌈1066.67⌉.
		{"share lead", Config{}, "k", "profit -2.00 is below break-even (lead: profit < 0)", 1067},
		// gap 1001 at 2500 of 6000: ⌈2402.4⌉; gap 601 at 1500 of 4000: ⌈1602.67⌉.
		{"cumulative gold", Config{Method: MethodCumulative}, "c", "profit 20.00: the customers ranked above make 55.6% of positive profit (gold < 80%)", 2403},
		{"cumulative iron", Config{Method: MethodCumulative}, "e", "profit 10.00: the customers ranked above make 83.3% of positive profit (iron ≥ 80%)", 1603},
		// One ranked tier: it holds profit ≥ 0, or everyone without an unprofitable tier (a ranks 1 of 12).
		{"share only ranked tier", Config{Tiers: []string{"good", "lead"}, ShareCuts: []float64{}}, "a", "profit 50.00 ranks in the top 10.0% (good: profit ≥ 0)", 0},
		{"share everyone", Config{Tiers: []string{"all"}, ShareCuts: []float64{}, NoUnprofitableTier: true}, "a", "profit 50.00 ranks in the top 8.3% (all: everyone)", 0},
		{"cumulative only ranked tier", Config{Method: MethodCumulative, Tiers: []string{"good", "lead"}, ProfitCuts: []float64{}}, "c", "profit 20.00: the customers ranked above make 55.6% of positive profit (good: profit ≥ 0)", 0},
		// gap 300000 − 5000 at 5500 of 12000: ⌈643636.36⌉.
		{"thresholds", Config{Method: MethodThresholds, Thresholds: []int64{300000, 1000, 0}}, "a", "profit 50.00 ≥ 10.00 (gold threshold)", 643637},
		{"thresholds lowest", Config{Method: MethodThresholds, Thresholds: []int64{300000, 1000, 0}}, "k", "profit -2.00 < 0.00 (below the iron threshold)", 1067},
		{"revenue basis", Config{Method: MethodThresholds, Basis: BasisRevenue, Tiers: []string{"A", "B"}, Thresholds: []int64{10000}}, "b", "revenue 80.00 < 100.00 (below the A threshold)", 2000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, p, rec := fixture()
			r, err := Assign(tb, p, rec, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			i, _ := slices.BinarySearch(tb.CustomerID, tc.id)
			if r.Reason[i] != tc.reason || r.NextTierRevenue[i] != tc.revenue {
				t.Errorf("got %q, revenue %d; want %q, %d", r.Reason[i], r.NextTierRevenue[i], tc.reason, tc.revenue)
			}
		})
	}
}

func TestSummaryHandFixture(t *testing.T) {
	tb, p, rec := fixture()
	r, err := Assign(tb, p, rec, Config{ShareCuts: []float64{0.10, 0.30}})
	if err != nil {
		t.Fatal(err)
	}
	// platinum {a}, gold {b, c}, iron {d … j}, lead {k, l}; revenue = 2·profit + 2000 each.
	tests := []struct {
		tier                               string
		customers, revenue, cts, profit    int64
		meanRecency, meanFreq, profitShare float64
	}{
		{"platinum", 1, 12000, 500, 5000, 10, 5, 5000.0 / 14150},
		{"gold", 2, 14000, 1000, 5000, 25, 2, 5000.0 / 14150},
		{"iron", 7, 22800, 3500, 4400, 100, 1, 4400.0 / 14150},
		{"lead", 2, 3500, 1000, -250, 50, 1.5, -250.0 / 14150}, // l has no recency
		{"total", 12, 52300, 6000, 14150, 810.0 / 11, 19.0 / 12, 1},
	}
	for k, tc := range tests {
		s := r.Total
		if k < len(r.Summary) {
			s = r.Summary[k]
		}
		got := [4]int64{s.Customers, s.Revenue, s.CostToServe, s.Profit}
		if want := [4]int64{tc.customers, tc.revenue, tc.cts, tc.profit}; s.Tier != tc.tier || got != want || s.ActivityCost[0] != tc.cts {
			t.Errorf("%s: got %s customers/revenue/cts/profit %d, handling %d; want %d", tc.tier, s.Tier, got, s.ActivityCost[0], want)
		}
		floats := [][2]float64{{s.MeanRecencyDays, tc.meanRecency}, {s.MeanFrequency, tc.meanFreq}, {s.ProfitShare, tc.profitShare},
			{s.CustomerShare, float64(tc.customers) / 12}, {s.RevenueShare, float64(tc.revenue) / 52300}, {s.MeanMonetary, float64(tc.revenue) / float64(tc.customers)}}
		for f, pair := range floats {
			if math.Abs(pair[0]-pair[1]) > tol {
				t.Errorf("%s: float %d got %v, want %v", tc.tier, f, pair[0], pair[1])
			}
		}
	}
}

func TestSummaryWithoutProfit(t *testing.T) {
	tb, p, rec := fixture()
	for i := range p.Profit {
		p.Profit[i] = -1 - int64(i)
	}
	r, err := Assign(tb, p, rec, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if s := r.Summary[3]; s.Customers != 12 || s.ProfitShare != 0 || r.Total.ProfitShare != 0 || r.NextTier[0] != "iron" || r.NextTierGap[0] != 1 {
		t.Errorf("got lead %+v, total share %v, first next %q gap %d; want 12 lead, shares 0, iron at 1", s, r.Total.ProfitShare, r.NextTier[0], r.NextTierGap[0])
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		fields []string // the fields of the problems, in order
		wants  []string // a part of each problem's Want
	}{
		{"default", Config{}, nil, nil},
		{"cumulative default", Config{Method: MethodCumulative}, nil, nil},
		{"unknown method", Config{Method: "magic"}, []string{"Method"}, []string{"share, cumulative or thresholds"}},
		{"cuts for other tier count", Config{Tiers: []string{"A", "B", "C", "D", "E"}}, []string{"ShareCuts"}, []string{"3 cuts, one fewer than the 4 ranked tiers"}},
		{"cuts out of order", Config{ShareCuts: []float64{0.3, 0.2}}, []string{"ShareCuts"}, []string{"strictly increasing"}},
		{"cut of one", Config{Method: MethodCumulative, ProfitCuts: []float64{0.5, 1}}, []string{"ProfitCuts"}, []string{"cut 1 is 1"}},
		{"every problem at once", Config{Tiers: []string{"x", "x", ""}, Method: MethodThresholds, Thresholds: []int64{5, 7, 1}, Basis: "margin"},
			[]string{"Tiers", "Tiers", "Thresholds", "Thresholds", "Basis"},
			[]string{`"x" is named twice`, "not empty", "2, one per tier but the last of 3", "strictly decreasing", "profit or revenue"}},
		{"lead needs a tier above", Config{Tiers: []string{"lead"}, ShareCuts: []float64{}}, []string{"Tiers"}, []string{"a tier for profitable customers"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if len(tc.fields) == 0 {
				if err != nil {
					t.Errorf("got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("got %v, want ErrConfig", err)
			}
			var fields []string
			for i, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var oe *OptionError
				if !errors.As(e, &oe) {
					t.Fatalf("%v is not an *OptionError", e)
				}
				fields = append(fields, oe.Field)
				if i < len(tc.wants) && !strings.Contains(oe.Want, tc.wants[i]) {
					t.Errorf("problem %d wants %q, want it to say %q", i, oe.Want, tc.wants[i])
				}
			}
			if !slices.Equal(fields, tc.fields) {
				t.Errorf("fields %v, want %v", fields, tc.fields)
			}
			tb, p, rec := fixture()
			if _, aerr := Assign(tb, p, rec, tc.cfg); !errors.Is(aerr, ErrConfig) {
				t.Errorf("Assign: got %v, want ErrConfig", aerr)
			}
		})
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		v     int64
		scale int
		want  string
	}{
		{124050, 2, "1,240.50"}, {-124050, 2, "-1,240.50"}, {5, 2, "0.05"}, {-5, 2, "-0.05"}, {0, 2, "0.00"},
		{1234567, 0, "1,234,567"}, {100, 0, "100"}, {123456789, 3, "123,456.789"},
		{math.MinInt64, 2, "-92,233,720,368,547,758.08"},
	}
	for _, tc := range tests {
		if got := formatMoney(tc.v, tc.scale); got != tc.want {
			t.Errorf("formatMoney(%d, %d): got %q, want %q", tc.v, tc.scale, got, tc.want)
		}
	}
}

func TestAssignPanicsOnMisalignedInput(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.HasPrefix(p.(string), "tier: ") {
			t.Errorf("got panic %v, want one prefixed \"tier: \"", p)
		}
	}()
	tb, p, rec := fixture()
	_, _ = Assign(tb, p, rec[:3], Config{})
}
