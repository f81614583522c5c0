package report

import (
	"fmt"
	"math"
	"time"
)

// Movement is how the customer base moved since the previous date of the series, from the
// migration table's flow rows (kind = 'flow', the change in from): customers per tier change.
// Customers now = Up + Same + Down + New + Returned; before = Up + Same + Down + Lapsed.
type Movement struct {
	Previous                              string // the previous as-of date, YYYY-MM-DD ("" if unknown)
	Up, Same, Down, New, Returned, Lapsed int64
}

// Movement returns the date's movement against its previous date, or false when the run had no
// previous date (no migration table) or the table has no flow rows; Previous is set whenever
// the table names the date.
func (d *Data) Movement() (Movement, bool) {
	t := d.Tables["migration"]
	mv := Movement{Previous: previousDate(t)}
	kind, ok1 := t.Strings("kind")
	from, ok2 := t.Strings("from")
	n, ok3 := t.Numbers("customers")
	if !ok1 || !ok2 || !ok3 {
		return mv, false
	}
	found := false
	for i := range kind {
		if kind[i] != "flow" || isNull(n[i]) {
			continue
		}
		found = true
		c := int64(n[i])
		switch from[i] {
		case "up":
			mv.Up += c
		case "same":
			mv.Same += c
		case "down":
			mv.Down += c
		case "new":
			mv.New += c
		case "returned":
			mv.Returned += c
		case "lapsed":
			mv.Lapsed += c
		}
	}
	return mv, found
}

// previousDate is the migration table's previous_as_of (a DATE, days since 1970-01-01), or "".
func previousDate(t *Frame) string {
	v, ok := t.Numbers("previous_as_of")
	if !ok || len(v) == 0 || isNull(v[0]) {
		return ""
	}
	return time.Unix(int64(v[0])*86400, 0).UTC().Format(time.DateOnly)
}

// customers writes "1 customer" or "1,234 customers".
func customers(n float64) string {
	if n == 1 {
		return "1 customer"
	}
	return count(int64(n)) + " customers"
}

// flowNode is one state of a column of the flow diagram: its customers and its bar.
type flowNode struct {
	state     string
	customers float64
	y, h      float64 // top and height of the bar
}

// flowBand is the customers moving from left node from to right node to: a band of height h
// leaving the left bar at y0 and entering the right bar at y1.
type flowBand struct {
	from, to  int // indices into the left and right nodes
	kind      int // index into flowKinds
	customers float64
	y0, y1, h float64
}

// flowLayout lays the migration matrix out as a two-column flow (Sankey) diagram of the given
// height: previous states on the left, current states on the right, in the matrix's order
// (tiers highest first, then outside: joined on the left, lapsed on the right). Empty states
// are left out. One scale serves both columns: k = (height − gap·(m − 1)) / total, m the larger
// number of nodes in a column and total the customers of all cells (both columns sum to it), so
// a node's bar is k × its customers and a band's height k × the customers moving. At each node
// bands are stacked in the other column's order, which keeps crossings few. An empty matrix
// lays out nothing.
func flowLayout(m migrationMatrix, height, gap float64) (left, right []flowNode, bands []flowBand) {
	k := len(m.states)
	rowSum, colSum := make([]float64, k), make([]float64, k)
	total := 0.0
	for i := range k {
		for j := range k {
			rowSum[i] += m.count[i][j]
			colSum[j] += m.count[i][j]
			total += m.count[i][j]
		}
	}
	if total <= 0 {
		return nil, nil, nil
	}
	leftAt, rightAt := make([]int, k), make([]int, k)
	for i := range k {
		leftAt[i], rightAt[i] = -1, -1
		if rowSum[i] > 0 {
			leftAt[i] = len(left)
			left = append(left, flowNode{state: m.states[i], customers: rowSum[i]})
		}
		if colSum[i] > 0 {
			rightAt[i] = len(right)
			right = append(right, flowNode{state: m.states[i], customers: colSum[i]})
		}
	}
	nodes := max(len(left), len(right))
	scale := (height - gap*float64(nodes-1)) / total
	place := func(col []flowNode) {
		y := 0.0
		for i := range col {
			col[i].y, col[i].h = y, col[i].customers*scale
			y += col[i].h + gap
		}
	}
	place(left)
	place(right)
	outY := make([]float64, len(left))
	for i, n := range left {
		outY[i] = n.y
	}
	for i := range k {
		for j := range k {
			if c := m.count[i][j]; c > 0 {
				bands = append(bands, flowBand{from: leftAt[i], to: rightAt[j], kind: flowKind(m, i, j), customers: c, y0: outY[leftAt[i]], h: c * scale})
				outY[leftAt[i]] += c * scale
			}
		}
	}
	inY := make([]float64, len(right))
	for i, n := range right {
		inY[i] = n.y
	}
	// Entering a right node, bands come in the left column's order: the order they were made in.
	for b := range bands {
		bands[b].y1 = inY[bands[b].to]
		inY[bands[b].to] += bands[b].h
	}
	return left, right, bands
}

