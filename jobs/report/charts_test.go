package report

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// nan is a null number in a Frame.
var nan = math.NaN()

// cellCounts returns the data-count of every heatmap cell keyed "r,f".
func cellCounts(t *testing.T, svg string) map[string]int64 {
	t.Helper()
	re := regexp.MustCompile(`class="cell" data-r="(\d+)" data-f="(\d+)" data-count="(\d+)"`)
	out := map[string]int64{}
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		n, _ := strconv.ParseInt(m[3], 10, 64)
		out[m[1]+","+m[2]] = n
	}
	return out
}

func TestRFHeatmapCells(t *testing.T) {
	tests := []struct {
		name      string
		r, f, m   []float64
		bins      int
		want      map[string]int64 // non-zero cells, counted by hand
		wantMeanH string           // mean monetary of the best cell as drawn
	}{
		{
			name: "three scores", bins: 3,
			r: []float64{3, 3, 1, 2, nan}, f: []float64{3, 3, 1, 1, nan}, m: []float64{100, 300, 50, 10, -5},
			want:      map[string]int64{"3,3": 2, "1,1": 1, "2,1": 1},
			wantMeanH: "200",
		},
		{
			name: "five scores, null and out-of-range rows dropped", bins: 5,
			r: []float64{5, 4, 4, 1, 0, 2.5}, f: []float64{5, 2, 2, 5, 3, 1}, m: []float64{1000, 20, 40, 7, 1, 1},
			want:      map[string]int64{"5,5": 1, "4,2": 2, "1,5": 1},
			wantMeanH: "1,000",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, ok := newRFGrid(tc.r, tc.f, tc.m)
			if !ok {
				t.Fatal("got no grid, want one")
			}
			if g.bins != tc.bins {
				t.Errorf("got %d bins, want %d", g.bins, tc.bins)
			}
			c := rfHeatmap(g, false)
			got := cellCounts(t, c.SVG)
			if len(got) != tc.bins*tc.bins {
				t.Errorf("got %d cells, want bins² = %d", len(got), tc.bins*tc.bins)
			}
			for k, n := range got {
				if n != tc.want[k] {
					t.Errorf("cell %s: got %d customers, want %d", k, n, tc.want[k])
				}
			}
			mc := rfHeatmap(g, true)
			best := strconv.Itoa(tc.bins)
			if !strings.Contains(mc.Reading, "R "+best+" × F "+best+" spend "+tc.wantMeanH) &&
				!strings.Contains(mc.Reading, tc.wantMeanH+", is in R") {
				t.Errorf("monetary reading %q does not give the best cell's mean %s", mc.Reading, tc.wantMeanH)
			}
		})
	}
	if _, ok := newRFGrid([]float64{nan}, []float64{nan}, nil); ok {
		t.Error("got a grid without scored customers, want none")
	}
}

