package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// clusterProfile is one cluster's name, size and standardized centroid.
type clusterProfile struct {
	name  string
	size  float64
	share float64
	z     []float64 // per feature, in standard deviations from the mean
}

// readClusters reads cluster profiles from the clusters table, in one of three layouts:
//
//   - sectioned long form, as the job writes it: columns section, name, label, value (and
//     index); rows with section = 'centroid_z' give the z-score (value) of feature name for
//     the cluster label, rows with section = 'profile' and name = 'customers' its size;
//   - one row per cluster with z_<feature> (or <feature>_z) columns, the name in cluster_name
//     or name, the size in customers or size;
//   - long form with feature and z columns beside those name and size columns.
//
// Clusters keep their first-appearance order.
func readClusters(t *Frame) (features []string, profiles []clusterProfile, ok bool) {
	if section, ok := t.Strings("section"); ok {
		name, ok1 := t.Strings("name")
		label, ok2 := t.Strings("label")
		value, ok3 := t.Numbers("value")
		if !ok1 || !ok2 || !ok3 {
			return nil, nil, false
		}
		return finishClusters(clusterSections(section, name, label, value))
	}
	name, hasName := t.firstStrings("cluster_name", "name")
	id, hasID := t.Numbers("cluster")
	size, _ := t.firstNumbers("customers", "size")
	label := func(i int) string {
		switch {
		case hasName && name[i] != "":
			return name[i]
		case hasID && !isNull(id[i]):
			return fmt.Sprintf("cluster %d", int(id[i]))
		}
		return fmt.Sprintf("cluster %d", i)
	}
	b := newClusterBuilder()
	if feat, ok := t.Strings("feature"); ok {
		z, okZ := t.firstNumbers("z", "centroid_z", "standardized")
		if !okZ {
			return nil, nil, false
		}
		for i := range feat {
			if feat[i] != "" {
				b.setZ(label(i), feat[i], z[i])
			}
			if size != nil {
				b.setSize(label(i), size[i])
			}
		}
		return finishClusters(b)
	}
	for _, c := range t.Columns() {
		f, okP := strings.CutPrefix(c, "z_")
		if !okP {
			f, okP = strings.CutSuffix(c, "_z")
		}
		if v, isNum := t.Numbers(c); okP && isNum {
			for i := range v {
				b.setZ(label(i), f, v[i])
			}
		}
	}
	for i := 0; size != nil && i < t.Len(); i++ {
		b.setSize(label(i), size[i])
	}
	return finishClusters(b)
}

// clusterSections reads the job's sectioned clusters table.
func clusterSections(section, name, label []string, value []float64) *clusterBuilder {
	b := newClusterBuilder()
	for i := range section {
		switch {
		case section[i] == "centroid_z" && name[i] != "" && label[i] != "":
			b.setZ(label[i], name[i], value[i])
		case section[i] == "profile" && name[i] == "customers" && label[i] != "":
			b.setSize(label[i], value[i])
		}
	}
	return b
}

// clusterBuilder collects z-scores and sizes by cluster and feature in first-appearance order.
type clusterBuilder struct {
	features, clusters []string
	z                  map[[2]string]float64
	size               map[string]float64
}

func newClusterBuilder() *clusterBuilder {
	return &clusterBuilder{z: map[[2]string]float64{}, size: map[string]float64{}}
}

func (b *clusterBuilder) setZ(cluster, feature string, z float64) {
	if !slices.Contains(b.features, feature) {
		b.features = append(b.features, feature)
	}
	if !slices.Contains(b.clusters, cluster) {
		b.clusters = append(b.clusters, cluster)
	}
	b.z[[2]string{cluster, feature}] = z
}

func (b *clusterBuilder) setSize(cluster string, n float64) {
	if !isNull(n) {
		b.size[cluster] = n
	}
}

// finishClusters turns the collected values into profiles with customer shares; a cluster
// without a z-score for a feature has NaN there.
func finishClusters(b *clusterBuilder) ([]string, []clusterProfile, bool) {
	if len(b.features) == 0 || len(b.clusters) == 0 {
		return nil, nil, false
	}
	total := 0.0
	for _, c := range b.clusters {
		if n, ok := b.size[c]; ok {
			total += n
		}
	}
	profiles := make([]clusterProfile, len(b.clusters))
	for i, c := range b.clusters {
		p := clusterProfile{name: c, size: math.NaN(), share: math.NaN(), z: make([]float64, len(b.features))}
		if n, ok := b.size[c]; ok {
			p.size = n
			if total > 0 {
				p.share = n / total
			}
		}
		for k, f := range b.features {
			z, ok := b.z[[2]string{c, f}]
			if !ok {
				z = math.NaN()
			}
			p.z[k] = z
		}
		profiles[i] = p
	}
	return b.features, profiles, true
}