// flowKinds are the kinds of band, with their colours and legend names.
var flowKinds = []struct{ name, fill string }{
	{"moved up", "#009e73"}, {"kept tier", "#94a3b8"}, {"moved down", "#d55e00"},
	{"joined (new or returned)", "#0072b2"}, {"lapsed", "#a1a1aa"},
}

// flowKind classifies a move between matrix states i and j (0 up, 1 same, 2 down, 3 in, 4 out).
func flowKind(m migrationMatrix, i, j int) int {
	switch {
	case i >= m.ladder:
		return 3
	case j >= m.ladder:
		return 4
	case j < i:
		return 0
	case j == i:
		return 1
	}
	return 2
}

// flowChart draws the migration as a flow diagram: a bar per tier at the previous date (left)
// and now (right), joined by bands whose height is proportional to the customers moving,
// coloured by kind (up, same, down, joined, lapsed). Bands are paths of class "band" with
// data-from, data-to and data-count. It is left out when the matrix is empty.
func flowChart(m migrationMatrix, mv Movement, hasMovement bool, asOf string) (Chart, bool) {
	const w, h = 560.0, 460.0
	const top, bottom, gap, bar = 80.0, 40.0, 10.0, 14.0
	const xl, xr = 150.0, w - 150.0 - bar
	left, right, bands := flowLayout(m, h-top-bottom, gap)
	if len(bands) == 0 {
		return Chart{}, false
	}
	prev := "the previous date"
	if mv.Previous != "" {
		prev = mv.Previous
	}
	title := "Customer flows between tiers since " + prev
	s := newSVG(w, h, title)
	names, fills := make([]string, len(flowKinds)), make([]string, len(flowKinds))
	for i, k := range flowKinds {
		names[i], fills[i] = k.name, k.fill
	}
	legendH := legendHeight(w-16, names)
	wrappedLegend(s, 8, 16, w-16, names, fills)
	s.text(xl+bar/2, 30+legendH, "middle", "axis-title", "tier on "+prev)
	s.text(xr+bar/2, 30+legendH, "middle", "axis-title", "tier on "+asOf)
	outsideName := func(n flowNode, right bool) string {
		if !isOutside(n.state) {
			return n.state
		}
		if right {
			return "lapsed"
		}
		return "joined"
	}
	xm := (xl + bar + xr) / 2
	for _, b := range bands {
		kind := flowKinds[b.kind]
		y0, y1 := top+b.y0, top+b.y1
		x0, x1 := xl+bar, xr
		d := fmt.Sprintf("M%s %s C%s %s %s %s %s %s L%s %s C%s %s %s %s %s %s Z",
			num(x0), num(y0), num(xm), num(y0), num(xm), num(y1), num(x1), num(y1),
			num(x1), num(y1+b.h), num(xm), num(y1+b.h), num(xm), num(y0+b.h), num(x0), num(y0+b.h))
		s.raw(`<path d="%s" fill="%s" fill-opacity="0.5" class="band" data-from="%s" data-to="%s" data-count="%s"><title>%s</title></path>`,
			d, kind.fill, esc(left[b.from].state), esc(right[b.to].state), num(b.customers),
			esc(fmt.Sprintf("%s → %s: %s customers", outsideName(left[b.from], false), outsideName(right[b.to], true), count(int64(b.customers)))))
	}
	for side, col := range [][]flowNode{left, right} {
		for _, n := range col {
			bx, anchor, tx := xl, "end", xl-6
			if side == 1 {
				bx, anchor, tx = xr, "start", xr+bar+6
			}
			name := outsideName(n, side == 1)
			s.rect(bx, top+n.y, bar, math.Max(n.h, 0.5), "#3f3f46", ` class="node"`, fmt.Sprintf("%s: %s customers", name, count(int64(n.customers))))
			s.text(tx, top+n.y+n.h/2+4, anchor, "label", fmt.Sprintf("%s %s", name, count(int64(n.customers))))
		}
	}
	s.text(w/2, h-12, "middle", "axis-title", "band and bar height ∝ customers (bars: customers in the tier on that date)")

	byKind := make([]float64, len(flowKinds))
	for _, b := range bands {
		byKind[b.kind] += b.customers
	}
	up, same, down, in, out := byKind[0], byKind[1], byKind[2], byKind[3], byKind[4]
	reading := fmt.Sprintf("Since %s, %s moved up a tier, %s down and %s kept theirs", prev, customers(up), count(int64(down)), count(int64(same)))
	if hasMovement && mv.New+mv.Returned > 0 {
		reading += fmt.Sprintf("; %s joined (%s new, %s returned)", count(int64(in)), count(mv.New), count(mv.Returned))
	} else if in > 0 {
		reading += fmt.Sprintf("; %s joined", count(int64(in)))
	}
	if out > 0 {
		reading += fmt.Sprintf(" and %s lapsed", count(int64(out)))
	}
	return Chart{ID: "flow", Title: title, Reading: reading + ".", SVG: s.String()}, true
}
