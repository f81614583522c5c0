package profit

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// OrderHandling is the name of the activity costed from Config.OrderCost when the caller passes
// no activity records.
const OrderHandling = "order_handling"

// Config holds the cost rates. Its zero value costs nothing to serve and takes cost of goods
// from the table (or none, see COGSNone).
type Config struct {
	// Rates maps an activity name to its cost in minor units per unit of quantity; fractions
	// are allowed (0.35 cents per minute). Time-driven ABC is a rate too: minutes × cost per
	// minute. Default: no rates.
	Rates map[string]float64
	// IgnoreUnknown reports activities that have a quantity but no rate in Result.Ignored
	// instead of failing with ErrUnknownActivity. Default false.
	IgnoreUnknown bool
	// OrderCost is the handling cost per order (minor units, fractions allowed), applied to
	// feature.Table.Orders as the activity OrderHandling only when no activity records are
	// passed. Default 0: no order cost.
	OrderCost float64
	// MarginRate is the default gross margin rate, (revenue − cogs) / revenue, used when the
	// table has no cost column and no per-customer rates are passed; at most 1, may be
	// negative. Default 0 means unset (cogs is then 0, see COGSNone); pass per-customer rates
	// for a genuine 0% margin.
	MarginRate float64
}

// Validate reports every problem of c at once, each wrapping ErrConfig; nil means c is usable.
func (c Config) Validate() error {
	var errs []error
	names := make([]string, 0, len(c.Rates))
	for name := range c.Rates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if r := c.Rates[name]; math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
			errs = append(errs, fmt.Errorf("%w: rate of activity %q is %v, want a finite number >= 0", ErrConfig, name, r))
		}
		if name == "" {
			errs = append(errs, fmt.Errorf("%w: a rate has an empty activity name", ErrConfig))
		}
	}
	if r := c.OrderCost; math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
		errs = append(errs, fmt.Errorf("%w: OrderCost %v, want a finite number >= 0", ErrConfig, r))
	}
	if !validMarginRate(c.MarginRate) {
		errs = append(errs, fmt.Errorf("%w: MarginRate %v, want a finite number <= 1", ErrConfig, c.MarginRate))
	}
	return errors.Join(errs...)
}

func validMarginRate(m float64) bool { return !math.IsNaN(m) && !math.IsInf(m, 0) && m <= 1 }
