package profit

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

// tol is the float tolerance for shares and ratios: every expected value below is a ratio of
// small integers computed by hand, so only float64 rounding separates them.
const tol = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

// table builds a feature table from aligned columns (one purchase per order, ids sorted).
func table(ids []string, monetary, cost, orders []int64, hasCost bool) *feature.Table {
	t := &feature.Table{MoneyScale: 2, HasCost: hasCost}
	t.Grow(len(ids))
	copy(t.CustomerID, ids)
	copy(t.Monetary, monetary)
	copy(t.Orders, orders)
	if cost != nil {
		copy(t.Cost, cost)
	}
	return t
}

// fixture is the hand-computed example of the package tests: five customers in cents.
//
//	id revenue  cogs orders  support min  returns   picking  support  cts  profit
//	a  100000  60000   10       10          0        1500     350    1850  38150
//	b   50000  20000    2        0        500         300       0     800  29200
//	c   20000  15000    8       45.5     2000        1200    1593    4793    207  (45.5×35 = 1592.5 → 1593)
//	d       0      0    1       20       1500         150     700    2350  −2350
//	e   30000  10000    3        1          0         450      35     485  19515
func fixture() (Input, Config) {
	t := table([]string{"a", "b", "c", "d", "e"},
		[]int64{100000, 50000, 20000, 0, 30000},
		[]int64{60000, 20000, 15000, 0, 10000},
		[]int64{10, 2, 8, 1, 3}, true)
	in := Input{Table: t, Activities: []Activity{
		{Name: "picking", Count: t.Orders},
		{Name: "support_minutes", Quantity: []float64{10, 0, 45.5, 20, 1}},
		{Name: "returns", DirectCost: []int64{0, 500, 2000, 1500, 0}},
	}}
	return in, Config{Rates: map[string]float64{"picking": 150, "support_minutes": 35, "unused": 9}}
}

