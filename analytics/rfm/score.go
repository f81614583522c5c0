package rfm

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Scores holds one row per customer of the feature table it was computed from, in the same
// order.
type Scores struct {
	// RecencyDays is asOfDay - LastPurchase, or -1 for a customer without purchases.
	RecencyDays []int32
	// R, F and M are the scores 1..bins; 0 for a customer without purchases.
	R, F, M []int8
	// RFM is 100·R + 10·F + M, 0 for a customer without purchases.
	RFM []int16
	// Segment is the name of the first matching rule, SegmentOthers when none matches,
	// SegmentNoPurchase for a customer without purchases.
	Segment []string
	// Breaks are the interior cut points used (Bins-1 per dimension, ascending, natural
	// units); nil for the Ntile method, whose tiles are cut by position, not by value, and
	// nil when no customer is scored.
	Breaks Breaks
	// Config is the configuration used, defaults filled in (Summarize reads its rule order).
	Config Config
}

// Score computes recency, frequency and monetary scores and segments for every customer of t,
// as of asOfDay (days since 1970-01-01). It returns an error wrapping ErrConfig when cfg is
// invalid, and ErrPurchaseAfterAsOf or ErrInconsistentRow naming the customer when a row of t
// cannot be scored. It panics if t's columns differ in length.
func Score(t *feature.Table, asOfDay int32, cfg Config) (*Scores, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	cfg.Segments = slices.Clone(cfg.Segments) // Scores keeps it; the caller may edit theirs
	n := t.Len()
	if len(t.LastPurchase) != n || len(t.Frequency) != n || len(t.Monetary) != n {
		panic("rfm: feature table columns differ in length")
	}

	s := &Scores{
		RecencyDays: make([]int32, n),
		R:           make([]int8, n),
		F:           make([]int8, n),
		M:           make([]int8, n),
		RFM:         make([]int16, n),
		Segment:     make([]string, n),
		Config:      cfg,
	}
	// scored lists the rows with purchases; the three value columns are indexed like it.
	scored := make([]int32, 0, n)
	for i := range n {
		f, last := t.Frequency[i], t.LastPurchase[i]
		switch {
		case f < 0 || (f > 0) == (last == feature.NoDate):
			return nil, fmt.Errorf("%w: customer %q has frequency %d and last purchase day %d", ErrInconsistentRow, t.CustomerID[i], f, last)
		case f == 0:
			s.RecencyDays[i] = -1
			continue
		case last > asOfDay:
			return nil, fmt.Errorf("%w: customer %q last bought on day %d, after the as-of day %d", ErrPurchaseAfterAsOf, t.CustomerID[i], last, asOfDay)
		case int64(asOfDay)-int64(last) > math.MaxInt32:
			return nil, fmt.Errorf("%w: customer %q last bought on day %d, recency overflows", ErrInconsistentRow, t.CustomerID[i], last)
		}
		s.RecencyDays[i] = asOfDay - last
		scored = append(scored, int32(i))
	}

	unit := math.Pow10(t.MoneyScale)
	recency := make([]float64, len(scored))
	frequency := make([]float64, len(scored))
	monetary := make([]float64, len(scored))
	for k, i := range scored {
		recency[k] = float64(s.RecencyDays[i])
		frequency[k] = float64(t.Frequency[i])
		monetary[k] = float64(t.Monetary[i]) / unit
	}

	if len(scored) > 0 {
		switch cfg.Method {
		case Ntile:
			s.scoreNtile(t.CustomerID, scored, cfg.Bins, recency, frequency, monetary)
		default:
			s.scoreByBreaks(scored, cfg, recency, frequency, monetary)
		}
	}
	s.segment(scored, cfg)
	return s, nil
}

