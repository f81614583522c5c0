package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// tierRow is one tier of the tiers table: its share of customers and of profit.
type tierRow struct {
	name                       string
	customerShare, profitShare float64
}

// tierRows reads the tiers table in file order (the highest tier first). Shares come from
// customer_share and profit_share, or are computed from customers and profit; shares written
// as percentages (customer shares summing to about 100) are scaled to fractions.
func tierRows(t *Frame) ([]tierRow, bool) {
	names, ok := t.Strings("tier")
	if !ok || t.Len() == 0 {
		return nil, false
	}
	cs, okC := shares(t, "customer_share", "customers")
	ps, okP := shares(t, "profit_share", "profit")
	if !okC || !okP {
		return nil, false
	}
	sum := 0.0
	for _, v := range cs {
		sum += v
	}
	if sum > 1.5 {
		for i := range cs {
			cs[i], ps[i] = cs[i]/100, ps[i]/100
		}
	}
	rows := make([]tierRow, len(names))
	for i := range names {
		rows[i] = tierRow{names[i], cs[i], ps[i]}
	}
	return rows, true
}

// shares returns the share column, or the amount column over its total; nulls are 0.
func shares(t *Frame, shareCol, amountCol string) ([]float64, bool) {
	if v, ok := t.Numbers(shareCol); ok {
		out := make([]float64, len(v))
		for i, x := range v {
			if !isNull(x) {
				out[i] = x
			}
		}
		return out, true
	}
	v, ok := t.Numbers(amountCol)
	if !ok {
		return nil, false
	}
	total := 0.0
	for _, x := range v {
		if !isNull(x) {
			total += x
		}
	}
	out := make([]float64, len(v))
	for i, x := range v {
		if !isNull(x) && total != 0 {
			out[i] = x / math.Abs(total)
		}
	}
	return out, true
}

// pyramidChart draws the customer pyramid (each tier's share of customers, a centred bar) beside
// the inverted pyramid (its share of profit) on one scale, tier names between them. A negative
// profit share is drawn in red.
func pyramidChart(rows []tierRow) Chart {
	const w = 760
	rowH := 40.0
	h := 44 + rowH*float64(len(rows)) + 50
	top := 0.0
	for _, r := range rows {
		top = math.Max(top, math.Max(math.Abs(r.customerShare), math.Abs(r.profitShare)))
	}
	if top == 0 {
		top = 1
	}
	title := "The customer pyramid: share of customers beside share of profit"
	s := newSVG(w, h, title)
	const panel = 300.0
	centres := []float64{20 + panel/2, w - 20 - panel/2}
	y0 := 40.0
	s.text(centres[0], 22, "middle", "panel-title", "share of customers")
	s.text(centres[1], 22, "middle", "panel-title", "share of profit")
	for i, r := range rows {
		y := y0 + rowH*float64(i)
		s.text(w/2, y+rowH/2+4, "middle", "label strong", r.name)
		for k, v := range []float64{r.customerShare, r.profitShare} {
			bw := math.Abs(v) / top * (panel - 10)
			fill := colour(0)
			if k == 1 {
				fill = colour(2)
				if v < 0 {
					fill = colour(5)
				}
			}
			what := []string{"of customers", "of profit"}[k]
			s.rect(centres[k]-bw/2, y+5, math.Max(bw, 1), rowH-10, fill, ` class="bar"`, fmt.Sprintf("%s: %s %s", r.name, pct(v), what))
			label := pct(v)
			if bw > 46 {
				s.text(centres[k], y+rowH/2+4, "middle", "value on-dark", label)
			} else {
				s.text(centres[k]+bw/2+4, y+rowH/2+4, "start", "value", label)
			}
		}
	}
	axisY := y0 + rowH*float64(len(rows)) + 4
	for k, c := range centres {
		s.line(c-panel/2, axisY, c+panel/2, axisY, "axis")
		s.text(c, axisY+20, "middle", "axis-title", []string{"share of all customers (%), bar width ∝ share", "share of total profit (%), red = loss"}[k])
	}
	first, last := rows[0], rows[len(rows)-1]
	reading := fmt.Sprintf("%s: %s of customers make %s of profit", first.name, pct(first.customerShare), pct(first.profitShare))
	if len(rows) > 1 {
		reading += fmt.Sprintf("; %s: %s of customers, %s of profit", last.name, pct(last.customerShare), pct(last.profitShare))
	}
	return Chart{ID: "tiers", Title: title, Reading: reading + ".", SVG: s.String(), Wide: true}
}

// ctsCell is the cost to serve of one tier and activity.
type ctsCell struct {
	tier, activity string
	cost           float64
}

