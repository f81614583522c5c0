package pareto

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

const tol = 1e-12 // hand computations; results differ from exact fractions by rounding only

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

func TestAnalyzeHandComputed(t *testing.T) {
	tests := []struct {
		name     string
		ids      []string
		value    []int64
		cfg      Config
		rank     []int64
		cumShare []float64
		class    string
		summary  Summary
		lorenzAt map[int]float64 // j → ValueShare at CustomerShare j/100
	}{
		{
			name:     "values 1,2,3,4",
			ids:      []string{"a", "b", "c", "d"},
			value:    []int64{1, 2, 3, 4},
			rank:     []int64{4, 3, 2, 1},
			cumShare: []float64{1, 0.9, 0.7, 0.4},
			// d, c, b reach 0.9 >= 0.8 (d, c only 0.7): A; a starts at 0.9 < 0.95: B.
			class: "BAAA",
			summary: Summary{Customers: 4, TotalValue: 10, PositiveValue: 10, ACustomers: 3, BCustomers: 1,
				Top1PctShare: 0.4, Top5PctShare: 0.4, Top10PctShare: 0.4, Top20PctShare: 0.4,
				CustomersFor50: 2, CustomersFor80: 3, Gini: 0.25},
			// j=10: 0.4 customers → 0.4·1/10; j=25: C(1)=1; j=50: C(2)=3; j=90: (6 + 0.6·4)/10.
			lorenzAt: map[int]float64{0: 0, 10: 0.04, 25: 0.1, 50: 0.3, 90: 0.84, 100: 1},
		},
		{
			name:     "equal values ranked by id, not by position",
			ids:      []string{"b", "a", "c"},
			value:    []int64{5, 5, 5},
			rank:     []int64{2, 1, 3},
			cumShare: []float64{2.0 / 3, 1.0 / 3, 1},
			class:    "AAA",
			summary: Summary{Customers: 3, TotalValue: 15, PositiveValue: 15, ACustomers: 3,
				Top1PctShare: 1.0 / 3, Top5PctShare: 1.0 / 3, Top10PctShare: 1.0 / 3, Top20PctShare: 1.0 / 3,
				CustomersFor50: 2, CustomersFor80: 3, Gini: 0},
			lorenzAt: map[int]float64{50: 0.5, 100: 1},
		},
		{
			name:     "zero and negative values rank last, share 1, class C",
			ids:      []string{"a", "b", "c", "d"},
			value:    []int64{10, -5, 0, 30},
			rank:     []int64{2, 4, 3, 1},
			cumShare: []float64{1, 1, 1, 0.75},
			class:    "ACCA",
			// Gini over 0, 0, 10, 30: (2·(3·10 + 4·30) − 5·40) / (4·40) = 100/160.
			summary: Summary{Customers: 4, TotalValue: 35, PositiveValue: 40, ACustomers: 2, CCustomers: 2,
				Top1PctShare: 0.75, Top5PctShare: 0.75, Top10PctShare: 0.75, Top20PctShare: 0.75,
				CustomersFor50: 1, CustomersFor80: 2, Gini: 0.625},
			lorenzAt: map[int]float64{50: 0, 75: 0.25, 100: 1},
		},
		{
			name:     "exactly reaching the A cut ends A",
			ids:      []string{"x", "y"},
			value:    []int64{8, 2},
			rank:     []int64{1, 2},
			cumShare: []float64{0.8, 1},
			class:    "AB",
			summary: Summary{Customers: 2, TotalValue: 10, PositiveValue: 10, ACustomers: 1, BCustomers: 1,
				Top1PctShare: 0.8, Top5PctShare: 0.8, Top10PctShare: 0.8, Top20PctShare: 0.8,
				CustomersFor50: 1, CustomersFor80: 1, Gini: 0.3},
		},
		{
			name:     "one customer holds everything: Gini (n-1)/n",
			ids:      []string{"a", "b", "c", "d", "e"},
			value:    []int64{0, 0, 100, 0, 0},
			rank:     []int64{2, 3, 1, 4, 5},
			cumShare: []float64{1, 1, 1, 1, 1},
			class:    "CCACC",
			summary: Summary{Customers: 5, TotalValue: 100, PositiveValue: 100, ACustomers: 1, CCustomers: 4,
				Top1PctShare: 1, Top5PctShare: 1, Top10PctShare: 1, Top20PctShare: 1,
				CustomersFor50: 1, CustomersFor80: 1, Gini: 0.8},
			lorenzAt: map[int]float64{80: 0, 90: 0.5, 100: 1},
		},
		{
			name:     "no positive value: all C, shares 0, Gini 0",
			ids:      []string{"a", "b"},
			value:    []int64{0, -7},
			rank:     []int64{1, 2},
			cumShare: []float64{0, 0},
			class:    "CC",
			summary:  Summary{Customers: 2, TotalValue: -7, CCustomers: 2},
			lorenzAt: map[int]float64{50: 0.5, 100: 1},
		},
		{
			name:     "custom cuts",
			ids:      []string{"a", "b", "c", "d"},
			value:    []int64{1, 2, 3, 4},
			cfg:      Config{ACut: 0.5, BCut: 0.7},
			rank:     []int64{4, 3, 2, 1},
			cumShare: []float64{1, 0.9, 0.7, 0.4},
			// d (0 → 0.4), c (0.4 → 0.7) reach 0.5: A; b starts at 0.7, not < 0.7: C.
			class: "CCAA",
			summary: Summary{Customers: 4, TotalValue: 10, PositiveValue: 10, ACustomers: 2, CCustomers: 2,
				Top1PctShare: 0.4, Top5PctShare: 0.4, Top10PctShare: 0.4, Top20PctShare: 0.4,
				CustomersFor50: 2, CustomersFor80: 3, Gini: 0.25},
		},
		{
			name:     "no customers",
			summary:  Summary{},
			lorenzAt: map[int]float64{0: 0, 37: 0.37, 100: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(tc.ids, tc.value, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Rank, tc.rank) && len(tc.rank)+len(r.Rank) > 0 {
				t.Errorf("rank: got %v, want %v", r.Rank, tc.rank)
			}
			if len(r.CumShare) != len(tc.cumShare) {
				t.Errorf("cum share: got %v, want %v", r.CumShare, tc.cumShare)
			}
			for i := range min(len(r.CumShare), len(tc.cumShare)) {
				if !near(r.CumShare[i], tc.cumShare[i]) {
					t.Errorf("cum share of %q: got %v, want %v", tc.ids[i], r.CumShare[i], tc.cumShare[i])
				}
			}
			if got := string(r.Class); got != tc.class {
				t.Errorf("classes: got %q, want %q", got, tc.class)
			}
			checkSummary(t, r.Summary, tc.summary)
			if len(r.Lorenz) != 101 {
				t.Fatalf("lorenz: got %d points, want 101", len(r.Lorenz))
			}
			for j, want := range tc.lorenzAt {
				p := r.Lorenz[j]
				if !near(p.CustomerShare, float64(j)/100) || !near(p.ValueShare, want) {
					t.Errorf("lorenz point %d: got %+v, want {%v %v}", j, p, float64(j)/100, want)
				}
			}
		})
	}
}

