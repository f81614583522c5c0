package jobs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
	"github.com/rfmjob/rfm/analytics/tier"
	"github.com/rfmjob/rfm/jobs/engine/input"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// profitView is profitability and the customer pyramid: profit columns and tiers on the
// customers table, the tiers and cost_to_serve tables, and the whale curve in the pareto table.
type profitView struct {
	asOfDay int32
	scale   int
	t       *feature.Table
	p       *profit.Result
	tiers   *tier.Result
	// quantity[a][i] is customer i's quantity of p.Activities[a]; nil for an activity costed
	// by its direct cost alone.
	quantity [][]float64
	notes    []string
	// perCustomer writes the customer rows of the cost_to_serve table.
	perCustomer bool
	recency     []int32 // days since the last purchase, −1 without one
}

// tiersFromClusters replaces the tiers with those of the clusters method: clusters ranked by
// mean profit fill the tiers (tier.FromGroups). Without clusters (too few customers) the
// share method's tiers stay, with a manifest note.
func (v *profitView) tiersFromClusters(r *runner, cl *clusterView) error {
	if v == nil || r.cfg.Tiers.Method != "clusters" {
		return nil
	}
	if cl == nil || cl.res == nil {
		v.notes = append(v.notes, "tiers: method clusters needs clusters; the share method was used")
		return nil
	}
	tr, err := tier.FromGroups(v.t, v.p, v.recency, cl.labels, cl.res.Names, r.cfg.Tiers.config(v.scale))
	if err != nil {
		return fmt.Errorf("%w: tiers: %v", ErrConfig, err)
	}
	v.tiers = tr
	return nil
}

// profitStage prices every customer (cost of goods, cost to serve from the activity table or
// the order cost, profit) and assigns the tiers. The activity table is read over the same
// as-of day, lookback window and time zone as the transactions.
func (r *runner) profitStage(ctx context.Context, t *feature.Table) (*profitView, error) {
	cfg := &r.cfg.Profit
	if !cfg.enabled() {
		return nil, nil
	}
	v := &profitView{asOfDay: r.asOfDay, scale: t.MoneyScale, t: t,
		perCustomer: cfg.CustomerCostToServe == nil || *cfg.CustomerCostToServe}
	in := profit.Input{Table: t}
	var acts *activityTotals
	if cfg.Activities.Path != "" {
		var err error
		if acts, err = r.activities(ctx, t); err != nil {
			return nil, err
		}
		in.Activities, v.quantity = v.activityInputs(acts, cfg)
		v.notes = append(v.notes, acts.summary())
	}
	pcfg := cfg.config(t.MoneyScale)
	p, err := profit.Compute(in, pcfg)
	switch {
	case errors.Is(err, profit.ErrUnknownActivity), errors.Is(err, profit.ErrConfig):
		return nil, fmt.Errorf("%w: profit: %v (set profit.rates, or profit.ignore_unknown_activities)", ErrConfig, err)
	case err != nil:
		return nil, fmt.Errorf("%w: profit: %v", ErrInput, err)
	}
	v.p = p
	if len(in.Activities) == 0 && len(p.Activities) == 1 {
		orders := make([]float64, t.Len())
		for i, o := range t.Orders {
			orders[i] = float64(o)
		}
		v.quantity = [][]float64{orders}
	}
	if len(p.Ignored) > 0 {
		kept := v.quantity[:0]
		for a, act := range in.Activities {
			if !slices.Contains(p.Ignored, act.Name) {
				kept = append(kept, v.quantity[a])
			}
		}
		v.quantity = kept
		v.notes = append(v.notes, fmt.Sprintf("profit: activities without a rate not costed: %s", strings.Join(p.Ignored, ", ")))
	}
	switch p.COGSSource {
	case profit.COGSMarginRate:
		v.notes = append(v.notes, fmt.Sprintf("profit: no cost column; cost of goods from profit.margin_rate %g", pcfg.MarginRate))
	case profit.COGSNone:
		v.notes = append(v.notes, "profit: no cost column and no profit.margin_rate; cost of goods is 0 and gross margin equals revenue")
	}
	recency := make([]int32, t.Len())
	for i, last := range t.LastPurchase {
		recency[i] = -1
		if last != feature.NoDate {
			recency[i] = r.asOfDay - last
		}
	}
	v.recency = recency
	if v.tiers, err = tier.Assign(t, p, recency, r.cfg.Tiers.config(t.MoneyScale)); err != nil {
		if errors.Is(err, tier.ErrConfig) {
			return nil, fmt.Errorf("%w: tiers: %v", ErrConfig, err)
		}
		return nil, fmt.Errorf("%w: tiers: %v", ErrInput, err)
	}
	return v, nil
}

