package report

import (
	"fmt"
	"math"
)

// rfGrid counts customers and sums their monetary value per (R, F) score cell.
type rfGrid struct {
	bins  int
	count [][]int64   // [r−1][f−1]
	sumM  [][]float64 // monetary summed over the cell's customers
	total int64
}

// newRFGrid builds the grid from per-customer scores; rows with a null or non-integer score
// (customers without purchases) are left out. bins is the highest score seen, at least 2.
func newRFGrid(r, f, m []float64) (rfGrid, bool) {
	bins := 2
	for i := range r {
		if valid(r[i]) && valid(f[i]) {
			bins = max(bins, int(r[i]), int(f[i]))
		}
	}
	g := rfGrid{bins: bins, count: make([][]int64, bins), sumM: make([][]float64, bins)}
	for i := range g.count {
		g.count[i] = make([]int64, bins)
		g.sumM[i] = make([]float64, bins)
	}
	for i := range r {
		if !valid(r[i]) || !valid(f[i]) {
			continue
		}
		ri, fi := int(r[i])-1, int(f[i])-1
		g.count[ri][fi]++
		if m != nil && !isNull(m[i]) {
			g.sumM[ri][fi] += m[i]
		}
		g.total++
	}
	return g, g.total > 0
}

// valid reports a score in 1..10.
func valid(s float64) bool { return s >= 1 && s <= 10 && s == math.Trunc(s) }

func (g rfGrid) mean(r, f int) float64 {
	if g.count[r][f] == 0 {
		return math.NaN()
	}
	return g.sumM[r][f] / float64(g.count[r][f])
}

// rfHeatmap draws the grid, shading each cell by its customers (monetary false) or its mean
// monetary value (monetary true). Every cell is a rect of class "cell" carrying data-r, data-f
// and data-count.
func rfHeatmap(g rfGrid, monetary bool) Chart {
	const w, h = 440, 400
	b := float64(g.bins)
	p := newPlot(w, h, 66, 12, 10, 54, 0.5, b+0.5, 0.5, b+0.5)
	title := "Customers by recency and frequency score"
	id := "rf-customers"
	if monetary {
		title, id = "Mean monetary value by recency and frequency score", "rf-monetary"
	}
	s := newSVG(w, h, title)
	// Counts shade linearly; means, skewed like money, on a log scale between the lowest and
	// highest positive mean, so that one rich cell does not wash out the others.
	top, bottom := 0.0, math.Inf(1)
	for r := 0; r < g.bins; r++ {
		for f := 0; f < g.bins; f++ {
			v := float64(g.count[r][f])
			if monetary {
				v = g.mean(r, f)
			}
			if !isNull(v) {
				top = math.Max(top, v)
				if v > 0 {
					bottom = math.Min(bottom, v)
				}
			}
		}
	}
	shade := func(v float64) float64 {
		switch {
		case isNull(v) || v <= 0 || top <= 0:
			return 0
		case !monetary:
			return v / top
		case top == bottom:
			return 1
		default:
			return 0.08 + 0.92*math.Log(v/bottom)/math.Log(top/bottom)
		}
	}
	cw, ch := p.width/b, p.height/b
	for r := 0; r < g.bins; r++ {
		for f := 0; f < g.bins; f++ {
			v := float64(g.count[r][f])
			label := pct(v / float64(g.total))
			if monetary {
				v = g.mean(r, f)
				label = money(v)
			}
			t := shade(v)
			x, y := p.x.at(float64(f)+0.5), p.y.at(float64(r)+1.5)
			s.rect(x+1, y+1, cw-2, ch-2, ramp(t), fmt.Sprintf(` class="cell" data-r="%d" data-f="%d" data-count="%d"`, r+1, f+1, g.count[r][f]),
				fmt.Sprintf("R %d × F %d: %s customers, mean monetary %s", r+1, f+1, count(g.count[r][f]), money(g.mean(r, f))))
			if g.count[r][f] == 0 {
				label = "–"
			}
			if g.bins <= 7 {
				class := "cell-label"
				if t > 0.55 {
					class = "cell-label on-dark"
				}
				s.text(x+cw/2, y+ch/2+4, "middle", class, label)
			}
		}
	}
	var ticks []tick
	for i := 1; i <= g.bins; i++ {
		ticks = append(ticks, tick{float64(i), fmt.Sprint(i)})
	}
	s.axes(p, ticks, ticks, fmt.Sprintf("frequency score F (1 = fewest purchases, %d = most)", g.bins),
		fmt.Sprintf("recency score R (%d = most recent)", g.bins))
	return Chart{ID: id, Title: title, Reading: rfReading(g, monetary), SVG: s.String()}
}

