// Package native is the default engine: it reads only the mapped columns of the input Parquet
// files with parquet-go's page API and aggregates them into the per-customer feature table
// (package analytics/feature) in one pass (two when some customer's order ids decrease),
// without SQL or cgo.
//
// # Method
//
// Every row group of every file is a task. req.Threads scanners (default runtime.NumCPU) decode
// tasks concurrently, 16,384 rows at a time: each mapped column chunk is read page by page and
// its values converted into one int64 per row (an id key, a day, an amount in minor units);
// a dictionary page is converted once per column chunk, and rows take their entry's value by
// index. String ids become indexes into the row group's string table (one entry per
// dictionary entry, or per run of equal values in plain pages). Each row is classified:
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
//     nil; each zone period between two offset changes is looked up once per scanner), so
//     instants before 1970 floor to the right day. A DATE is its own day in every zone.
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
// Orders are keyed by (customer id, order id). A scanner merges consecutive used rows of the
// same customer and order into one record (most inputs keep an order's rows together) and
// files the record under its customer's partition (a hash of the id; one partition per
// thread). One goroutine per partition folds the records into one account per customer (an
// open-addressing table keyed by the integer id, or by the string's hash and bytes, with a
// row group's dictionary entries resolved to accounts once each), taking the row groups in
// file and row-group order whatever order they were decoded in, so a customer's rows arrive
// in input order. An account sums Rows, Monetary and Cost as rows come, and keeps the
// customer's open order and the range of order ids it has met: rows with the open order's id
// add to it, wherever they are (in later row groups or files too); an id beyond either end of
// the range closes it (Orders, and for a purchase, net > 0 or ≥ 0 with
// Request.ZeroNetIsPurchase, Frequency, PurchaseValue, FirstPurchase, LastPurchase and
// FirstDayValue, tracked as the minimum day and the net on it) and opens the next, so
// increasing and decreasing order ids both take this path. An id inside the range could be an
// order already closed: the customer is then marked, and after the scan a second
// scan collects the marked customers' orders in a map keyed by (customer, order id) and
// recomputes their order-derived features exactly. Integer order ids are compared as numbers,
// floating ones by their bits (one value for -0 and 0, one for all NaNs, so two are equal
// exactly when they print the same), strings by bytes.
//
// PurchaseDays counts day changes while a customer's purchases arrive in day order. Every
// purchase day of a customer with more than one (skipping repeats of the previous day) is also
// appended to the partition's day log, slot and day in 8 bytes; for the customers whose days
// did not arrive in order the distinct days are counted from the log at the end (a counting
// sort by customer, then a sort of each customer's days).
//
// Rows are sorted by customer id in byte order. Integer ids below 10^15 in magnitude sort by a
// 64-bit key that orders as their decimal text does ('-' first, then one nibble per digit), so
// ids are formatted once, into one string; larger ids sort by their text. Rejected rows are
// reported by file and row number (0-based within the file) with their raw values printed as
// DuckDB prints them: only row groups with rejected rows are read a second time, to print
// them. The result does not depend on the number of threads or on their timing.
//
// # Memory and speed
//
// Memory grows with customers, not rows: a 128-byte account per customer (its id's bytes as
// well for string ids), 16–32 bytes of index (an 8-byte entry, the hash's top 32 bits above
// the slot, at most half full), and the feature table (about 100 bytes per customer), plus 8
// bytes per purchase of customers with more than one purchase day (the day log), and for the
// customers on the general path one map entry per order. The scan itself holds at most
// Threads+1 row groups' records (40 bytes per order in the row group) and a 16,384-row window
// of vectors per scanner. Measured peak RSS of the whole RFM job (rfmbench) on 20M rows: about
// 500 MB with 1M integer ids, 650 MB with 1M string ids; 3.5–4.2 GB on 100M rows with 10M
// customers.
//
// Time on 20M rows / 1M customers, 2 cores: the aggregation takes about 1.0–1.1 s of wall
// time for integer ids. Half of its CPU is the cache misses of the customer lookups (the index
// entry, then the account: lookups are resolved 256 records at a time so that the misses
// overlap and the accounts are still cached when updated), a sixth Snappy decompression. On
// virtual machines, first touches of fresh memory are costly: a page that is read before it
// is written is mapped to the shared zero page, and the later write flushes the other cores'
// TLBs with an interrupt; new index tables are therefore written (cleared) before use, which
// took growing the index from 0.58 s to 0.05 s.
//
// # Series
//
// AggregateSeries (engine.SeriesEngine) gives the results of several as-of days from one scan:
// the records are filed by the span between two days they fall in, and each day folds its span
// into the accounts of the day before. series.go describes the method and its memory.
//
// # Errors
//
// Corrupt pages, truncated files and column chunks that end early or run past the row group's
// rows return ErrCorrupt naming the file, row group and column; decoding panics inside
// parquet-go are recovered in each worker and returned the same way. A string customer id that
// is not valid UTF-8 returns input.ErrBadString naming the file, row and value, as
// input.Verify does for the DuckDB engine (outputs are UTF-8). When several row groups fail,
// the first one's error is returned. Cancelling the context stops the scan within 16,384 rows.
package native
