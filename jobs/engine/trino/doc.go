// Package trino is the scale-out engine: it runs the project's shared SQL (sql/classified_rows,
// row_counts, rejected_rows, customer_features) on a Trino server, where the transactions
// already live as a table, and streams the per-customer features back into a feature.Table.
// Everything after the features is the job's, unchanged.
//
// One definition, two dialects: the statements in sql/ are the same text the DuckDB engine runs.
// Only their {{placeholders}} differ by dialect, filled here (expr.go) with typed Trino
// expressions over quoted identifiers chosen from the table's column types
// (information_schema.columns): the source is the configured table instead of read_parquet, a
// row's file is its "$path" hidden column (the table's name where the connector has none), and a
// row without an order id is keyed by uuid() instead of its file position. sqltext.Expand panics
// when an engine leaves a placeholder unfilled, so the engines cannot drift apart silently.
// The statements' named parameters ($as_of_day, $start_day, $purchase_floor, $time_zone) become
// Trino's positional ones (bind.go) and travel as EXECUTE IMMEDIATE … USING values, never as
// spliced text.
//
// Semantics match the embedded engines: money in minor units rounded half away from zero per
// row (round on DOUBLE, a cast to DECIMAL(38, scale) for decimals), days since 1970-01-01 in the
// job's zone (at_timezone; naive timestamps are UTC wall-clock times, the session zone is UTC),
// ISO-8601 strings with 'T' or ' ' and an optional offset. Two things differ: Trino knows no
// row numbers, so Rejected.Row is -1, and raw values in Rejected are Trino's text for them.
//
// Errors: ErrUnreachable (no answer within Options.RetryTimeout), ErrAuth (HTTP 401/403 or
// PERMISSION_DENIED), ErrMissingTable, ErrMissingColumn, ErrColumnType (all problems at once),
// ErrQuery (the server failed a query while it ran, with Trino's error name and message).
// Aggregate returns a result only when every query succeeded, and the job commits only after
// the engine returns, so a failure midway commits nothing. The engine only reads, except that
// Options.Results = ResultsParquet has the server write the features as one scratch table,
// which the engine drops (and whose files it deletes) once it has read them.
package trino
