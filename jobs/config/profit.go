package config

import (
	"cmp"
	"math"

	"github.com/rfmjob/rfm/analytics/profit"
	"github.com/rfmjob/rfm/analytics/tier"
)

// ProfitConfig configures profitability: cost of goods, activity-based cost to serve and profit
// per customer, the whale curve, and the customer tiers (TiersConfig). Money is in currency
// units (10.5 = 10.50); the run converts to minor units with money.scale.
type ProfitConfig struct {
	// Enabled turns profitability and tiers on; default true.
	Enabled *bool `yaml:"enabled"`
	// MarginRate is the gross margin rate, (revenue − cost of goods) / revenue, applied when
	// the transactions have no cost column (input.columns.cost); at most 1. Default: unset,
	// and without a cost column the cost of goods is then 0 (gross margin = revenue), which the
	// manifest says.
	MarginRate *float64 `yaml:"margin_rate"`
	// OrderCost is the handling cost per order, applied to every customer's orders when there
	// is no activity table; default 0.
	OrderCost float64 `yaml:"order_cost"`
	// Activities is the optional activity table of cost to serve.
	Activities ActivityConfig `yaml:"activities"`
	// Rates gives the cost per unit of quantity of each activity, currency units (time-driven
	// ABC: cost per minute, with minutes as the quantity). An activity of the table without a
	// rate is an error listing all of them, unless IgnoreUnknownActivities; an activity whose
	// every row carries a direct cost needs no rate.
	Rates map[string]float64 `yaml:"rates"`
	// IgnoreUnknownActivities skips activities without a rate (named in the manifest's
	// warnings) instead of failing; default false.
	IgnoreUnknownActivities bool `yaml:"ignore_unknown_activities"`
	// CustomerCostToServe writes the customer × activity rows of the cost_to_serve table (one
	// per customer and activity with a cost: the table's bulk, several per customer); default
	// true. false keeps only the tier × activity rows.
	CustomerCostToServe *bool `yaml:"customer_cost_to_serve"`
}

// ActivityConfig says where the activity table is and which columns play which role.
type ActivityConfig struct {
	// Path is a Parquet file, a glob or a directory, like input.transactions; empty: no
	// activity table. Relative paths in a config file are relative to the file.
	Path    string          `yaml:"path"`
	Columns ActivityColumns `yaml:"columns"`
}

// ActivityColumns maps each role of the activity table to a column name. Defaults:
// customer_id, ts, activity, quantity, and no cost column. The activity column holds the
// activity's name (order, delivery, return, support_contact, ...); quantity the units the rate
// applies to; cost an optional direct cost in currency units, added to the rated cost.
type ActivityColumns struct {
	CustomerID string `yaml:"customer_id"`
	Timestamp  string `yaml:"timestamp"`
	Activity   string `yaml:"activity"`
	Quantity   string `yaml:"quantity"`
	Cost       string `yaml:"cost"`
}

// TiersConfig configures the customer pyramid (package analytics/tier).
type TiersConfig struct {
	// Method is share (default), cumulative or thresholds:
	//   - share: customers with profit < 0 are the last tier; the others are ranked by profit
	//     and cut at shares of their number (Cuts, default 0.05, 0.20: platinum the top 5%,
	//     gold the next 15%, iron the rest);
	//   - cumulative: cut where the cumulative positive profit reaches shares of the total
	//     (Cuts, default 0.50, 0.80: platinum makes the first 50%, gold the next 30%);
	//   - thresholds: the first tier whose minimum Basis value (Thresholds) is reached;
	//   - clusters: behavioural clusters ranked by mean profit fill the tiers, one cluster per
	//     tier, the last ranked tier taking the rest; clusters losing money on average are
	//     lead (tier.FromGroups).
	Method string `yaml:"method"`
	// Names names the tiers, best first; default platinum, gold, iron, lead. Any number, e.g.
	// A, B, C, D; the share and cumulative methods need one cut fewer than profitable tiers.
	Names []string `yaml:"names"`
	// Cuts are the cumulative shares (0, 1) ending each ranked tier but the last.
	Cuts []float64 `yaml:"cuts"`
	// Thresholds (method thresholds) are each tier's minimum, currency units, strictly
	// decreasing, one per tier but the last.
	Thresholds []float64 `yaml:"thresholds"`
	// Basis (method thresholds) is profit (default) or revenue.
	Basis string `yaml:"basis"`
	// UnprofitableTier, for share and cumulative, keeps the last tier for customers with
	// profit < 0; default true. false ranks everyone into the tiers.
	UnprofitableTier *bool `yaml:"unprofitable_tier"`
}

// Default activity columns.
const (
	DefaultActivityCustomerID = "customer_id"
	DefaultActivityTimestamp  = "ts"
	DefaultActivityColumn     = "activity"
	DefaultActivityQuantity   = "quantity"
)

func (c *ProfitConfig) On() bool { return c.Enabled == nil || *c.Enabled }

// activityColumns returns the mapping with defaults filled.
func (c *ProfitConfig) ActivityColumns() ActivityColumns {
	cols := c.Activities.Columns
	cols.CustomerID = cmp.Or(cols.CustomerID, DefaultActivityCustomerID)
	cols.Timestamp = cmp.Or(cols.Timestamp, DefaultActivityTimestamp)
	cols.Activity = cmp.Or(cols.Activity, DefaultActivityColumn)
	cols.Quantity = cmp.Or(cols.Quantity, DefaultActivityQuantity)
	return cols
}

// config returns the analytics configuration in minor units of scale decimals.
func (c *ProfitConfig) Analytics(scale int) profit.Config {
	unit := math.Pow10(scale)
	cfg := profit.Config{OrderCost: c.OrderCost * unit, IgnoreUnknown: c.IgnoreUnknownActivities}
	if c.MarginRate != nil {
		cfg.MarginRate = *c.MarginRate
	}
	if len(c.Rates) > 0 {
		cfg.Rates = make(map[string]float64, len(c.Rates))
		for name, r := range c.Rates {
			cfg.Rates[name] = r * unit
		}
	}
	return cfg
}

// config returns the tier configuration in minor units of scale decimals.
func (c *TiersConfig) Analytics(scale int) tier.Config {
	cfg := tier.Config{Method: tier.Method(c.Method), Tiers: c.Names, Basis: tier.Basis(c.Basis)}
	if c.Method == "clusters" {
		// Assigned provisionally by share, then from the clusters (tier.FromGroups).
		cfg.Method = tier.MethodShare
	}
	cfg.NoUnprofitableTier = c.UnprofitableTier != nil && !*c.UnprofitableTier
	switch cfg.Method {
	case tier.MethodShare, "":
		cfg.ShareCuts = c.Cuts
	case tier.MethodCumulative:
		cfg.ProfitCuts = c.Cuts
	}
	if c.Thresholds != nil {
		cfg.Thresholds = make([]int64, len(c.Thresholds))
		for i, th := range c.Thresholds {
			cfg.Thresholds[i] = int64(math.Round(th * math.Pow10(scale)))
		}
	}
	return cfg
}
