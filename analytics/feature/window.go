package feature

// RecencyDays is every customer's days since their last purchase as of asOfDay: asOfDay −
// LastPurchase, or −1 for a customer without a purchase. It is the one definition of recency;
// rfm.Score and cluster.FeaturesFrom check the same rows for consistency as they use them.
func (t *Table) RecencyDays(asOfDay int32) []int32 {
	out := make([]int32, t.Len())
	for i, last := range t.LastPurchase {
		out[i] = -1
		if last != NoDate {
			out[i] = asOfDay - last
		}
	}
	return out
}

// WindowStart is the first day of a lookback window of n days ending on asOfDay (asOfDay − n +
// 1), or NoDate for n ≤ 0: all history.
func WindowStart(asOfDay int32, n int) int32 {
	if n <= 0 {
		return NoDate
	}
	return asOfDay - int32(n) + 1
}
