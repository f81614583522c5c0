// Polars (nodejs-polars, lazy API) doing the same RFM job as sql/peer/rfm_job.sql: orders per
// customer and order id, recency/frequency/monetary, NTILE-style scores, value rank and
// cumulative share, written to Parquet.
// Usage: node polars.mjs INPUT OUTPUT AS_OF(YYYY-MM-DD)
import pl from 'nodejs-polars';

const [input, output, asOf] = process.argv.slice(2);
const asOfDay = Math.floor(Date.parse(asOf + 'T00:00:00Z') / 86400000);
const endUs = (asOfDay + 1) * 86400 * 1e6;
const dayUs = 86400 * 1e6;

// An NTILE(5) over the given order: tile = floor(rank0 * 5 / n) + 1.
const ntile = (col, descending) =>
  pl.col(col).rank('ordinal', descending).cast(pl.Float64).sub(1).mul(5).div(pl.count(col)).floor().add(1).cast(pl.Int32);

const orders = pl.scanParquet(input)
  .select(pl.col('customer_id'), pl.col('order_id'),
    pl.col('ts').cast(pl.Int64).alias('us'), pl.col('amount').cast(pl.Float64).alias('amount'))
  .filter(pl.col('us').lt(endUs))
  .groupBy(['customer_id', 'order_id'])
  .agg(pl.col('us').min().alias('us'), pl.col('amount').sum().alias('net'));

const customers = orders.groupBy('customer_id').agg(
  pl.col('us').filter(pl.col('net').gt(0)).max().alias('last_us'),
  pl.col('net').filter(pl.col('net').gt(0)).count().alias('frequency'),
  pl.col('net').sum().alias('monetary'),
).withColumns(pl.lit(asOfDay).sub(pl.col('last_us').div(dayUs).floor()).alias('recency_days'))
  .sort(['customer_id'])
  .withColumns(
    ntile('recency_days', true).alias('r_score'),
    ntile('frequency', false).alias('f_score'),
    ntile('monetary', false).alias('m_score'),
    pl.col('monetary').rank('ordinal', true).alias('value_rank'),
  )
  .sort('value_rank')
  .withColumns(pl.col('monetary').clip(0, 1e18).cumSum().div(pl.col('monetary').clip(0, 1e18).sum()).alias('cum_value_share'))
  .withColumns(pl.col('r_score').mul(100).add(pl.col('f_score').mul(10)).add(pl.col('m_score')).alias('rfm_score'));

const df = await customers.collect();
df.writeParquet(output);
