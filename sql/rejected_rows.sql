-- name: rejected_rows
-- grain: one row per rejected (quarantined) input row, ordered by file then row
-- parameters: those of classified_rows.sql, which {{classified_rows}} expands to
-- output: file VARCHAR, row BIGINT, reason VARCHAR, customer_id, order_id, timestamp, amount
--   VARCHAR (the raw values as text, '' for NULL)
WITH classified AS (
    {{classified_rows}}
)
SELECT
    file,
    row,
    reason,
    coalesce(raw_customer_id, '') AS customer_id,
    coalesce(raw_order_id, '') AS order_id,
    coalesce(raw_timestamp, '') AS timestamp,
    coalesce(raw_amount, '') AS amount
FROM classified
WHERE status = 'rejected'
ORDER BY file, row
