// Package outputs owns every output schema of the job, both ways: a date's analytic results
// (Date) become the tables written for it, and later runs, the report and the demo read
// committed tables back through the typed readers here (ReadCustomers, ReadPyramid), all
// built on parquetio's one reader.
//
// Tables, one file per date (store owns where): customers (one row per customer: features,
// scores, segment, Pareto rank and class, then the columns of each view that is on), segments,
// pareto (long form: summary, lorenz, whale), rejected, and per view tiers and cost_to_serve
// (profit), clusters, clv, migration; clv_holdout from `rfm evaluate`. A view that is off is
// absent, with its columns and tables.
package outputs