// pathPoints counts the points of an SVG path "M x y L x y …" of the given class.
func pathPoints(t *testing.T, svg, class string) [][2]float64 {
	t.Helper()
	re := regexp.MustCompile(`<path d="([^"]*)" class="` + class + `"`)
	m := re.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no path of class %q", class)
	}
	var pts [][2]float64
	for _, seg := range strings.FieldsFunc(m[1], func(r rune) bool { return r == 'M' || r == 'L' }) {
		f := strings.Fields(seg)
		x, _ := strconv.ParseFloat(f[0], 64)
		y, _ := strconv.ParseFloat(f[1], 64)
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

// lorenzTable is a pareto table whose Lorenz curve is L(p) = p², Gini 1/3 (2∫(p − p²)dp).
func lorenzTable() *Frame {
	var curve, metric []string
	var x, v []float64
	add := func(c, m string, cx, val float64) {
		curve, metric, x, v = append(curve, c), append(metric, m), append(x, cx), append(v, val)
	}
	add("summary", "customers", 0, 100)
	add("summary", "a_customers", 0, 20)
	add("summary", "b_customers", 0, 30)
	add("summary", "top_20pct_share", 0.2, 0.36)
	add("summary", "gini", 0, 1.0/3)
	for j := 0; j <= 100; j++ {
		p := float64(j) / 100
		add("lorenz", "value_share", p, p*p)
	}
	return NewFrame(len(curve)).SetStrings("curve", curve).SetStrings("metric", metric).
		SetNumbers("customer_share", x).SetNumbers("value", v)
}

func TestLorenzChart(t *testing.T) {
	pt, ok := readPareto(lorenzTable())
	if !ok {
		t.Fatal("pareto table not read")
	}
	c, ok := lorenzChart(pt)
	if !ok {
		t.Fatal("got no Lorenz chart, want one")
	}
	pts := pathPoints(t, c.SVG, "curve lorenz")
	if len(pts) != 101 {
		t.Errorf("got %d points, want 101", len(pts))
	}
	// The plot spans x 66..544 and y 26..366 (w 560, h 420, margins 66/16/26/54): L(0) = 0 sits at
	// the bottom left corner and L(1) = 1 at the top right; L(0.5) = 0.25 a quarter up.
	want := [][2]float64{{66, 366}, {544, 26}}
	for i, p := range [][2]float64{pts[0], pts[100]} {
		if math.Abs(p[0]-want[i][0]) > 0.01 || math.Abs(p[1]-want[i][1]) > 0.01 {
			t.Errorf("end point %d: got %v, want %v", i, p, want[i])
		}
	}
	if got, want := pts[50][1], 366-0.25*340; math.Abs(got-want) > 0.01 {
		t.Errorf("L(0.5) at y %v, want %v", got, want)
	}
	for _, band := range []string{`data-class="A"`, `data-class="B"`, `data-class="C"`} {
		if !strings.Contains(c.SVG, band) {
			t.Errorf("band %s missing", band)
		}
	}
	wantReading := "The top 20% of customers make 36% of revenue; Gini 0.33; class A (20% of customers) makes 80%."
	if c.Reading != wantReading {
		t.Errorf("got reading %q, want %q", c.Reading, wantReading)
	}
}

func TestWhaleChart(t *testing.T) {
	// Profits 10, 5, −1 (hand computation): the curve rises to 15/14 = 107% at 2/3 of the
	// customers and falls back to 100%.
	whale := func(ys ...float64) *Frame {
		n := len(ys)
		curve, x := make([]string, n), make([]float64, n)
		for i := range ys {
			curve[i], x[i] = "whale", float64(i)/float64(n-1)
		}
		return NewFrame(n).SetStrings("curve", curve).SetNumbers("customer_share", x).SetNumbers("value", ys)
	}
	tests := []struct {
		name    string
		frame   *Frame
		ok      bool
		reading string
	}{
		{"peak above 100%", whale(0, 10.0/14, 15.0/14, 1), true,
			"The top 67% of customers make 107% of profit; the other 33% give back 7 points of it."},
		{"no unprofitable tail", whale(0, 0.6, 0.9, 1), true, "The top 100% of customers make 100% of profit."},
		{"undefined shares", whale(0, 0, 0), false, ""},
		{"one point", whale(1), false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pt, _ := readPareto(tc.frame)
			c, ok := whaleChart(pt)
			if ok != tc.ok {
				t.Fatalf("got ok %v, want %v", ok, tc.ok)
			}
			if ok && c.Reading != tc.reading {
				t.Errorf("got %q, want %q", c.Reading, tc.reading)
			}
			if ok && !strings.Contains(c.SVG, `class="peak"`) {
				t.Error("peak not marked")
			}
		})
	}
}

