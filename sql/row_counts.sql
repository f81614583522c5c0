-- name: row_counts
-- grain: one row per (status, reason) that occurs
-- parameters: those of classified_rows.sql, which {{classified_rows}} expands to
-- output: status VARCHAR, reason VARCHAR (NULL unless rejected), rows BIGINT
WITH classified AS (
    {{classified_rows}}
)
SELECT status, reason, CAST(count(*) AS BIGINT) AS rows
FROM classified
GROUP BY status, reason
ORDER BY status, reason
