-- name: rfm_series (benchmark peer)
-- The RFM job of rfm_job.sql for a series of as-of dates in one plain DuckDB script, the way a
-- data team would backfill by hand: every order line joined to each as-of date it precedes,
-- orders netted per date, then the same scores per date, written as one Parquet file
-- partitioned by as_of. The benchmark command (cmd/rfmbench) runs it beside `rfm backfill` on
-- the same file and dates.
-- parameters (text-substituted by the benchmark): {{input}} the transactions file, {{output}}
--   the directory to write, {{dates}} the as-of dates as a comma-separated list of quoted
--   YYYY-MM-DD literals.
-- input and output columns: as rfm_job.sql, plus as_of.
COPY (
    WITH dates AS (
        SELECT CAST(d AS DATE) AS as_of,
            (epoch_us(CAST(CAST(d AS DATE) AS TIMESTAMP)) // 86400000000) AS as_of_day
        FROM unnest([{{dates}}]) t(d)
    ),
    lines AS (
        SELECT customer_id, order_id, epoch_us(ts) // 86400000000 AS day, ts, amount
        FROM read_parquet('{{input}}')
    ),
    orders AS (
        SELECT d.as_of, d.as_of_day, l.customer_id, l.order_id, min(l.ts) AS ts, sum(l.amount) AS net
        FROM lines l JOIN dates d ON l.day <= d.as_of_day
        GROUP BY d.as_of, d.as_of_day, l.customer_id, l.order_id
    ),
    customers AS (
        SELECT
            as_of,
            customer_id,
            as_of_day - CAST(floor(epoch_us(max(ts) FILTER (WHERE net > 0)) / 86400000000.0) AS BIGINT) AS recency_days,
            count(*) FILTER (WHERE net > 0) AS frequency,
            sum(net) AS monetary
        FROM orders
        GROUP BY as_of, as_of_day, customer_id
    ),
    scored AS (
        SELECT
            *,
            NTILE(5) OVER (PARTITION BY as_of ORDER BY recency_days DESC, customer_id) AS r_score,
            NTILE(5) OVER (PARTITION BY as_of ORDER BY frequency, customer_id) AS f_score,
            NTILE(5) OVER (PARTITION BY as_of ORDER BY monetary, customer_id) AS m_score,
            row_number() OVER (PARTITION BY as_of ORDER BY monetary DESC, customer_id) AS value_rank,
            sum(greatest(monetary, 0)) OVER (PARTITION BY as_of ORDER BY monetary DESC, customer_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                / sum(greatest(monetary, 0)) OVER (PARTITION BY as_of) AS cum_value_share
        FROM customers
    )
    SELECT *, 100 * r_score + 10 * f_score + m_score AS rfm_score FROM scored
) TO '{{output}}' (FORMAT parquet, PARTITION_BY (as_of));