func TestTierRows(t *testing.T) {
	tiers := []string{"platinum", "gold", "iron", "lead"}
	tests := []struct {
		name  string
		frame *Frame
		want  []tierRow
	}{
		{"shares as fractions",
			NewFrame(4).SetStrings("tier", tiers).SetNumbers("customer_share", []float64{0.05, 0.15, 0.5, 0.3}).
				SetNumbers("profit_share", []float64{0.6, 0.5, 0.1, -0.2}),
			[]tierRow{{"platinum", 0.05, 0.6}, {"gold", 0.15, 0.5}, {"iron", 0.5, 0.1}, {"lead", 0.3, -0.2}}},
		{"shares as percentages",
			NewFrame(4).SetStrings("tier", tiers).SetNumbers("customer_share", []float64{5, 15, 50, 30}).
				SetNumbers("profit_share", []float64{60, 50, 10, -20}),
			[]tierRow{{"platinum", 0.05, 0.6}, {"gold", 0.15, 0.5}, {"iron", 0.5, 0.1}, {"lead", 0.3, -0.2}}},
		{"shares computed from customers and profit",
			NewFrame(4).SetStrings("tier", tiers).SetNumbers("customers", []float64{1, 3, 10, 6}).
				SetNumbers("profit", []float64{600, 500, 100, -200}),
			[]tierRow{{"platinum", 0.05, 0.6}, {"gold", 0.15, 0.5}, {"iron", 0.5, 0.1}, {"lead", 0.3, -0.2}}},
		{"no profit column: left out", NewFrame(4).SetStrings("tier", tiers).SetNumbers("customers", []float64{1, 3, 10, 6}), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tierRows(tc.frame)
			if ok != (tc.want != nil) {
				t.Fatalf("got ok %v, want %v", ok, tc.want != nil)
			}
			for i := range tc.want {
				if got[i].name != tc.want[i].name || math.Abs(got[i].customerShare-tc.want[i].customerShare) > 1e-12 ||
					math.Abs(got[i].profitShare-tc.want[i].profitShare) > 1e-12 {
					t.Errorf("row %d: got %+v, want %+v", i, got[i], tc.want[i])
				}
			}
			if ok {
				c := pyramidChart(got)
				if n := strings.Count(c.SVG, `class="bar"`); n != 2*len(tc.want) {
					t.Errorf("got %d bars, want %d", n, 2*len(tc.want))
				}
				if want := "platinum: 5% of customers make 60% of profit; lead: 30% of customers, −20% of profit."; c.Reading != want {
					t.Errorf("got %q, want %q", c.Reading, want)
				}
			}
		})
	}
}

func TestCostToServe(t *testing.T) {
	f := NewFrame(5).
		SetStrings("tier", []string{"gold", "gold", "iron", "iron", "gold"}).
		SetStrings("activity", []string{"delivery", "support", "delivery", "delivery", "delivery"}).
		SetStrings("customer_id", []string{"", "", "", "", "C1"}).
		SetNumbers("cost", []float64{30, 10, 40, 20, 1000})
	cells, ok := ctsCells(f)
	if !ok {
		t.Fatal("got no cells")
	}
	// Summed by hand over the rows without a customer: gold delivery 30, gold support 10, iron
	// delivery 40 + 20.
	want := []ctsCell{{"gold", "delivery", 30}, {"gold", "support", 10}, {"iron", "delivery", 60}}
	if len(cells) != len(want) {
		t.Fatalf("got %v, want %v", cells, want)
	}
	for i := range want {
		if cells[i] != want[i] {
			t.Errorf("cell %d: got %+v, want %+v", i, cells[i], want[i])
		}
	}
	c := ctsChart(cells, []string{"iron", "gold"})
	if want := "delivery is the largest cost to serve (90% of 100); iron customers carry 60% of the total."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
	if strings.Index(c.SVG, ">iron<") > strings.Index(c.SVG, ">gold<") {
		t.Error("tiers not in the tiers table's order")
	}
	// The job's table has a grain column: only grain 'tier' rows count, whatever customer_id holds.
	grained := NewFrame(4).
		SetStrings("grain", []string{"tier", "tier", "customer", "customer"}).
		SetStrings("tier", []string{"gold", "iron", "gold", "iron"}).
		SetStrings("activity", []string{"delivery", "delivery", "delivery", "delivery"}).
		SetStrings("customer_id", []string{"", "", "C1", "C2"}).
		SetNumbers("cost", []float64{30, 50, 30, 50})
	cells, _ = ctsCells(grained)
	if want := []ctsCell{{"gold", "delivery", 30}, {"iron", "delivery", 50}}; len(cells) != 2 || cells[0] != want[0] || cells[1] != want[1] {
		t.Errorf("grain rows: got %v, want %v", cells, want)
	}
	if _, ok := ctsCells(NewFrame(1).SetStrings("tier", []string{"gold"}).SetStrings("activity", []string{"x"})); ok {
		t.Error("got cells without a cost column, want none")
	}
}

