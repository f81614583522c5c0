// Package feature defines the per-customer feature table: the seam between the engines that
// read transactions and the analytics that score, rank, cluster and price customers.
//
// Every engine (native Parquet reader, DuckDB SQL, Trino SQL) produces a Table with the same
// columns and the same values for the same input, as-of date and window; every analytic consumes
// it. Money is held in integer minor units (Table.MoneyScale decimal digits, 2 = cents), so sums
// are exact and engines agree to the cent. Dates are whole days since 1970-01-01 (UTC unless the
// job configures a time zone), with NoDate for "none".
//
// Definitions (the job's README repeats them for users):
//
//   - An order is the set of a customer's rows sharing an order id (without an order id column,
//     every row is its own order). Its net is the sum of its rows' amounts; its day is the day of
//     its earliest row.
//   - Frequency counts the customer's orders with net > 0 ("purchases"); Orders counts all of
//     them, returns and cancellations included. (With the job's input.zero_net_is_purchase, an
//     order with net = 0 is a purchase too, as the buy-till-you-die literature counts free
//     items.)
//   - Monetary is the sum of all the customer's amounts in the window: returns net against
//     purchases. PurchaseValue sums only the nets of purchases.
//   - FirstPurchase and LastPurchase are the earliest and latest days of a purchase; NoDate when
//     the customer has none (Frequency == 0).
//   - PurchaseDays counts distinct days with at least one purchase (same-day purchases merged, as
//     the BG/NBD literature does); FirstDayValue is the net of purchases on FirstPurchase.
//   - Cost is the sum of the cost-of-goods column over all rows (0 when the input has none).
//
// Rows are sorted by CustomerID (byte order), so tables from different engines compare directly.
package feature
