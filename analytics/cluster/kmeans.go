package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Model is a fitted k-means clustering of the rows of a matrix.
type Model struct {
	// K is the number of clusters and Dim the number of columns.
	K, Dim int
	// Centroids holds K rows of Dim values (row-major), in the units of the fitted matrix:
	// the centroids of the last assignment step, to which every point is nearest.
	Centroids []float64
	// Labels gives each row's cluster, 0..K−1, numbered by descending centroid coordinates
	// (see Fit).
	Labels []int32
	// Sizes counts the rows in each cluster.
	Sizes []int
	// Inertia is the sum over rows of the squared Euclidean distance to their centroid.
	Inertia float64
	// Trace is the inertia after each assignment step of the winning restart; it never
	// increases (Lloyd's algorithm is a descent method).
	Trace []float64
	// Iterations counts the centroid updates of the winning restart; Converged reports whether
	// it stopped on the tolerance or on unchanged labels rather than on MaxIter.
	Iterations int
	Converged  bool
	// Restart is the index of the winning restart and RestartInertia the final inertia of
	// every restart, in order.
	Restart        int
	RestartInertia []float64
	// Reseeds counts the empty clusters re-seeded during the winning restart.
	Reseeds int
	// Selection reports every k tried when k was chosen automatically (nil for a fixed K).
	Selection []KScore
}

// KScore is the outcome of one candidate k in automatic selection.
type KScore struct {
	K int
	// Silhouette is the mean silhouette width on the seeded sample, in [−1, 1].
	Silhouette float64
	// Inertia is the best inertia over the restarts for this k.
	Inertia float64
}

// Centroid returns the centroid of cluster j (a view into m.Centroids).
func (m *Model) Centroid(j int) []float64 { return m.Centroids[j*m.Dim : (j+1)*m.Dim] }

// PCG stream numbers: restart r draws from stream r, the silhouette and fit samples from
// their own.
const (
	sampleStream    = 1 << 63
	fitSampleStream = 1<<63 + 1
)

// Fit clusters the rows of x by k-means: k-means++ seeding followed by Lloyd iterations,
// Options.Restarts times, keeping the run with the lowest inertia. With Options.K = 0 it fits
// every k in [KMin, min(KMax, n−1)] and keeps the one with the highest mean silhouette on a
// seeded sample (ties: the smaller k); the search stops early at the first k that exceeds the
// number of distinct rows.
//
// Clusters are numbered by descending centroid coordinate in column 0, ties broken by the
// following columns, so the same input and seed give the same numbers. Fit does not
// standardize: use Cluster for named, standardized features.
//
// Errors: ErrNonFinite for NaN or ±Inf (naming row and column), ErrTooFewPoints when x has
// fewer rows than K, ErrTooFewDistinct when it has fewer distinct rows than K, ErrOptions.
func Fit(x *mat.Dense, opt Options) (*Model, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	raw := x.RawMatrix()
	n, d := raw.Rows, raw.Cols
	data := raw.Data
	if n > 0 && raw.Stride != d {
		data = make([]float64, n*d)
		for i := range n {
			copy(data[i*d:(i+1)*d], raw.Data[i*raw.Stride:i*raw.Stride+d])
		}
	}
	for i := range n * d {
		if v := data[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: row %d column %d is %v", ErrNonFinite, i/d, i%d, v)
		}
	}
	m, err := fit(data, n, d, opt)
	if err != nil {
		return nil, err
	}
	m.reorder(m.Centroids, 0)
	return m, nil
}