func rfReading(g rfGrid, monetary bool) string {
	b := g.bins - 1
	if !monetary {
		br, bf := 0, 0
		for r := range g.count {
			for f := range g.count[r] {
				if g.count[r][f] > g.count[br][bf] {
					br, bf = r, f
				}
			}
		}
		best := float64(g.count[b][b]) / float64(g.total)
		if br == b && bf == b {
			return fmt.Sprintf("The best cell, R %d × F %d, is also the largest: %s of scored customers.", b+1, b+1, pct(best))
		}
		return fmt.Sprintf("The largest cell is R %d × F %d with %s of scored customers; the best, R %d × F %d, holds %s.",
			br+1, bf+1, pct(float64(g.count[br][bf])/float64(g.total)), b+1, b+1, pct(best))
	}
	hi, lo := g.mean(b, b), g.mean(0, 0)
	if hi > 0 && lo > 0 {
		return fmt.Sprintf("Customers in R %d × F %d spend %s on average, %s× those in R 1 × F 1 (%s).",
			b+1, b+1, money(hi), decimal(hi/lo, 1), money(lo))
	}
	br, bf, top := 0, 0, math.Inf(-1)
	for r := range g.count {
		for f := range g.count[r] {
			if m := g.mean(r, f); !isNull(m) && m > top {
				br, bf, top = r, f, m
			}
		}
	}
	return fmt.Sprintf("The highest mean monetary value, %s, is in R %d × F %d.", money(top), br+1, bf+1)
}

// segmentRow is one segment's share of customers and of revenue.
type segmentRow struct {
	name                    string
	customers               float64
	customerShare, revShare float64
}

// segmentRows reads the segments table, keeping segments with customers; ok is false without
// the needed columns or customers.
func segmentRows(t *Frame) ([]segmentRow, bool) {
	names, ok1 := t.Strings("segment")
	cust, ok2 := t.Numbers("customers")
	rev, ok3 := t.Numbers("revenue")
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	var totalC, totalR float64
	for i := range names {
		if cust[i] > 0 {
			totalC += cust[i]
			if !isNull(rev[i]) {
				totalR += rev[i]
			}
		}
	}
	if totalC == 0 {
		return nil, false
	}
	var rows []segmentRow
	for i := range names {
		if !(cust[i] > 0) {
			continue
		}
		r := segmentRow{name: names[i], customers: cust[i], customerShare: cust[i] / totalC}
		if totalR > 0 && !isNull(rev[i]) {
			r.revShare = rev[i] / totalR
		}
		rows = append(rows, r)
	}
	return rows, true
}

// segmentChart draws, per segment, its share of customers beside its share of revenue.
func segmentChart(rows []segmentRow) Chart {
	const w = 560
	rowH := 34.0
	h := 40 + rowH*float64(len(rows)) + 52
	lo, hi := 0.0, 0.0
	for _, r := range rows {
		lo = math.Min(lo, math.Min(r.customerShare, r.revShare))
		hi = math.Max(hi, math.Max(r.customerShare, r.revShare))
	}
	hi = niceMax(hi, 5)
	if lo < 0 {
		lo = -niceMax(-lo, 5)
	}
	p := newPlot(w, h, 140, 16, 40, 52, lo, hi, 0, float64(len(rows)))
	title := "Segments: share of customers and of revenue"
	s := newSVG(w, h, title)
	legend(s, p.left, 16, []string{"share of customers", "share of revenue"}, []string{"#9db4d8", colour(0)})
	xt := ticksOf(niceTicks(lo, hi, 5), pct)
	s.vgrid(p, xt)
	for i, r := range rows {
		y := p.top + rowH*float64(i)
		s.text(p.left-8, y+rowH/2+4, "end", "label", r.name)
		x0 := p.x.at(0)
		s.rect(x0, y+4, p.x.at(r.customerShare)-x0, 12, "#9db4d8", ` class="bar"`, r.name+": "+pct(r.customerShare)+" of customers")
		s.rect(x0, y+17, p.x.at(r.revShare)-x0, 12, colour(0), ` class="bar"`, r.name+": "+pct(r.revShare)+" of revenue")
		s.text(math.Max(p.x.at(r.customerShare), x0)+4, y+14, "start", "value", pct(r.customerShare))
		s.text(math.Max(p.x.at(r.revShare), x0)+4, y+27, "start", "value", pct(r.revShare))
	}
	s.axes(p, xt, nil, "share of all customers / of total revenue (%)", "segment")
	// The reading names the segment that earns most above its size: the largest ratio of
	// revenue share to customer share among segments of at least 1% of customers.
	top := rows[0]
	for _, r := range rows {
		if r.customerShare >= 0.01 && (top.customerShare < 0.01 || r.revShare/r.customerShare > top.revShare/top.customerShare) {
			top = r
		}
	}
	reading := fmt.Sprintf("%s are %s of customers and make %s of revenue.", top.name, pct(top.customerShare), pct(top.revShare))
	return Chart{ID: "segments", Title: title, Reading: reading, SVG: s.String(), Wide: false}
}

// legend draws coloured keys in a row starting at (x, y).
func legend(s *svg, x, y float64, names, colours []string) {
	for i, n := range names {
		s.rect(x, y-9, 10, 10, colours[i], ` class="key"`, "")
		s.text(x+14, y, "start", "legend", n)
		x += 24 + 6.6*float64(len([]rune(n)))
	}
}