func TestMigration(t *testing.T) {
	// platinum→platinum 8, platinum→gold 2, gold→platinum 1, gold→gold 9, (outside)→gold 3,
	// gold→(outside) 4; a segment row to skip. Both dates: 20 customers, 17 kept, 1 up, 2 down.
	f := NewFrame(7).
		SetStrings("kind", []string{"tier", "tier", "tier", "tier", "tier", "tier", "segment"}).
		SetStrings("from", []string{"platinum", "platinum", "gold", "gold", "(outside)", "gold", "Champions"}).
		SetStrings("to", []string{"platinum", "gold", "platinum", "gold", "gold", "(outside)", "Lost"}).
		SetNumbers("customers", []float64{8, 2, 1, 9, 3, 4, 100})
	m, ok := readMigration(f, []string{"platinum", "gold", "iron"})
	if !ok {
		t.Fatal("got no matrix")
	}
	if want := []string{"platinum", "gold", "iron", "(outside)"}; strings.Join(m.states, "|") != strings.Join(want, "|") {
		t.Errorf("got states %v, want %v", m.states, want)
	}
	c := migrationChart(m, "2024-11-30")
	if c.Title != "Tier migration since 2024-11-30" {
		t.Errorf("got title %q, want the previous date in it", c.Title)
	}
	if n := strings.Count(c.SVG, `class="cell"`); n != 16 {
		t.Errorf("got %d cells, want 4² = 16", n)
	}
	if want := "Of customers tiered on both dates, 85% kept their tier, 5% moved up and 10% moved down; 3 joined and 4 lapsed."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
	if _, ok := readMigration(NewFrame(1).SetStrings("from", []string{"a"}), nil); ok {
		t.Error("got a matrix without to and customers columns, want none")
	}
}

func TestClusters(t *testing.T) {
	wide := NewFrame(2).SetNumbers("cluster", []float64{0, 1}).SetStrings("cluster_name", []string{"big spenders", "typical"}).
		SetNumbers("customers", []float64{25, 75}).SetNumbers("z_recency_days", []float64{-0.5, 0.2}).
		SetNumbers("z_monetary", []float64{2.5, -0.8})
	long := NewFrame(4).SetNumbers("cluster", []float64{0, 0, 1, 1}).SetStrings("name", []string{"big spenders", "big spenders", "typical", "typical"}).
		SetNumbers("size", []float64{25, 25, 75, 75}).SetStrings("feature", []string{"recency_days", "monetary", "recency_days", "monetary"}).
		SetNumbers("z", []float64{-0.5, 2.5, 0.2, -0.8})
	// The job's layout (jobs/outputs.go, clusters table): section, name, label, index, value.
	sectioned := NewFrame(9).
		SetStrings("section", []string{"profile", "profile", "centroid_z", "centroid_z", "profile", "centroid_z", "centroid_z", "standardization", "fit"}).
		SetStrings("name", []string{"customers", "customer_share", "recency_days", "monetary", "customers", "recency_days", "monetary", "mean", "k"}).
		SetStrings("label", []string{"big spenders", "big spenders", "big spenders", "big spenders", "typical", "typical", "typical", "recency_days", ""}).
		SetNumbers("value", []float64{25, 0.25, -0.5, 2.5, 75, 0.2, -0.8, 190, 2})
	for name, f := range map[string]*Frame{"wide": wide, "long": long, "sectioned": sectioned} {
		t.Run(name, func(t *testing.T) {
			features, profiles, ok := readClusters(f)
			if !ok {
				t.Fatal("got no profiles")
			}
			if strings.Join(features, ",") != "recency_days,monetary" {
				t.Errorf("got features %v", features)
			}
			if len(profiles) != 2 || profiles[0].share != 0.25 || profiles[1].z[1] != -0.8 {
				t.Errorf("got profiles %+v", profiles)
			}
			c := snakeChart(features, profiles)
			if want := "“big spenders” (25% of customers) stands out most: 2.5 sd above the mean monetary."; c.Reading != want {
				t.Errorf("got %q, want %q", c.Reading, want)
			}
			if n := len(pathPoints(t, c.SVG, "curve snake")); n != 2 {
				t.Errorf("got %d points on the first line, want 2", n)
			}
		})
	}
	if _, _, ok := readClusters(NewFrame(1).SetStrings("cluster_name", []string{"x"})); ok {
		t.Error("got profiles without z columns, want none")
	}
}

