package cluster

import (
	"errors"
	"fmt"
	"runtime"
)

// Defaults used when an Options field is zero.
const (
	DefaultKMin             = 2
	DefaultKMax             = 8
	DefaultRestarts         = 3
	DefaultMaxIter          = 100
	DefaultTol              = 1e-4
	DefaultSilhouetteSample = 2000
	DefaultFitSample        = 200_000
	minFitSample            = 1000
)

// Options configures Fit and Cluster. The zero value means "choose k in [2, 8] by silhouette,
// 3 restarts, at most 100 Lloyd iterations, tolerance 1e-4, seed 0, all cores".
type Options struct {
	// K is the number of clusters. 0 chooses k automatically over [KMin, KMax] by the mean
	// silhouette on a sample. K = 1 is allowed (one cluster, centroid = mean).
	K int
	// KMin and KMax bound the automatic choice (only when K = 0). Defaults 2 and 8. KMax is
	// clipped to n−1 points; KMin must be at least 2.
	KMin, KMax int
	// Restarts is the number of k-means++ seedings, each followed by Lloyd iterations; the run
	// with the lowest inertia wins (the earliest on ties). Default 3.
	Restarts int
	// MaxIter caps the centroid updates per restart. Default 100.
	MaxIter int
	// Tol stops a restart when the summed squared centroid movement of one update is at most
	// Tol × (mean per-feature variance of the data), as scikit-learn does. Default 1e-4. A
	// restart also stops when no point changes cluster.
	Tol float64
	// Seed seeds every random choice (math/rand/v2 PCG: restart r uses stream r, the
	// silhouette sample its own stream). 0 is a valid seed.
	Seed uint64
	// Workers splits the assignment step over this many goroutines. Default GOMAXPROCS.
	// Results are bit-identical for every value.
	Workers int
	// SilhouetteSample is the number of points, drawn without replacement, on which the
	// silhouette of each k is computed (it costs O(sample²)). Default 2000.
	SilhouetteSample int
	// FitSample caps the points the centroids are fitted on: with more rows than FitSample,
	// k-means (seeding, Lloyd iterations, the choice of k) runs on FitSample rows drawn
	// without replacement from PCG(Seed, 2⁶³+1), and then every row is labelled with its
	// nearest centroid; Labels, Sizes and Inertia cover every row, Trace, RestartInertia and
	// Selection the sample. Default 200,000 (at 1M customers the centroids move by well under
	// the tolerance, the fit is 5× cheaper); negative fits on every row; at least 1,000.
	FitSample int
}

// withDefaults returns o with zero fields replaced by their defaults.
func (o Options) withDefaults() Options {
	if o.K == 0 {
		if o.KMin == 0 {
			o.KMin = DefaultKMin
		}
		if o.KMax == 0 {
			o.KMax = max(DefaultKMax, o.KMin)
		}
	}
	if o.Restarts == 0 {
		o.Restarts = DefaultRestarts
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.SilhouetteSample == 0 {
		o.SilhouetteSample = DefaultSilhouetteSample
	}
	if o.FitSample == 0 {
		o.FitSample = DefaultFitSample
	}
	return o
}

// Validate reports every out-of-range field of o (after defaults are applied) at once, each
// an *OptionError.
func (o Options) Validate() error {
	o = o.withDefaults()
	var errs []error
	bad := func(field string, value any, want string) {
		errs = append(errs, &OptionError{Field: field, Value: value, Want: want})
	}
	if o.K < 0 {
		bad("K", o.K, "≥ 0")
	}
	if o.K == 0 {
		if o.KMin < 2 {
			bad("KMin", o.KMin, "≥ 2 (the silhouette needs two clusters)")
		}
		if o.KMax < o.KMin {
			bad("KMax", o.KMax, fmt.Sprintf("≥ the smallest k tried (%d)", o.KMin))
		}
	}
	if o.Restarts < 0 {
		bad("Restarts", o.Restarts, "≥ 1")
	}
	if o.MaxIter < 0 {
		bad("MaxIter", o.MaxIter, "≥ 1")
	}
	if !(o.Tol >= 0) {
		bad("Tol", o.Tol, "≥ 0")
	}
	if o.Workers < 0 {
		bad("Workers", o.Workers, "≥ 1")
	}
	if o.SilhouetteSample < 0 || o.SilhouetteSample == 1 {
		bad("SilhouetteSample", o.SilhouetteSample, "≥ 2")
	}
	if o.FitSample > 0 && o.FitSample < minFitSample {
		bad("FitSample", o.FitSample, fmt.Sprintf("≥ %d, or negative for every row", minFitSample))
	}
	return errors.Join(errs...)
}