// scoreByBreaks scores the Quantile, Fixed and RfmR methods: cut points from the values (or
// the configuration), then a bin per value.
func (s *Scores) scoreByBreaks(scored []int32, cfg Config, recency, frequency, monetary []float64) {
	bins := cfg.Bins
	breaks := cfg.Fixed
	bin := binUpperClosed
	if cfg.Method != Fixed {
		cut := quantileBreaks
		if cfg.Method == RfmR {
			cut, bin = rBreaks, binLowerClosed
		}
		// The three sorts are independent: they run side by side.
		var sr, sf, sm []float64
		var wg sync.WaitGroup
		wg.Go(func() { sr = sortedCopy(recency) })
		wg.Go(func() { sf = sortedCopy(frequency) })
		sm = sortedCopy(monetary)
		wg.Wait()
		breaks = Breaks{
			Recency:   cut(sr, bins),
			Frequency: cut(sf, bins),
			Monetary:  cut(sm, bins),
		}
	}
	s.Breaks = Breaks{
		Recency:   slices.Clone(breaks.Recency),
		Frequency: slices.Clone(breaks.Frequency),
		Monetary:  slices.Clone(breaks.Monetary),
	}
	for k, i := range scored {
		// Recency is reversed: the smallest number of days gets the highest score.
		s.R[i] = int8(bins + 1 - bin(breaks.Recency, recency[k]))
		s.F[i] = int8(bin(breaks.Frequency, frequency[k]))
		s.M[i] = int8(bin(breaks.Monetary, monetary[k]))
	}
}

// scoreNtile scores the Ntile method: each dimension's customers sorted, ties broken by
// customer id ascending, then dealt into equal-count tiles. Recency sorts descending (the
// longest-ago buyer first), so the most recent buyers land in the highest tile.
func (s *Scores) scoreNtile(ids []string, scored []int32, bins int, recency, frequency, monetary []float64) {
	idRank := idRanks(ids, scored)
	type entry struct {
		value float64
		id    int32 // rank of the customer id among the scored customers
		k     int32 // position in scored
	}
	entries := make([]entry, len(scored))
	order := make([]int32, len(scored))
	tiles := make([]int8, len(scored))
	deal := func(values []float64, descending bool, out []int8) {
		for k, v := range values {
			if descending {
				v = -v
			}
			entries[k] = entry{v, idRank[k], int32(k)}
		}
		slices.SortFunc(entries, func(a, b entry) int {
			if c := cmp.Compare(a.value, b.value); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		for k, e := range entries {
			order[k] = e.k
		}
		ntile(order, bins, tiles)
		for k, i := range scored {
			out[i] = tiles[k]
		}
	}
	deal(recency, true, s.R)
	deal(frequency, false, s.F)
	deal(monetary, false, s.M)
}

// idRanks returns, for each position of scored, the rank of its customer id among the scored
// customers' ids (byte order; equal ids keep row order). Feature tables are sorted by id, so
// this is usually the identity and costs one pass.
func idRanks(ids []string, scored []int32) []int32 {
	rank := make([]int32, len(scored))
	sorted := true
	for k := range scored {
		rank[k] = int32(k)
		if k > 0 && ids[scored[k-1]] > ids[scored[k]] {
			sorted = false
		}
	}
	if sorted {
		return rank
	}
	byID := slices.Clone(rank)
	slices.SortStableFunc(byID, func(a, b int32) int { return cmp.Compare(ids[scored[a]], ids[scored[b]]) })
	for r, k := range byID {
		rank[k] = int32(r)
	}
	return rank
}

// segment fills RFM and Segment from the scores through a lookup table over all bins³ score
// combinations, built once from the rule table (first match wins).
func (s *Scores) segment(scored []int32, cfg Config) {
	bins := cfg.Bins
	lookup := make([]string, bins*bins*bins)
	for r := 1; r <= bins; r++ {
		for f := 1; f <= bins; f++ {
			for m := 1; m <= bins; m++ {
				lookup[cell(bins, r, f, m)] = matchRule(cfg.Segments, r, f, m)
			}
		}
	}
	for i := range s.Segment {
		s.Segment[i] = SegmentNoPurchase
	}
	for _, i := range scored {
		r, f, m := int(s.R[i]), int(s.F[i]), int(s.M[i])
		s.RFM[i] = int16(100*r + 10*f + m)
		s.Segment[i] = lookup[cell(bins, r, f, m)]
	}
}

func cell(bins, r, f, m int) int { return ((r-1)*bins+f-1)*bins + m - 1 }

// matchRule returns the name of the first rule whose ranges contain (r, f, m), or
// SegmentOthers.
func matchRule(rules []SegmentRule, r, f, m int) string {
	in := func(x int, rng [2]int) bool { return rng[0] <= x && x <= rng[1] }
	for _, rule := range rules {
		if in(r, rule.R) && in(f, rule.F) && in(m, rule.M) {
			return rule.Name
		}
	}
	return SegmentOthers
}

func sortedCopy(x []float64) []float64 {
	c := slices.Clone(x)
	slices.Sort(c)
	return c
}