// activities reads the activity table and checks its share of rejected rows against
// quality.max_rejected_share.
func (r *runner) activities(ctx context.Context, t *feature.Table) (*activityTotals, error) {
	cfg := &r.cfg.Profit
	files, err := input.Resolve(cfg.Activities.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: profit.activities.path: %v", ErrInputMissing, err)
	}
	loc, _ := r.cfg.Location()
	req := activityRequest{
		files: files, columns: cfg.activityColumns(), asOfDay: r.asOfDay, startDay: feature.NoDate,
		location: loc, moneyScale: t.MoneyScale, threads: r.cfg.Limits.Threads, customers: t.CustomerID,
	}
	if n := r.cfg.LookbackDays(); n > 0 {
		req.startDay = r.asOfDay - int32(n) + 1
	}
	acts, err := readActivities(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: %v", ErrInterrupted, err)
		}
		if errors.Is(err, ErrInput) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	c := acts.counts
	if c.read > 0 {
		share, limit := float64(c.rejectedTotal())/float64(c.read), *r.cfg.Quality.MaxRejectedShare
		if share > limit {
			msg := fmt.Sprintf("activity table: %d of %d rows rejected (%.2f%%), above quality.max_rejected_share %.2f%% (%s)",
				c.rejectedTotal(), c.read, 100*share, 100*limit, reasons(c.rejected))
			for _, ex := range acts.examples[:min(5, len(acts.examples))] {
				msg += "\n  " + ex
			}
			return nil, fmt.Errorf("%w: %s", ErrInput, msg)
		}
	}
	return acts, nil
}

// summary accounts for every activity row, for the manifest.
func (a *activityTotals) summary() string {
	c := a.counts
	s := fmt.Sprintf("profit: activity table: %d rows read, %d used, %d after the as-of day, %d before the window, %d of customers without transactions in the window (not attributed), %d rejected",
		c.read, c.used, c.afterAsOf, c.beforeWindow, c.unmatched, c.rejectedTotal())
	if c.rejectedTotal() > 0 {
		s += " (" + reasons(c.rejected) + ")"
	}
	return s
}

