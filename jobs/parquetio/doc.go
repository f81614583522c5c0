// Package parquetio writes the job's outputs as Parquet files that BI tools read directly, and
// reads them back. It is the one place that knows Parquet output schemas.
//
// Types follow what DuckDB, Power BI, Superset and Spark understand without casts: money as
// DECIMAL(18, scale) over INT64, days as DATE, instants as TIMESTAMP(µs, adjusted to UTC),
// strings as UTF-8 with dictionary encoding, counts as INT64, shares as DOUBLE, snake_case names,
// columns in the order they are declared. Pages are Snappy-compressed.
package parquetio
