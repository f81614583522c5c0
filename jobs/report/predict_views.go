package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// monthRows reads the clv table's "<grain>_period_clv" rows: for each group in table order, its
// predicted value per month of the horizon, and the months' first days. It prefers the tiers
// (grain "tier") and falls back to the segments.
func monthRows(f *Frame) (grain string, groups []string, value [][]float64, months []string, ok bool) {
	if f == nil {
		return "", nil, nil, nil, false
	}
	sec, ok1 := f.Strings("section")
	name, ok2 := f.Strings("name")
	label, ok3 := f.Strings("label")
	idx, ok4 := f.Numbers("index")
	val, ok5 := f.Numbers("value")
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return "", nil, nil, nil, false
	}
	for _, g := range []string{"tier", "segment"} {
		at := map[string]int{}
		groups, value, months = nil, nil, nil
		for i := range sec {
			if sec[i] != g+"_period_clv" || isNull(idx[i]) {
				continue
			}
			k, seen := at[name[i]]
			if !seen {
				k = len(groups)
				at[name[i]] = k
				groups, value = append(groups, name[i]), append(value, nil)
			}
			m := int(idx[i])
			for len(value[k]) <= m {
				value[k] = append(value[k], 0)
			}
			value[k][m] = val[i]
			for len(months) <= m {
				months = append(months, "")
			}
			months[m] = label[i]
		}
		if len(groups) > 0 && len(months) > 0 {
			return g, groups, value, months, true
		}
	}
	return "", nil, nil, nil, false
}

// monthChart draws the predicted value of each month of the horizon as bars stacked by tier (or
// segment), the plan finance reads by month.
func monthChart(grain string, groups []string, value [][]float64, months []string) (Chart, bool) {
	K := len(months)
	totals := make([]float64, K)
	byGroup := make([]float64, len(groups))
	for k := range groups {
		for m := 0; m < K && m < len(value[k]); m++ {
			v := math.Max(value[k][m], 0)
			totals[m] += v
			byGroup[k] += v
		}
	}
	top, sum := 0.0, 0.0
	for _, t := range totals {
		top, sum = math.Max(top, t), sum+t
	}
	if !(sum > 0) {
		return Chart{}, false
	}
	const w, h = 560, 380
	ymax := niceMax(top, 5)
	p := newPlot(w, h, 76, 16, 34, 54, 0, float64(K), 0, ymax)
	title := "Predicted value by month of the horizon"
	s := newSVG(w, h, title)
	colours := make([]string, len(groups))
	for k := range groups {
		colours[k] = colour(k)
	}
	legend(s, p.left, 14, groups, colours)
	yt := ticksOf(niceTicks(0, ymax, 5), money)
	s.grid(p, yt)
	bw := p.width / float64(K)
	for m := range K {
		base := 0.0
		for k, g := range groups {
			if m >= len(value[k]) || value[k][m] <= 0 {
				continue
			}
			v := value[k][m]
			y0, y1 := p.y.at(base), p.y.at(base+v)
			s.rect(p.left+bw*float64(m)+2, y1, bw-4, y0-y1, colours[k], ` class="bar"`,
				fmt.Sprintf("%s, month from %s: %s", g, months[m], money(v)))
			base += v
		}
	}
	var xt []tick
	for m := 0; m < K; m += 2 {
		xt = append(xt, tick{v: float64(m) + 0.5, label: shortMonth(months[m])})
	}
	s.axes(p, xt, yt, "month of the horizon (its first day)", "predicted value (money units)")
	lead := 0
	for k := range groups {
		if byGroup[k] > byGroup[lead] {
			lead = k
		}
	}
	reading := fmt.Sprintf("The model expects %s of value over the %d months, %s of it in the first; %s customers (by %s) bring %s.",
		money(sum), K, money(totals[0]), groups[lead], grain, pct(byGroup[lead]/sum))
	return Chart{ID: "months", Title: title, Reading: reading, SVG: s.String()}, true
}