// ctsCells sums the cost_to_serve table by tier and activity. The job writes it at two grains:
// only the grain = 'tier' rows (one per tier and activity) are used, so that the per-customer
// rows are not counted twice. Without a grain column, the rows without a customer_id are used
// when there are any, else all rows.
func ctsCells(t *Frame) ([]ctsCell, bool) {
	tier, ok1 := t.Strings("tier")
	act, ok2 := t.Strings("activity")
	cost, ok3 := t.Numbers("cost")
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	use := func(int) bool { return true }
	if grain, ok := t.Strings("grain"); ok {
		use = func(i int) bool { return grain[i] == "tier" }
	} else if cust, ok := t.Strings("customer_id"); ok {
		for _, c := range cust {
			if c == "" {
				use = func(i int) bool { return cust[i] == "" }
				break
			}
		}
	}
	idx := map[[2]string]int{}
	var cells []ctsCell
	for i := range tier {
		if !use(i) || tier[i] == "" || act[i] == "" || isNull(cost[i]) {
			continue
		}
		k := [2]string{tier[i], act[i]}
		j, ok := idx[k]
		if !ok {
			j = len(cells)
			idx[k] = j
			cells = append(cells, ctsCell{tier: tier[i], activity: act[i]})
		}
		cells[j].cost += cost[i]
	}
	return cells, len(cells) > 0
}

// ctsChart draws the cost to serve of each tier as a bar stacked by activity; tiers follow
// order (the tiers table) then first appearance, activities the largest first.
func ctsChart(cells []ctsCell, order []string) Chart {
	tierTotal, actTotal := map[string]float64{}, map[string]float64{}
	var tiers, acts []string
	for _, n := range order {
		for _, c := range cells {
			if c.tier == n && !slices.Contains(tiers, n) {
				tiers = append(tiers, n)
			}
		}
	}
	total := 0.0
	for _, c := range cells {
		if !slices.Contains(tiers, c.tier) {
			tiers = append(tiers, c.tier)
		}
		if !slices.Contains(acts, c.activity) {
			acts = append(acts, c.activity)
		}
		tierTotal[c.tier] += c.cost
		actTotal[c.activity] += c.cost
		total += c.cost
	}
	sort.SliceStable(acts, func(i, j int) bool { return actTotal[acts[i]] > actTotal[acts[j]] })
	hiTotal := 0.0
	for _, v := range tierTotal {
		hiTotal = math.Max(hiTotal, v)
	}
	const w = 560
	rowH := 36.0
	colours := make([]string, len(acts))
	for i := range acts {
		colours[i] = colour(i)
	}
	title := "Cost to serve by tier and activity"
	legendH := legendHeight(w-140, acts)
	h := 20 + legendH + rowH*float64(len(tiers)) + 52
	p := newPlot(w, h, 110, 20, 20+legendH, 52, 0, niceMax(hiTotal, 5), 0, 1)
	s := newSVG(w, h, title)
	wrappedLegend(s, p.left, 16, w-140, acts, colours)
	xt := ticksOf(niceTicks(0, niceMax(hiTotal, 5), 5), money)
	s.vgrid(p, xt)
	for i, t := range tiers {
		y := p.top + rowH*float64(i)
		s.text(p.left-8, y+rowH/2+4, "end", "label", t)
		x := 0.0
		for k, a := range acts {
			for _, c := range cells {
				if c.tier == t && c.activity == a && c.cost > 0 {
					s.rect(p.x.at(x), y+6, p.x.at(x+c.cost)-p.x.at(x), rowH-12, colours[k], ` class="bar"`,
						fmt.Sprintf("%s, %s: %s", t, a, money(c.cost)))
					x += c.cost
				}
			}
		}
		s.text(p.x.at(x)+4, y+rowH/2+4, "start", "value", money(tierTotal[t]))
	}
	s.axes(p, xt, nil, "cost to serve (money units, as in the outputs)", "tier")
	reading := ""
	if total > 0 {
		topTier := tiers[0]
		for _, t := range tiers {
			if tierTotal[t] > tierTotal[topTier] {
				topTier = t
			}
		}
		reading = fmt.Sprintf("%s is the largest cost to serve (%s of %s); %s customers carry %s of the total.",
			acts[0], pct(actTotal[acts[0]]/total), money(total), topTier, pct(tierTotal[topTier]/total))
	} else {
		reading = "No cost to serve was recorded."
	}
	return Chart{ID: "cost-to-serve", Title: title, Reading: reading, SVG: s.String()}
}

// legendHeight is the height a wrapped legend of names takes within width.
func legendHeight(width float64, names []string) float64 {
	lines, x := 1, 0.0
	for _, n := range names {
		kw := 24 + 6.6*float64(len([]rune(n)))
		if x > 0 && x+kw > width {
			lines, x = lines+1, 0
		}
		x += kw
	}
	return 18 * float64(lines)
}

// wrappedLegend draws coloured keys in rows of at most width.
func wrappedLegend(s *svg, x0, y, width float64, names, colours []string) {
	x := 0.0
	for i, n := range names {
		kw := 24 + 6.6*float64(len([]rune(n)))
		if x > 0 && x+kw > width {
			x, y = 0, y+18
		}
		s.rect(x0+x, y-9, 10, 10, colours[i], ` class="key"`, "")
		s.text(x0+x+14, y, "start", "legend", n)
		x += kw
	}
}
