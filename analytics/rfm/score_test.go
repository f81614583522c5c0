package rfm

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

const testAsOf int32 = 1000

// customer is one row of a hand-made feature table: recency in days (ignored when freq == 0),
// frequency, monetary in minor units (MoneyScale 2).
type customer struct {
	id      string
	recency int32
	freq    int64
	money   int64
}

// everyone is a one-rule table valid for any number of bins.
func everyone(bins int) []SegmentRule {
	all := [2]int{1, bins}
	return []SegmentRule{{Name: "Everyone", R: all, F: all, M: all}}
}

func tableOf(cs []customer) *feature.Table {
	t := &feature.Table{MoneyScale: 2}
	t.Grow(len(cs))
	for i, c := range cs {
		t.CustomerID[i] = c.id
		t.Frequency[i], t.Orders[i] = c.freq, c.freq
		t.Monetary[i] = c.money
		if c.freq > 0 {
			t.FirstPurchase[i], t.LastPurchase[i] = testAsOf-c.recency, testAsOf-c.recency
		}
	}
	return t
}

// scoresOf returns the (R, F, M) triples of s as a flat list for comparison.
func scoresOf(s *Scores) [][3]int8 {
	out := make([][3]int8, len(s.R))
	for i := range out {
		out[i] = [3]int8{s.R[i], s.F[i], s.M[i]}
	}
	return out
}