// shortMonth is the YYYY-MM of a YYYY-MM-DD day, the axis label of a month.
func shortMonth(day string) string {
	if len(day) >= 7 {
		return day[:7]
	}
	return day
}

// churnBands are the churn_band values, in order.
var churnBands = []string{"Low", "Medium", "High"}

// churnChart draws the customers of each churn band (P(no purchase within the churn horizon)
// below 1/3, 1/3–2/3, above 2/3) and the share of the predicted value they hold.
func churnChart(band []string, clv []float64) (Chart, bool) {
	n := make([]float64, len(churnBands))
	v := make([]float64, len(churnBands))
	total, value := 0.0, 0.0
	for i, b := range band {
		k := -1
		for j, name := range churnBands {
			if strings.EqualFold(b, name) {
				k = j
			}
		}
		if k < 0 {
			continue
		}
		n[k]++
		total++
		if clv != nil && !isNull(clv[i]) {
			v[k] += math.Max(clv[i], 0)
			value += math.Max(clv[i], 0)
		}
	}
	if total == 0 {
		return Chart{}, false
	}
	const w, h = 560, 300
	p := newPlot(w, h, 90, 16, 34, 54, 0, 1, 0, float64(len(churnBands)))
	title := "Churn risk bands"
	s := newSVG(w, h, title)
	legend(s, p.left, 14, []string{"share of customers", "share of predicted value"}, []string{"#9db4d8", colour(3)})
	xt := ticksOf(niceTicks(0, 1, 5), pct)
	s.vgrid(p, xt)
	rowH := p.height / float64(len(churnBands))
	for k, name := range churnBands {
		y := p.top + rowH*float64(k)
		cs, vs := n[k]/total, 0.0
		if value > 0 {
			vs = v[k] / value
		}
		s.text(p.left-8, y+rowH/2+4, "end", "label", name)
		x0 := p.x.at(0)
		s.rect(x0, y+rowH/2-13, p.x.at(cs)-x0, 12, "#9db4d8", ` class="bar"`, fmt.Sprintf("%s: %s customers (%s)", name, count(int64(n[k])), pct(cs)))
		s.rect(x0, y+rowH/2, p.x.at(vs)-x0, 12, colour(3), ` class="bar"`, fmt.Sprintf("%s: %s of the predicted value", name, pct(vs)))
		s.text(p.x.at(cs)+4, y+rowH/2-3, "start", "value", pct(cs))
		s.text(p.x.at(vs)+4, y+rowH/2+10, "start", "value", pct(vs))
	}
	s.axes(p, xt, nil, "share of the customers with a prediction / of their predicted value (%)", "churn band")
	hi := len(churnBands) - 1
	reading := fmt.Sprintf("%s customers (%s) are at high churn risk: no purchase in the churn horizon is more likely than 2/3 for them", count(int64(n[hi])), pct(n[hi]/total))
	if value > 0 {
		reading += fmt.Sprintf("; they hold %s of the predicted value", pct(v[hi]/value))
	}
	return Chart{ID: "churn", Title: title, Reading: reading + ".", SVG: s.String()}, true
}

// intervalNote describes the per-customer 95% CLV intervals: the median half-width relative to
// the CLV, over customers with a positive CLV; "" without intervals.
func intervalNote(clv, lo, hi []float64) string {
	var rel []float64
	for i := range clv {
		if !isNull(clv[i]) && clv[i] > 0 && !isNull(lo[i]) && !isNull(hi[i]) {
			rel = append(rel, (hi[i]-lo[i])/(2*clv[i]))
		}
	}
	if len(rel) == 0 {
		return ""
	}
	sort.Float64s(rel)
	return fmt.Sprintf(" Under the fits' parameter uncertainty a customer's 95%% CLV interval spans a median ±%s around it.", pct(quantileSorted(rel, 0.5)))
}