// fit runs k-means on the n×d row-major data, which must be finite; opt has its defaults.
func fit(data []float64, n, d int, opt Options) (*Model, error) {
	if n == 0 || d == 0 {
		return nil, fmt.Errorf("%w: %d rows, %d columns", ErrNoFeatures, n, d)
	}
	if opt.FitSample > 0 && n > opt.FitSample {
		return fitSampled(data, n, d, opt)
	}
	f := newFitter(data, n, d, opt)
	if opt.K > 0 {
		if n < opt.K {
			return nil, fmt.Errorf("%w: %d points, want at least K = %d", ErrTooFewPoints, n, opt.K)
		}
		return f.fitK(opt.K)
	}
	kmax := min(opt.KMax, n-1)
	if kmax < opt.KMin {
		return nil, fmt.Errorf("%w: %d points, want at least KMin+1 = %d for automatic k", ErrTooFewPoints, n, opt.KMin+1)
	}
	sample := sampleRows(n, opt.SilhouetteSample, rand.New(rand.NewPCG(opt.Seed, sampleStream)))
	var best *Model
	var report []KScore
	bestScore := math.Inf(-1)
	for k := opt.KMin; k <= kmax; k++ {
		m, err := f.fitK(k)
		if errors.Is(err, ErrTooFewDistinct) && k > opt.KMin {
			break // larger k cannot have enough distinct points either
		}
		if err != nil {
			return nil, err
		}
		s := silhouette(data, d, sample, m.Labels, k)
		report = append(report, KScore{K: k, Silhouette: s, Inertia: m.Inertia})
		if s > bestScore {
			best, bestScore = m, s
		}
	}
	best.Selection = report
	return best, nil
}

// fitSampled fits on opt.FitSample seeded rows, then labels every row with its nearest
// centroid (the lowest index on ties); inertia and sizes are summed per chunk in chunk order.
// A sample with too few (distinct) rows for k falls back to fitting every row.
func fitSampled(data []float64, n, d int, opt Options) (*Model, error) {
	rows := sampleRows(n, opt.FitSample, rand.New(rand.NewPCG(opt.Seed, fitSampleStream)))
	sub := make([]float64, len(rows)*d)
	for s, i := range rows {
		copy(sub[s*d:(s+1)*d], data[i*d:(i+1)*d])
	}
	all := opt
	all.FitSample = -1
	m, err := fit(sub, len(rows), d, all)
	if errors.Is(err, ErrTooFewDistinct) || errors.Is(err, ErrTooFewPoints) {
		return fit(data, n, d, all)
	}
	if err != nil {
		return nil, err
	}
	k, nc := m.K, numChunks(n)
	labels := make([]int32, n)
	chunkInertia := make([]float64, nc)
	chunkSizes := make([]int, nc*k)
	forChunks(n, opt.Workers, func(c, lo, hi int) {
		sizes := chunkSizes[c*k : (c+1)*k]
		var in float64
		for i := lo; i < hi; i++ {
			best, dist, _ := nearest2(data[i*d:(i+1)*d], m.Centroids, k)
			labels[i] = best
			sizes[best]++
			in += dist
		}
		chunkInertia[c] = in
	})
	m.Labels, m.Inertia, m.Sizes = labels, 0, make([]int, k)
	for c := range nc {
		m.Inertia += chunkInertia[c]
		for j, v := range chunkSizes[c*k : (c+1)*k] {
			m.Sizes[j] += v
		}
	}
	return m, nil
}

// fitter holds the data and the work space of one Fit call; per-chunk partials are indexed
// by chunk so that reductions run in chunk order.
type fitter struct {
	x             []float64
	n, d          int
	opt           Options
	tolAbs        float64
	nc            int
	seed          func(f *fitter, rng *rand.Rand, cent []float64, k int) error
	minDist       []float64 // k-means++: squared distance to the nearest chosen centre
	cur           []int32   // labels of the running restart
	chunkTotal    []float64 // per chunk: sum of minDist, or inertia in Lloyd steps
	chunkChanged  []int
	chunkSums     []float64 // per chunk, per cluster, per column
	chunkCounts   []int
	sums          []float64
	counts        []int
	prevCentroids []float64
	plain         bool      // scan every centroid for every point (tests compare with it)
	lower         []float64 // per point: lower bound on the distance to every other centroid
	halfSep       []float64 // per cluster: half the distance to the nearest other centroid
	maxMove       float64   // largest centroid move in the last update
}

