package rfm

import (
	"math"

	"github.com/rfmjob/rfm/analytics/feature"
)

// SegmentSummary describes the customers of one segment.
type SegmentSummary struct {
	Segment   string
	Customers int64
	// Purchases is Σ Frequency: the R package's "orders" (its transaction_count).
	Purchases int64
	// Orders is Σ Table.Orders: all orders, returns and cancellations included.
	Orders int64
	// Revenue is Σ Monetary in minor units (returns net against purchases).
	Revenue int64
	// MeanRecency is the mean RecencyDays, NaN for the No purchase segment and for a segment
	// without customers.
	MeanRecency float64
	// MeanFrequency is the mean Frequency, NaN for a segment without customers.
	MeanFrequency float64
	// MeanMonetary is the mean Monetary in major units (minor / 10^MoneyScale), NaN for a
	// segment without customers.
	MeanMonetary float64
}

// SegmentNames lists every segment a customer can get: the rules of c.Segments in table
// order, then SegmentOthers, then SegmentNoPurchase.
func (c Config) SegmentNames() []string {
	names := make([]string, 0, len(c.Segments)+2)
	for _, r := range c.Segments {
		names = append(names, r.Name)
	}
	return append(names, SegmentOthers, SegmentNoPurchase)
}

// Summarize returns one SegmentSummary per segment of s, computed from t, the table s was
// scored from: one per s.Config.SegmentNames, in that order, also those without customers. It panics if t and s differ in length.
func Summarize(t *feature.Table, s *Scores) []SegmentSummary {
	n := t.Len()
	if len(s.Segment) != n || len(s.RecencyDays) != n || len(t.Frequency) != n ||
		len(t.Orders) != n || len(t.Monetary) != n {
		panic("rfm: Summarize needs the table the scores were computed from")
	}
	names := s.Config.SegmentNames()
	out := make([]SegmentSummary, len(names))
	index := make(map[string]int, len(names))
	for k, name := range names {
		index[name] = k
		out[k].Segment = name
	}

	recencySum := make([]int64, len(out))
	for i := range n {
		k, ok := index[s.Segment[i]]
		if !ok {
			panic("rfm: Summarize: segment " + s.Segment[i] + " is not in the scores' rule table")
		}
		o := &out[k]
		o.Customers++
		o.Purchases += t.Frequency[i]
		o.Orders += t.Orders[i]
		o.Revenue += t.Monetary[i]
		if s.RecencyDays[i] >= 0 {
			recencySum[k] += int64(s.RecencyDays[i])
		}
	}
	unit := math.Pow10(t.MoneyScale)
	for k := range out {
		o := &out[k]
		c := float64(o.Customers)
		o.MeanRecency, o.MeanFrequency, o.MeanMonetary = math.NaN(), math.NaN(), math.NaN()
		if o.Customers == 0 {
			continue
		}
		if o.Segment != SegmentNoPurchase {
			o.MeanRecency = float64(recencySum[k]) / c
		}
		o.MeanFrequency = float64(o.Purchases) / c
		o.MeanMonetary = float64(o.Revenue) / unit / c
	}
	return out
}
