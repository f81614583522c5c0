// Package rfm scores customers on recency, frequency and monetary value (RFM) and assigns them
// to named segments, from the per-customer feature table (package feature).
//
// # Values
//
// For a customer with at least one purchase (Frequency > 0), as of day asOfDay:
//
//	recency_days = asOfDay − LastPurchase    (whole days; 0 = bought on the as-of day)
//	frequency    = Frequency                 (orders with a positive net)
//	monetary     = Monetary / 10^MoneyScale  (all amounts, returns netted; major units)
//
// Monetary is read in major units so that cut points read naturally (255.8, not 25580).
// A customer whose last purchase is after asOfDay is an error (ErrPurchaseAfterAsOf): the
// engine's window and the as-of date disagree.
//
// A customer without purchases (Frequency == 0) stays in the output unscored: RecencyDays −1,
// R = F = M = 0, RFM = 0, segment "No purchase". Such customers take no part in the cut points.
//
// # Scores
//
// Every dimension gets a score 1..bins (Config.Bins, 2..10, default 5). Higher is better; for
// recency that means more recent, so the recency score is reversed. rfm_score = 100·R + 10·F + M
// (for 10 bins the digits run into each other; read R, F and M instead). Four methods:
//
// quantile (the default): the cut points q(1) … q(bins−1) are the type-7 quantiles (R's default
// quantile, numpy's "linear") of the scored customers' values, q(i) = Q(i/bins) with
// Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]), h = (n−1)·p over the values sorted ascending
// (0-based). A value gets bin i when q(i−1) < x ≤ q(i), with q(0) = −∞ and q(bins) = +∞, so
// equal values always share a bin. F = bin, M = bin, R = bins + 1 − bin. When many values are
// equal some bins stay empty: if all values are equal every customer is in bin 1 (R = bins,
// F = M = 1); a single customer, too.
//
// ntile: each dimension's scored customers are sorted and dealt into bins equal-count tiles as
// SQL's NTILE(bins) does: with n customers the first n mod bins tiles get one customer more;
// with n < bins only tiles 1..n are used. Frequency and monetary sort ascending, recency
// descending (longest ago first), all with ties broken by customer id ascending, and the score
// is the tile: in SQL, NTILE(bins) OVER (ORDER BY recency_days DESC, customer_id) and
// NTILE(bins) OVER (ORDER BY frequency, customer_id). So the most recent buyers get the highest
// recency score, the larger tiles are always the low scores, and equal values may be split
// across tiles (deterministically, by id). Scores.Breaks is nil for this method.
//
// fixed: the configured cut points (Config.Fixed, bins − 1 strictly ascending values per
// dimension, recency in days, monetary in major units) with the quantile method's rule
// q(i−1) < x ≤ q(i).
//
// rfm_r: the algorithm of the R package rfm (rsquaredacademy/rfm, rfm_table_order and its
// helpers bins, bins_lower and bins_upper in R/utils.R), so analysts moving from R get
// identical scores. The interior breaks are the type-7 quantiles at probabilities
// seq(0, 1, length.out = bins + 1) plus one: b(i) = Q(i/bins) + 1 (computed with R's floating
// point steps). The bins are closed below and open above: bin i holds b(i−1) ≤ x < b(i), with
// b(0) = min and b(bins) = max + 1. F = bin, M = bin, R = bins + 1 − bin. The "+ 1" assumes
// integer values; with values 1, 2, 3, 4, 5 the top bin stays empty. The package computes
// recency as the analysis date minus the date of the last order, in days, as here.
//
// # Segments
//
// A segment rule names inclusive ranges of R, F and M scores. Rules are tried in table order
// and the first one that contains a customer's (R, F, M) wins; a scored customer matching none
// is "Others". The R package's rfm_segment also lets the first matching rule win (it skips
// customers that already have a segment). DefaultSegments is the ten-segment table of the R
// package's documentation (Champions … Lost) in its order; with the rfm_r method and
// rfm_data_orders (analysis date 2006-12-31) it reproduces the package's published segment
// summary exactly. The default rules are written for 5 bins: Validate rejects a rule whose
// ranges fall outside 1..bins, so other bin counts need their own rule table.
//
// # References
//
//   - Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages. The
//     American Statistician 50(4), 361–365 (definition 7).
//   - Hebbali, A. rfm: Recency, Frequency and Monetary Value Analysis. R package,
//     https://github.com/rsquaredacademy/rfm (R/rfm-table-transaction.R, R/utils.R,
//     R/rfm-segment.R).
package rfm
