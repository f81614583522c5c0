package migration

import (
	"errors"
	"slices"
	"testing"
)

var ladder = Ladder{"platinum", "gold", "iron", "lead"}

// fixture is a hand-made pair of periods: a moves up, b stays (but changes segment), c moves
// down two tiers, d and e lapse, f is new, g returns after an absence.
func fixture() (prev, cur *Period) {
	prev = &Period{
		CustomerID: []string{"a", "b", "c", "d", "e"},
		Tier:       []string{"gold", "platinum", "iron", "lead", "gold"},
		Segment:    []string{"champions", "loyal", "at_risk", "lost", "loyal"},
		Revenue:    []int64{100, 500, 50, 5, 80},
		Profit:     []int64{30, 200, 10, -2, 20},
	}
	cur = &Period{
		CustomerID: []string{"a", "b", "c", "f", "g"},
		Tier:       []string{"platinum", "platinum", "lead", "iron", "gold"},
		Segment:    []string{"champions", "champions", "lost", "new_customers", "loyal"},
		Revenue:    []int64{150, 400, 10, 60, 90},
		Profit:     []int64{45, 150, 1, 15, 25},
	}
	return prev, cur
}

func seenG(id string) bool { return id == "g" }

func TestComparePerCustomer(t *testing.T) {
	prev, cur := fixture()
	tests := []struct {
		name       string
		seenBefore func(string) bool
		change     []Change
	}{
		{"g seen before returns", seenG, []Change{Up, Same, Down, New, Returned}},
		{"nobody seen before: g is new", nil, []Change{Up, Same, Down, New, New}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Compare(prev, cur, ladder, Options{SeenBefore: tc.seenBefore})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.TierChange, tc.change) {
				t.Errorf("TierChange got %v, want %v", res.TierChange, tc.change)
			}
			if want := []string{"gold", "platinum", "iron", "", ""}; !slices.Equal(res.TierPrev, want) {
				t.Errorf("TierPrev got %q, want %q", res.TierPrev, want)
			}
			if want := []string{"champions", "loyal", "at_risk", "", ""}; !slices.Equal(res.SegmentPrev, want) {
				t.Errorf("SegmentPrev got %q, want %q", res.SegmentPrev, want)
			}
			if want := []int{3, 4}; !slices.Equal(res.Lapsed, want) {
				t.Errorf("Lapsed got %v, want %v (rows of d and e)", res.Lapsed, want)
			}
		})
	}
}

// cellAt finds the cell from → to by label.
func cellAt(t *testing.T, m Matrix, from, to string) Cell {
	t.Helper()
	f, g := slices.Index(m.States, from), slices.Index(m.States, to)
	if f < 0 || g < 0 {
		t.Fatalf("states %v lack %q or %q", m.States, from, to)
	}
	return m.Cells[f][g]
}

func TestCompareMatricesHandComputed(t *testing.T) {
	prev, cur := fixture()
	res, err := Compare(prev, cur, ladder, Options{SeenBefore: seenG})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"platinum", "gold", "iron", "lead", Outside}; !slices.Equal(res.Tiers.States, want) {
		t.Fatalf("tier states got %v, want %v", res.Tiers.States, want)
	}
	if want := []string{"at_risk", "champions", "lost", "loyal", "new_customers", Outside}; !slices.Equal(res.Segments.States, want) {
		t.Fatalf("segment states got %v, want %v (sorted, then outside)", res.Segments.States, want)
	}
	// Every non-empty cell, computed by hand from the fixture; all other cells must be zero.
	tests := []struct {
		name     string
		m        Matrix
		from, to string
		want     Cell
	}{
		{"tier a gold→platinum", res.Tiers, "gold", "platinum", Cell{1, 100, 150, 30, 45}},
		{"tier b platinum→platinum", res.Tiers, "platinum", "platinum", Cell{1, 500, 400, 200, 150}},
		{"tier c iron→lead", res.Tiers, "iron", "lead", Cell{1, 50, 10, 10, 1}},
		{"tier f entered iron", res.Tiers, Outside, "iron", Cell{1, 0, 60, 0, 15}},
		{"tier g entered gold", res.Tiers, Outside, "gold", Cell{1, 0, 90, 0, 25}},
		{"tier d lead lapsed", res.Tiers, "lead", Outside, Cell{1, 5, 0, -2, 0}},
		{"tier e gold lapsed", res.Tiers, "gold", Outside, Cell{1, 80, 0, 20, 0}},
		{"segment a champions→champions", res.Segments, "champions", "champions", Cell{1, 100, 150, 30, 45}},
		{"segment b loyal→champions", res.Segments, "loyal", "champions", Cell{1, 500, 400, 200, 150}},
		{"segment c at_risk→lost", res.Segments, "at_risk", "lost", Cell{1, 50, 10, 10, 1}},
		{"segment f entered new_customers", res.Segments, Outside, "new_customers", Cell{1, 0, 60, 0, 15}},
		{"segment g entered loyal", res.Segments, Outside, "loyal", Cell{1, 0, 90, 0, 25}},
		{"segment d lost lapsed", res.Segments, "lost", Outside, Cell{1, 5, 0, -2, 0}},
		{"segment e loyal lapsed", res.Segments, "loyal", Outside, Cell{1, 80, 0, 20, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cellAt(t, tc.m, tc.from, tc.to); got != tc.want {
				t.Errorf("cell %s→%s got %+v, want %+v", tc.from, tc.to, got, tc.want)
			}
		})
	}
	for name, m := range map[string]Matrix{"tiers": res.Tiers, "segments": res.Segments} {
		cells := 0
		var total Cell
		for _, row := range m.Cells {
			for _, c := range row {
				if c != (Cell{}) {
					cells++
				}
				total.Customers += c.Customers
				total.RevenuePrev += c.RevenuePrev
				total.Revenue += c.Revenue
			}
		}
		// 7 customers in all; revenue 100+500+50+5+80 = 735 before, 150+400+10+60+90 = 710 now.
		if want := (Cell{Customers: 7, RevenuePrev: 735, Revenue: 710}); total != want {
			t.Errorf("%s totals got %+v, want %+v", name, total, want)
		}
		if cells != 7 {
			t.Errorf("%s has %d non-empty cells, want 7 (one per customer here)", name, cells)
		}
	}
}

