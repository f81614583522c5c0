-- name: customer_features
-- grain: one row per customer with at least one used row, ordered by customer_id (byte order)
-- parameters: those of classified_rows.sql, which {{classified_rows}} expands to, and
--   $purchase_floor BIGINT; {{customer_text}} is customer_id as an expression over customer_key
-- Rows group by customer_key (classified_rows): the text of the id is made once per customer.
-- output (the feature table of analytics/feature, money in integer minor units):
--   customer_id VARCHAR, first_purchase INTEGER, last_purchase INTEGER (NULL: no purchase),
--   frequency, orders, rows, purchase_days, monetary, purchase_value, first_day_value,
--   cost BIGINT
-- An order is a customer's rows sharing an order id; a row without an order id (no order column,
-- or a NULL id) is its own order (classified_rows gives it a unique order_key). Its day is its
-- earliest row's day, its net the sum of its rows.
-- A purchase is an order with net > $purchase_floor: 0, or −1 to count zero-value orders
-- (minor units are integers, so net > −1 means net ≥ 0).
-- Orders roll up to (customer, day), then to customers, in one pipeline: a purchase day is a
-- day with a purchase, and the first day's value is the purchases of the earliest such day
-- (min_by over days, unique per customer), so no self-join and no DISTINCT count are needed.
WITH classified AS (
    {{classified_rows}}
),
orders AS (
    SELECT
        customer_key,
        min(day) AS day,
        sum(amount_minor) AS net,
        sum(cost_minor) AS cost,
        count(*) AS rows
    FROM classified
    WHERE status = 'used'
    GROUP BY customer_key, order_id, order_key
),
days AS (
    SELECT
        customer_key,
        day,
        count(*) FILTER (WHERE net > $purchase_floor) AS purchases,
        coalesce(sum(net) FILTER (WHERE net > $purchase_floor), 0) AS purchase_value,
        count(*) AS orders,
        sum(rows) AS rows,
        sum(net) AS net,
        sum(cost) AS cost
    FROM orders
    GROUP BY customer_key, day
),
customers AS (
    SELECT
        customer_key,
        min(day) FILTER (WHERE purchases > 0) AS first_purchase,
        max(day) FILTER (WHERE purchases > 0) AS last_purchase,
        sum(purchases) AS frequency,
        sum(orders) AS orders,
        sum(rows) AS rows,
        count(*) FILTER (WHERE purchases > 0) AS purchase_days,
        sum(net) AS monetary,
        sum(purchase_value) AS purchase_value,
        min_by(purchase_value, day) FILTER (WHERE purchases > 0) AS first_day_value,
        sum(cost) AS cost
    FROM days
    GROUP BY customer_key
)
SELECT
    {{customer_text}} AS customer_id,
    CAST(first_purchase AS INTEGER) AS first_purchase,
    CAST(last_purchase AS INTEGER) AS last_purchase,
    CAST(frequency AS BIGINT) AS frequency,
    CAST(orders AS BIGINT) AS orders,
    CAST(rows AS BIGINT) AS rows,
    CAST(purchase_days AS BIGINT) AS purchase_days,
    CAST(monetary AS BIGINT) AS monetary,
    CAST(purchase_value AS BIGINT) AS purchase_value,
    CAST(coalesce(first_day_value, 0) AS BIGINT) AS first_day_value,
    CAST(cost AS BIGINT) AS cost
FROM customers
ORDER BY customer_id
