package report

import (
	"fmt"
	"math"
	"slices"
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