func TestScoreMethods(t *testing.T) {
	// Expected scores and breaks below are hand computations from the definitions in doc.go.
	distinct := []customer{
		{"a", 10, 1, 10000}, {"b", 20, 2, 20000}, {"c", 30, 3, 30000}, {"d", 40, 4, 40000}, {"e", 50, 5, 50000},
	}
	tests := []struct {
		name       string
		customers  []customer
		cfg        Config
		want       [][3]int8
		wantBreaks *Breaks // nil: not checked
	}{
		{
			name:      "quantile: distinct values, one per bin",
			customers: distinct,
			cfg:       Config{},
			// h = 4·i/5: q = 0.2·x[0] + 0.8·x[1], 0.4·x[1] + 0.6·x[2], ...
			want: [][3]int8{{5, 1, 1}, {4, 2, 2}, {3, 3, 3}, {2, 4, 4}, {1, 5, 5}},
			wantBreaks: &Breaks{
				Recency:   []float64{18, 26, 34, 42},
				Frequency: []float64{1.8, 2.6, 3.4, 4.2},
				Monetary:  []float64{180, 260, 340, 420},
			},
		},
		{
			name: "quantile: ties share a score",
			// frequencies 1,1,1,1,2,3: h = i exactly, q = x[1..4] = 1, 1, 1, 2.
			customers: []customer{
				{"a", 5, 1, 100}, {"b", 5, 1, 100}, {"c", 5, 1, 100}, {"d", 5, 1, 100}, {"e", 5, 2, 100}, {"f", 5, 3, 100},
			},
			cfg:  Config{},
			want: [][3]int8{{5, 1, 1}, {5, 1, 1}, {5, 1, 1}, {5, 1, 1}, {5, 4, 1}, {5, 5, 1}},
		},
		{
			name:      "quantile: all values equal fall in bin 1",
			customers: []customer{{"a", 7, 2, 500}, {"b", 7, 2, 500}, {"c", 7, 2, 500}},
			cfg:       Config{Bins: 3, Segments: everyone(3)},
			want:      [][3]int8{{3, 1, 1}, {3, 1, 1}, {3, 1, 1}},
			wantBreaks: &Breaks{
				Recency: []float64{7, 7}, Frequency: []float64{2, 2}, Monetary: []float64{5, 5},
			},
		},
		{
			name: "quantile: fewer customers than bins",
			// n = 2: q(i) = (1 − i/5)·x[0] + (i/5)·x[1].
			customers: []customer{{"a", 10, 1, 100}, {"b", 20, 2, 200}},
			cfg:       Config{},
			want:      [][3]int8{{5, 1, 1}, {1, 5, 5}},
			wantBreaks: &Breaks{
				Recency:   []float64{12, 14, 16, 18},
				Frequency: []float64{1.2, 1.4, 1.6, 1.8},
				Monetary:  []float64{1.2, 1.4, 1.6, 1.8},
			},
		},
		{
			name:      "quantile: a single customer",
			customers: []customer{{"a", 3, 4, 999}},
			cfg:       Config{},
			want:      [][3]int8{{5, 1, 1}},
		},
		{
			name: "quantile: negative monetary",
			// monetary −50, 0, 100 (major units); 2 bins: q(1) = x[1] = 0.
			customers: []customer{{"a", 1, 1, -5000}, {"b", 1, 1, 0}, {"c", 1, 1, 10000}},
			cfg:       Config{Bins: 2, Segments: everyone(2)},
			want:      [][3]int8{{2, 1, 1}, {2, 1, 1}, {2, 1, 2}},
			wantBreaks: &Breaks{
				Recency: []float64{1}, Frequency: []float64{1}, Monetary: []float64{0},
			},
		},
		{
			name: "quantile: unscored customers take no part in the cut points",
			customers: []customer{
				{"a", 10, 1, 100}, {"none1", 0, 0, 0}, {"b", 20, 2, 200}, {"none2", 0, 0, -300},
			},
			cfg:  Config{},
			want: [][3]int8{{5, 1, 1}, {0, 0, 0}, {1, 5, 5}, {0, 0, 0}},
		},
		{
			name: "ntile: ties split by customer id, larger tiles first",
			// 7 customers, 3 tiles of 3, 2, 2. Frequency ascending: a b c | d e | f g.
			// Recency descending: g f e | d c | a b (a, b tie at 10, ordered by id).
			// Monetary ascending: c a | ... see values.
			customers: []customer{
				{"a", 10, 1, 700}, {"b", 10, 1, 600}, {"c", 30, 1, 100}, {"d", 40, 1, 100},
				{"e", 50, 2, 300}, {"f", 60, 2, 200}, {"g", 70, 3, 500},
			},
			cfg: Config{Bins: 3, Method: Ntile, Segments: everyone(3)},
			// Monetary ascending with id ties: c(1.00) d(1.00) f(2.00) | e(3.00) g(5.00) | b(6.00) a(7.00).
			want: [][3]int8{{3, 1, 3}, {3, 1, 3}, {2, 1, 1}, {2, 2, 1}, {1, 2, 2}, {1, 3, 1}, {1, 3, 2}},
		},
		{
			name:      "ntile: fewer customers than bins use the low tiles",
			customers: []customer{{"a", 10, 1, 100}, {"b", 20, 2, 200}},
			cfg:       Config{Method: Ntile},
			want:      [][3]int8{{2, 1, 1}, {1, 2, 2}},
		},
		{
			name:      "ntile: all values equal are spread by id",
			customers: []customer{{"c", 5, 1, 100}, {"a", 5, 1, 100}, {"b", 5, 1, 100}},
			cfg:       Config{Bins: 3, Method: Ntile, Segments: everyone(3)},
			// ids sorted a, b, c → tiles 1, 2, 3, whatever the row order.
			want: [][3]int8{{3, 3, 3}, {1, 1, 1}, {2, 2, 2}},
		},
		{
			name: "fixed: breaks are inclusive upper bounds",
			customers: []customer{
				{"a", 30, 1, 10000}, {"b", 31, 2, 10001}, {"c", 400, 9, -100}, {"d", 0, 3, 25000},
			},
			cfg: Config{Method: Fixed, Fixed: Breaks{
				Recency:   []float64{30, 90, 180, 365},
				Frequency: []float64{1, 2, 4, 8},
				Monetary:  []float64{50, 100, 250, 1000},
			}},
			want: [][3]int8{{5, 1, 2}, {4, 2, 3}, {1, 5, 1}, {5, 3, 3}},
		},
		{
			name: "rfm_r: breaks at quantile + 1, bins closed below",
			// frequency 1..5: Q = 1.8, 2.6, 3.4, 4.2 → breaks 2.8, 3.6, 4.4, 5.2; 1 and 2 share
			// bin 1 and nobody reaches bin 5, as in R. Monetary 100..500 has gaps wider than
			// the + 1, so its bins are 1..5.
			customers: distinct,
			cfg:       Config{Method: RfmR},
			want:      [][3]int8{{5, 1, 1}, {4, 1, 2}, {3, 2, 3}, {2, 3, 4}, {1, 4, 5}},
			wantBreaks: &Breaks{
				Recency:   []float64{19, 27, 35, 43},
				Frequency: []float64{2.8, 3.6, 4.4, 5.2},
				Monetary:  []float64{181, 261, 341, 421},
			},
		},
		{
			name:      "rfm_r: all values equal",
			customers: []customer{{"a", 7, 2, 500}, {"b", 7, 2, 500}},
			cfg:       Config{Bins: 2, Method: RfmR, Segments: everyone(2)},
			want:      [][3]int8{{2, 1, 1}, {2, 1, 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Score(tableOf(tc.customers), testAsOf, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := scoresOf(s); !slices.Equal(got, tc.want) {
				t.Errorf("scores (R, F, M): got %v, want %v", got, tc.want)
			}
			for i, c := range tc.customers {
				wantRec, wantRFM := c.recency, int16(100*int(tc.want[i][0])+10*int(tc.want[i][1])+int(tc.want[i][2]))
				if c.freq == 0 {
					wantRec = -1
				}
				if s.RecencyDays[i] != wantRec || s.RFM[i] != wantRFM {
					t.Errorf("customer %q recency, rfm: got %d, %d, want %d, %d", c.id, s.RecencyDays[i], s.RFM[i], wantRec, wantRFM)
				}
			}
			if tc.wantBreaks != nil {
				checkBreaks(t, "recency", s.Breaks.Recency, tc.wantBreaks.Recency)
				checkBreaks(t, "frequency", s.Breaks.Frequency, tc.wantBreaks.Frequency)
				checkBreaks(t, "monetary", s.Breaks.Monetary, tc.wantBreaks.Monetary)
			}
			if tc.cfg.Method == Ntile && (s.Breaks.Recency != nil || s.Breaks.Monetary != nil) {
				t.Errorf("ntile breaks: got %v, want nil", s.Breaks)
			}
		})
	}
}

func checkBreaks(t *testing.T, dim string, got, want []float64) {
	t.Helper()
	const tol = 1e-12 // hand computation; values differ from the exact decimals by rounding only
	if len(got) != len(want) {
		t.Errorf("%s breaks: got %v, want %v", dim, got, want)
		return
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s break %d: got %v, want %v", dim, i+1, got[i], want[i])
		}
	}
}

func TestScoreUnscoredCustomers(t *testing.T) {
	table := tableOf([]customer{{"a", 10, 1, 100}, {"b", 0, 0, -250}, {"c", 20, 2, 200}})
	s, err := Score(table, testAsOf, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Segment[1], SegmentNoPurchase; got != want {
		t.Errorf("segment of the customer without purchases: got %q, want %q", got, want)
	}
	if got := [5]int{int(s.RecencyDays[1]), int(s.R[1]), int(s.F[1]), int(s.M[1]), int(s.RFM[1])}; got != [5]int{-1, 0, 0, 0, 0} {
		t.Errorf("recency, R, F, M, RFM of the customer without purchases: got %v, want [-1 0 0 0 0]", got)
	}

	// Only customers without purchases: nothing to cut, no breaks, no error.
	s, err = Score(tableOf([]customer{{"x", 0, 0, 0}}), testAsOf, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Breaks.Recency != nil || s.Segment[0] != SegmentNoPurchase {
		t.Errorf("all unscored: got breaks %v, segment %q; want nil, %q", s.Breaks, s.Segment[0], SegmentNoPurchase)
	}

	// An empty table scores to empty columns.
	s, err = Score(&feature.Table{}, testAsOf, Config{})
	if err != nil || len(s.R) != 0 {
		t.Errorf("empty table: got %d rows, error %v; want 0 rows, no error", len(s.R), err)
	}
}

func TestScoreDataErrors(t *testing.T) {
	future := tableOf([]customer{{"a", 10, 1, 100}, {"late", -3, 1, 100}})
	noDay := tableOf([]customer{{"a", 10, 1, 100}})
	noDay.LastPurchase[0] = feature.NoDate
	tests := []struct {
		name  string
		table *feature.Table
		want  error
		who   string
	}{
		{"purchase after the as-of day", future, ErrPurchaseAfterAsOf, `"late"`},
		{"purchases without a last day", noDay, ErrInconsistentRow, `"a"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Score(tc.table, testAsOf, Config{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.who) {
				t.Errorf("got error %v, want %v naming customer %s", err, tc.want, tc.who)
			}
		})
	}
}

func TestSegmentsFirstMatchWins(t *testing.T) {
	rules := []SegmentRule{
		{Name: "Top", R: [2]int{3, 3}, F: [2]int{3, 3}, M: [2]int{1, 3}},
		{Name: "Recent", R: [2]int{2, 3}, F: [2]int{1, 3}, M: [2]int{1, 3}}, // overlaps Top
	}
	// Fixed breaks with 3 bins: recency ≤ 10 → R 3, ≤ 20 → R 2, else R 1; frequency ≤ 1 → 1,
	// ≤ 2 → 2, else 3.
	cfg := Config{Bins: 3, Method: Fixed, Segments: rules, Fixed: Breaks{
		Recency: []float64{10, 20}, Frequency: []float64{1, 2}, Monetary: []float64{1, 2},
	}}
	table := tableOf([]customer{
		{"top", 5, 5, 100},     // R3 F3: both rules match, the first wins
		{"recent", 15, 1, 100}, // R2 F1
		{"old", 50, 5, 100},    // R1: no rule
		{"none", 0, 0, 0},
	})
	s, err := Score(table, testAsOf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Segment, []string{"Top", "Recent", SegmentOthers, SegmentNoPurchase}; !slices.Equal(got, want) {
		t.Errorf("segments: got %q, want %q", got, want)
	}

	sum := Summarize(table, s)
	var names []string
	for _, x := range sum {
		names = append(names, x.Segment)
	}
	if want := []string{"Top", "Recent", SegmentOthers, SegmentNoPurchase}; !slices.Equal(names, want) {
		t.Errorf("summary order: got %q, want %q", names, want)
	}
}

func TestSummarize(t *testing.T) {
	rules := []SegmentRule{
		{Name: "Recent", R: [2]int{2, 2}, F: [2]int{1, 2}, M: [2]int{1, 2}},
		{Name: "Empty", R: [2]int{1, 1}, F: [2]int{2, 2}, M: [2]int{2, 2}},
	}
	cfg := Config{Bins: 2, Method: Fixed, Segments: rules, Fixed: Breaks{
		Recency: []float64{30}, Frequency: []float64{1}, Monetary: []float64{0},
	}}
	table := tableOf([]customer{
		{"a", 10, 1, 1050}, {"b", 20, 3, 2000}, // Recent
		{"c", 90, 1, 500}, // R1 F1: Others
		{"d", 0, 0, -125}, // No purchase
	})
	table.Orders[3] = 2 // two returns, no purchase
	s, err := Score(table, testAsOf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := Summarize(table, s)
	// Hand computation: Recent has 2 customers, 4 purchases, 30.50 revenue, mean recency 15,
	// mean frequency 2, mean monetary 15.25.
	nan := math.NaN()
	want := []SegmentSummary{
		{Segment: "Recent", Customers: 2, Purchases: 4, Orders: 4, Revenue: 3050, MeanRecency: 15, MeanFrequency: 2, MeanMonetary: 15.25},
		{Segment: "Empty", MeanRecency: nan, MeanFrequency: nan, MeanMonetary: nan},
		{Segment: SegmentOthers, Customers: 1, Purchases: 1, Orders: 1, Revenue: 500, MeanRecency: 90, MeanFrequency: 1, MeanMonetary: 5},
		{Segment: SegmentNoPurchase, Customers: 1, Purchases: 0, Orders: 2, Revenue: -125, MeanRecency: nan, MeanFrequency: 0, MeanMonetary: -1.25},
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	if len(got) != len(want) {
		t.Fatalf("got %d segments, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Segment != w.Segment || g.Customers != w.Customers || g.Purchases != w.Purchases ||
			g.Orders != w.Orders || g.Revenue != w.Revenue || !same(g.MeanRecency, w.MeanRecency) ||
			!same(g.MeanFrequency, w.MeanFrequency) || !same(g.MeanMonetary, w.MeanMonetary) {
			t.Errorf("summary row %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		problems []string // substrings, one per expected joined error
	}{
		{"zero value is valid", Config{}, nil},
		{"rfm_r with defaults", Config{Method: RfmR}, nil},
		{"bins out of range", Config{Bins: 11}, []string{"bins 11 outside 2..10"}},
		{"unknown method", Config{Method: "kmeans"}, []string{`method "kmeans" unknown`}},
		{"default rules with 3 bins", Config{Bins: 3}, []string{"default segment rules are written for 5 bins, not 3"}},
		{"default rules need 5 bins", Config{Bins: 4, Segments: []SegmentRule{
			{Name: "Best", R: [2]int{4, 5}, F: [2]int{1, 4}, M: [2]int{0, 4}},
		}}, []string{"R range 4..5 outside the scores 1..4", "M range 0..4 outside"}},
		{"rule table problems all reported", Config{Segments: []SegmentRule{
			{Name: "A", R: [2]int{1, 5}, F: [2]int{3, 2}, M: [2]int{1, 5}},
			{Name: "A", R: [2]int{1, 5}, F: [2]int{1, 5}, M: [2]int{1, 5}},
			{Name: "Others", R: [2]int{1, 5}, F: [2]int{1, 5}, M: [2]int{1, 5}},
			{R: [2]int{1, 5}, F: [2]int{1, 5}, M: [2]int{1, 5}},
		}}, []string{"F range 3..2 is empty", "repeats the name of rule 1", "reserved name", "rule 4 has no name"}},
		{"empty rule table", Config{Segments: []SegmentRule{}}, []string{"rule table is empty"}},
		{"fixed breaks with another method", Config{Fixed: Breaks{Recency: []float64{1}}}, []string{"fixed breaks given"}},
		{"fixed breaks wrong length, unsorted, NaN", Config{Method: Fixed, Fixed: Breaks{
			Recency:   []float64{1, 2, 3, 4},
			Frequency: []float64{1, 2, 3},
			Monetary:  []float64{1, 3, 3, math.NaN()},
		}}, []string{"fixed frequency breaks: 3 values, want bins-1 = 4", "not strictly ascending at break 3", "monetary break 4 is NaN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			var got []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				got = j.Unwrap()
			}
			if len(got) != len(tc.problems) {
				t.Fatalf("got %d problems (%v), want %d (%q)", len(got), err, len(tc.problems), tc.problems)
			}
			for i, e := range got {
				if !errors.Is(e, ErrConfig) || !strings.Contains(e.Error(), tc.problems[i]) {
					t.Errorf("problem %d: got %q, want ErrConfig containing %q", i+1, e, tc.problems[i])
				}
			}
			if len(tc.problems) > 0 {
				if _, err := Score(tableOf(nil), testAsOf, tc.cfg); !errors.Is(err, ErrConfig) {
					t.Errorf("Score with this config: got %v, want ErrConfig", err)
				}
			}
		})
	}
}
