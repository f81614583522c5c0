package outputs

import (
	"math"

	"github.com/rfmjob/rfm/analytics/tier"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// profitColumns: revenue … profit as DECIMAL money, margins and ratios (null when revenue
// <= 0), profit rank and cumulative share (null when total profit <= 0), the tier held (tier, its reason),
// the next tier and the gaps to it, and the downgrade risk.
func (d *Date) profitColumns() []pq.Column {
	p, tr, s := d.Profit.Result, d.Profit.Tiers, d.Features.MoneyScale
	revenuePositive := func(i int) bool { return p.Revenue[i] > 0 }
	sharesDefined := func(int) bool { return p.Whale.SharesDefined }
	names, reasons := tierNames(tr.Tiers, d.TierOf()), tr.Reason
	if h := d.heldTiers(); h != nil {
		reasons = h.Reason
	}
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
		pq.Text("tier_reason", reasons),
		pq.OptionalString("next_tier", tr.NextTier),
		pq.Money("next_tier_gap", tr.NextTierGap, s),
		pq.Money("next_tier_revenue_gap", tr.NextTierRevenue, s),
		pq.Money("downgrade_risk", tr.DowngradeRisk, s),
	}
}

// tierTable has one row per earned tier, best first (tier_rank 1): the pyramid
// (customer_share) beside the inverted pyramid (profit_share). Its money columns sum to the
// customer columns' totals exactly.
func (d *Date) tierTable() Table {
	sum, scale := d.Profit.Tiers.Summary, d.Features.MoneyScale
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
		means[0][k], means[1][k], means[2][k] = s.MeanRecencyDays, s.MeanFrequency, s.MeanMonetary/math.Pow10(scale)
	}
	nonEmpty := func(k int) bool { return customers[k] > 0 }
	return Table{TableTiers, n, []pq.Column{
		pq.ConstDate("as_of", d.AsOfDay),
		pq.Int32("tier_rank", rank),
		pq.String("tier", names),
		pq.Int64("customers", customers),
		pq.Float64("customer_share", shares[0]),
		pq.Money("revenue", revenue, scale),
		pq.Float64("revenue_share", shares[1]),
		pq.Money("gross_margin", gm, scale),
		pq.Float64("gross_margin_share", shares[2]),
		pq.Money("cost_to_serve", cts, scale),
		pq.Float64("cost_to_serve_share", shares[3]),
		pq.Money("profit", prof, scale),
		pq.Float64("profit_share", shares[4]),
		pq.OptionalFloat64("mean_recency_days", means[0], nonEmpty),
		pq.OptionalFloat64("mean_frequency", means[1], nonEmpty),
		pq.OptionalFloat64("mean_monetary", means[2], nonEmpty),
	}}
}

// costToServeTable holds cost to serve in long form at two grains, by earned tier like the
// tiers table: grain "tier" (one row per tier and activity, every pair) and grain "customer" (one row per customer and activity with
// a quantity or cost, customer_id set; unless profit.customer_cost_to_serve is false). Quantity
// is null for an activity costed by its direct
// cost alone.
func (d *Date) costToServeTable() Table {
	v, scale := d.Profit, d.Features.MoneyScale
	p, tr := v.Result, v.Tiers
	tierRows := len(tr.Summary) * len(p.Activities)
	// A row is (who, activity): who < 0 is tier −1−who, else a customer index; every cell is
	// computed from the pair as it is written.
	var who []int32
	var act []int32
	if v.PerCustomer {
		// Customer i has a row of activity a when it has a cost or a quantity of it.
		used := func(a, i int) bool { return p.ActivityCost[a][i] != 0 || v.Quantity[a] != nil && v.Quantity[a][i] != 0 }
		rows := 0
		for a := range p.Activities {
			for i := range d.Features.CustomerID {
				if used(a, i) {
					rows++
				}
			}
		}
		who, act = make([]int32, 0, rows), make([]int32, 0, rows)
		for i := range d.Features.CustomerID {
			for a := range p.Activities {
				if used(a, i) {
					who, act = append(who, int32(i)), append(act, int32(a))
				}
			}
		}
	}
	tierQuantity := tier.SumByTier(tr.Tier, len(tr.Summary), v.Quantity) // [tier][activity]
	na := len(p.Activities)
	// at returns row r's tier index (k, for a tier row) or customer (i ≥ 0), and activity.
	at := func(r int) (k, i, a int) {
		if r < tierRows {
			return r / na, -1, r % na
		}
		r -= tierRows
		return -1, int(who[r]), int(act[r])
	}
	return Table{TableCostToServe, tierRows + len(who), []pq.Column{
		pq.ConstDate("as_of", d.AsOfDay),
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
				return d.Features.CustomerID[i], true
			}
			return "", false
		}),
		pq.StringFunc("activity", func(r int) string { _, _, a := at(r); return p.Activities[a] }),
		pq.OptionalFloat64Func("quantity", func(r int) (float64, bool) {
			k, i, a := at(r)
			switch {
			case v.Quantity[a] == nil:
				return 0, false
			case i < 0:
				return tierQuantity[k][a], true
			}
			return v.Quantity[a][i], true
		}),
		pq.MoneyFunc("cost", scale, func(r int) int64 {
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

// whaleRows is the whale curve: curve "whale", metric "profit_share", 101 points of the
// cumulative profit share of the customers ranked by profit; and the summary rows
// whale_peak_customer_share, whale_peak_profit_share (at the peak's customer share) and
// profit_destroyed (currency units), plus total_profit. Shares are 0 when total profit <= 0.
func (d *Date) whaleRows() []paretoRow {
	w := d.Profit.Result.Whale
	unit := math.Pow10(d.Features.MoneyScale)
	rows := []paretoRow{
		{"summary", "total_profit", 0, float64(d.Profit.Result.Totals.Profit) / unit},
		{"summary", "whale_peak_customer_share", w.PeakCustomerShare, w.PeakCustomerShare},
		{"summary", "whale_peak_profit_share", w.PeakCustomerShare, w.PeakProfitShare},
		{"summary", "profit_destroyed", 0, float64(w.Destroyed) / unit},
	}
	for _, pt := range w.Points {
		rows = append(rows, paretoRow{"whale", "profit_share", pt.CustomerShare, pt.ProfitShare})
	}
	return rows
}

// heldTiers is the status protection outcome, nil without it.
func (d *Date) heldTiers() *Held {
	if d.Migration == nil {
		return nil
	}
	return d.Migration.Held
}

// tierNames is each customer's tier by name.
func tierNames(names []string, tierOf []int32) []string {
	out := make([]string, len(tierOf))
	for i, k := range tierOf {
		out[i] = names[k]
	}
	return out
}
