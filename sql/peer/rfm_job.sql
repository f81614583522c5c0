-- name: rfm_job (benchmark peer)
-- The whole RFM job as one plain DuckDB script, the way a data team would write it by hand:
-- aggregate per customer, NTILE scores, cumulative value share, write Parquet. The benchmark
-- command (cmd/rfmbench) runs it beside `rfm run` on the same file and compares time and memory.
-- parameters (text-substituted by the benchmark, which controls both): {{input}} the
--   transactions file, {{output}} the Parquet file to write, {{as_of}} the as-of date.
-- input columns: customer_id, order_id, ts, amount (as written by `rfm gen`; ts is a UTC
--   TIMESTAMPTZ, and the DuckDB that go-duckdb embeds has no ICU to cast it to DATE, hence the
--   epoch arithmetic).
-- output: one row per customer: customer_id, recency_days, frequency, monetary, r/f/m scores,
--   rfm_score, value_rank, cum_value_share.
COPY (
    WITH orders AS (
        SELECT customer_id, order_id, min(ts) AS ts, sum(amount) AS net
        FROM read_parquet('{{input}}')
        WHERE epoch_us(ts) < epoch_us(TIMESTAMPTZ '{{as_of}} 00:00:00+00') + 86400000000
        GROUP BY customer_id, order_id
    ),
    customers AS (
        SELECT
            customer_id,
            (epoch_us(TIMESTAMPTZ '{{as_of}} 00:00:00+00') // 86400000000)
                - CAST(floor(epoch_us(max(ts) FILTER (WHERE net > 0)) / 86400000000.0) AS BIGINT) AS recency_days,
            count(*) FILTER (WHERE net > 0) AS frequency,
            sum(net) AS monetary
        FROM orders
        GROUP BY customer_id
    ),
    scored AS (
        SELECT
            *,
            NTILE(5) OVER (ORDER BY recency_days DESC, customer_id) AS r_score,
            NTILE(5) OVER (ORDER BY frequency, customer_id) AS f_score,
            NTILE(5) OVER (ORDER BY monetary, customer_id) AS m_score,
            row_number() OVER (ORDER BY monetary DESC, customer_id) AS value_rank,
            sum(greatest(monetary, 0)) OVER (ORDER BY monetary DESC, customer_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                / sum(greatest(monetary, 0)) OVER () AS cum_value_share
        FROM customers
    )
    SELECT *, 100 * r_score + 10 * f_score + m_score AS rfm_score FROM scored
) TO '{{output}}' (FORMAT parquet);
