package tier

import (
	"errors"
	"fmt"
	"math"
)

// Method names a way of cutting customers into tiers.
type Method string

// The tiering methods.
const (
	// MethodShare ranks the profitable customers by profit and cuts the ranking at shares of
	// their number: platinum the top 5%, gold the next 15%, iron the rest.
	MethodShare Method = "share"
	// MethodCumulative cuts the same ranking where the cumulative positive profit reaches
	// shares of the total: platinum makes the first 50%, gold the next 30%, iron the rest.
	MethodCumulative Method = "cumulative"
	// MethodThresholds puts a customer in the first tier whose minimum profit (or revenue) it
	// reaches, as loyalty programmes do.
	MethodThresholds Method = "thresholds"
)

// Basis names the value MethodThresholds compares with its thresholds.
type Basis string

// The threshold bases.
const (
	BasisProfit  Basis = "profit"
	BasisRevenue Basis = "revenue"
)

// Defaults: the customer pyramid of Zeithaml, Rust & Lemon (2001).
var (
	DefaultTiers      = []string{"platinum", "gold", "iron", "lead"}
	DefaultShareCuts  = []float64{0.05, 0.20}
	DefaultProfitCuts = []float64{0.50, 0.80}
)

// cutDen is the denominator cuts are held in: a cut is used as round(cut·10^6)/10^6, so tier
// boundaries are exact integer comparisons.
const cutDen = 1_000_000

// Config chooses the method and its tiers. Its zero value is the default pyramid by MethodShare.
type Config struct {
	// Method is MethodShare (default when ""), MethodCumulative or MethodThresholds.
	Method Method
	// Tiers names the tiers, best first; default DefaultTiers. Any number >= 1 (>= 2 with an
	// unprofitable tier), e.g. A, B, C, D.
	Tiers []string
	// NoUnprofitableTier, for MethodShare and MethodCumulative, ranks every customer into the
	// tiers by profit. Default false: the last tier holds the customers with profit < 0 and the
	// others hold those with profit >= 0 (zero profit is profitable: it ranks last among them).
	NoUnprofitableTier bool
	// ShareCuts (MethodShare) are the cumulative shares of the profitable customers that end
	// each profitable tier but the last, strictly increasing in (0, 1): a customer ranked r-th
	// of m is in the first tier whose cut c has r <= ⌊c·m⌋. Default DefaultShareCuts (5%, 20%),
	// which needs three profitable tiers; other tier counts must set the cuts.
	ShareCuts []float64
	// ProfitCuts (MethodCumulative) are the cumulative shares of positive profit that end each
	// profitable tier but the last, strictly increasing in (0, 1): a customer is in the first
	// tier whose cut c exceeds the share of positive profit made by the customers ranked above
	// it. Default DefaultProfitCuts (50%, 80%), for three profitable tiers.
	ProfitCuts []float64
	// Thresholds (MethodThresholds) are the minimum Basis value, in minor units, of each tier
	// but the last, strictly decreasing; required, one per tier but the last.
	Thresholds []int64
	// Basis (MethodThresholds) is BasisProfit (default when "") or BasisRevenue.
	Basis Basis
}

func (c Config) withDefaults() Config {
	if c.Method == "" {
		c.Method = MethodShare
	}
	if c.Tiers == nil {
		c.Tiers = DefaultTiers
	}
	if c.ShareCuts == nil {
		c.ShareCuts = DefaultShareCuts
	}
	if c.ProfitCuts == nil {
		c.ProfitCuts = DefaultProfitCuts
	}
	if c.Basis == "" {
		c.Basis = BasisProfit
	}
	return c
}

// hasLeadTier reports whether the last tier holds the unprofitable customers.
func (c Config) hasLeadTier() bool { return c.Method != MethodThresholds && !c.NoUnprofitableTier }

// rankedTiers is the number of tiers a ranking method fills by rank: all, or all but lead.
func (c Config) rankedTiers() int {
	if c.hasLeadTier() {
		return len(c.Tiers) - 1
	}
	return len(c.Tiers)
}

// Validate reports every problem of c (after filling defaults) at once, each an *OptionError
// wrapping ErrConfig; nil means c is usable.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	bad := func(field string, value any, want string) {
		errs = append(errs, &OptionError{Field: field, Value: value, Want: want})
	}
	seen := make(map[string]bool, len(c.Tiers))
	for _, name := range c.Tiers {
		if name == "" {
			bad("Tiers", c.Tiers, "names that are not empty")
		} else if seen[name] {
			bad("Tiers", c.Tiers, fmt.Sprintf("each name once (%q is named twice)", name))
		}
		seen[name] = true
	}
	switch c.Method {
	case MethodShare:
		checkCuts(bad, "ShareCuts", c.ShareCuts, c.rankedTiers())
	case MethodCumulative:
		checkCuts(bad, "ProfitCuts", c.ProfitCuts, c.rankedTiers())
	case MethodThresholds:
		if len(c.Thresholds) != len(c.Tiers)-1 {
			bad("Thresholds", c.Thresholds, fmt.Sprintf("%d, one per tier but the last of %d", len(c.Tiers)-1, len(c.Tiers)))
		}
		for i := 1; i < len(c.Thresholds); i++ {
			if c.Thresholds[i] >= c.Thresholds[i-1] {
				bad("Thresholds", c.Thresholds, "strictly decreasing values")
				break
			}
		}
		if c.Basis != BasisProfit && c.Basis != BasisRevenue {
			bad("Basis", c.Basis, fmt.Sprintf("%s or %s", BasisProfit, BasisRevenue))
		}
	default:
		bad("Method", c.Method, fmt.Sprintf("%s, %s or %s", MethodShare, MethodCumulative, MethodThresholds))
	}
	if len(c.Tiers) == 0 || (c.hasLeadTier() && len(c.Tiers) < 2) {
		bad("Tiers", c.Tiers, "a tier for profitable customers besides the last (unprofitable) one")
	}
	return errors.Join(errs...)
}

// checkCuts checks the cuts ending each ranked tier but the last.
func checkCuts(bad func(string, any, string), name string, cuts []float64, ranked int) {
	if ranked >= 1 && len(cuts) != ranked-1 {
		bad(name, cuts, fmt.Sprintf("%d cuts, one fewer than the %d ranked tiers", ranked-1, ranked))
	}
	for i, c := range cuts {
		if math.IsNaN(c) || c <= 0 || c >= 1 || cutNum(c) == 0 || cutNum(c) >= cutDen {
			bad(name, cuts, fmt.Sprintf("shares in (0, 1) to 6 decimals (cut %d is %v)", i, c))
		} else if i > 0 && cutNum(c) <= cutNum(cuts[i-1]) {
			bad(name, cuts, "strictly increasing shares (to 6 decimals)")
		}
	}
}

// cutNum returns the cut as millionths.
func cutNum(c float64) uint64 { return uint64(math.Round(c * cutDen)) }