func checkSummary(t *testing.T, got, want Summary) {
	t.Helper()
	ints := [][3]any{
		{"customers", got.Customers, want.Customers}, {"total", got.TotalValue, want.TotalValue},
		{"positive", got.PositiveValue, want.PositiveValue}, {"A", got.ACustomers, want.ACustomers},
		{"B", got.BCustomers, want.BCustomers}, {"C", got.CCustomers, want.CCustomers},
		{"customers for 50%", got.CustomersFor50, want.CustomersFor50},
		{"customers for 80%", got.CustomersFor80, want.CustomersFor80},
	}
	for _, c := range ints {
		if c[1] != c[2] {
			t.Errorf("summary %s: got %v, want %v", c[0], c[1], c[2])
		}
	}
	floats := [][3]any{
		{"top 1%", got.Top1PctShare, want.Top1PctShare}, {"top 5%", got.Top5PctShare, want.Top5PctShare},
		{"top 10%", got.Top10PctShare, want.Top10PctShare}, {"top 20%", got.Top20PctShare, want.Top20PctShare},
		{"gini", got.Gini, want.Gini},
	}
	for _, c := range floats {
		if !near(c[1].(float64), c[2].(float64)) {
			t.Errorf("summary %s: got %v, want %v", c[0], c[1], c[2])
		}
	}
}

