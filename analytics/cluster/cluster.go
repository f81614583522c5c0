package cluster

import (
	"fmt"
	"slices"
)

// Result is the outcome of Cluster.
type Result struct {
	// Model holds the labels (one per feature row), the centroids in standardized units, the
	// inertia trace of the winning restart and, for automatic k, the silhouette of every k.
	Model *Model
	// Standardization holds the means and population standard deviations used, and the
	// constant features.
	Standardization Standardization
	// ValueFeature numbers the clusters (0 = highest mean); HasProfit reports whether a
	// "profit" feature was given, so Profile.Profit is meaningful.
	ValueFeature string
	HasProfit    bool
	// Names gives each cluster's name (Profiles[j].Name), indexed by cluster number.
	Names    []string
	Profiles []Profile
}

// Cluster standardizes the features to z-scores, runs k-means on them (see Fit), numbers the
// clusters by descending mean of valueFeature (ties by the means of the features in order),
// and profiles and names every cluster.
//
// Errors: ErrNoFeatures, ErrShape, ErrUnknownFeature (valueFeature missing), ErrNonFinite
// (naming the feature and row), ErrTooFewPoints, ErrTooFewDistinct, ErrOptions.
func Cluster(features []Feature, valueFeature string, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	n, err := validate(features)
	if err != nil {
		return nil, err
	}
	valueIdx := slices.IndexFunc(features, func(f Feature) bool { return f.Name == valueFeature })
	if valueIdx < 0 {
		return nil, fmt.Errorf("%w: value feature %q is not among the %d features", ErrUnknownFeature, valueFeature, len(features))
	}
	profitIdx := slices.IndexFunc(features, func(f Feature) bool { return f.Name == FeatureProfit })
	x, st := standardize(features, n)
	m, err := fit(x, n, len(features), opt.withDefaults())
	if err != nil {
		return nil, err
	}
	profiles := profile(m, x, features, valueIdx, profitIdx)
	keys := make([]float64, 0, m.K*m.Dim)
	for _, p := range profiles {
		keys = append(keys, p.Z...)
	}
	newID := m.reorder(keys, valueIdx)
	ordered := make([]Profile, m.K)
	for old, p := range profiles {
		p.Cluster = int(newID[old])
		ordered[p.Cluster] = p
	}
	nameClusters(ordered, st.Names, valueFeature)
	names := make([]string, m.K)
	for j, p := range ordered {
		names[j] = p.Name
	}
	return &Result{Model: m, Standardization: st, ValueFeature: valueFeature, HasProfit: profitIdx >= 0,
		Names: names, Profiles: ordered}, nil
}

// Expand maps the result back onto a table of total customers of which rows (as returned by
// FeaturesFrom) were clustered: it returns a label and a name per table row, −1 and
// NoPurchaseName for customers left out. It panics if rows does not match the result.
func (r *Result) Expand(total int, rows []int) (labels []int32, names []string) {
	if len(rows) != len(r.Model.Labels) {
		panic("cluster: Expand: rows and labels differ in length")
	}
	labels = make([]int32, total)
	names = make([]string, total)
	for i := range labels {
		labels[i], names[i] = -1, NoPurchaseName
	}
	for j, row := range rows {
		l := r.Model.Labels[j]
		labels[row], names[row] = l, r.Names[l]
	}
	return labels, names
}