// snakeChart draws every cluster's standardized centroid as a line across the features (a
// snake plot): 0 is the mean of all customers, ±1 one standard deviation.
//
// The scale covers the clusters of at least 1% of customers (all clusters when sizes are
// unknown or none is that large): a tiny cluster of outliers (one customer 70 sd above the mean
// profit) would otherwise flatten every other line to zero. Its points beyond the scale are
// drawn on the edge as triangles labelled with their value.
func snakeChart(features []string, profiles []clusterProfile) Chart {
	main := mainClusters(profiles)
	lo, hi := -1.0, 1.0
	for i, p := range profiles {
		for _, z := range p.z {
			if !isNull(z) && main[i] {
				lo, hi = math.Min(lo, z), math.Max(hi, z)
			}
		}
	}
	lo, hi = -niceMax(-lo, 4), niceMax(hi, 4)
	names := make([]string, len(profiles))
	colours := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.name
		if !isNull(p.share) {
			names[i] += " (" + pct(p.share) + ")"
		}
		colours[i] = colour(i)
	}
	const w = 560
	legendH := legendHeight(w-90, names)
	h := 24 + legendH + 300 + 54.0
	p := newPlot(w, h, 66, 30, 24+legendH, 54, -0.5, float64(len(features))-0.5, lo, hi)
	title := "Cluster profiles: standardized feature means"
	s := newSVG(w, h, title)
	wrappedLegend(s, p.left, 16, w-90, names, colours)
	yt := ticksOf(niceTicks(lo, hi, 6), func(v float64) string { return decimal(v, 1) })
	s.grid(p, yt)
	s.line(p.left, p.y.at(0), p.right(), p.y.at(0), "reference")
	for i, pr := range profiles {
		var xs, ys []float64
		for k, z := range pr.z {
			if isNull(z) {
				continue
			}
			x, y := p.x.at(float64(k)), p.y.at(math.Max(lo, math.Min(hi, z)))
			xs, ys = append(xs, x), append(ys, y)
			tip := esc(fmt.Sprintf("%s: %s %s sd", pr.name, features[k], decimal(z, 2)))
			if z > hi || z < lo {
				dy := -7.0 // a triangle pointing off the scale
				if z < lo {
					dy = 7
				}
				s.raw(`<path d="M%s %s L%s %s L%s %s Z" fill="%s" class="clipped"><title>%s</title></path>`,
					num(x-6), num(y), num(x+6), num(y), num(x), num(y+dy), colours[i], tip)
				s.text(x+9, y-dy/2+4, "start", "value", decimal(z, 1)+" sd")
				continue
			}
			s.raw(`<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s</title></circle>`, num(x), num(y), colours[i], tip)
		}
		if len(xs) > 1 {
			s.raw(`<g stroke="%s">`, colours[i])
			class := "curve snake"
			if !main[i] {
				class += " outlier" // dashed: an outlier cluster, partly off the scale
			}
			s.polyline(xs, ys, class)
			s.raw(`</g>`)
		}
	}
	var xt []tick
	for k, f := range features {
		xt = append(xt, tick{float64(k), f})
	}
	s.axes(p, xt, yt,
		"feature", "standardized mean (sd from the mean)")
	best, bestK, bestZ := 0, 0, 0.0
	for i, pr := range profiles {
		for k, z := range pr.z {
			if main[i] && !isNull(z) && math.Abs(z) > math.Abs(bestZ) {
				best, bestK, bestZ = i, k, z
			}
		}
	}
	dir := "above"
	if bestZ < 0 {
		dir = "below"
	}
	b := profiles[best]
	reading := fmt.Sprintf("“%s”", b.name)
	if !isNull(b.share) {
		reading += fmt.Sprintf(" (%s of customers)", pct(b.share))
	}
	reading += fmt.Sprintf(" stands out most: %s sd %s the mean %s", decimal(math.Abs(bestZ), 1), dir, features[bestK])
	var small []string
	for i, pr := range profiles {
		if !main[i] {
			small = append(small, fmt.Sprintf("“%s” (%s)", pr.name, pct(pr.share)))
		}
	}
	if len(small) > 0 {
		reading += "; outliers: " + strings.Join(small, ", ")
	}
	reading += "."
	return Chart{ID: "clusters", Title: title, Reading: reading, SVG: s.String()}
}

// mainClusters marks the clusters of at least 1% of customers; all of them when no cluster
// has a known share that large.
func mainClusters(profiles []clusterProfile) []bool {
	main := make([]bool, len(profiles))
	any := false
	for i, p := range profiles {
		main[i] = !isNull(p.share) && p.share >= 0.01
		any = any || main[i]
	}
	if !any {
		for i := range main {
			main[i] = true
		}
	}
	return main
}

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
