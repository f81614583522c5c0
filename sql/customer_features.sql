-- name: customer_features
-- grain: one row per customer with at least one used row, ordered by customer_id (byte order)
-- parameters: those of classified_rows.sql, which {{classified_rows}} expands to, and
--   $purchase_floor BIGINT
-- output (the feature table of analytics/feature, money in integer minor units):
--   customer_id VARCHAR, first_purchase INTEGER, last_purchase INTEGER (NULL: no purchase),
--   frequency, orders, rows, purchase_days, monetary, purchase_value, first_day_value,
--   cost BIGINT
-- An order is a customer's rows sharing an order id; a row without an order id (no order column,
-- or a NULL id) is its own order (classified_rows gives it a unique order_key). Its day is its
-- earliest row's day, its net the sum of its rows.
-- A purchase is an order with net > $purchase_floor: 0, or −1 to count zero-value orders
-- (minor units are integers, so net > −1 means net ≥ 0).
WITH classified AS (
    {{classified_rows}}
),
orders AS (
    SELECT
        customer_id,
        min(day) AS day,
        sum(amount_minor) AS net,
        sum(cost_minor) AS cost,
        count(*) AS rows
    FROM classified
    WHERE status = 'used'
    GROUP BY customer_id, order_id, order_key
),
customers AS (
    SELECT
        customer_id,
        min(day) FILTER (WHERE net > $purchase_floor) AS first_purchase,
        max(day) FILTER (WHERE net > $purchase_floor) AS last_purchase,
        count(*) FILTER (WHERE net > $purchase_floor) AS frequency,
        count(*) AS orders,
        sum(rows) AS rows,
        count(DISTINCT day) FILTER (WHERE net > $purchase_floor) AS purchase_days,
        sum(net) AS monetary,
        coalesce(sum(net) FILTER (WHERE net > $purchase_floor), 0) AS purchase_value,
        sum(cost) AS cost
    FROM orders
    GROUP BY customer_id
),
first_day AS (
    SELECT o.customer_id, sum(o.net) AS first_day_value
    FROM orders o
    JOIN customers c ON c.customer_id = o.customer_id AND o.day = c.first_purchase
    WHERE o.net > $purchase_floor
    GROUP BY o.customer_id
)
SELECT
    c.customer_id,
    CAST(c.first_purchase AS INTEGER) AS first_purchase,
    CAST(c.last_purchase AS INTEGER) AS last_purchase,
    CAST(c.frequency AS BIGINT) AS frequency,
    CAST(c.orders AS BIGINT) AS orders,
    CAST(c.rows AS BIGINT) AS rows,
    CAST(c.purchase_days AS BIGINT) AS purchase_days,
    CAST(c.monetary AS BIGINT) AS monetary,
    CAST(c.purchase_value AS BIGINT) AS purchase_value,
    CAST(coalesce(f.first_day_value, 0) AS BIGINT) AS first_day_value,
    CAST(c.cost AS BIGINT) AS cost
FROM customers c
LEFT JOIN first_day f ON f.customer_id = c.customer_id
ORDER BY c.customer_id
