package cluster

import (
	"fmt"
	"math"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Names of the features FeaturesFrom builds. Naming knows their business meaning (recency is
// worded inversely: low recency_days is "recent").
const (
	FeatureRecency   = "recency_days"
	FeatureFrequency = "frequency"
	FeatureMonetary  = "monetary"
	FeatureProfit    = "profit"
)

// NoPurchaseName names the customers left out of clustering (Frequency = 0); Expand gives them
// label −1.
const NoPurchaseName = "No purchase"

// Feature is one named column of per-customer values to cluster on.
type Feature struct {
	Name string
	// Values are what k-means sees (after standardization), one per customer.
	Values []float64
	// Raw optionally holds the same customers' values in business units when Values is a
	// transform of them (e.g. monetary before log1p). Profiles report means in Raw units, and
	// revenue and profit as sums of Raw. Nil means Values are already in business units.
	Raw []float64
}

// original returns the values in business units.
func (f Feature) original() []float64 {
	if f.Raw != nil {
		return f.Raw
	}
	return f.Values
}

// FeaturesFrom builds the standard clustering features from a feature table for the customers
// with Frequency > 0, in table order, and returns the table rows they came from:
//
//	recency_days = asOfDay − LastPurchase                     (days)
//	frequency    = log1p(Frequency)                          Raw: Frequency
//	monetary     = log1p(max(0, Monetary / 10^MoneyScale))   Raw: Monetary in major units
//	profit       = profit[row]                               only when profit is not nil
//
// profit, when given, has one value per table row in major units; it is used as is (it may be
// negative). It returns ErrFutureDate if a last purchase falls after asOfDay. It panics if
// profit is not nil and its length differs from t.Len().
func FeaturesFrom(t *feature.Table, asOfDay int32, profit []float64) (features []Feature, rows []int, err error) {
	if profit != nil && len(profit) != t.Len() {
		panic("cluster: FeaturesFrom: profit length differs from the table's")
	}
	for i := range t.Len() {
		if t.Frequency[i] > 0 {
			rows = append(rows, i)
		}
	}
	m := len(rows)
	recency := make([]float64, m)
	freq, freqRaw := make([]float64, m), make([]float64, m)
	money, moneyRaw := make([]float64, m), make([]float64, m)
	unit := math.Pow10(t.MoneyScale)
	for j, i := range rows {
		if t.LastPurchase[i] > asOfDay {
			return nil, nil, fmt.Errorf("%w: customer %q (row %d) last bought on day %d, as-of day is %d",
				ErrFutureDate, t.CustomerID[i], i, t.LastPurchase[i], asOfDay)
		}
		recency[j] = float64(asOfDay - t.LastPurchase[i])
		freqRaw[j] = float64(t.Frequency[i])
		freq[j] = math.Log1p(freqRaw[j])
		moneyRaw[j] = float64(t.Monetary[i]) / unit
		money[j] = math.Log1p(max(0, moneyRaw[j]))
	}
	features = []Feature{
		{Name: FeatureRecency, Values: recency},
		{Name: FeatureFrequency, Values: freq, Raw: freqRaw},
		{Name: FeatureMonetary, Values: money, Raw: moneyRaw},
	}
	if profit != nil {
		p := make([]float64, m)
		for j, i := range rows {
			p[j] = profit[i]
		}
		features = append(features, Feature{Name: FeatureProfit, Values: p})
	}
	return features, rows, nil
}
