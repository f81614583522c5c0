// Package native is the default engine: it reads only the mapped columns of the input Parquet
// files with parquet-go's page API and aggregates them in one pass into the per-customer feature
// table (package analytics/feature), without SQL or cgo.
//
// # Method
//
// Every row group of every file is a task; req.Threads workers (default runtime.NumCPU) scan
// tasks concurrently. A worker walks the mapped column chunks page by page in lockstep, one row
// at a time, decoding dictionary pages once per chunk. Each row is classified:
//
//  1. rejected, checking in this order: null customer id (null_customer_id); a floating
//     customer id that is NaN, ±Inf, not an integer or beyond ±9.2e18 (bad_customer_id); null
//     timestamp (null_timestamp); a string timestamp that is not ISO-8601 (bad_timestamp); null
//     amount, or null quantity or unit price (null_amount); an amount that is NaN, ±Inf or
//     beyond ±9e15 minor units (non_finite_amount);
//  2. after the as-of day (counted in Counts.AfterAsOf, not rejected);
//  3. before the window's StartDay when one is set (Counts.BeforeWindow);
//  4. used.
//
// Row values:
//
//   - Customer id: strings as they are; integers in decimal; integer-valued floats in decimal
//     without ".0" (17850.0 → "17850"). Order ids likewise, except that a non-integer float
//     keeps its shortest form ("1.5"); a null order id makes the row an order of its own.
//   - Day: the timestamp is an instant (naive timestamps are taken as UTC wall-clock times;
//     INT96 is converted to microseconds as DuckDB does); its day is
//     floor((t + offset(t)) / 86400 s), offset being Request.Location's UTC offset at t (0 for
//     nil), so instants before 1970 floor to the right day. A DATE is its own day in every zone.
//     ISO strings: "2009-12-01", "2009-12-01 07:45[:00[.ffffff]]", with "T" instead of the
//     space, optionally followed by "Z" or an offset ("+01", "+01:00", "+0100"), which is
//     subtracted; fractions beyond microseconds are truncated.
//   - Amount in minor units: integers × 10^scale exactly; floats round_half_away((x)·10^scale)
//     in float64; DECIMAL columns are rescaled exactly, rounding half away from zero when the
//     column has more decimals than MoneyScale; quantity × unit price is
//     round_half_away((float64(q)·float64(p))·10^scale), multiplied in exactly that order (the
//     DuckDB engine does the same, so the engines agree to the cent). Cost likewise; a null or
//     non-finite cost counts as 0.
//
// # Aggregation
//
// Orders are keyed by (customer id, order id). Within a row group, consecutive rows of the same
// order are summed in a running accumulator (most inputs keep an order's rows together), and an
// order is added to the row group's order map when it ends; so map work is per order, not per
// row. Row-group maps are merged into one map keyed by (customer, order) as workers finish:
// an order split across row groups or files is merged exactly, and since the merge only adds
// and takes minima the result does not depend on the number of workers or their timing. The
// orders then become the feature table: Orders, Rows, Monetary and Cost sum over all orders;
// purchases (net > 0) sorted by (customer, day) give Frequency, FirstPurchase, LastPurchase,
// PurchaseDays, PurchaseValue and FirstDayValue. Rows are sorted by customer id (byte order).
// Rejected rows are reported by file and row number (0-based within the file) with their raw
// values printed as DuckDB prints them.
//
// # Memory
//
// Memory grows with customers and orders, not rows: per order about 100 bytes (its map entry:
// key of two string headers, 32 bytes of sums, the order id's bytes and map overhead), per
// customer about 120 bytes (its id once, interned, an index entry and the 88-byte feature row),
// plus a per-worker page buffer per mapped column. Inputs without an order id have one order per
// row; there memory grows with rows (48 bytes each).
//
// # Errors
//
// Corrupt pages, truncated files and column chunks that end early return ErrCorrupt naming the
// file, row group and column; decoding panics inside parquet-go are recovered in each worker and
// returned the same way. Cancelling the context stops the scan between pages within 16,384
// rows.
package native
