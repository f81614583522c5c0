-- name: classified_rows
-- grain: one row per input row, of every input file
-- parameters: $as_of_day, $start_day (INTEGER days since 1970-01-01; $start_day NULL = no lower
--   bound), and those the dialect's placeholders bind (DuckDB: $f0 … $fN, the input files;
--   Trino: $time_zone when days are local to a zone)
-- dialects: one text for DuckDB (jobs/engine/duckdb) and Trino (jobs/engine/trino). Each engine
--   fills every placeholder with typed expressions over quoted identifiers in its own dialect
--   (never with user text): {{source}} the relation read (DuckDB: read_parquet of the files;
--   Trino: the configured table), {{file}}, {{row}} (the row's file and 0-based row number where
--   the engine knows them; Trino: the table's "$path" and NULL), {{order_key}} (NULL when the row
--   has an order id, else a value unique to the row), {{customer_id}}, {{customer_key}} (equal
--   for two rows exactly when their customer_id is: the typed id where grouping by it is faster
--   than by its text, else customer_id), {{customer_bad}},
--   {{order_id}}, {{ts_null}}, {{ts_bad}}, {{day}}, {{amount_null}}, {{amount_bad}},
--   {{amount_minor}}, {{cost_minor}}, {{raw_customer_id}}, {{raw_order_id}}, {{raw_timestamp}},
--   {{raw_amount}}, {{tz_join}}
-- output: file VARCHAR, row BIGINT, customer_id VARCHAR, customer_key, order_id VARCHAR, order_key VARCHAR,
--   day INTEGER, amount_minor BIGINT, cost_minor BIGINT, reason VARCHAR (NULL for a usable row),
--   status VARCHAR ('used' | 'after_as_of' | 'before_window' | 'rejected'), raw_* VARCHAR
-- Rejection reasons are checked in this order; the first that applies is the row's reason.
WITH typed AS (
    SELECT
        {{file}} AS file,
        {{row}} AS row,
        {{customer_id}} AS customer_id,
        {{customer_key}} AS customer_key,
        {{customer_bad}} AS customer_bad,
        {{order_id}} AS order_id,
        {{order_key}} AS order_key,
        {{ts_null}} AS ts_null,
        {{ts_bad}} AS ts_bad,
        {{day}} AS day,
        {{amount_null}} AS amount_null,
        {{amount_bad}} AS amount_bad,
        {{amount_minor}} AS amount_minor,
        {{cost_minor}} AS cost_minor,
        {{raw_customer_id}} AS raw_customer_id,
        {{raw_order_id}} AS raw_order_id,
        {{raw_timestamp}} AS raw_timestamp,
        {{raw_amount}} AS raw_amount
    FROM {{source}} {{tz_join}}
),
classified AS (
    SELECT
        *,
        CASE
            WHEN customer_id IS NULL AND NOT customer_bad THEN 'null_customer_id'
            WHEN customer_bad THEN 'bad_customer_id'
            WHEN ts_null THEN 'null_timestamp'
            WHEN ts_bad THEN 'bad_timestamp'
            WHEN amount_null THEN 'null_amount'
            WHEN amount_bad THEN 'non_finite_amount'
        END AS reason
    FROM typed
)
SELECT
    *,
    CASE
        WHEN reason IS NOT NULL THEN 'rejected'
        WHEN day > $as_of_day THEN 'after_as_of'
        WHEN $start_day IS NOT NULL AND day < $start_day THEN 'before_window'
        ELSE 'used'
    END AS status
FROM classified
