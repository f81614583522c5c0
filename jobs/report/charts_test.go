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