func reasons(byReason map[string]int64) string {
	var parts []string
	for reason, n := range byReason {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", reason, n))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// activityInputs turns the activity sums into profit.Activity records and the quantities in
// units. An activity without a rate whose every row carries a direct cost is costed by that
// cost alone; one with a rate by quantity × rate plus any direct cost.
func (v *profitView) activityInputs(acts *activityTotals, cfg *ProfitConfig) ([]profit.Activity, [][]float64) {
	var out []profit.Activity
	var qty [][]float64
	for a, name := range acts.names {
		q := make([]float64, len(acts.quantity[a]))
		for i, micro := range acts.quantity[a] {
			q[i] = float64(micro) / quantityScale
		}
		act := profit.Activity{Name: name, Quantity: q, DirectCost: acts.cost[a]}
		if _, rated := cfg.Rates[name]; !rated && acts.cost[a] != nil && acts.costRows[a] == acts.rows[a] {
			act.Quantity = nil
		}
		out = append(out, act)
		if act.Quantity == nil {
			q = nil
		}
		qty = append(qty, q)
	}
	return out, qty
}

func (v *profitView) warnings() []string { return v.notes }

// customerColumns: revenue … profit as DECIMAL money, margins and ratios (null when revenue
// <= 0), profit rank and cumulative share (null when total profit <= 0), the tier, its reason,
// the next tier and the gaps to it, and the downgrade risk.
func (v *profitView) customerColumns() []pq.Column {
	p, tr, s := v.p, v.tiers, v.scale
	revenuePositive := func(i int) bool { return p.Revenue[i] > 0 }
	sharesDefined := func(int) bool { return p.Whale.SharesDefined }
	names := tierNames(tr)
	return []pq.Column{
		pq.Money("revenue", p.Revenue, s),
		pq.Money("cost_of_goods", p.CostOfGoods, s),
		pq.Money("gross_margin", p.GrossMargin, s),
		pq.Money("cost_to_serve", p.CostToServe, s),
		pq.Money("profit", p.Profit, s),
		pq.OptionalFloat64("profit_margin", p.ProfitMargin, revenuePositive),
		pq.OptionalFloat64("cost_to_serve_ratio", p.CostToServeRatio, revenuePositive),
		pq.Int64("profit_rank", p.ProfitRank),
		pq.OptionalFloat64("cum_profit_share", p.CumProfitShare, sharesDefined),
		pq.String("tier", names),
		pq.Text("tier_reason", tr.Reason),
		pq.OptionalString("next_tier", tr.NextTier),
		pq.Money("next_tier_gap", tr.NextTierGap, s),
		pq.Money("next_tier_revenue_gap", tr.NextTierRevenue, s),
		pq.Money("downgrade_risk", tr.DowngradeRisk, s),
	}
}

// profitMajor returns profit in currency units, for the clusters.
func (v *profitView) profitMajor() []float64 {
	if v == nil {
		return nil
	}
	out := make([]float64, len(v.p.Profit))
	unit := math.Pow10(v.scale)
	for i, x := range v.p.Profit {
		out[i] = float64(x) / unit
	}
	return out
}

func (v *profitView) tables() []table {
	return []table{v.tierTable(), v.costToServeTable()}
}

// tierTable has one row per tier, best first (tier_rank 1): the pyramid (customer_share)
// beside the inverted pyramid (profit_share). Its money columns sum to the customer columns'
// totals exactly.
func (v *profitView) tierTable() table {
	sum := v.tiers.Summary
	n := len(sum)
	rank := make([]int32, n)
	names := make([]string, n)
	customers := make([]int64, n)
	revenue, gm, cts, prof := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	shares := make([][]float64, 5)
	for j := range shares {
		shares[j] = make([]float64, n)
	}
	means := make([][]float64, 3)
	for j := range means {
		means[j] = make([]float64, n)
	}
	for k, s := range sum {
		rank[k], names[k], customers[k] = int32(k+1), s.Tier, s.Customers
		revenue[k], gm[k], cts[k], prof[k] = s.Revenue, s.GrossMargin, s.CostToServe, s.Profit
		for j, x := range []float64{s.CustomerShare, s.RevenueShare, s.GrossMarginShare, s.CostToServeShare, s.ProfitShare} {
			shares[j][k] = x
		}
		means[0][k], means[1][k], means[2][k] = s.MeanRecencyDays, s.MeanFrequency, s.MeanMonetary/math.Pow10(v.scale)
	}
	nonEmpty := func(k int) bool { return customers[k] > 0 }
	return table{TableTiers, n, []pq.Column{
		pq.ConstDate("as_of", v.asOfDay),
		pq.Int32("tier_rank", rank),
		pq.String("tier", names),
		pq.Int64("customers", customers),
		pq.Float64("customer_share", shares[0]),
		pq.Money("revenue", revenue, v.scale),
		pq.Float64("revenue_share", shares[1]),
		pq.Money("gross_margin", gm, v.scale),
		pq.Float64("gross_margin_share", shares[2]),
		pq.Money("cost_to_serve", cts, v.scale),
		pq.Float64("cost_to_serve_share", shares[3]),
		pq.Money("profit", prof, v.scale),
		pq.Float64("profit_share", shares[4]),
		pq.OptionalFloat64("mean_recency_days", means[0], nonEmpty),
		pq.OptionalFloat64("mean_frequency", means[1], nonEmpty),
		pq.OptionalFloat64("mean_monetary", means[2], nonEmpty),
	}}
}

// costToServeTable holds cost to serve in long form at two grains: grain "tier" (one row per
// tier and activity, every pair) and grain "customer" (one row per customer and activity with
// a quantity or cost, customer_id set; unless profit.customer_cost_to_serve is false). Quantity
// is null for an activity costed by its direct
// cost alone.
func (v *profitView) costToServeTable() table {
	p, tr := v.p, v.tiers
	tierRows := len(tr.Summary) * len(p.Activities)
	// A row is (who, activity): who < 0 is tier −1−who, else a customer index; every cell is
	// computed from the pair as it is written.
	var who []int32
	var act []int32
	if v.perCustomer {
		// Customer i has a row of activity a when it has a cost or a quantity of it.
		used := func(a, i int) bool { return p.ActivityCost[a][i] != 0 || v.quantity[a] != nil && v.quantity[a][i] != 0 }
		rows := 0
		for a := range p.Activities {
			for i := range v.t.CustomerID {
				if used(a, i) {
					rows++
				}
			}
		}
		who, act = make([]int32, 0, rows), make([]int32, 0, rows)
		for i := range v.t.CustomerID {
			for a := range p.Activities {
				if used(a, i) {
					who, act = append(who, int32(i)), append(act, int32(a))
				}
			}
		}
	}
	tierQuantity := make([][]float64, len(tr.Summary)) // [tier][activity]
	for k := range tierQuantity {
		tierQuantity[k] = make([]float64, len(p.Activities))
	}
	for a, q := range v.quantity {
		for i, x := range q {
			tierQuantity[tr.Tier[i]][a] += x
		}
	}
	na := len(p.Activities)
	// at returns row r's tier index (k, for a tier row) or customer (i ≥ 0), and activity.
	at := func(r int) (k, i, a int) {
		if r < tierRows {
			return r / na, -1, r % na
		}
		r -= tierRows
		return -1, int(who[r]), int(act[r])
	}
	return table{TableCostToServe, tierRows + len(who), []pq.Column{
		pq.ConstDate("as_of", v.asOfDay),
		pq.StringFunc("grain", func(r int) string {
			if r < tierRows {
				return "tier"
			}
			return "customer"
		}),
		pq.StringFunc("tier", func(r int) string {
			if k, i, _ := at(r); i < 0 {
				return tr.Summary[k].Tier
			} else {
				return tr.Tiers[tr.Tier[i]]
			}
		}),
		pq.OptionalKeyFunc("customer_id", func(r int) (string, bool) {
			if _, i, _ := at(r); i >= 0 {
				return v.t.CustomerID[i], true
			}
			return "", false
		}),
		pq.StringFunc("activity", func(r int) string { _, _, a := at(r); return p.Activities[a] }),
		pq.OptionalFloat64Func("quantity", func(r int) (float64, bool) {
			k, i, a := at(r)
			switch {
			case v.quantity[a] == nil:
				return 0, false
			case i < 0:
				return tierQuantity[k][a], true
			}
			return v.quantity[a][i], true
		}),
		pq.MoneyFunc("cost", v.scale, func(r int) int64 {
			if k, i, a := at(r); i < 0 {
				return tr.Summary[k].ActivityCost[a]
			} else {
				return p.ActivityCost[a][i]
			}
		}),
	}}
}

// paretoRow is one row of the pareto table.
type paretoRow struct {
	curve, metric        string
	customerShare, value float64
}

// paretoRows is the whale curve: curve "whale", metric "profit_share", 101 points of the
// cumulative profit share of the customers ranked by profit; and the summary rows
// whale_peak_customer_share, whale_peak_profit_share (at the peak's customer share) and
// profit_destroyed (currency units), plus total_profit. Shares are 0 when total profit <= 0.
func (v *profitView) paretoRows() []paretoRow {
	w := v.p.Whale
	unit := math.Pow10(v.scale)
	rows := []paretoRow{
		{"summary", "total_profit", 0, float64(v.p.Totals.Profit) / unit},
		{"summary", "whale_peak_customer_share", w.PeakCustomerShare, w.PeakCustomerShare},
		{"summary", "whale_peak_profit_share", w.PeakCustomerShare, w.PeakProfitShare},
		{"summary", "profit_destroyed", 0, float64(w.Destroyed) / unit},
	}
	for _, pt := range w.Points {
		rows = append(rows, paretoRow{"whale", "profit_share", pt.CustomerShare, pt.ProfitShare})
	}
	return rows
}

// extraParetoRows collects the pareto rows of the views that have some.
func extraParetoRows(views []view) []paretoRow {
	var rows []paretoRow
	for _, v := range views {
		if pv, ok := v.(interface{ paretoRows() []paretoRow }); ok {
			rows = append(rows, pv.paretoRows()...)
		}
	}
	return rows
}

// TierShare is one tier of a committed date's pyramid: its share of the customers beside its
// share of the profit.
type TierShare struct {
	Tier          string  `parquet:"tier"`
	Customers     int64   `parquet:"customers"`
	CustomerShare float64 `parquet:"customer_share"`
	ProfitShare   float64 `parquet:"profit_share"`
}

// WhalePeak is the top of a committed date's whale curve: the most profitable
// CustomerShare of the customers make ProfitShare of the profit; the rest destroy
// ProfitDestroyed (currency units).
type WhalePeak struct {
	CustomerShare, ProfitShare, ProfitDestroyed float64
}

// ReadPyramid reads the tiers, best first, and the whale peak of a committed date from the
// tiers and pareto tables.
func ReadPyramid(outDir, date string) ([]TierShare, WhalePeak, error) {
	var peak WhalePeak
	tiers, err := parquet.ReadFile[TierShare](filepath.Join(PartitionDir(outDir, TableTiers, date), dataFile))
	if err != nil {
		return nil, peak, err
	}
	type paretoRow struct {
		Metric string  `parquet:"metric"`
		Value  float64 `parquet:"value"`
	}
	rows, err := parquet.ReadFile[paretoRow](filepath.Join(PartitionDir(outDir, TablePareto, date), dataFile))
	if err != nil {
		return nil, peak, err
	}
	for _, r := range rows {
		switch r.Metric {
		case "whale_peak_customer_share":
			peak.CustomerShare = r.Value
		case "whale_peak_profit_share":
			peak.ProfitShare = r.Value
		case "profit_destroyed":
			peak.ProfitDestroyed = r.Value
		}
	}
	return tiers, peak, nil
}