func newFitter(data []float64, n, d int, opt Options) *fitter {
	f := &fitter{x: data, n: n, d: d, opt: opt, nc: numChunks(n), seed: (*fitter).seedPlusPlus}
	f.minDist = make([]float64, n)
	f.cur = make([]int32, n)
	f.lower = f.minDist // seeding and Lloyd steps never need both: share the memory
	f.chunkTotal = make([]float64, f.nc)
	f.chunkChanged = make([]int, f.nc)
	f.tolAbs = opt.Tol * meanColumnVariance(data, n, d)
	return f
}

// meanColumnVariance returns the mean over columns of the population variance.
func meanColumnVariance(x []float64, n, d int) float64 {
	mean := make([]float64, d)
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	var ss float64
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			ss += (v - mean[j]) * (v - mean[j])
		}
	}
	return ss / float64(n) / float64(d)
}

// fitK runs all restarts for k clusters and returns the best; labels are fresh memory.
func (f *fitter) fitK(k int) (*Model, error) {
	d := f.d
	f.chunkSums = make([]float64, f.nc*k*d)
	f.chunkCounts = make([]int, f.nc*k)
	f.sums = make([]float64, k*d)
	f.counts = make([]int, k)
	f.prevCentroids = make([]float64, k*d)
	f.halfSep = make([]float64, k)
	best := &Model{K: k, Dim: d, Inertia: math.Inf(1), Labels: make([]int32, f.n)}
	cent := make([]float64, k*d)
	for r := range f.opt.Restarts {
		rng := rand.New(rand.NewPCG(f.opt.Seed, uint64(r)))
		if err := f.seed(f, rng, cent, k); err != nil {
			return nil, err
		}
		run := f.lloyd(cent, k)
		best.RestartInertia = append(best.RestartInertia, run.inertia)
		if run.inertia < best.Inertia {
			best.Inertia, best.Trace, best.Iterations = run.inertia, run.trace, run.iterations
			best.Converged, best.Restart, best.Reseeds = run.converged, r, run.reseeds
			best.Centroids = slices.Clone(cent)
			best.Sizes = f.combineCounts(k)
			best.Labels, f.cur = f.cur, best.Labels
		}
	}
	return best, nil
}

type lloydRun struct {
	inertia    float64
	trace      []float64
	iterations int
	converged  bool
	reseeds    int
}

// lloyd iterates assignment and update steps from the centroids in cent (updated in place)
// and leaves the labels in f.cur. It always ends on an assignment step, so every point is
// nearest to its final centroid.
func (f *fitter) lloyd(cent []float64, k int) lloydRun {
	var run lloydRun
	scanAll := false // after a re-seed the bounds are void: scan every centroid
	for it := 0; ; it++ {
		inertia, changed := f.assign(cent, k, it == 0, scanAll)
		run.trace = append(run.trace, inertia)
		run.inertia, run.iterations = inertia, it
		if it > 0 && changed == 0 {
			run.converged = true
			return run
		}
		if it == f.opt.MaxIter {
			return run
		}
		shift, reseeds := f.update(cent, k)
		run.reseeds += reseeds
		scanAll = reseeds > 0
		if reseeds == 0 && shift <= f.tolAbs {
			run.inertia, _ = f.assign(cent, k, false, false)
			run.trace = append(run.trace, run.inertia)
			run.iterations, run.converged = it+1, true
			return run
		}
	}
}

// boundMargin shrinks the bound below which a point keeps its centroid without a scan, so
// that rounding in the bounds can never skip a point a full scan would move: a point is kept
// only when its centroid is nearer than every other by a relative 1e-9, far above the 1e-16
// rounding of the distances.
const boundMargin = 1e-9

