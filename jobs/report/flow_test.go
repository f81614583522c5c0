package report

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// flowCase is the hand-computed layout of TestFlowLayout: two tiers and outside, 20 customers.
//
//	gold→gold 6, gold→iron 2, gold→(outside) 2, iron→gold 1, iron→iron 5, (outside)→iron 4
//
// Left: gold 10, iron 6, joined 4; right: gold 7, iron 11, lapsed 2. Three nodes a side, height
// 220 and gap 10 give k = (220 − 2·10) / 20 = 10 px per customer.
func flowCase() migrationMatrix {
	return migrationMatrix{
		states: []string{"gold", "iron", "(outside)"},
		ladder: 2,
		count: [][]float64{
			{6, 2, 2},
			{1, 5, 0},
			{0, 4, 0},
		},
	}
}

func TestFlowLayout(t *testing.T) {
	left, right, bands := flowLayout(flowCase(), 220, 10)
	const tol = 1e-9 // exact arithmetic on small integers
	// Node tops and heights by hand: a column's bars stack with the gap between them.
	nodes := []struct {
		name      string
		got       []flowNode
		wantState []string
		wantY     []float64
		wantH     []float64
	}{
		{"left", left, []string{"gold", "iron", "(outside)"}, []float64{0, 110, 180}, []float64{100, 60, 40}},
		{"right", right, []string{"gold", "iron", "(outside)"}, []float64{0, 80, 200}, []float64{70, 110, 20}},
	}
	for _, col := range nodes {
		t.Run(col.name, func(t *testing.T) {
			if len(col.got) != len(col.wantState) {
				t.Fatalf("got %d nodes, want %d", len(col.got), len(col.wantState))
			}
			for i, n := range col.got {
				if n.state != col.wantState[i] || math.Abs(n.y-col.wantY[i]) > tol || math.Abs(n.h-col.wantH[i]) > tol {
					t.Errorf("node %d: got %s y=%g h=%g, want %s y=%g h=%g", i, n.state, n.y, n.h, col.wantState[i], col.wantY[i], col.wantH[i])
				}
			}
		})
	}
	// Bands in row order; each leaves its left bar below the previous one and enters its right
	// bar in the left column's order.
	// Kinds: 0 up, 1 same, 2 down, 3 joined, 4 lapsed.
	want := []flowBand{
		{from: 0, to: 0, kind: 1, customers: 6, y0: 0, y1: 0, h: 60},
		{from: 0, to: 1, kind: 2, customers: 2, y0: 60, y1: 80, h: 20},
		{from: 0, to: 2, kind: 4, customers: 2, y0: 80, y1: 200, h: 20},
		{from: 1, to: 0, kind: 0, customers: 1, y0: 110, y1: 60, h: 10},
		{from: 1, to: 1, kind: 1, customers: 5, y0: 120, y1: 100, h: 50},
		{from: 2, to: 1, kind: 3, customers: 4, y0: 180, y1: 150, h: 40},
	}
	if len(bands) != len(want) {
		t.Fatalf("got %d bands, want %d", len(bands), len(want))
	}
	total := 0.0
	for i, b := range bands {
		w := want[i]
		if b.from != w.from || b.to != w.to || b.kind != w.kind || b.customers != w.customers ||
			math.Abs(b.y0-w.y0) > tol || math.Abs(b.y1-w.y1) > tol || math.Abs(b.h-w.h) > tol {
			t.Errorf("band %d: got %+v, want %+v", i, b, w)
		}
		total += b.h
	}
	// The band heights sum to the customers times the scale: 20 × 10 px.
	if math.Abs(total-200) > tol {
		t.Errorf("got band heights summing to %g px, want 20 customers × 10 px = 200", total)
	}
	// Every node's bands fill its bar exactly, on both sides.
	for side, col := range [][]flowNode{left, right} {
		for k, n := range col {
			sum := 0.0
			for _, b := range bands {
				if side == 0 && b.from == k || side == 1 && b.to == k {
					sum += b.h
				}
			}
			if math.Abs(sum-n.h) > tol {
				t.Errorf("side %d node %s: got bands of %g px, want its bar's %g", side, n.state, sum, n.h)
			}
		}
	}
}

func TestFlowLayoutEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		m         migrationMatrix
		wantBands int
		wantLeft  int
		wantRight int
	}{
		{"empty", migrationMatrix{states: []string{"gold"}, ladder: 1, count: [][]float64{{0}}}, 0, 0, 0},
		// Nobody lapsed: the right column has no outside node, the left keeps its joined node.
		{"no one lapsed", migrationMatrix{states: []string{"gold", "(outside)"}, ladder: 1, count: [][]float64{{3, 0}, {2, 0}}}, 2, 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			left, right, bands := flowLayout(tc.m, 100, 10)
			if len(bands) != tc.wantBands || len(left) != tc.wantLeft || len(right) != tc.wantRight {
				t.Errorf("got %d bands, %d left and %d right nodes, want %d, %d, %d",
					len(bands), len(left), len(right), tc.wantBands, tc.wantLeft, tc.wantRight)
			}
		})
	}
}

func TestFlowChart(t *testing.T) {
	mv := Movement{Previous: "2024-11-30", Up: 1, Same: 11, Down: 2, New: 3, Returned: 1, Lapsed: 2}
	c, ok := flowChart(flowCase(), mv, true, "2024-12-31")
	if !ok {
		t.Fatal("got no chart")
	}
	// The band counts drawn sum to all 20 customers of the matrix.
	sum := 0.0
	for _, m := range regexp.MustCompile(`class="band"[^>]*data-count="([0-9.]+)"`).FindAllStringSubmatch(c.SVG, -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		sum += v
	}
	if sum != 20 {
		t.Errorf("got bands of %g customers, want 20", sum)
	}
	for _, want := range []string{"tier on 2024-11-30", "tier on 2024-12-31", ">joined 4<", ">lapsed 2<", ">gold 10<", ">iron 11<"} {
		if !strings.Contains(c.SVG, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// up: iron→gold 1; down: gold→iron 2; kept 6 + 5; joined 4 (3 new + 1 returned); lapsed 2.
	if want := "Since 2024-11-30, 1 customer moved up a tier, 2 down and 11 kept theirs; 4 joined (3 new, 1 returned) and 2 lapsed."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
	if _, ok := flowChart(migrationMatrix{states: []string{"gold"}, ladder: 1, count: [][]float64{{0}}}, Movement{}, false, "2024-12-31"); ok {
		t.Error("got a chart of an empty matrix, want it left out")
	}
}

func TestMovement(t *testing.T) {
	// 2024-11-30 is day 20057 since 1970-01-01.
	f := NewFrame(8).
		SetStrings("kind", []string{"tier", "flow", "flow", "flow", "flow", "flow", "flow", "segment"}).
		SetStrings("from", []string{"gold", "up", "same", "down", "new", "returned", "lapsed", "Lost"}).
		SetStrings("to", []string{"gold", "", "", "", "", "", "", "Lost"}).
		SetNumbers("customers", []float64{99, 5, 40, 7, 3, 2, 6, 50}).
		SetNumbers("previous_as_of", []float64{20057, 20057, 20057, 20057, 20057, 20057, 20057, 20057})
	d := &Data{Tables: map[string]*Frame{"migration": f}}
	got, ok := d.Movement()
	want := Movement{Previous: "2024-11-30", Up: 5, Same: 40, Down: 7, New: 3, Returned: 2, Lapsed: 6}
	if !ok || got != want {
		t.Errorf("got %+v (%v), want %+v", got, ok, want)
	}
	if _, ok := (&Data{Tables: map[string]*Frame{}}).Movement(); ok {
		t.Error("got a movement without a migration table, want none")
	}
	// A table without flow rows has no movement, but still names the previous date (the
	// migration chart's title).
	noFlow := NewFrame(1).SetStrings("from", []string{"gold"}).SetStrings("to", []string{"gold"}).
		SetNumbers("customers", []float64{99}).SetNumbers("previous_as_of", []float64{20057})
	if got, ok := (&Data{Tables: map[string]*Frame{"migration": noFlow}}).Movement(); ok || got != (Movement{Previous: "2024-11-30"}) {
		t.Errorf("without flow rows: got %+v (%v), want only the previous date 2024-11-30 and false", got, ok)
	}
}

func BenchmarkFlowChart(b *testing.B) {
	for _, tiers := range []int{4, 8, 16} {
		m := migrationMatrix{ladder: tiers}
		for i := range tiers {
			m.states = append(m.states, "tier "+strconv.Itoa(i))
		}
		m.states = append(m.states, "(outside)")
		for i := range m.states {
			row := make([]float64, len(m.states))
			for j := range row {
				row[j] = float64(1 + (i*7+j*3)%11)
			}
			m.count = append(m.count, row)
		}
		b.Run("tiers="+strconv.Itoa(tiers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				flowChart(m, Movement{Previous: "2024-11-30"}, false, "2024-12-31")
			}
		})
	}
}
