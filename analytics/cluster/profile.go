package cluster

import (
	"fmt"
	"math"
	"strings"
)

// NameThreshold is the distance, in standard deviations of a feature, by which a cluster's
// mean must sit above or below the overall mean for its name to mention the feature.
const NameThreshold = 0.5

// Profile describes one cluster for an analyst.
type Profile struct {
	// Cluster is the cluster number (0 has the highest mean value feature) and Name its
	// unique, readable name, made of Descriptors joined by ", " ("typical" when none applies).
	Cluster     int
	Name        string
	Descriptors []string
	// Size counts the customers; CustomerShare is Size over all clustered customers.
	Size          int
	CustomerShare float64
	// Revenue sums the value feature in business units (its Raw values when given) over the
	// members; RevenueShare divides by the total over all clusters (0 when that is 0).
	Revenue, RevenueShare float64
	// Profit and ProfitShare do the same for the "profit" feature; zero when there is none.
	Profit, ProfitShare float64
	// Z is the members' mean of each standardized feature (the centroid in standardized
	// units); Mean is the members' mean in business units (Raw when given, else Values).
	Z, Mean []float64
}

// StrongThreshold is the distance, in standard deviations, beyond which a descriptor is
// intensified ("very recent", "long lapsed", "very high value"), so that clusters that differ
// in degree rather than direction get different names.
const StrongThreshold = 1.5

// describe returns the word for a cluster whose standardized mean of feature name is z, or
// "" when |z| ≤ NameThreshold. Recency is worded inversely: a low recency_days is "recent".
func describe(name, valueFeature string, z float64) string {
	high, low := z > NameThreshold, z < -NameThreshold
	if !high && !low {
		return ""
	}
	words := map[string][2]string{ // high, low
		FeatureRecency:   {"lapsed", "recent"},
		FeatureFrequency: {"frequent", "infrequent"},
		FeatureProfit:    {"high profit", "low profit"},
		valueFeature:     {"high value", "low value"},
	}
	w, ok := words[name]
	if !ok {
		w = [2]string{"high " + name, "low " + name}
	}
	word := w[1]
	if high {
		word = w[0]
	}
	if math.Abs(z) > StrongThreshold {
		if word == "lapsed" {
			return "long lapsed"
		}
		return "very " + word
	}
	return word
}

// nameClusters fills Descriptors and Name of every profile, in cluster order, appending " 2",
// " 3", … to a name already taken by a lower-numbered cluster.
func nameClusters(profiles []Profile, names []string, valueFeature string) {
	used := make(map[string]bool, len(profiles))
	for p := range profiles {
		pr := &profiles[p]
		pr.Descriptors = nil
		for j, z := range pr.Z {
			if w := describe(names[j], valueFeature, z); w != "" {
				pr.Descriptors = append(pr.Descriptors, w)
			}
		}
		base := "typical"
		if len(pr.Descriptors) > 0 {
			base = strings.Join(pr.Descriptors, ", ")
		}
		name := base
		for i := 2; used[name]; i++ {
			name = fmt.Sprintf("%s %d", base, i)
		}
		used[name] = true
		pr.Name = name
	}
}

// profile computes the per-cluster sizes, shares and means of the n×d standardized matrix x
// and of the features' business-unit values, for the labels in m. It does not name clusters.
func profile(m *Model, x []float64, features []Feature, valueIdx, profitIdx int) []Profile {
	k, d, n := m.K, m.Dim, len(m.Labels)
	profiles := make([]Profile, k)
	for j := range profiles {
		profiles[j] = Profile{Cluster: j, Z: make([]float64, d), Mean: make([]float64, d)}
	}
	orig := make([][]float64, d)
	for j, f := range features {
		orig[j] = f.original()
	}
	for i, l := range m.Labels {
		p := &profiles[l]
		p.Size++
		for j := range d {
			p.Z[j] += x[i*d+j]
			p.Mean[j] += orig[j][i]
		}
	}
	var revenue, profit float64
	for j := range profiles {
		p := &profiles[j]
		p.Revenue = p.Mean[valueIdx]
		revenue += p.Revenue
		if profitIdx >= 0 {
			p.Profit = p.Mean[profitIdx]
			profit += p.Profit
		}
		p.CustomerShare = float64(p.Size) / float64(n)
		if p.Size > 0 {
			for c := range d {
				p.Z[c] /= float64(p.Size)
				p.Mean[c] /= float64(p.Size)
			}
		}
	}
	for j := range profiles {
		profiles[j].RevenueShare = share(profiles[j].Revenue, revenue)
		profiles[j].ProfitShare = share(profiles[j].Profit, profit)
	}
	return profiles
}

func share(part, total float64) float64 {
	if total == 0 {
		return 0
	}
	return part / total
}
