// Package pareto measures how concentrated customer value is: a value rank, the cumulative
// value share down the ranking, ABC classes, top-percentile shares, the Lorenz curve and the
// Gini coefficient.
//
// Values are integer minor units (any per-customer value: monetary, margin, CLV). Shares are
// of the positive value P = Σ max(value, 0); customers with value <= 0 hold no share.
//
// # Definitions
//
// Rank: all customers by value descending, ties by customer id ascending (byte order; the ids
// need not be sorted, and equal ids keep input order). 1 is the highest value. The ranking is a
// stable LSD radix sort on the values, O(n), plus an id sort inside runs of equal values whose
// ids are out of order.
//
// Cumulative share: cum_share = (Σ max(value, 0) over the customers ranked at or above this
// one) / P. A customer with value <= 0 has the share of the last positive customer, 1. When
// P = 0 every share is 0.
//
// ABC: a customer with value > 0 is A when the share before it (of the customers ranked above)
// is < ACut, so A is the smallest set of top customers whose share reaches ACut (default 0.80);
// else B when the share before it is < BCut (default 0.95); everyone else is C, including
// every customer with value <= 0. When P = 0 everyone is C.
//
// Top N% share: the share of P held by the top ceil(N/100 · n) customers, n counting all
// customers (N = 1, 5, 10, 20). CustomersFor50 and CustomersFor80: the smallest number of top
// customers holding at least 50% and 80% of P, compared exactly in integers; 0 when P = 0.
//
// Lorenz curve: over all n customers, values clipped at 0 and sorted ascending,
// x(1) <= … <= x(n), C(k) = x(1) + … + x(k). Point j = 0..100 is at customer share j/100 with
// value share (C(k) + f·x(k+1)) / P for k = ⌊j·n/100⌋, f = j·n/100 − k: linear interpolation
// between whole customer counts. When P = 0 (or n = 0) the curve is the diagonal.
//
// Gini: one minus twice the area under the Lorenz curve through the points (k/n, C(k)/P),
// trapezoids, which is the discrete formula
//
//	G = 2·Σ i·x(i) / (n·P) − (n+1)/n,
//
// computed with an exact 128-bit numerator. G = 0 when all values are equal (and when P = 0),
// (n−1)/n when one customer holds all the value; values 1, 2, 3, 4 give 0.25.
//
// # References
//
//   - Gini, C. (1912). Variabilità e mutabilità.
//   - Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. Publications of
//     the American Statistical Association 9(70), 209–219.
package pareto
