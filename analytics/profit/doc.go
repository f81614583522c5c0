// Package profit computes what each customer is worth after the cost of serving them: cost of
// goods, activity-based cost to serve, profit, the profit ranking and the whale curve. Revenue
// is not value; this package turns one into the other.
//
// It does no I/O: the job reads the activity table and passes per-customer quantities
// (Activity), aligned with the feature table's rows.
//
// # Money
//
// All money is exact int64 minor units (feature.Table.MoneyScale decimals). Per customer i:
//
//	revenue        = Table.Monetary[i]  (returns net against purchases)
//	cost_of_goods  = Table.Cost[i]                                 when Table.HasCost
//	               = round_half_away(revenue × (1 − margin_rate))  otherwise, with the
//	                 customer's Input.MarginRates[i], else Config.MarginRate
//	               = 0                                             when none is known
//	gross_margin   = revenue − cost_of_goods
//	activity_cost  = round_half_away(quantity × rate) + direct_cost   per activity
//	cost_to_serve  = Σ activity_cost
//	profit         = gross_margin − cost_to_serve
//	profit_margin  = profit / revenue,         0 when revenue <= 0
//	cts_ratio      = cost_to_serve / revenue,  0 when revenue <= 0
//
// Result.COGSSource says which cost-of-goods rule applied. Rates are minor units per unit of
// quantity and may be fractional (0.35 cents per minute: time-driven ABC is minutes × cost
// per minute); the product is rounded once per customer and activity, half away from zero
// (math.Round), so activity totals are sums of rounded customer costs. Quantities are
// float64 (or int64 counts, exact below 2^53); the product is a float64, exact for integer
// rates and counts below 2^53.
//
// Activities: an activity with a quantity must have a rate in Config.Rates; all unknown ones
// are listed in one ErrUnknownActivity error, or, with Config.IgnoreUnknown, reported in
// Result.Ignored and not costed at all (not even their direct cost). An activity with only
// direct cost needs no rate. With no activity records, Config.OrderCost prices Table.Orders
// as the activity OrderHandling; with records, OrderCost is not used.
//
// # Ranking and the whale curve
//
// ProfitRank: 1 = highest profit, ties by customer id ascending. CumProfitShare: the profit
// of the customers ranked at or above, over the total profit.
//
// The whale curve (Kaplan & Cooper) plots that cumulative profit against the share of
// customers, at 101 points j/100: with n customers, k = ⌊j·n/100⌋ and f = j·n/100 − k, the
// point is C(k) + f·profit(k+1), C(k) the profit of the top k (linear between whole
// customers). Its peak is at the last customer with profit > 0: Whale.PeakCustomerShare of
// the customers make Whale.PeakProfitShare of the profit ("the top 38% make 142%"), and
// Whale.Destroyed = −Σ min(profit, 0) is what the unprofitable tail destroys.
//
// When total profit <= 0 the shares are undefined: Whale.SharesDefined is false, every share
// is 0, and the money columns (CumProfit, PeakProfit, Destroyed) still describe the curve.
// With no customers every number is 0.
//
// # References
//
//   - Kaplan, R. S. & Cooper, R. (1998). Cost & Effect: Using Integrated Cost Systems to Drive
//     Profitability and Performance. Harvard Business School Press (the whale curve).
//   - Kaplan, R. S. & Anderson, S. R. (2004). Time-driven activity-based costing. Harvard
//     Business Review 82(11), 131–138.
//   - Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid: creating and
//     serving profitable customers. California Management Review 43(4), 118–142.
package profit
