package cluster

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestFitRecoversBlobs(t *testing.T) {
	tests := []struct {
		name       string
		n, d, k    int
		sd, spread float64
	}{
		{"2-d, 4 blobs", 2000, 2, 4, 1, 8},
		{"3-d, 8 blobs", 4000, 3, 8, 1, 8},
		{"5-d, 6 blobs, wider", 3000, 5, 6, 2, 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, truth := blobs(tc.n, tc.d, tc.k, tc.sd, tc.spread, 7)
			m, err := Fit(mat.NewDense(tc.n, tc.d, x), Options{K: tc.k, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			// The task's acceptance bar: ARI ≥ 0.95 against the generating labels.
			if ari := AdjustedRandIndex(toInts(m.Labels), truth); ari < 0.95 {
				t.Errorf("got ARI %.4f, want ≥ 0.95", ari)
			}
		})
	}
}

// directInertia recomputes Σ‖x − c_label‖² from scratch.
func directInertia(x []float64, d int, m *Model) float64 {
	var s float64
	for i, l := range m.Labels {
		s += sqDist(x[i*d:(i+1)*d], m.Centroid(int(l)))
	}
	return s
}

func TestInertiaTraceNeverIncreases(t *testing.T) {
	cust := customers(20_000, 5)
	custX, _ := standardize(cust, 20_000)
	rng := rand.New(rand.NewPCG(9, 9))
	uniform := make([]float64, 2*5000)
	for i := range uniform {
		uniform[i] = rng.Float64()
	}
	tests := []struct {
		name string
		x    []float64
		d, k int
	}{
		{"customer features, k=6", custX, 3, 6},
		{"uniform square, k=5", uniform, 2, 5},
		{"uniform square, k=9", uniform, 2, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.x) / tc.d
			m, err := Fit(mat.NewDense(n, tc.d, tc.x), Options{K: tc.k, Restarts: 1, Tol: 1e-12, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Trace) < 3 {
				t.Fatalf("got a trace of %d steps, want a run long enough to test", len(m.Trace))
			}
			// Lloyd's steps never increase inertia in exact arithmetic; allow the rounding of
			// summing n squared distances (relative 1e-12).
			for i := 1; i < len(m.Trace); i++ {
				if m.Trace[i] > m.Trace[i-1]*(1+1e-12) {
					t.Errorf("inertia rose at step %d: got %v after %v", i, m.Trace[i], m.Trace[i-1])
				}
			}
			if got := m.Trace[len(m.Trace)-1]; got != m.Inertia {
				t.Errorf("got last trace value %v, want the model inertia %v", got, m.Inertia)
			}
			if want := directInertia(tc.x, tc.d, m); math.Abs(m.Inertia-want) > 1e-9*want {
				t.Errorf("got inertia %v, want %v recomputed directly", m.Inertia, want)
			}
		})
	}
}

// runOnce fits one restart with the given seeding and returns the final inertia.
func runOnce(t *testing.T, x []float64, d, k int, seed uint64, seeding func(*fitter, *rand.Rand, []float64, int) error) float64 {
	t.Helper()
	f := newFitter(x, len(x)/d, d, Options{K: k, Restarts: 1, Seed: seed}.withDefaults())
	f.seed = seeding
	m, err := f.fitK(k)
	if err != nil {
		t.Fatal(err)
	}
	return m.Inertia
}

