// Package tier sorts customers into the customer pyramid of Zeithaml, Rust & Lemon (2001):
// platinum (the most profitable few), gold, iron (the volume) and lead (the unprofitable),
// with a reason for every customer, what it would take to move up, how close it is to moving
// down, and a summary per tier.
//
// Assign takes the per-customer profit from package profit; it does no I/O.
//
// # Methods
//
// Customers are ranked by profit descending, ties by customer id ascending. With the default
// lead tier, customers with profit < 0 are lead and the others (profit >= 0: zero is
// profitable and ranks last among them) are ranked into the remaining tiers; with
// Config.NoUnprofitableTier everyone is ranked.
//
//   - MethodShare (default): of m ranked customers, the one at rank r is in the first tier
//     whose cut c (Config.ShareCuts, cumulative, default 5% and 20%) has r <= ⌊c·m⌋; the last
//     ranked tier takes the rest. Platinum is the top 5%, gold the next 15%, iron the rest.
//   - MethodCumulative: with P = Σ max(profit, 0) and S the positive profit of the customers
//     ranked above, a customer is in the first tier whose cut c (Config.ProfitCuts, default
//     50% and 80%) has S < c·P: platinum makes the first 50% of positive profit, gold the
//     next 30%. The top customer is always in the first tier when P > 0; when P = 0 everyone
//     ranked is in the last ranked tier.
//   - MethodThresholds: the first tier k with value >= Config.Thresholds[k] (minor units of
//     profit, or of revenue with BasisRevenue), else the last tier, as loyalty programmes do.
//
// Cuts are used to six decimals (round(c·10^6)/10^6), so every boundary is an exact integer
// comparison. Config.Tiers renames the tiers or changes their number (A/B/C/D).
//
// # Moving between tiers
//
// Everything is "one customer's value changes, everyone else's is fixed", and the tiers are
// recomputed: NextTierGap is the smallest increase that moves the customer to a better tier
// (NextTier is the tier it then lands in; adding the gap lands there and one unit less does
// not); DowngradeRisk is the largest decrease that keeps its tier (one unit more moves it
// down). Per method:
//
//   - share: the number m of ranked customers does not change while the value stays >= 0, so
//     moving up means ranking ahead of the customer holding the last rank of the tiers above,
//     and the floor is ranking ahead of the first customer below. A tier whose cut holds no
//     one (⌊c·m⌋ = 0) cannot be reached: NextTier is then "".
//   - cumulative: moving to v' changes both S (the customers passed) and P; the condition
//     S·10^6 < num·P is monotone in v', and the smallest v' meeting it is found over the
//     landing positions by bisection, in exact 128-bit arithmetic, O(log n) per customer.
//   - thresholds: the gap is the threshold above minus the value; the floor is the tier's own
//     threshold.
//
// An unprofitable customer's gap is the distance to break-even, −profit, and its NextTier is
// the tier it takes at profit 0. The bottom tier's DowngradeRisk is 0; the last ranked tier's
// (iron) is its profit, since it stays there down to break-even. NextTierRevenue turns the
// gap into revenue at the customer's own gross margin rate: ⌈gap · revenue / gross_margin⌉,
// cost to serve held fixed, 0 when the rate is <= 0 or undefined.
//
// Reasons read, e.g., "profit 1,240.50 ranks in the top 4.1% (platinum ≤ 5%)", with money in
// thousands separators and Table.MoneyScale decimals.
//
// # Summary
//
// Per tier (and in Result.Total): customers, revenue, gross margin, cost to serve, profit,
// cost per activity, each with its share of the total over all customers (0 when that total is
// <= 0, e.g. the profit shares when the company makes no profit), and the mean recency (over
// customers with recency >= 0), frequency and monetary value. Customer shares are the
// pyramid; profit shares, the inverted pyramid. Sums are exact int64 minor units: the tiers'
// sums add up to the totals to the cent.
//
// # References
//
//   - Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid: creating and
//     serving profitable customers. California Management Review 43(4), 118–142.
package tier
