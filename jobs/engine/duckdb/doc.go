// Package duckdb is the reference engine: it runs the SQL in sql/ (classified_rows,
// customer_features, row_counts, rejected_rows) on an embedded, in-process DuckDB and hands the
// per-customer features back through DuckDB's Arrow interface.
//
// It is the only package that uses cgo. It trusts nothing from the configuration: column names
// reach SQL only as quoted identifiers inside typed expressions chosen from the inspected Parquet
// schema, and file paths, dates and limits are bound parameters. The database is in-memory and
// extensions neither install nor autoload. External access stays on: DuckDB 1.1.2's
// enable_external_access = false also refuses the inputs' read_parquet (docs/hardening.md).
//
// Time zones: the DuckDB build go-duckdb v1.8.2 ships has no ICU extension, so local days are
// computed by joining each timestamp (ASOF) to a table of UTC offsets that the engine derives
// from Go's time zone database over the years the data can span.
package duckdb