func TestCompareFlows(t *testing.T) {
	prev, cur := fixture()
	tests := []struct {
		name    string
		profit  bool
		flows   []Flow
		seenFun func(string) bool
	}{
		{"with profit", true, []Flow{
			{Up, Cell{1, 100, 150, 30, 45}},
			{Same, Cell{1, 500, 400, 200, 150}},
			{Down, Cell{1, 50, 10, 10, 1}},
			{New, Cell{1, 0, 60, 0, 15}},
			{Returned, Cell{1, 0, 90, 0, 25}},
			{Lapsed, Cell{2, 85, 0, 18, 0}},
		}, seenG},
		{"profit unknown counts 0, nobody seen", false, []Flow{
			{Up, Cell{1, 100, 150, 0, 0}},
			{Same, Cell{1, 500, 400, 0, 0}},
			{Down, Cell{1, 50, 10, 0, 0}},
			{New, Cell{2, 0, 150, 0, 0}},
			{Returned, Cell{}},
			{Lapsed, Cell{2, 85, 0, 0, 0}},
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := *prev, *cur
			if !tc.profit {
				p.Profit, c.Profit = nil, nil
			}
			res, err := Compare(&p, &c, ladder, Options{SeenBefore: tc.seenFun})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Flows, tc.flows) {
				t.Errorf("flows got %+v, want %+v", res.Flows, tc.flows)
			}
		})
	}
}

func TestCompareSegmentOrder(t *testing.T) {
	prev, cur := fixture()
	res, err := Compare(prev, cur, ladder, Options{Segments: []string{"loyal", "champions", "unused"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"loyal", "champions", "unused", "at_risk", "lost", "new_customers", Outside}
	if !slices.Equal(res.Segments.States, want) {
		t.Errorf("segment states got %v, want %v (given order, then the rest sorted)", res.Segments.States, want)
	}
}

func TestCompareEmptyPeriods(t *testing.T) {
	prev, cur := fixture()
	empty := &Period{}
	tests := []struct {
		name      string
		prev, cur *Period
		flows     map[Change]int64
	}{
		{"first period: everyone new", empty, cur, map[Change]int64{New: 5}},
		{"empty now: everyone lapsed", prev, empty, map[Change]int64{Lapsed: 5}},
		{"both empty", empty, empty, map[Change]int64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Compare(tc.prev, tc.cur, ladder, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Flows {
				if f.Customers != tc.flows[f.Change] {
					t.Errorf("%s customers got %d, want %d", f.Change, f.Customers, tc.flows[f.Change])
				}
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(prev, cur *Period) Ladder
		want   error
	}{
		{"unsorted current", func(_, c *Period) Ladder { c.CustomerID[0], c.CustomerID[1] = "b", "a"; return ladder }, ErrUnsorted},
		{"repeated previous id", func(p, _ *Period) Ladder { p.CustomerID[1] = "a"; return ladder }, ErrUnsorted},
		{"tier not on ladder", func(_, c *Period) Ladder { c.Tier[4] = "bronze"; return ladder }, ErrUnknownTier},
		{"lapsed tier not on ladder", func(p, _ *Period) Ladder { p.Tier[3] = "tin"; return ladder }, ErrUnknownTier},
		{"empty ladder", func(_, _ *Period) Ladder { return nil }, ErrLadder},
		{"tier named twice", func(_, _ *Period) Ladder { return Ladder{"gold", "iron", "gold"} }, ErrLadder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prev, cur := fixture()
			l := tc.mutate(prev, cur)
			_, err := Compare(prev, cur, l, Options{})
			if !errors.Is(err, tc.want) {
				t.Errorf("got error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestComparePanicsOnLengthMismatch(t *testing.T) {
	prev, cur := fixture()
	cur.Revenue = cur.Revenue[:2]
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("got no panic, want one for columns of different lengths")
		}
	}()
	Compare(prev, cur, ladder, Options{})
}

func TestAlign(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur []string
		want      []int
	}{
		{"interleaved", []string{"a", "c", "e"}, []string{"b", "c", "d", "e", "f"}, []int{-1, 1, -1, 2, -1}},
		{"identical", []string{"a", "b"}, []string{"a", "b"}, []int{0, 1}},
		{"prev empty", nil, []string{"a"}, []int{-1}},
		{"cur empty", []string{"a"}, nil, []int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Align(tc.prev, tc.cur); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
