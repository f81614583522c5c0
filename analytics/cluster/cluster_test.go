package cluster

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

// threeGroups returns 30 customers in three groups of 10 in raw business units: champions
// (bought 3 days ago, 20 orders, 2,000), lapsed one-off buyers (400 days, 1 order, 20) and a
// middle group (100 days, 5 orders, 300), with small within-group variation.
func threeGroups() []Feature {
	var rec, freq, freqRaw, money, moneyRaw []float64
	add := func(r, f, m float64) {
		for i := range 10 {
			jitter := float64(i%3) - 1 // −1, 0, 1
			rec = append(rec, r+jitter)
			freqRaw = append(freqRaw, f)
			freq = append(freq, math.Log1p(f))
			moneyRaw = append(moneyRaw, m+jitter)
			money = append(money, math.Log1p(m+jitter))
		}
	}
	add(400, 1, 20)
	add(3, 20, 2000)
	add(100, 5, 300)
	return []Feature{
		{Name: FeatureRecency, Values: rec},
		{Name: FeatureFrequency, Values: freq, Raw: freqRaw},
		{Name: FeatureMonetary, Values: money, Raw: moneyRaw},
	}
}

func TestClusterNamesNumbersAndProfiles(t *testing.T) {
	r, err := Cluster(threeGroups(), FeatureMonetary, Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Numbering by descending mean monetary: champions (rows 10..19) first, lapsed last.
	wantNames := []string{"recent, frequent, high value", "typical", "lapsed, infrequent, low value"}
	if !slices.Equal(r.Names, wantNames) {
		t.Errorf("got names %q, want %q", r.Names, wantNames)
	}
	for i, l := range r.Model.Labels {
		if want := []int32{2, 0, 1}[i/10]; l != want {
			t.Fatalf("row %d: got cluster %d, want %d", i, l, want)
		}
	}
	// Hand computation: each group has 10 customers; the members' raw means are the group
	// values (the jitter −1, 0, 1 repeats 4, 3, 3 times: mean −0.1).
	wantMean := [][]float64{{3 - 0.1, 20, 2000 - 0.1}, {100 - 0.1, 5, 300 - 0.1}, {400 - 0.1, 1, 20 - 0.1}}
	totalRevenue := 10 * (2000 + 300 + 20 - 0.3)
	for j, p := range r.Profiles {
		if p.Cluster != j || p.Size != 10 || math.Abs(p.CustomerShare-1.0/3) > 1e-15 {
			t.Errorf("cluster %d: got number %d size %d share %v, want %d, 10, 1/3", j, p.Cluster, p.Size, p.CustomerShare, j)
		}
		for c, want := range wantMean[j] {
			if math.Abs(p.Mean[c]-want) > 1e-9 {
				t.Errorf("cluster %d feature %d: got mean %v, want %v", j, c, p.Mean[c], want)
			}
		}
		wantRevenue := 10 * wantMean[j][2]
		if math.Abs(p.Revenue-wantRevenue) > 1e-9 || math.Abs(p.RevenueShare-wantRevenue/totalRevenue) > 1e-12 {
			t.Errorf("cluster %d: got revenue %v share %v, want %v and %v", j, p.Revenue, p.RevenueShare, wantRevenue, wantRevenue/totalRevenue)
		}
		// Z must be the members' mean of the standardized values.
		st := r.Standardization
		for c := range p.Z {
			var want float64
			f := threeGroups()[c]
			for i, l := range r.Model.Labels {
				if int(l) == j {
					want += (f.Values[i] - st.Mean[c]) / st.SD[c] / 10
				}
			}
			if math.Abs(p.Z[c]-want) > 1e-12 {
				t.Errorf("cluster %d feature %d: got z %v, want %v", j, c, p.Z[c], want)
			}
		}
	}
	if r.HasProfit || r.Profiles[0].Profit != 0 {
		t.Errorf("got HasProfit %v profit %v, want false and 0 without a profit feature", r.HasProfit, r.Profiles[0].Profit)
	}
}

func TestClusterProfit(t *testing.T) {
	features := threeGroups()
	profit := make([]float64, 30)
	for i := range profit {
		profit[i] = []float64{-5, 500, 60}[i/10]
	}
	features = append(features, Feature{Name: FeatureProfit, Values: profit})
	r, err := Cluster(features, FeatureMonetary, Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Hand computation: cluster profits 5000, 600, −50 of a total 5550.
	want := []float64{5000, 600, -50}
	for j, p := range r.Profiles {
		if math.Abs(p.Profit-want[j]) > 1e-9 || math.Abs(p.ProfitShare-want[j]/5550) > 1e-12 {
			t.Errorf("cluster %d: got profit %v share %v, want %v and %v", j, p.Profit, p.ProfitShare, want[j], want[j]/5550)
		}
	}
	if !r.HasProfit || r.Names[0] != "recent, frequent, high value, high profit" {
		t.Errorf("got HasProfit %v, name %q; want true and profit in the name", r.HasProfit, r.Names[0])
	}
}

func TestConstantFeature(t *testing.T) {
	features := threeGroups()
	flat := Feature{Name: "flat", Values: slices.Repeat([]float64{0.1}, 30)}
	with, err := Cluster(append(slices.Clone(features), flat), FeatureMonetary, Options{K: 3, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	without, err := Cluster(features, FeatureMonetary, Options{K: 3, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	st := with.Standardization
	if !slices.Equal(st.Constant, []string{"flat"}) || st.SD[3] != 0 || st.Mean[3] != 0.1 {
		t.Errorf("got constant %q sd %v mean %v, want [flat] 0 0.1", st.Constant, st.SD[3], st.Mean[3])
	}
	// A zero column changes no distance, so the clustering is the one without it.
	if !slices.Equal(with.Model.Labels, without.Model.Labels) || with.Model.Inertia != without.Model.Inertia {
		t.Errorf("got labels %v inertia %v, want %v %v as without the constant feature",
			with.Model.Labels, with.Model.Inertia, without.Model.Labels, without.Model.Inertia)
	}
	for _, p := range with.Profiles {
		// The mean sums ten 0.1s: allow that rounding (1e-15).
		if p.Z[3] != 0 || math.Abs(p.Mean[3]-0.1) > 1e-15 {
			t.Errorf("cluster %d: got z %v mean %v for the constant feature, want 0 and 0.1", p.Cluster, p.Z[3], p.Mean[3])
		}
	}
}

func TestClusterErrors(t *testing.T) {
	good := func() []Feature { return threeGroups() }
	withValue := func(feature, row int, v float64, raw bool) []Feature {
		f := good()
		if raw {
			f[feature].Raw[row] = v
		} else {
			f[feature].Values[row] = v
		}
		return f
	}
	tests := []struct {
		name     string
		features []Feature
		value    string
		opt      Options
		wantErr  error
		wantText string
	}{
		{"no features", nil, FeatureMonetary, Options{K: 2}, ErrNoFeatures, "no feature columns"},
		{"no rows", []Feature{{Name: "a"}}, "a", Options{K: 2}, ErrNoFeatures, "no rows"},
		{"lengths differ", append(good(), Feature{Name: "short", Values: []float64{1}}), FeatureMonetary, Options{K: 2}, ErrShape, `"short" has 1 values`},
		{"raw length differs", []Feature{{Name: "a", Values: []float64{1, 2}, Raw: []float64{1}}}, "a", Options{K: 2}, ErrShape, "raw values"},
		{"repeated name", append(good(), good()[0]), FeatureMonetary, Options{K: 2}, ErrShape, "appears twice"},
		{"empty name", []Feature{{Values: []float64{1}}}, "", Options{K: 2}, ErrShape, "no name"},
		{"unknown value feature", good(), "revenue", Options{K: 2}, ErrUnknownFeature, `"revenue"`},
		{"NaN", withValue(2, 7, math.NaN(), false), FeatureMonetary, Options{K: 2}, ErrNonFinite, `feature "monetary" row 7 is NaN`},
		{"-Inf", withValue(0, 29, math.Inf(-1), false), FeatureMonetary, Options{K: 2}, ErrNonFinite, `feature "recency_days" row 29 is -Inf`},
		{"Inf in raw", withValue(1, 0, math.Inf(1), true), FeatureMonetary, Options{K: 2}, ErrNonFinite, `feature "frequency" row 0 raw value is +Inf`},
		{"fewer customers than K", good(), FeatureMonetary, Options{K: 31}, ErrTooFewPoints, "30 points"},
		{"fewer distinct customers than K", []Feature{{Name: "a", Values: []float64{1, 1, 2, 2}}}, "a", Options{K: 3}, ErrTooFewDistinct, "2 distinct"},
		{"bad options", good(), FeatureMonetary, Options{K: -2}, ErrOptions, "K is -2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Cluster(tc.features, tc.value, tc.opt)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("got error %v, want %v containing %q", err, tc.wantErr, tc.wantText)
			}
		})
	}
}

func TestNaming(t *testing.T) {
	tests := []struct {
		name  string
		z     [][]float64
		names []string
		want  []string
	}{
		{"recency inverted", [][]float64{{-0.6, 0, 0}, {0.6, 0, 0}}, []string{FeatureRecency, FeatureFrequency, FeatureMonetary},
			[]string{"recent", "lapsed"}},
		{"threshold is strict", [][]float64{{0.5, -0.5, 0.51}}, []string{FeatureRecency, FeatureFrequency, FeatureMonetary},
			[]string{"high value"}},
		{"unknown features", [][]float64{{1, -1}}, []string{"tenure", FeatureMonetary}, []string{"high tenure, low value"}},
		{"repeated names numbered", [][]float64{{0, 0}, {0.1, 0}, {0, 0.2}, {1, 0}, {1, 0.1}},
			[]string{FeatureFrequency, FeatureMonetary}, []string{"typical", "typical 2", "typical 3", "frequent", "frequent 2"}},
		{"degree told apart beyond 1.5 sd", [][]float64{{-2, 1.6, 2}, {-0.8, 0.9, 0.7}, {1.6, -0.6, -0.51}},
			[]string{FeatureRecency, FeatureFrequency, FeatureMonetary},
			[]string{"very recent, very frequent, very high value", "recent, frequent, high value", "long lapsed, infrequent, low value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			profiles := make([]Profile, len(tc.z))
			for j := range profiles {
				profiles[j].Z = tc.z[j]
			}
			nameClusters(profiles, tc.names, FeatureMonetary)
			for j, p := range profiles {
				if p.Name != tc.want[j] {
					t.Errorf("cluster %d: got %q, want %q", j, p.Name, tc.want[j])
				}
			}
		})
	}
}

func TestFeaturesFromAndExpand(t *testing.T) {
	tb := &feature.Table{MoneyScale: 2}
	tb.Grow(4)
	tb.CustomerID = []string{"a", "b", "c", "d"}
	// a: two purchases, 123.45, last on day 90; b: no purchase; c: one purchase netted
	// negative by a return (−5.00), day 100; d: one purchase of 0.99 on day 60.
	for i, row := range []struct {
		freq     int64
		monetary int64
		last     int32
	}{{2, 12345, 90}, {0, 0, feature.NoDate}, {1, -500, 100}, {1, 99, 60}} {
		tb.Frequency[i], tb.Orders[i], tb.PurchaseDays[i] = row.freq, row.freq, row.freq
		tb.Monetary[i], tb.LastPurchase[i], tb.FirstPurchase[i] = row.monetary, row.last, row.last
	}
	if err := tb.Check(); err != nil {
		t.Fatal(err)
	}
	features, rows, err := FeaturesFrom(tb, 100, []float64{7, 8, -9, 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, []int{0, 2, 3}) {
		t.Fatalf("got rows %v, want [0 2 3]", rows)
	}
	// Hand computation from the table above.
	want := map[string][]float64{
		FeatureRecency:   {10, 0, 40},
		FeatureFrequency: {math.Log1p(2), math.Log1p(1), math.Log1p(1)},
		FeatureMonetary:  {math.Log1p(123.45), 0, math.Log1p(0.99)},
		FeatureProfit:    {7, -9, 10},
	}
	wantRaw := map[string][]float64{FeatureFrequency: {2, 1, 1}, FeatureMonetary: {123.45, -5, 0.99}}
	if len(features) != 4 {
		t.Fatalf("got %d features, want 4", len(features))
	}
	for _, f := range features {
		for i, v := range f.Values {
			if math.Abs(v-want[f.Name][i]) > 1e-12 {
				t.Errorf("%s[%d]: got %v, want %v", f.Name, i, v, want[f.Name][i])
			}
		}
		if !slices.Equal(f.Raw, wantRaw[f.Name]) {
			t.Errorf("%s raw: got %v, want %v", f.Name, f.Raw, wantRaw[f.Name])
		}
	}
	r, err := Cluster(features, FeatureMonetary, Options{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	labels, names := r.Expand(tb.Len(), rows)
	if labels[1] != -1 || names[1] != NoPurchaseName || labels[0] != r.Model.Labels[0] || names[3] != r.Names[r.Model.Labels[2]] {
		t.Errorf("got labels %v names %q, want −1/%q for b and the clustered labels elsewhere", labels, names, NoPurchaseName)
	}
	if _, _, err := FeaturesFrom(tb, 99, nil); !errors.Is(err, ErrFutureDate) || !strings.Contains(err.Error(), `"c"`) {
		t.Errorf("got error %v, want %v naming customer c", err, ErrFutureDate)
	}
	if f, _, _ := FeaturesFrom(tb, 100, nil); len(f) != 3 {
		t.Errorf("got %d features without profit, want 3", len(f))
	}
}

func TestOptionsValidateListsEveryProblem(t *testing.T) {
	err := Options{KMin: 1, KMax: 0, Restarts: -1, MaxIter: -3, Tol: math.NaN(), Workers: -1, SilhouetteSample: 1}.Validate()
	for _, want := range []string{"KMin is 1", "Restarts is -1", "MaxIter is -3", "Tol is NaN", "Workers is -1", "SilhouetteSample is 1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to contain %q", err, want)
		}
	}
	if !errors.Is(err, ErrOptions) {
		t.Errorf("got %v, want it to wrap ErrOptions", err)
	}
	// Each problem is an *OptionError naming its field, for callers that rename fields.
	var fields []string
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			var oe *OptionError
			if errors.As(e, &oe) {
				fields = append(fields, oe.Field)
			}
		}
	}
	if want := []string{"KMin", "Restarts", "MaxIter", "Tol", "Workers", "SilhouetteSample"}; !slices.Equal(fields, want) {
		t.Errorf("option error fields = %v, want %v", fields, want)
	}
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("zero Options: got %v, want nil", err)
	}
}
