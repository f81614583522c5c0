package report

import (
	"fmt"
	"math"
	"sort"
)

// finite returns the non-null values of v.
func finite(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !isNull(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

// quantileSorted is the type-7 quantile of sorted values.
func quantileSorted(s []float64, q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := q * float64(len(s)-1)
	lo := math.Floor(h)
	if int(lo)+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[int(lo)] + (h-lo)*(s[int(lo)+1]-s[int(lo)])
}

// histogram counts values into bins equal-width bins over [lo, hi]; values beyond either end go
// into the end bins.
func histogram(v []float64, lo, hi float64, bins int) []int64 {
	c := make([]int64, bins)
	for _, x := range v {
		k := 0
		if hi > lo {
			k = int((x - lo) / (hi - lo) * float64(bins))
		}
		c[max(0, min(bins-1, k))]++
	}
	return c
}

// clvChart draws the distribution of predicted customer lifetime value: a histogram up to the
// 99th percentile, the last bar holding everything above it. It needs two values.
func clvChart(clv []float64) (Chart, bool) {
	v := finite(clv)
	if len(v) < 2 {
		return Chart{}, false
	}
	sort.Float64s(v)
	const bins = 24
	lo := math.Min(0, v[0])
	hi := quantileSorted(v, 0.99)
	if !(hi > lo) {
		hi = v[len(v)-1]
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	c := histogram(v, lo, hi, bins)
	var top int64
	for _, k := range c {
		top = max(top, k)
	}
	const w, h = 560, 360
	ymax := niceMax(float64(top), 5)
	p := newPlot(w, h, 70, 16, 16, 54, lo, hi, 0, ymax)
	title := "Predicted customer lifetime value"
	s := newSVG(w, h, title)
	yt := ticksOf(niceTicks(0, ymax, 5), func(x float64) string { return count(int64(x)) })
	s.grid(p, yt)
	bw := (hi - lo) / bins
	for i, k := range c {
		x0, x1 := p.x.at(lo+bw*float64(i)), p.x.at(lo+bw*float64(i+1))
		tip := fmt.Sprintf("%s – %s: %s customers", money(lo+bw*float64(i)), money(lo+bw*float64(i+1)), count(k))
		if i == bins-1 {
			tip = fmt.Sprintf("%s and more: %s customers", money(lo+bw*float64(i)), count(k))
		}
		s.rect(x0+0.5, p.y.at(float64(k)), x1-x0-1, p.y.at(0)-p.y.at(float64(k)), colour(0), ` class="bar"`, tip)
	}
	s.axes(p, ticksOf(niceTicks(lo, hi, 5), money), yt,
		"predicted CLV over the horizon (money units; last bar: top 1%)", "customers")
	total, topSum := 0.0, 0.0
	for i, x := range v {
		total += x
		if i >= len(v)-int(math.Ceil(0.1*float64(len(v)))) {
			topSum += x
		}
	}
	reading := fmt.Sprintf("Median predicted value %s", money(quantileSorted(v, 0.5)))
	if total > 0 {
		reading += fmt.Sprintf("; the top 10%% of customers hold %s of it", pct(topSum/total))
	}
	return Chart{ID: "clv", Title: title, Reading: reading + ".", SVG: s.String()}, true
}

// aliveChart draws the probability of being alive against recency: customers as faint dots (an
// evenly spaced sample of at most 1,500) and the mean per recency band as a line, over bands of
// at least 5 customers. When frequency is given the line is the mean of repeat customers
// (frequency ≥ 2) only: BG/NBD holds a customer without a repeat purchase alive with
// probability 1 whatever their recency, which would bend the line up at long recencies.
func aliveChart(recency, alive, frequency []float64) (Chart, bool) {
	rs, as := make([]float64, 0, len(recency)), make([]float64, 0, len(recency))
	repeat := make([]bool, 0, len(recency))
	for i := range recency {
		if !isNull(recency[i]) && !isNull(alive[i]) {
			rs, as = append(rs, recency[i]), append(as, alive[i])
			repeat = append(repeat, frequency == nil || frequency[i] >= 2)
		}
	}
	if len(rs) < 2 {
		return Chart{}, false
	}
	hi := 0.0
	for _, r := range rs {
		hi = math.Max(hi, r)
	}
	hi = niceMax(math.Max(hi, 1), 6)
	const bands, minBand = 20, 5
	sum, n := make([]float64, bands), make([]float64, bands)
	for i, r := range rs {
		if repeat[i] {
			k := max(0, min(bands-1, int(r/hi*bands)))
			sum[k] += as[i]
			n[k]++
		}
	}
	const w, h = 560, 360
	p := newPlot(w, h, 66, 16, 26, 54, 0, hi, 0, 1)
	title := "Probability alive against recency"
	s := newSVG(w, h, title)
	who := "mean"
	if frequency != nil {
		who = "mean of repeat customers"
	}
	legend(s, p.left, 14, []string{"customer", who}, []string{"#9ec5e4", colour(5)})
	yt := ticksOf(niceTicks(0, 1, 5), pct)
	s.grid(p, yt)
	step := max(1, len(rs)/1500)
	s.raw(`<g class="dots">`)
	for i := 0; i < len(rs); i += step {
		s.raw(`<circle cx="%s" cy="%s" r="2"/>`, num(p.x.at(rs[i])), num(p.y.at(as[i])))
	}
	s.raw(`</g>`)
	var xs, ys []float64
	first, last := -1, -1
	for k := range sum {
		if n[k] >= minBand {
			xs, ys = append(xs, p.x.at((float64(k)+0.5)*hi/bands)), append(ys, p.y.at(sum[k]/n[k]))
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if len(xs) > 1 {
		s.polyline(xs, ys, "curve mean")
	}
	s.axes(p, ticksOf(niceTicks(0, hi, 6), func(x float64) string { return count(int64(x)) }), yt,
		"recency: days since the last purchase", "probability alive (%)")
	reading := fmt.Sprintf("Half of these customers are at least %s likely to be alive.", pct(median(as)))
	if first >= 0 {
		subject := "Customers"
		if frequency != nil {
			subject = "Repeat customers"
		}
		reading = fmt.Sprintf("%s who bought in the last %s days are on average %s likely to be alive", subject,
			count(int64(math.Round(float64(first+1)*hi/bands))), pct(sum[first]/n[first]))
		if last != first {
			reading += fmt.Sprintf("; after %s days, %s", count(int64(math.Round(float64(last)*hi/bands))), pct(sum[last]/n[last]))
		}
		reading += "."
	}
	return Chart{ID: "alive", Title: title, Reading: reading, SVG: s.String()}, true
}

// median is the type-7 median of v (which it does not modify).
func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return quantileSorted(s, 0.5)
}
