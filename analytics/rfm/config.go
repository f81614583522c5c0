package rfm

import (
	"errors"
	"fmt"
	"math"
)

// Method names how scores are cut from the values.
type Method string

// The scoring methods; see the package documentation for their exact definitions.
const (
	// Quantile cuts at the type-7 quantiles of the scored customers' values; x gets score i
	// when q(i-1) < x <= q(i). The default.
	Quantile Method = "quantile"
	// Ntile deals the customers into equal-count bins (SQL NTILE), ties broken by customer id.
	Ntile Method = "ntile"
	// Fixed cuts at the configured Config.Fixed break points with the Quantile rule.
	Fixed Method = "fixed"
	// RfmR reproduces the R package rfm (rsquaredacademy/rfm): breaks at quantile + 1, bins
	// closed below and open above.
	RfmR Method = "rfm_r"
)

// Bin limits and defaults.
const (
	MinBins     = 2
	MaxBins     = 10
	DefaultBins = 5
)

// Names of the two segments that no rule produces.
const (
	// SegmentOthers names scored customers that match no rule.
	SegmentOthers = "Others"
	// SegmentNoPurchase names customers with Frequency == 0, who get no score.
	SegmentNoPurchase = "No purchase"
)

// Config selects the scoring method and the segment rules. Its zero value is the default:
// 5 bins, the Quantile method and DefaultSegments.
type Config struct {
	// Bins is the number of scores per dimension, 2..10; 0 means DefaultBins (5).
	Bins int
	// Method is the scoring method; "" means Quantile.
	Method Method
	// Fixed holds the break points for the Fixed method (Bins-1 strictly ascending values per
	// dimension: recency in days, frequency in purchases, monetary in major currency units).
	// It must be empty for the other methods.
	Fixed Breaks
	// Segments is the ordered rule table, first match wins; nil means DefaultSegments(), which
	// is written for 5 bins.
	Segments []SegmentRule
}

// Breaks holds ascending cut points per dimension, in natural units: recency in days,
// frequency in purchases, monetary in major currency units (minor / 10^MoneyScale).
type Breaks struct {
	Recency, Frequency, Monetary []float64
}

// SegmentRule names the customers whose scores lie in the inclusive ranges R, F and M
// ([2]int{lo, hi}).
type SegmentRule struct {
	Name    string
	R, F, M [2]int
}

// DefaultSegments returns the ten segments of the R package rfm's documentation (rfm_segment
// example, package version 0.2.x), in the order that package applies them. Like rfm_segment,
// Score gives a customer the first rule that matches, so this order reproduces R's segments.
// The ranges are written for 5 bins.
func DefaultSegments() []SegmentRule {
	return []SegmentRule{
		{Name: "Champions", R: [2]int{5, 5}, F: [2]int{5, 5}, M: [2]int{5, 5}},
		{Name: "Potential Loyalist", R: [2]int{3, 5}, F: [2]int{3, 5}, M: [2]int{2, 5}},
		{Name: "Loyal Customers", R: [2]int{2, 4}, F: [2]int{2, 4}, M: [2]int{2, 4}},
		{Name: "Promising", R: [2]int{3, 4}, F: [2]int{1, 3}, M: [2]int{3, 5}},
		{Name: "New Customers", R: [2]int{4, 5}, F: [2]int{1, 3}, M: [2]int{1, 5}},
		{Name: "Can't Lose Them", R: [2]int{1, 2}, F: [2]int{3, 4}, M: [2]int{4, 5}},
		{Name: "At Risk", R: [2]int{1, 2}, F: [2]int{2, 5}, M: [2]int{4, 5}},
		{Name: "Need Attention", R: [2]int{1, 3}, F: [2]int{3, 5}, M: [2]int{3, 5}},
		{Name: "About To Sleep", R: [2]int{2, 3}, F: [2]int{1, 3}, M: [2]int{1, 4}},
		{Name: "Lost", R: [2]int{1, 1}, F: [2]int{1, 5}, M: [2]int{1, 5}},
	}
}

// withDefaults returns c with its zero fields replaced by the defaults.
func (c Config) withDefaults() Config {
	if c.Bins == 0 {
		c.Bins = DefaultBins
	}
	if c.Method == "" {
		c.Method = Quantile
	}
	if c.Segments == nil {
		c.Segments = DefaultSegments()
	}
	return c
}

// Validate reports every problem of c (after filling defaults) at once, each wrapping
// ErrConfig; nil means c is usable.
func (c Config) Validate() error {
	defaultRules := c.Segments == nil
	c = c.withDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	binsOK := c.Bins >= MinBins && c.Bins <= MaxBins
	if !binsOK {
		bad("bins %d outside %d..%d", c.Bins, MinBins, MaxBins)
	}
	switch c.Method {
	case Quantile, Ntile, RfmR:
		if c.Fixed.Recency != nil || c.Fixed.Frequency != nil || c.Fixed.Monetary != nil {
			bad("fixed breaks given but method is %q, not %q", c.Method, Fixed)
		}
	case Fixed:
		for _, d := range []struct {
			name   string
			breaks []float64
		}{{"recency", c.Fixed.Recency}, {"frequency", c.Fixed.Frequency}, {"monetary", c.Fixed.Monetary}} {
			if binsOK && len(d.breaks) != c.Bins-1 {
				bad("fixed %s breaks: %d values, want bins-1 = %d", d.name, len(d.breaks), c.Bins-1)
			}
			for i, b := range d.breaks {
				if math.IsNaN(b) || math.IsInf(b, 0) {
					bad("fixed %s break %d is %v, want a finite number", d.name, i+1, b)
				} else if i > 0 && !(d.breaks[i-1] < b) {
					bad("fixed %s breaks not strictly ascending at break %d (%v after %v)", d.name, i+1, b, d.breaks[i-1])
				}
			}
		}
	default:
		bad("method %q unknown, want %q, %q, %q or %q", c.Method, Quantile, Ntile, Fixed, RfmR)
	}
	if len(c.Segments) == 0 {
		bad("segment rule table is empty (nil selects the default)")
	}
	if defaultRules && binsOK && c.Bins != DefaultBins {
		bad("the default segment rules are written for %d bins, not %d: give Segments for %d bins", DefaultBins, c.Bins, c.Bins)
		return errors.Join(errs...)
	}
	seen := make(map[string]int, len(c.Segments))
	for i, r := range c.Segments {
		where := fmt.Sprintf("segment rule %d (%q)", i+1, r.Name)
		switch {
		case r.Name == "":
			bad("segment rule %d has no name", i+1)
		case r.Name == SegmentOthers || r.Name == SegmentNoPurchase:
			bad("%s uses a reserved name", where)
		}
		if j, dup := seen[r.Name]; dup && r.Name != "" {
			bad("%s repeats the name of rule %d", where, j)
		}
		seen[r.Name] = i + 1
		for _, d := range []struct {
			dim string
			rng [2]int
		}{{"R", r.R}, {"F", r.F}, {"M", r.M}} {
			if d.rng[0] > d.rng[1] {
				bad("%s: %s range %d..%d is empty", where, d.dim, d.rng[0], d.rng[1])
			}
			if binsOK && (d.rng[0] < 1 || d.rng[1] > c.Bins) {
				bad("%s: %s range %d..%d outside the scores 1..%d", where, d.dim, d.rng[0], d.rng[1], c.Bins)
			}
		}
	}
	return errors.Join(errs...)
}