func TestPlusPlusBeatsRandomSeeding(t *testing.T) {
	const d, k, seeds = 2, 12, 30
	x, _ := blobs(3000, d, k, 1, 6, 21)
	var pp, rnd float64
	for s := range uint64(seeds) {
		pp += runOnce(t, x, d, k, s, (*fitter).seedPlusPlus)
		rnd += runOnce(t, x, d, k, s, seedRandom)
	}
	// Arthur & Vassilvitskii (2007) report k-means++ ending at lower inertia on average.
	if pp >= rnd {
		t.Errorf("got mean inertia %.1f with k-means++, want below %.1f with random seeding", pp/seeds, rnd/seeds)
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	features := customers(60_000, 13) // 15 chunks
	run := func(opt Options) *Result {
		t.Helper()
		r, err := Cluster(features, FeatureMonetary, opt)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, base := range []Options{
		{K: 6, Seed: 42},
		{KMin: 3, KMax: 4, Seed: 42, SilhouetteSample: 500},
	} {
		want := run(Options{K: base.K, KMin: base.KMin, KMax: base.KMax, Seed: base.Seed, SilhouetteSample: base.SilhouetteSample, Workers: 1})
		check := func(name string, got *Result) {
			t.Helper()
			gm, wm := got.Model, want.Model
			if gm.Inertia != wm.Inertia || !slices.Equal(gm.Trace, wm.Trace) || !slices.Equal(gm.Centroids, wm.Centroids) ||
				!slices.Equal(gm.Labels, wm.Labels) || !slices.Equal(got.Names, want.Names) || !slices.Equal(gm.Selection, wm.Selection) {
				t.Errorf("%s (K=%d): got inertia %v names %v, want bit-identical %v %v", name, base.K, gm.Inertia, got.Names, wm.Inertia, want.Names)
			}
		}
		for _, w := range []int{1, 2, 7} {
			opt := base
			opt.Workers = w
			check("workers", run(opt))
		}
		for _, procs := range []int{1, 2} {
			old := runtime.GOMAXPROCS(procs)
			check("GOMAXPROCS", run(base))
			runtime.GOMAXPROCS(old)
		}
	}
}

func TestFitEdgeCases(t *testing.T) {
	twoPoints := []float64{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1} // 6 rows, 2 distinct
	tests := []struct {
		name    string
		x       []float64
		d       int
		opt     Options
		wantErr error
		wantK   int
	}{
		{"fewer points than K", []float64{1, 2, 3}, 1, Options{K: 4}, ErrTooFewPoints, 0},
		{"automatic k needs KMin+1 points", []float64{1, 2}, 1, Options{}, ErrTooFewPoints, 0},
		{"fewer distinct points than K", twoPoints, 2, Options{K: 3}, ErrTooFewDistinct, 0},
		{"duplicates with enough distinct points", twoPoints, 2, Options{K: 2}, nil, 2},
		{"as many points as K", []float64{5, 1, 3, 9}, 1, Options{K: 4}, nil, 4},
		{"K = 1 is the mean", []float64{1, 2, 6}, 1, Options{K: 1}, nil, 1},
		{"automatic k stops at distinct points", []float64{0, 0, 5, 5, 9, 9, 0, 5}, 1, Options{KMax: 6}, nil, 3},
		{"NaN", []float64{1, math.NaN(), 3}, 1, Options{K: 1}, ErrNonFinite, 0},
		{"+Inf", []float64{1, 2, math.Inf(1), 4}, 2, Options{K: 1}, ErrNonFinite, 0},
		{"bad options", []float64{1, 2}, 1, Options{K: -1}, ErrOptions, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Fit(mat.NewDense(len(tc.x)/tc.d, tc.d, tc.x), tc.opt)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got error %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if m.K != tc.wantK {
				t.Errorf("got k = %d, want %d", m.K, tc.wantK)
			}
			for j, s := range m.Sizes {
				if s == 0 {
					t.Errorf("cluster %d is empty", j)
				}
			}
		})
	}
}

func TestFitEdgeCaseValues(t *testing.T) {
	// Duplicates: the two distinct points are the centroids, inertia is exactly 0.
	m, err := Fit(mat.NewDense(6, 2, []float64{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1}), Options{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if m.Inertia != 0 || !slices.Equal(m.Centroids, []float64{1, 1, 0, 0}) || !slices.Equal(m.Labels, []int32{1, 0, 1, 0, 1, 0}) {
		t.Errorf("got inertia %v centroids %v labels %v, want 0 [1 1 0 0] [1 0 1 0 1 0]", m.Inertia, m.Centroids, m.Labels)
	}
	// K = 1: the centroid is the mean (1+2+6)/3 = 3, inertia 4+1+9 = 14 (hand computation).
	m, err = Fit(mat.NewDense(3, 1, []float64{1, 2, 6}), Options{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Centroids[0] != 3 || m.Inertia != 14 {
		t.Errorf("got centroid %v inertia %v, want 3 and 14", m.Centroids[0], m.Inertia)
	}
	// Numbering: descending centroid coordinate, so the largest value is cluster 0.
	m, err = Fit(mat.NewDense(4, 1, []float64{5, 1, 3, 9}), Options{K: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Labels, []int32{1, 3, 2, 0}) {
		t.Errorf("got labels %v, want [1 3 2 0]", m.Labels)
	}
}

func TestEmptyClusterReseeded(t *testing.T) {
	x := []float64{0, 1, 2, 10, 11, 12}
	f := newFitter(x, 6, 1, Options{K: 3, Restarts: 1}.withDefaults())
	// Centroid 2 at 1000 attracts no point; the first update must re-seed it from the point
	// farthest from its centroid: rows 0, 2, 3, 5 are all at distance 1, so row 0 (lowest).
	f.seed = func(_ *fitter, _ *rand.Rand, cent []float64, _ int) error {
		copy(cent, []float64{1, 11, 1000})
		return nil
	}
	m, err := f.fitK(3)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 0, 0, 1, 1, 1} // {0}, {1, 2}, {10, 11, 12} by hand
	if m.Reseeds != 1 || AdjustedRandIndex(toInts(m.Labels), want) != 1 {
		t.Errorf("got %d re-seeds and labels %v, want 1 and the partition %v", m.Reseeds, m.Labels, want)
	}
	if !slices.Equal(m.Centroids, []float64{1.5, 11, 0}) {
		t.Errorf("got centroids %v, want [1.5 11 0]", m.Centroids)
	}
}

func TestAutomaticKFindsBlobs(t *testing.T) {
	x, truth := blobs(3000, 2, 4, 1, 8, 31)
	m, err := Fit(mat.NewDense(3000, 2, x), Options{KMin: 2, KMax: 6, Seed: 1, SilhouetteSample: 800})
	if err != nil {
		t.Fatal(err)
	}
	if m.K != 4 {
		t.Errorf("got k = %d, want 4 (selection %+v)", m.K, m.Selection)
	}
	if len(m.Selection) != 5 || m.Selection[0].K != 2 || m.Selection[4].K != 6 {
		t.Fatalf("got selection %+v, want one entry per k in 2..6", m.Selection)
	}
	for _, s := range m.Selection {
		if s.K != 4 && s.Silhouette >= m.Selection[2].Silhouette {
			t.Errorf("k=%d: got silhouette %.4f, want below k=4's %.4f", s.K, s.Silhouette, m.Selection[2].Silhouette)
		}
	}
	if ari := AdjustedRandIndex(toInts(m.Labels), truth); ari < 0.95 {
		t.Errorf("got ARI %.4f, want ≥ 0.95", ari)
	}
}

func TestSampleRows(t *testing.T) {
	tests := []struct {
		name       string
		n, size    int
		wantLength int
	}{
		{"sample smaller than data", 10_000, 300, 300},
		{"sample covers data", 50, 300, 50},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := sampleRows(tc.n, tc.size, rand.New(rand.NewPCG(1, sampleStream)))
			if len(rows) != tc.wantLength {
				t.Errorf("got %d rows, want %d", len(rows), tc.wantLength)
			}
			for i := 1; i < len(rows); i++ {
				if rows[i] <= rows[i-1] || rows[i] >= tc.n {
					t.Fatalf("got rows %d, %d at %d, want increasing and below %d", rows[i-1], rows[i], i, tc.n)
				}
			}
		})
	}
}

func TestBoundsMatchPlainLloyd(t *testing.T) {
	cust := customers(30_000, 17)
	custX, _ := standardize(cust, 30_000)
	blobX, _ := blobs(4000, 4, 6, 3, 2, 19)
	tests := []struct {
		name string
		x    []float64
		d, k int
	}{
		{"customer features, k=8", custX, 3, 8},
		{"customer features, k=3", custX, 3, 3},
		{"overlapping 4-d blobs, k=6", blobX, 4, 6},
		{"overlapping 4-d blobs, k=1", blobX, 4, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fit := func(plain bool) *Model {
				f := newFitter(tc.x, len(tc.x)/tc.d, tc.d, Options{K: tc.k, Restarts: 2, Tol: 1e-10, Seed: 5}.withDefaults())
				f.plain = plain
				m, err := f.fitK(tc.k)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			got, want := fit(false), fit(true)
			// Skipping scans must not change a single label, hence not a single bit of the sums.
			if !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Trace, want.Trace) || !slices.Equal(got.Centroids, want.Centroids) {
				t.Errorf("got inertia %v after %d steps, want %v after %d as plain Lloyd, bit for bit",
					got.Inertia, len(got.Trace), want.Inertia, len(want.Trace))
			}
		})
	}
}

// TestFitSample fits 120K points of 6 overlapping 3-d blobs on a 20K sample and on every point:
// the two labelings agree (ARI ≥ 0.99), each sampled centroid is within 2% of the blobs'
// spacing of a full-fit one, every point carries its nearest centroid, and Inertia and Sizes
// cover every point.
func TestFitSample(t *testing.T) {
	const n, d, k = 120_000, 3, 6
	x, truth := blobs(n, d, k, 1.5, 8, 11)
	full, err := Fit(mat.NewDense(n, d, x), Options{K: k, Seed: 5, FitSample: -1})
	if err != nil {
		t.Fatal(err)
	}
	sampled, err := Fit(mat.NewDense(n, d, x), Options{K: k, Seed: 5, FitSample: 20_000})
	if err != nil {
		t.Fatal(err)
	}
	if ari := AdjustedRandIndex(toInts(sampled.Labels), toInts(full.Labels)); ari < 0.99 {
		t.Errorf("sampled vs full labels: ARI %.4f, want ≥ 0.99", ari)
	}
	if ari := AdjustedRandIndex(toInts(sampled.Labels), truth); ari < 0.9 {
		t.Errorf("sampled vs truth: ARI %.4f, want ≥ 0.9", ari)
	}
	// Blobs whose centres share a first coordinate may be numbered in either order: match
	// each sampled centroid with the nearest full one.
	for j := range k {
		dist := math.Inf(1)
		for l := range k {
			dist = min(dist, math.Sqrt(sqDist(sampled.Centroid(j), full.Centroid(l))))
		}
		if dist > 0.02*8 {
			t.Errorf("centroid %d %v: %.3f from the nearest full-fit centroid", j, sampled.Centroid(j), dist)
		}
	}
	if len(sampled.Labels) != n {
		t.Fatalf("%d labels for %d points", len(sampled.Labels), n)
	}
	total := 0
	for _, s := range sampled.Sizes {
		total += s
	}
	if total != n {
		t.Errorf("sizes sum to %d, want %d", total, n)
	}
	if got := directInertia(x, d, sampled); math.Abs(got-sampled.Inertia) > 1e-9*got {
		t.Errorf("inertia %v, recomputed %v", sampled.Inertia, got)
	}
	for i := 0; i < n; i += 97 {
		best, _, _ := nearest2(x[i*d:(i+1)*d], sampled.Centroids, k)
		if best != sampled.Labels[i] {
			t.Fatalf("point %d labelled %d, nearest centroid %d", i, sampled.Labels[i], best)
		}
	}
	if _, err := Fit(mat.NewDense(n, d, x), Options{K: k, FitSample: 10}); !errors.Is(err, ErrOptions) {
		t.Errorf("FitSample 10: got %v, want ErrOptions", err)
	}
}

// TestFitSampleFallsBack checks that a sample with too few distinct rows for K falls back to
// fitting every row: 100K points, all at the origin but one, sampled down to 1,000 rows that
// miss the outlier (seed chosen so), still give K = 2 with the outlier alone.
func TestFitSampleFallsBack(t *testing.T) {
	const n = 100_000
	x := make([]float64, 2*n)
	x[2*77_777], x[2*77_777+1] = 10, 10
	rows := sampleRows(n, 1000, rand.New(rand.NewPCG(4, fitSampleStream)))
	if slices.Contains(rows, 77_777) {
		t.Fatal("the seeded sample holds the outlier; pick another seed")
	}
	m, err := Fit(mat.NewDense(n, 2, x), Options{K: 2, Seed: 4, FitSample: 1000})
	if err != nil {
		t.Fatalf("got %v, want the fit on every row", err)
	}
	if m.Sizes[0]+m.Sizes[1] != n || min(m.Sizes[0], m.Sizes[1]) != 1 || m.Inertia != 0 {
		t.Errorf("sizes %v, inertia %v: want the outlier alone, inertia 0", m.Sizes, m.Inertia)
	}
}
