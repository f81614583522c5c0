package cluster_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/cluster"
)

func ExampleCluster() {
	// Eight customers: four recent big spenders, four lapsed small ones.
	features := []cluster.Feature{
		{Name: cluster.FeatureRecency, Values: []float64{2, 5, 3, 4, 300, 280, 310, 295}},
		{Name: cluster.FeatureMonetary, Values: []float64{900, 1100, 1000, 950, 40, 35, 50, 45}},
	}
	r, err := cluster.Cluster(features, cluster.FeatureMonetary, cluster.Options{K: 2, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Profiles {
		fmt.Printf("%d %-18s size %d revenue %.0f (%.0f%%)\n", p.Cluster, p.Name, p.Size, p.Revenue, 100*p.RevenueShare)
	}
	fmt.Println(r.Model.Labels)
	// Output:
	// 0 recent, high value size 4 revenue 3950 (96%)
	// 1 lapsed, low value  size 4 revenue 170 (4%)
	// [0 0 0 0 1 1 1 1]
}

func ExampleAdjustedRandIndex() {
	// Splitting one of two clusters: 4/7 by hand, 0.57 in scikit-learn's documentation.
	fmt.Printf("%.4f\n", cluster.AdjustedRandIndex([]int{0, 0, 1, 1}, []int{0, 0, 1, 2}))
	// Output: 0.5714
}