func TestTopShares(t *testing.T) {
	// 200 customers worth 1 each: the top ceil(p·200) hold exactly p of the value.
	// 150 customers: ceil(1.5) = 2, ceil(7.5) = 8, 15, 30 customers.
	for _, tc := range []struct {
		n    int
		want [4]float64
	}{
		{200, [4]float64{0.01, 0.05, 0.10, 0.20}},
		{150, [4]float64{2.0 / 150, 8.0 / 150, 15.0 / 150, 30.0 / 150}},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			ids, value := make([]string, tc.n), make([]int64, tc.n)
			for i := range ids {
				ids[i], value[i] = fmt.Sprintf("c%03d", i), 1
			}
			r, err := Analyze(ids, value, Config{})
			if err != nil {
				t.Fatal(err)
			}
			s := r.Summary
			got := [4]float64{s.Top1PctShare, s.Top5PctShare, s.Top10PctShare, s.Top20PctShare}
			for k := range got {
				if !near(got[k], tc.want[k]) {
					t.Errorf("top shares: got %v, want %v", got, tc.want)
					break
				}
			}
		})
	}
}

// TestGiniMatchesTrapezoids checks the exact discrete formula against 1 − 2·(area under the
// Lorenz curve by trapezoids), computed independently in floating point.
func TestGiniMatchesTrapezoids(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for _, n := range []int{1, 2, 10, 999} {
		ids := make([]string, n)
		value := make([]int64, n)
		for i := range n {
			ids[i] = fmt.Sprint(i)
			value[i] = rng.Int64N(100_000) - 10_000
		}
		r, err := Analyze(ids, value, Config{})
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, n)
		var total float64
		for i, v := range value {
			x[i] = float64(max(v, 0))
			total += x[i]
		}
		slices.Sort(x)
		var area, below float64
		for _, v := range x {
			area += (2*below + v) / total / 2 / float64(n)
			below += v
		}
		if want := 1 - 2*area; math.Abs(r.Summary.Gini-want) > 1e-12 {
			t.Errorf("n=%d: gini got %v, trapezoids give %v", n, r.Summary.Gini, want)
		}
	}
}

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct {
		name     string
		value    []int64
		cfg      Config
		want     error
		problems int
		text     string
	}{
		{"positive total overflows", []int64{math.MaxInt64, 1}, Config{}, ErrOverflow, 1, `"c1"`},
		{"negative total overflows", []int64{math.MinInt64, -1}, Config{}, ErrOverflow, 1, `"c1"`},
		{"A cut above 1", []int64{1}, Config{ACut: 1.5}, ErrConfig, 1, "ACut 1.5 outside (0, 1]"},
		{"B cut below A cut", []int64{1}, Config{ACut: 0.9, BCut: 0.5}, ErrConfig, 1, "BCut 0.5 below ACut 0.9"},
		{"both cuts invalid", []int64{1}, Config{ACut: -1, BCut: math.NaN()}, ErrConfig, 2, "BCut NaN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := make([]string, len(tc.value))
			for i := range ids {
				ids[i] = fmt.Sprintf("c%d", i)
			}
			_, err := Analyze(ids, tc.value, tc.cfg)
			if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.text) {
				t.Fatalf("got error %v, want %v mentioning %s", err, tc.want, tc.text)
			}
			if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) != tc.problems {
				t.Errorf("got %d problems, want %d: %v", len(j.Unwrap()), tc.problems, err)
			}
		})
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: got %v, want valid", err)
	}
}

func TestAnalyzePanicsOnLengthMismatch(t *testing.T) {
	defer func() {
		if got := fmt.Sprint(recover()); !strings.HasPrefix(got, "pareto: ") {
			t.Errorf("panic: got %q, want a \"pareto: \" message", got)
		}
	}()
	_, _ = Analyze([]string{"a"}, nil, Config{})
}
