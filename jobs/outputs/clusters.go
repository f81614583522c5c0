package outputs

import (
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

func (v *Clusters) columns() []pq.Column {
	return []pq.Column{
		pq.OptionalInt32("cluster", v.Labels, func(i int) bool { return v.Labels[i] >= 0 }),
		pq.OptionalString("cluster_name", v.Names),
	}
}

// tables writes one long table: section "profile" (per cluster: size, shares, revenue,
// profit), "centroid" (per cluster and feature: z, mean in business units), "standardization"
// (per feature: mean, sd), "k_selection" (per k tried: silhouette, inertia), "fit" (inertia,
// iterations, converged).
func (v *Clusters) tables(asOfDay int32) []Table {
	if v.Result == nil {
		return nil
	}
	var l longTable
	res := v.Result
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
	return []Table{l.table(TableClusters, asOfDay)}
}