func TestComputeHandFixture(t *testing.T) {
	in, cfg := fixture()
	r, err := Compute(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.COGSSource != COGSCostColumn {
		t.Errorf("COGSSource: got %v, want cost_column", r.COGSSource)
	}
	if want := []string{"picking", "support_minutes", "returns"}; !slices.Equal(r.Activities, want) {
		t.Errorf("Activities: got %q, want %q", r.Activities, want)
	}
	cols := []struct {
		name      string
		got, want []int64
	}{
		{"CostOfGoods", r.CostOfGoods, []int64{60000, 20000, 15000, 0, 10000}},
		{"GrossMargin", r.GrossMargin, []int64{40000, 30000, 5000, 0, 20000}},
		{"picking", r.ActivityCost[0], []int64{1500, 300, 1200, 150, 450}},
		{"support_minutes", r.ActivityCost[1], []int64{350, 0, 1593, 700, 35}},
		{"returns", r.ActivityCost[2], []int64{0, 500, 2000, 1500, 0}},
		{"CostToServe", r.CostToServe, []int64{1850, 800, 4793, 2350, 485}},
		{"Profit", r.Profit, []int64{38150, 29200, 207, -2350, 19515}},
		{"ProfitRank", r.ProfitRank, []int64{1, 2, 4, 5, 3}},
		{"Totals.ActivityCost", r.Totals.ActivityCost, []int64{3600, 2678, 4000}},
	}
	for _, c := range cols {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}
	tot := r.Totals
	gotTot := [6]int64{tot.Customers, tot.Revenue, tot.CostOfGoods, tot.GrossMargin, tot.CostToServe, tot.Profit}
	if wantTot := [6]int64{5, 200000, 105000, 95000, 10278, 84722}; gotTot != wantTot {
		t.Errorf("Totals: got %+v, want %+v", gotTot, wantTot)
	}
	floats := []struct {
		name      string
		got, want []float64
	}{
		{"ProfitMargin", r.ProfitMargin, []float64{0.3815, 29200.0 / 50000, 207.0 / 20000, 0, 19515.0 / 30000}},
		{"CostToServeRatio", r.CostToServeRatio, []float64{0.0185, 0.016, 0.23965, 0, 485.0 / 30000}},
		{"CumProfitShare", r.CumProfitShare, []float64{38150.0 / 84722, 67350.0 / 84722, 87072.0 / 84722, 1, 86865.0 / 84722}},
	}
	for _, c := range floats {
		for i := range c.want {
			if !near(c.got[i], c.want[i]) {
				t.Errorf("%s[%d]: got %v, want %v", c.name, i, c.got[i], c.want[i])
			}
		}
	}
	w := r.Whale
	if !w.SharesDefined || w.PeakCustomers != 4 || !near(w.PeakCustomerShare, 0.8) || w.PeakProfit != 87072 ||
		!near(w.PeakProfitShare, 87072.0/84722) || w.Destroyed != 2350 {
		t.Errorf("Whale peak: got %+v, want 4 customers (0.8) making 87072 (%v), destroyed 2350", w, 87072.0/84722)
	}
	// n = 5: point j sits at j·5/100 customers; 10 → half of a (19075), 50 → a+b+half of e.
	points := map[int]float64{0: 0, 10: 19075, 20: 38150, 50: 67350 + 19515.0/2, 90: 87072 - 2350.0/2, 100: 84722}
	if len(w.Points) != WhalePoints {
		t.Fatalf("Whale points: got %d, want %d", len(w.Points), WhalePoints)
	}
	for j, want := range points {
		p := w.Points[j]
		if !near(p.CustomerShare, float64(j)/100) || !near(p.CumProfit, want) || !near(p.ProfitShare, want/84722) {
			t.Errorf("Whale point %d: got %+v, want share %v, profit %v", j, p, float64(j)/100, want)
		}
	}
}

func TestCostOfGoodsSources(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	revenue := []int64{12345, -12345, 10000, 0}
	tests := []struct {
		name    string
		hasCost bool
		rates   []float64
		cfg     Config
		source  COGSSource
		cogs    []int64
	}{
		// 12345 × 0.5 = 6172.5 rounds away from zero to 6173; −6172.5 to −6173.
		{"customer rates round half away", false, []float64{0.5, 0.5, 1, -0.25}, Config{MarginRate: 0.9}, COGSMarginRates, []int64{6173, -6173, 0, 0}},
		{"default rate", false, nil, Config{MarginRate: 0.4}, COGSMarginRate, []int64{7407, -7407, 6000, 0}},
		{"cost column wins over rates", true, []float64{0.5, 0.5, 0.5, 0.5}, Config{MarginRate: 0.4}, COGSCostColumn, []int64{1, 2, 3, 4}},
		{"nothing known", false, nil, Config{}, COGSNone, []int64{0, 0, 0, 0}},
		// A negative margin rate is selling below cost: 10000 × 1.25 = 12500.
		{"negative customer rate", false, []float64{0, 0, -0.25, 0}, Config{}, COGSMarginRates, []int64{12345, -12345, 12500, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb := table(ids, revenue, []int64{1, 2, 3, 4}, []int64{1, 1, 1, 1}, tc.hasCost)
			r, err := Compute(Input{Table: tb, MarginRates: tc.rates}, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r.COGSSource != tc.source {
				t.Errorf("source: got %v, want %v", r.COGSSource, tc.source)
			}
			if !slices.Equal(r.CostOfGoods, tc.cogs) {
				t.Errorf("cogs: got %d, want %d", r.CostOfGoods, tc.cogs)
			}
			for i := range ids {
				if r.GrossMargin[i] != revenue[i]-tc.cogs[i] || r.Profit[i] != r.GrossMargin[i] {
					t.Errorf("customer %s: gross margin %d, profit %d, want both %d", ids[i], r.GrossMargin[i], r.Profit[i], revenue[i]-tc.cogs[i])
				}
			}
		})
	}
}

func TestOrderHandling(t *testing.T) {
	tb := table([]string{"a", "b", "c"}, []int64{1000, 1000, 1000}, nil, []int64{3, 1, 0}, false)
	tests := []struct {
		name  string
		acts  []Activity
		cfg   Config
		names []string
		cts   []int64
	}{
		// 3 × 0.5 = 1.5 → 2, 1 × 0.5 → 1 (half away from zero).
		{"order cost without activities", nil, Config{OrderCost: 0.5}, []string{OrderHandling}, []int64{2, 1, 0}},
		{"activities replace the order cost", []Activity{{Name: "calls", Count: []int64{0, 2, 1}}},
			Config{OrderCost: 0.5, Rates: map[string]float64{"calls": 250}}, []string{"calls"}, []int64{0, 500, 250}},
		{"no order cost, no activities", nil, Config{}, nil, []int64{0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compute(Input{Table: tb, Activities: tc.acts}, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Activities, tc.names) || !slices.Equal(r.CostToServe, tc.cts) {
				t.Errorf("got activities %q, cost to serve %d; want %q, %d", r.Activities, r.CostToServe, tc.names, tc.cts)
			}
		})
	}
}

func TestWhaleWithoutProfit(t *testing.T) {
	tests := []struct {
		name     string
		profit   []int64 // revenue, with no costs
		peak     int64
		peakN    int64
		destroy  int64
		lastCum  float64
		midPoint float64 // point 50
	}{
		{"all losses", []int64{-100, -300}, 0, 0, 400, -400, -100},
		{"break even", []int64{500, -500}, 500, 1, 500, 0, 500},
		{"all zero", []int64{0, 0, 0, 0}, 0, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := []string{"a", "b", "c", "d"}[:len(tc.profit)]
			tb := table(ids, tc.profit, nil, make([]int64, len(tc.profit)), false)
			r, err := Compute(Input{Table: tb}, Config{})
			if err != nil {
				t.Fatal(err)
			}
			w := r.Whale
			if w.SharesDefined || w.PeakProfitShare != 0 || w.PeakProfit != tc.peak || w.PeakCustomers != tc.peakN || w.Destroyed != tc.destroy {
				t.Errorf("got %+v, want undefined shares, peak %d by %d, destroyed %d", w, tc.peak, tc.peakN, tc.destroy)
			}
			if got := w.Points[100].CumProfit; got != tc.lastCum {
				t.Errorf("last point: got %v, want %v", got, tc.lastCum)
			}
			if got := w.Points[50].CumProfit; got != tc.midPoint {
				t.Errorf("point 50: got %v, want %v", got, tc.midPoint)
			}
			for i, s := range r.CumProfitShare {
				if s != 0 || w.Points[i].ProfitShare != 0 {
					t.Errorf("customer %d: share %v, point share %v, want 0", i, s, w.Points[i].ProfitShare)
				}
			}
		})
	}
}

func TestComputeEmpty(t *testing.T) {
	r, err := Compute(Input{Table: &feature.Table{MoneyScale: 2}}, Config{OrderCost: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Profit) != 0 || r.Totals.Profit != 0 || len(r.Whale.Points) != WhalePoints || r.Whale.Points[100].CumProfit != 0 || r.Whale.PeakCustomerShare != 0 {
		t.Errorf("got %+v, want an empty result with a flat 101-point curve", r)
	}
}

func TestComputeErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		edit     func(*Input, *Config)
		want     error
		contains []string
	}{
		{"unknown activities listed together", func(in *Input, c *Config) {
			in.Activities = append(in.Activities, Activity{Name: "gift_wrap", Count: []int64{1, 1, 1, 1, 1}},
				Activity{Name: "chat", Quantity: []float64{1, 1, 1, 1, 1}})
		}, ErrUnknownActivity, []string{`"gift_wrap", "chat"`, `known rates: "picking", "support_minutes", "unused"`}},
		{"duplicate", func(in *Input, c *Config) { in.Activities = append(in.Activities, in.Activities[0]) }, ErrDuplicateActivity, []string{`"picking"`}},
		{"negative quantity", func(in *Input, c *Config) { in.Activities[1].Quantity = []float64{1, 1, -2, 1, 1} }, ErrQuantity, []string{`customer "c"`, `"support_minutes"`, "-2"}},
		{"NaN quantity", func(in *Input, c *Config) { in.Activities[1].Quantity = []float64{nan, 1, 1, 1, 1} }, ErrQuantity, []string{`customer "a"`, "NaN"}},
		{"config problems all reported", func(in *Input, c *Config) {
			c.Rates = map[string]float64{"picking": -1, "support_minutes": nan}
			c.OrderCost = math.Inf(1)
			c.MarginRate = 1.5
		}, ErrConfig, []string{`"picking" is -1`, `"support_minutes" is NaN`, "OrderCost +Inf", "MarginRate 1.5"}},
		{"customer margin rate above 1", func(in *Input, c *Config) {
			in.Table.HasCost = false
			in.MarginRates = []float64{0.2, 0.2, 0.2, 1.01, 0.2}
		}, ErrMarginRate, []string{`customer "d"`, "1.01"}},
		{"overflow", func(in *Input, c *Config) { in.Activities[1].Quantity = []float64{1e30, 0, 0, 0, 0} }, ErrOverflow, []string{`customer "a"`}},
		{"total overflow", func(in *Input, c *Config) { in.Table.Monetary[0], in.Table.Monetary[1] = math.MaxInt64, math.MaxInt64 }, ErrOverflow, []string{`customer "b"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, cfg := fixture()
			tc.edit(&in, &cfg)
			_, err := Compute(in, cfg)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for _, s := range tc.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestIgnoreUnknown(t *testing.T) {
	in, cfg := fixture()
	in.Activities = append(in.Activities, Activity{Name: "gift_wrap", Count: []int64{9, 9, 9, 9, 9}, DirectCost: []int64{7, 7, 7, 7, 7}})
	cfg.IgnoreUnknown = true
	r, err := Compute(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Ignored, []string{"gift_wrap"}) || len(r.Activities) != 3 || r.Totals.CostToServe != 10278 {
		t.Errorf("got ignored %q, activities %q, cost to serve %d; want [gift_wrap], 3 activities, 10278 (the fixture's)", r.Ignored, r.Activities, r.Totals.CostToServe)
	}
}

func TestComputePanicsOnMisalignedInput(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.HasPrefix(p.(string), "profit: ") {
			t.Errorf("got panic %v, want one prefixed \"profit: \"", p)
		}
	}()
	in, cfg := fixture()
	in.Activities[0].Count = []int64{1}
	_, _ = Compute(in, cfg)
}

func TestRankOrder(t *testing.T) {
	tests := []struct {
		name   string
		ids    []string
		profit []int64
		want   []int32
	}{
		{"sorted ids, ties by id", []string{"a", "b", "c", "d"}, []int64{5, 9, 5, -1}, []int32{1, 0, 2, 3}},
		{"unsorted ids, ties by id", []string{"z", "b", "m", "a"}, []int64{5, 5, 9, 5}, []int32{2, 3, 1, 0}},
		{"empty", nil, nil, []int32{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RankOrder(tc.ids, tc.profit); !slices.Equal(got, tc.want) {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}