func TestCLVHistogram(t *testing.T) {
	// 0..99 and one outlier: the 99th percentile (type 7) of 0..100 ∪ {10000} … every value is
	// counted once; the top 10% (11 customers: 90..99 and 10000) hold (945 + 10000)/14950.
	v := make([]float64, 0, 102)
	for i := 0; i < 100; i++ {
		v = append(v, float64(i))
	}
	v = append(v, 10000, nan)
	s := append([]float64(nil), finite(v)...)
	if len(s) != 101 {
		t.Fatalf("got %d finite values, want 101", len(s))
	}
	c := histogram(s, 0, 99, 24)
	var n int64
	for _, k := range c {
		n += k
	}
	if n != 101 {
		t.Errorf("histogram holds %d values, want 101", n)
	}
	ch, ok := clvChart(v)
	if !ok {
		t.Fatal("got no CLV chart")
	}
	if want := "Median predicted value 50; the top 10% of customers hold 73% of it."; ch.Reading != want {
		t.Errorf("got %q, want %q", ch.Reading, want)
	}
	if _, ok := clvChart([]float64{nan, 3}); ok {
		t.Error("got a chart from one value, want none")
	}
}

func TestQuantileSorted(t *testing.T) {
	// Type-7 quantiles of 1..5, by hand: h = q·(n−1).
	s := []float64{1, 2, 3, 4, 5}
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {0.5, 3}, {0.9, 4.6}, {1, 5}} {
		if got := quantileSorted(s, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("q %v: got %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestAliveChart(t *testing.T) {
	// Five repeat customers at 1 day (p_alive 0.9), five at 98 days (0.2), five one-time buyers
	// at 98 days (1, as BG/NBD has it) and two repeat customers at 50 days (0.5), one row null.
	// hi = niceMax(98, 6) = 100: 20 bands of 5 days; band 0 holds day 1, band 19 day 98, band 10
	// day 50 (fewer than 5 customers: no point on the line). Means by hand.
	var rec, alive, freq []float64
	add := func(k int, r, a, f float64) {
		for i := 0; i < k; i++ {
			rec, alive, freq = append(rec, r), append(alive, a), append(freq, f)
		}
	}
	add(5, 1, 0.9, 2)
	add(5, 98, 0.2, 3)
	add(5, 98, 1, 1)
	add(2, 50, 0.5, 2)
	add(1, nan, 0.5, 0)
	tests := []struct {
		name    string
		freq    []float64
		reading string
	}{
		{"repeat customers", freq, "Repeat customers who bought in the last 5 days are on average 90% likely to be alive; after 95 days, 20%."},
		{"no frequency column", nil, "Customers who bought in the last 5 days are on average 90% likely to be alive; after 95 days, 60%."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := aliveChart(rec, alive, tc.freq)
			if !ok {
				t.Fatal("got no chart")
			}
			if n := len(pathPoints(t, c.SVG, "curve mean")); n != 2 {
				t.Errorf("got %d band means, want 2", n)
			}
			if c.Reading != tc.reading {
				t.Errorf("got %q, want %q", c.Reading, tc.reading)
			}
			if n := strings.Count(c.SVG, `<circle`); n != 17 {
				t.Errorf("got %d dots, want 17", n)
			}
		})
	}
}

func TestQualityChart(t *testing.T) {
	m := &Manifest{}
	m.Rows.Read, m.Rows.Used, m.Rows.Rejected, m.Rows.AfterAsOf = 1000, 900, 60, 40
	m.Rows.RejectedByReason = map[string]int64{"bad_timestamp": 10, "null_customer_id": 50}
	c := qualityChart(m)
	re := regexp.MustCompile(`data-rows="(\d+)"`)
	var got []string
	for _, x := range re.FindAllStringSubmatch(c.SVG, -1) {
		got = append(got, x[1])
	}
	if want := "900,50,10,40"; strings.Join(got, ",") != want {
		t.Errorf("got bars %v, want %s (used, rejections largest first, after as-of)", got, want)
	}
	if want := "90% of 1,000 rows read were used; 60 rejected (mostly null_customer_id); 40 fall after the as-of date."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"count", count(1234567), "1,234,567"},
		{"count small", count(12), "12"},
		{"count negative", count(-1234), "−1,234"},
		{"money millions", money(1234567.8), "1.23M"},
		{"money thousands", money(45678), "45.7k"},
		{"money hundreds", money(1234.5), "1,235"},
		{"money tens", money(87.88), "87.9"},
		{"money units", money(1.234), "1.23"},
		{"money negative", money(-2500000), "−2.5M"},
		{"pct large", pct(0.743), "74%"},
		{"pct medium", pct(0.0742), "7.4%"},
		{"pct small", pct(0.0042), "0.42%"},
		{"pct negligible negative", pct(-0.00001), "0%"},
		{"pct almost all", pct(0.99887), "99.8%"},
		{"decimal", decimal(-0.126, 2), "−0.13"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 1, 5, "0 0.2 0.4 0.6 0.8 1"},
		{0, 97, 5, "0 20 40 60 80"},
		{-1.5, 2.5, 4, "-1 0 1 2"},
	}
	for _, tc := range tests {
		var got []string
		for _, v := range niceTicks(tc.lo, tc.hi, tc.n) {
			got = append(got, strconv.FormatFloat(v, 'g', 6, 64))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("niceTicks(%v, %v, %d): got %v, want %s", tc.lo, tc.hi, tc.n, got, tc.want)
		}
	}
}

