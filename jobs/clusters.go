package jobs

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/rfmjob/rfm/analytics/cluster"
	"github.com/rfmjob/rfm/analytics/feature"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// ClustersConfig configures behavioural clusters (k-means on standardized log1p(monetary),
// log1p(frequency), recency_days, and profit when the profit view is on).
type ClustersConfig struct {
	// Enabled turns clusters on; default true.
	Enabled *bool `yaml:"enabled"`
	// K is the number of clusters; default 6. 0 with k_min/k_max chooses k by the mean
	// silhouette on a seeded sample.
	K        *int `yaml:"k"`
	KMin     int  `yaml:"k_min"`    // default 2 (automatic k)
	KMax     int  `yaml:"k_max"`    // default 8 (automatic k)
	Restarts int  `yaml:"restarts"` // default 3
	MaxIter  int  `yaml:"max_iter"` // default 100
	// FitSample caps the customers the centroids are fitted on (a seeded sample); every
	// customer is then given its nearest centroid. Default 200000; -1 fits on everyone.
	FitSample int `yaml:"fit_sample"`
	// Seed makes the clusters reproducible; default 1.
	Seed uint64 `yaml:"seed"`
}

// TableClusters holds cluster profiles, centroids and the k-selection report.
const TableClusters = "clusters"

func (c *ClustersConfig) enabled() bool { return c.Enabled == nil || *c.Enabled }

func (c *ClustersConfig) options(threads int) cluster.Options {
	k := 6
	if c.K != nil {
		k = *c.K
	}
	seed := c.Seed
	if seed == 0 {
		seed = 1
	}
	return cluster.Options{K: k, KMin: c.KMin, KMax: c.KMax, Restarts: c.Restarts, MaxIter: c.MaxIter, Seed: seed, Workers: threads,
		FitSample: c.FitSample}
}

// clusterKeys are the config keys of the cluster.Options fields that options sets from them.
var clusterKeys = map[string]string{"K": "k", "KMin": "k_min", "KMax": "k_max", "Restarts": "restarts",
	"MaxIter": "max_iter", "FitSample": "fit_sample"}

// optionErrors says each out-of-range option by its config key.
func (c *ClustersConfig) optionErrors() []string {
	err := c.options(1).Validate()
	if err == nil {
		return nil
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	var out []string
	for _, err := range errs {
		var oe *cluster.OptionError
		if !errors.As(err, &oe) {
			out = append(out, err.Error())
			continue
		}
		key := "clusters." + cmp.Or(clusterKeys[oe.Field], oe.Field)
		out = append(out, fmt.Sprintf("%s is %v, want %s", key, oe.Value, oe.Want))
	}
	return out
}

type clusterView struct {
	asOfDay int32
	res     *cluster.Result
	labels  []int32
	names   []string
	note    string
}

// clusterStage clusters the customers with purchases. Too few customers for k is not an error
// of the run: the view says so in the manifest and leaves the columns null.
func (r *runner) clusterStage(t *feature.Table, profit []float64) (*clusterView, error) {
	cfg := &r.cfg.Clusters
	if !cfg.enabled() {
		return nil, nil
	}
	feats, rows, err := cluster.FeaturesFrom(t, r.asOfDay, profit)
	if err != nil {
		return nil, err
	}
	v := &clusterView{asOfDay: r.asOfDay}
	var res *cluster.Result
	if len(rows) == 0 {
		err = fmt.Errorf("%w: no customer has a purchase", cluster.ErrTooFewPoints)
	} else {
		res, err = cluster.Cluster(feats, cluster.FeatureMonetary, cfg.options(r.cfg.Limits.Threads))
	}
	switch {
	case err == nil:
		v.res = res
		v.labels, v.names = res.Expand(t.Len(), rows)
	case errorsIs(err, cluster.ErrTooFewPoints, cluster.ErrTooFewDistinct):
		v.note = fmt.Sprintf("clusters skipped: %v", err)
		v.labels = make([]int32, t.Len())
		v.names = make([]string, t.Len())
		for i := range v.labels {
			v.labels[i] = -1
		}
	default:
		return nil, err
	}
	return v, nil
}

func (v *clusterView) customerColumns() []pq.Column {
	return []pq.Column{
		pq.OptionalInt32("cluster", v.labels, func(i int) bool { return v.labels[i] >= 0 }),
		pq.OptionalString("cluster_name", v.names),
	}
}

func (v *clusterView) warnings() []string {
	if v.note == "" {
		return nil
	}
	return []string{v.note}
}

// tables writes one long table: section "profile" (per cluster: size, shares, revenue,
// profit), "centroid" (per cluster and feature: z, mean in business units), "standardization"
// (per feature: mean, sd), "k_selection" (per k tried: silhouette, inertia), "fit" (inertia,
// iterations, converged).
func (v *clusterView) tables() []table {
	if v.res == nil {
		return nil
	}
	var l longTable
	res := v.res
	for _, p := range res.Profiles {
		j := int64(p.Cluster)
		l.add("profile", "customers", p.Name, j, float64(p.Size))
		l.add("profile", "customer_share", p.Name, j, p.CustomerShare)
		l.add("profile", "revenue", p.Name, j, p.Revenue)
		l.add("profile", "revenue_share", p.Name, j, p.RevenueShare)
		if res.HasProfit {
			l.add("profile", "profit", p.Name, j, p.Profit)
			l.add("profile", "profit_share", p.Name, j, p.ProfitShare)
		}
		for f, name := range res.Standardization.Names {
			l.add("centroid_z", name, p.Name, j, p.Z[f])
			l.add("centroid_mean", name, p.Name, j, p.Mean[f])
		}
	}
	st := res.Standardization
	for f, name := range st.Names {
		l.add("standardization", "mean", name, int64(f), st.Mean[f])
		l.add("standardization", "sd", name, int64(f), st.SD[f])
	}
	for _, ks := range res.Model.Selection {
		l.add("k_selection", "silhouette", "", int64(ks.K), ks.Silhouette)
		l.add("k_selection", "inertia", "", int64(ks.K), ks.Inertia)
	}
	m := res.Model
	l.add("fit", "k", "", 0, float64(m.K))
	l.add("fit", "inertia", "", 0, m.Inertia)
	l.add("fit", "iterations", "", 0, float64(m.Iterations))
	l.add("fit", "converged", "", 0, boolFloat(m.Converged))
	return []table{l.table(TableClusters, v.asOfDay)}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
