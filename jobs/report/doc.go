// Package report writes one self-contained HTML page per run date: the key figures and the
// charts analysts and managers read before tables, built from the date's committed outputs.
//
// Build(outDir, date) reads DIR/manifests/as_of=D/manifest.json and the Parquet tables of the
// date back (DIR/<table>/as_of=D/data.parquet, with parquet-go), and writes
// DIR/report/as_of=D/index.html atomically: a temporary file in the same directory is written,
// fsynced and renamed over the page. It needs nothing but those files, so `rfm report` can
// rebuild the page of any committed date. A date without a manifest returns ErrIncomplete; an
// unreadable table or manifest ErrCorrupt, and no page is written.
//
// # The page
//
// One HTML file, no script, font, stylesheet or URL: inline CSS (system fonts, a print style
// that keeps every chart on one page) and charts as hand-written inline SVG that scale to the
// window. Every chart has a title, labelled axes with their units and a one-line reading that
// says what it shows ("The top 20% of customers make 74% of revenue"). Rendering is pure:
// Load does the I/O into Data, Sections and KeyFigures compute what to show, Render writes HTML.
//
// # Charts and the columns they need
//
// A chart is drawn when its table exists and has the columns it needs; otherwise it is left
// out (never drawn empty, never an error), and a section without charts is left out.
//
//   - Key figures: customers (manifest), revenue = Σ customers.monetary, profit =
//     Σ customers.profit, top-20% share and Gini (pareto summary, else the manifest's
//     highlights), customers alive = Σ customers.p_alive (the expected number).
//   - R × F heatmaps (customers.r_score, f_score; monetary): customers per cell as a share of
//     the scored customers (shaded linearly), and mean monetary per cell (shaded on a log scale
//     between the lowest and highest positive mean). The grid is bins × bins, bins the highest
//     score present; customers with a null score (no purchase) are left out.
//   - Segments (segments.segment, customers, revenue): each segment's share of customers and
//     of revenue; segments without customers are left out. The reading names the segment with
//     the highest revenue share per customer share among segments of at least 1% of customers.
//   - Lorenz curve (pareto rows with curve = 'lorenz': customer_share, value) over the line
//     of equality, with the ABC classes as bands: C = [0, 1 − (a+b)/n], B, A = [1 − a/n, 1],
//     from the summary metrics customers, a_customers, b_customers; the reading quotes
//     top_20pct_share (else 1 − L(0.8), interpolated) and gini.
//   - Whale curve (pareto rows with curve = 'whale'): cumulative profit share against the share
//     of customers, most profitable first; the peak is the highest point, and "give back" is
//     peak − last point. Left out when every value is 0 (total profit not positive).
//   - Customer pyramid (tiers: tier, customer_share, profit_share, or customers and profit to
//     compute them): centred bars, one scale for both sides, tiers in file order (highest
//     first); shares written as percentages (customer shares summing above 1.5) are scaled.
//   - Cost to serve (cost_to_serve: grain, tier, activity, cost): stacked bars per tier from
//     the grain = 'tier' rows (one per tier and activity), so the grain = 'customer' rows are not
//     counted twice; without a grain column, the rows with an empty customer_id.
//   - Migration (migration: kind, from, to, customers; the kind = 'tier' rows): the tier × tier
//     matrix shaded by row share; states in the tiers table's order, outside states (named
//     "(…)") last. Reading: kept / up / down among customers tiered on both dates.
//   - Flow diagram of the same rows: previous tiers on the left, current tiers on the right,
//     "(outside)" as joined (new or returned) on the left and lapsed on the right. One scale
//     k = (height − gap·(m − 1)) / Σ customers serves both columns (m the larger node count),
//     so bars and bands are k × customers and a node's bands fill its bar exactly. Bands are
//     stacked in the other column's order and coloured by kind (up, kept, down, joined,
//     lapsed). The kind = 'flow' rows (from = up, same, down, new, returned, lapsed) give
//     Data.Movement and split joined into new and returned; previous_as_of names the date.
//   - Cluster snake plot: standardized centroids per feature, from the job's clusters table
//     (section, name, label, value: rows with section 'centroid_z' give feature name's z-score
//     for cluster label, section 'profile' with name 'customers' its size), or from one row
//     per cluster (cluster_name | name, customers | size, z_<feature> or <feature>_z columns),
//     or long form (feature, z). The y scale covers the clusters of at least 1% of customers;
//     a smaller cluster's points beyond it sit on the edge as labelled triangles and its line
//     is dashed, so one outlier customer cannot flatten every other profile.
//   - CLV distribution (customers.clv): 24 equal bins from min(0, min) to the type-7 99th
//     percentile, the last bin holding everything above.
//   - p_alive against recency (customers.p_alive, recency_days): an evenly spaced sample of at
//     most 1,500 customers as dots and the mean p_alive in 20 equal recency bands (of at least
//     5 customers) as a line. With customers.frequency the line averages repeat customers
//     (frequency ≥ 2) only: BG/NBD gives a customer without a repeat purchase p_alive = 1 at
//     any recency (Fader, Hardie & Lee 2005), which would bend the line up at the far end.
//   - Data quality (manifest rows): used, rejected by reason (largest first), after the as-of
//     date and before the window, each with its count and share of the rows read.
//
// Money arrives in business units (the DECIMAL scale applied) and is shown compactly
// (1.23M, 45.7k); shares as percentages with more digits below 10% so that none reads as 0.
//
// The palette is Okabe & Ito's (2008) colour-blind-safe set; sequential shading runs from
// light to dark blue.
package report