func TestSegmentChart(t *testing.T) {
	// 100 customers and 1,000 of revenue (by hand): Champions 5% of customers make 40% of
	// revenue (ratio 8); Tiny is 0.5% with 10% (ratio 20, but below 1% of customers); Lost is
	// 94.5% with 50%; an empty segment is left out.
	f := NewFrame(4).SetStrings("segment", []string{"Champions", "Tiny", "Empty", "Lost"}).
		SetNumbers("customers", []float64{10, 1, 0, 189}).SetNumbers("revenue", []float64{400, 100, 0, 500})
	rows, ok := segmentRows(f)
	if !ok {
		t.Fatal("got no rows")
	}
	if len(rows) != 3 {
		t.Fatalf("got %d segments, want 3 (the empty one left out)", len(rows))
	}
	c := segmentChart(rows)
	if want := "Champions are 5% of customers and make 40% of revenue."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
	if n := strings.Count(c.SVG, `class="bar"`); n != 6 {
		t.Errorf("got %d bars, want 2 per segment = 6", n)
	}
	if _, ok := segmentRows(NewFrame(1).SetStrings("segment", []string{"x"})); ok {
		t.Error("got rows without customers and revenue columns, want none")
	}
}

func TestSnakeClipsTinyClusters(t *testing.T) {
	// One customer in 1,000 (0.1%) is 70 sd above the mean profit; the others lie within ±2.
	features := []string{"recency_days", "profit"}
	profiles := []clusterProfile{
		{name: "whale", size: 1, share: 0.001, z: []float64{0.2, 70}},
		{name: "recent", size: 600, share: 0.6, z: []float64{-0.8, 0.3}},
		{name: "lapsed", size: 399, share: 0.399, z: []float64{1.6, -0.4}},
	}
	c := snakeChart(features, profiles)
	if n := strings.Count(c.SVG, `class="clipped"`); n != 1 {
		t.Errorf("got %d clipped points, want the whale's profit only", n)
	}
	if !strings.Contains(c.SVG, ">70 sd<") {
		t.Error("the clipped point is not labelled with its value")
	}
	// The scale is set by the main clusters: niceMax(1.6, 4) = 2, so the top tick is 2 (not 70
	// or 80).
	if !strings.Contains(c.SVG, `class="tick">2<`) || strings.Contains(c.SVG, `class="tick">80<`) {
		t.Error("the y scale does not stop at the main clusters' ±2")
	}
	if want := "“lapsed” (40% of customers) stands out most: 1.6 sd above the mean recency_days; outliers: “whale” (0.1%)."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
}
