package report

import (
	"fmt"
	"math"
	"sort"
)

// point is one (share of customers, value) point of a curve.
type point struct{ x, y float64 }

// paretoTable splits the long pareto table into its summary metrics and its curves (lorenz,
// whale, …), each sorted by customer share.
type paretoTable struct {
	summary map[string]float64
	curves  map[string][]point
}

func readPareto(t *Frame) (paretoTable, bool) {
	curve, ok1 := t.Strings("curve")
	metric, ok2 := t.Strings("metric")
	x, ok3 := t.Numbers("customer_share")
	v, ok4 := t.Numbers("value")
	if !ok1 || !ok4 {
		return paretoTable{}, false
	}
	pt := paretoTable{summary: map[string]float64{}, curves: map[string][]point{}}
	for i := range curve {
		switch {
		case curve[i] == "summary" && ok2:
			pt.summary[metric[i]] = v[i]
		case curve[i] != "summary" && ok3 && !isNull(x[i]) && !isNull(v[i]):
			pt.curves[curve[i]] = append(pt.curves[curve[i]], point{x[i], v[i]})
		}
	}
	for _, c := range pt.curves {
		sort.SliceStable(c, func(i, j int) bool { return c[i].x < c[j].x })
	}
	return pt, true
}

func (pt paretoTable) metric(name string) (float64, bool) {
	v, ok := pt.summary[name]
	return v, ok && !isNull(v)
}

// interpolate returns the curve's value at x, linear between points.
func interpolate(c []point, x float64) float64 {
	if len(c) == 0 {
		return math.NaN()
	}
	if x <= c[0].x {
		return c[0].y
	}
	for i := 1; i < len(c); i++ {
		if x <= c[i].x {
			if c[i].x == c[i-1].x {
				return c[i].y
			}
			f := (x - c[i-1].x) / (c[i].x - c[i-1].x)
			return c[i-1].y + f*(c[i].y-c[i-1].y)
		}
	}
	return c[len(c)-1].y
}

// lorenzChart draws the Lorenz curve (the value share of the poorest customers) over the line
// of equality, with the A, B and C classes shaded as bands of customers. It needs at least two
// points.
func lorenzChart(pt paretoTable) (Chart, bool) {
	c := pt.curves["lorenz"]
	if len(c) < 2 {
		return Chart{}, false
	}
	const w, h = 560, 420
	p := newPlot(w, h, 66, 16, 26, 54, 0, 1, 0, 1)
	title := "Concentration of revenue: the Lorenz curve"
	s := newSVG(w, h, title)
	n, okN := pt.metric("customers")
	a, okA := pt.metric("a_customers")
	b, okB := pt.metric("b_customers")
	if okN && okA && okB && n > 0 {
		edges := []float64{0, 1 - (a+b)/n, 1 - a/n, 1}
		for i, name := range []string{"C", "B", "A"} {
			x0, x1 := p.x.at(edges[i]), p.x.at(edges[i+1])
			if x1-x0 < 0.5 {
				continue
			}
			k := []float64{a, b, n - a - b}[2-i]
			s.rect(x0, p.top, x1-x0, p.height, []string{"#f4f4f5", "#fdf3dc", "#e3eefa"}[i],
				fmt.Sprintf(` class="band" data-class="%s"`, name), fmt.Sprintf("class %s: %s customers", name, count(int64(k))))
			if x1-x0 > 14 {
				s.text((x0+x1)/2, p.top-8, "middle", "band-label", name)
			}
		}
	}
	grid := ticksOf(niceTicks(0, 1, 5), pct)
	s.grid(p, grid)
	s.line(p.x.at(0), p.y.at(0), p.x.at(1), p.y.at(1), "equality")
	xs, ys := make([]float64, len(c)), make([]float64, len(c))
	for i, q := range c {
		xs[i], ys[i] = p.x.at(q.x), p.y.at(q.y)
	}
	s.polyline(xs, ys, "curve lorenz")
	s.text(p.x.at(0.36), p.y.at(0.44), "middle", "note", "line of equality")
	s.axes(p, grid, grid, "share of customers, poorest first (%)", "share of revenue (%)")

	top20, ok := pt.metric("top_20pct_share")
	if !ok {
		top20 = 1 - interpolate(c, 0.8)
	}
	reading := fmt.Sprintf("The top 20%% of customers make %s of revenue", pct(top20))
	if g, ok := pt.metric("gini"); ok {
		reading += fmt.Sprintf("; Gini %.2f", g)
	}
	if okN && okA && n > 0 {
		reading += fmt.Sprintf("; class A (%s of customers) makes 80%%", pct(a/n))
	}
	return Chart{ID: "lorenz", Title: title, Reading: reading + ".", SVG: s.String()}, true
}

// whaleChart draws the whale curve: cumulative profit as a share of total profit against the
// share of customers ranked by profit, most profitable first, with its peak marked. It is left
// out without points or when every share is zero (total profit not positive).
func whaleChart(pt paretoTable) (Chart, bool) {
	c := pt.curves["whale"]
	if len(c) < 2 {
		return Chart{}, false
	}
	peak := c[0]
	lo, hi := 0.0, 0.0
	for _, q := range c {
		if q.y > peak.y {
			peak = q
		}
		lo, hi = math.Min(lo, q.y), math.Max(hi, q.y)
	}
	if hi == 0 && lo == 0 {
		return Chart{}, false
	}
	hi = niceMax(math.Max(hi, 1), 5)
	if lo < 0 {
		lo = -niceMax(-lo, 5)
	}
	const w, h = 560, 420
	p := newPlot(w, h, 66, 16, 16, 54, 0, 1, lo, hi)
	title := "Profitability: the whale curve"
	s := newSVG(w, h, title)
	yt := ticksOf(niceTicks(lo, hi, 5), pct)
	s.grid(p, yt)
	s.line(p.left, p.y.at(1), p.right(), p.y.at(1), "reference")
	s.text(p.right()-4, p.y.at(1)+14, "end", "note", "100% of profit")
	xs, ys := make([]float64, len(c)), make([]float64, len(c))
	for i, q := range c {
		xs[i], ys[i] = p.x.at(q.x), p.y.at(q.y)
	}
	s.polyline(xs, ys, "curve whale")
	px, py := p.x.at(peak.x), p.y.at(peak.y)
	s.raw(`<circle cx="%s" cy="%s" r="5" class="peak"/>`, num(px), num(py))
	anchor := "start"
	if peak.x > 0.6 {
		anchor = "end"
	}
	dx := 8.0
	if anchor == "end" {
		dx = -8
	}
	s.text(px+dx, py-8, anchor, "note", fmt.Sprintf("peak: top %s make %s", pct(peak.x), pct(peak.y)))
	s.axes(p, ticksOf(niceTicks(0, 1, 5), pct), yt,
		"share of customers, most profitable first (%)", "cumulative share of total profit (%)")
	last := c[len(c)-1]
	reading := fmt.Sprintf("The top %s of customers make %s of profit", pct(peak.x), pct(peak.y))
	if peak.y-last.y > 1e-9 {
		reading += fmt.Sprintf("; the other %s give back %s points of it", pct(1-peak.x), decimal((peak.y-last.y)*100, 0))
	}
	return Chart{ID: "whale", Title: title, Reading: reading + ".", SVG: s.String()}, true
}