// assign labels every point with its nearest centroid (the lowest index on ties), gathers
// per-chunk sums and counts for the update step, and returns the inertia and the number of
// points whose label changed (all of them when first is set).
//
// Unless first or scanAll is set, or f.plain, it skips the scan of all k centroids for points whose
// current centroid is provably still the nearest (Hamerly 2010): lower[i] bounds from below
// the distance from point i to every other centroid (lowered by the largest centroid move of
// each update), and halfSep[a] is half the distance from centroid a to its nearest other
// centroid. If ‖x − c_a‖ is below max(halfSep[a], lower[i]) (by boundMargin), the triangle
// inequality puts every other centroid farther away, so a full scan would return a too. The
// labels, sums and inertia are therefore those of the plain Lloyd step, bit for bit.
func (f *fitter) assign(cent []float64, k int, first, scanAll bool) (inertia float64, changed int) {
	d, labels := f.d, f.cur
	full := first || scanAll || f.plain
	var maxMove float64
	if !full {
		maxMove = f.maxMove * (1 + boundMargin)
		f.halfSeparation(cent, k)
	}
	forChunks(f.n, f.opt.Workers, func(c, lo, hi int) {
		sums := f.chunkSums[c*k*d : (c+1)*k*d]
		counts := f.chunkCounts[c*k : (c+1)*k]
		clear(sums)
		clear(counts)
		var in float64
		ch := 0
		for i := lo; i < hi; i++ {
			row := f.x[i*d : (i+1)*d]
			best := labels[i]
			var dist float64
			keep := false
			if !full {
				low := f.lower[i] - maxMove
				f.lower[i] = low
				c := cent[int(best)*d : (int(best)+1)*d]
				if d == 3 {
					a, b, e := row[0]-c[0], row[1]-c[1], row[2]-c[2]
					dist = a*a + b*b + e*e
				} else {
					dist = sqDist(row, c)
				}
				bound := max(f.halfSep[best], low) * (1 - boundMargin)
				keep = dist < bound*bound
			}
			if !keep {
				var second float64
				best, dist, second = nearest2(row, cent, k)
				f.lower[i] = math.Sqrt(second)
				if first || labels[i] != best {
					ch++
					labels[i] = best
				}
			}
			in += dist
			counts[best]++
			s := sums[int(best)*d : (int(best)+1)*d]
			for j, v := range row {
				s[j] += v
			}
		}
		f.chunkTotal[c], f.chunkChanged[c] = in, ch
	})
	for c := range f.nc {
		inertia += f.chunkTotal[c]
		changed += f.chunkChanged[c]
	}
	return inertia, changed
}

// halfSeparation sets f.halfSep[j] to half the distance from centroid j to its nearest other
// centroid (+Inf when k = 1).
func (f *fitter) halfSeparation(cent []float64, k int) {
	d := f.d
	for j := range k {
		f.halfSep[j] = math.Inf(1)
	}
	for j := range k {
		for m := j + 1; m < k; m++ {
			h := math.Sqrt(sqDist(cent[j*d:(j+1)*d], cent[m*d:(m+1)*d])) / 2
			f.halfSep[j] = min(f.halfSep[j], h)
			f.halfSep[m] = min(f.halfSep[m], h)
		}
	}
}

// nearest2 returns the index of the centroid nearest to row (the lowest on ties), the squared
// distance to it and the squared distance to the second nearest (+Inf when k = 1). The
// comparisons are written so the compiler emits conditional moves rather than branches: the
// winner is unpredictable, and mispredictions cost more than the arithmetic (measured 2.6×
// slower with an if-block updating both).
func nearest2(row, cent []float64, k int) (int32, float64, float64) {
	d := len(row)
	best, bestDist, second := 0, math.Inf(1), math.Inf(1)
	if d == 3 { // the customer-feature case, unrolled
		x0, x1, x2 := row[0], row[1], row[2]
		cent = cent[:k*3]
		for j := 0; j+2 < len(cent); j += 3 {
			a, b, e := x0-cent[j], x1-cent[j+1], x2-cent[j+2]
			s := a*a + b*b + e*e
			second = min(second, max(s, bestDist))
			if s < bestDist {
				best = j
			}
			bestDist = min(bestDist, s)
		}
		return int32(best / 3), bestDist, second
	}
	for j := range k {
		s := sqDist(row, cent[j*d:(j+1)*d])
		second = min(second, max(s, bestDist))
		if s < bestDist {
			best = j
		}
		bestDist = min(bestDist, s)
	}
	return int32(best), bestDist, second
}

// sqDist returns the squared Euclidean distance between a and b.
func sqDist(a, b []float64) float64 {
	var s float64
	for j, v := range a {
		t := v - b[j]
		s += t * t
	}
	return s
}

// combineCounts sums the per-chunk counts of the last assignment step in chunk order.
func (f *fitter) combineCounts(k int) []int {
	counts := make([]int, k)
	for c := range f.nc {
		for j, v := range f.chunkCounts[c*k : (c+1)*k] {
			counts[j] += v
		}
	}
	return counts
}

// update moves every centroid to the mean of its points, re-seeding empty clusters first, and
// returns the summed squared movement and the number of re-seeded clusters.
func (f *fitter) update(cent []float64, k int) (shift float64, reseeds int) {
	d := f.d
	clear(f.sums)
	clear(f.counts)
	for c := range f.nc {
		for j, v := range f.chunkSums[c*k*d : (c+1)*k*d] {
			f.sums[j] += v
		}
		for j, v := range f.chunkCounts[c*k : (c+1)*k] {
			f.counts[j] += v
		}
	}
	copy(f.prevCentroids, cent)
	for j := range k {
		if f.counts[j] == 0 && f.reseed(int32(j), cent) {
			reseeds++
		}
	}
	f.maxMove = 0
	for j := range k {
		if f.counts[j] == 0 {
			continue
		}
		c := cent[j*d : (j+1)*d]
		var move float64
		for col := range c {
			c[col] = f.sums[j*d+col] / float64(f.counts[j])
			t := c[col] - f.prevCentroids[j*d+col]
			move += t * t
		}
		shift += move
		f.maxMove = max(f.maxMove, math.Sqrt(move))
	}
	return shift, reseeds
}

// reseed fills the empty cluster j with the point farthest from the centroid it was assigned
// to (the lowest row on ties), taken from a cluster that keeps at least one point, and reports
// whether one was found. With at least k distinct points one always exists.
func (f *fitter) reseed(j int32, cent []float64) bool {
	d := f.d
	far, farDist := -1, 0.0
	for i := range f.n {
		a := f.cur[i]
		if f.counts[a] < 2 {
			continue
		}
		if s := sqDist(f.x[i*d:(i+1)*d], f.prevCentroids[int(a)*d:(int(a)+1)*d]); s > farDist {
			far, farDist = i, s
		}
	}
	if far < 0 {
		return false
	}
	row := f.x[far*d : (far+1)*d]
	a := f.cur[far]
	for col, v := range row {
		f.sums[int(a)*d+col] -= v
		f.sums[int(j)*d+col] = v
	}
	f.counts[a]--
	f.counts[j] = 1
	f.cur[far] = j
	// The moved point now sits on its own centroid; mark it so a later re-seed in this
	// update does not take it again.
	copy(f.prevCentroids[int(j)*d:(int(j)+1)*d], row)
	copy(cent[int(j)*d:(int(j)+1)*d], row)
	return true
}

// reorder renumbers the clusters by descending keys (K×Dim row-major, e.g. the centroids) in
// column primary, ties broken by descending keys in column order, then by the old number. It
// returns the new number of each old cluster.
func (m *Model) reorder(keys []float64, primary int) []int32 {
	order := make([]int, m.K)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := keys[a*m.Dim:(a+1)*m.Dim], keys[b*m.Dim:(b+1)*m.Dim]
		if c := cmp.Compare(cb[primary], ca[primary]); c != 0 {
			return c
		}
		for col := range ca {
			if c := cmp.Compare(cb[col], ca[col]); c != 0 {
				return c
			}
		}
		return 0
	})
	newID := make([]int32, m.K)
	cent := make([]float64, len(m.Centroids))
	sizes := make([]int, m.K)
	for to, from := range order {
		newID[from] = int32(to)
		copy(cent[to*m.Dim:(to+1)*m.Dim], m.Centroid(from))
		sizes[to] = m.Sizes[from]
	}
	m.Centroids, m.Sizes = cent, sizes
	for i, l := range m.Labels {
		m.Labels[i] = newID[l]
	}
	return newID
}
