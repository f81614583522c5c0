package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
	"github.com/rfmjob/rfm/analytics/quality"
	"github.com/rfmjob/rfm/analytics/tier"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/native"
	"github.com/rfmjob/rfm/jobs/outputs"
)

// profit prices every customer (cost of goods, cost to serve from the activity table or the
// order cost, profit) and assigns the earned tiers. The activity table is read over the same
// as-of day, lookback window and time zone as the transactions. It returns nil when the view is
// off, and the manifest's notes.
func (a *analysis) profit(ctx context.Context, t *feature.Table) (*outputs.Profit, []string, error) {
	cfg := &a.cfg.Profit
	if !cfg.On() {
		return nil, nil, nil
	}
	v := &outputs.Profit{PerCustomer: cfg.CustomerCostToServe == nil || *cfg.CustomerCostToServe}
	var notes []string
	in := profit.Input{Table: t}
	if cfg.Activities.Path != "" {
		acts, err := a.activities(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		in.Activities, v.Quantity = activityInputs(acts, cfg)
		notes = append(notes, activitySummary(acts.Counts))
	}
	pcfg := cfg.Analytics(t.MoneyScale)
	p, err := profit.Compute(in, pcfg)
	switch {
	case errors.Is(err, profit.ErrUnknownActivity), errors.Is(err, profit.ErrConfig):
		return nil, nil, fmt.Errorf("%w: profit: %w (set profit.rates, or profit.ignore_unknown_activities)", ErrConfig, err)
	case err != nil:
		return nil, nil, fmt.Errorf("%w: profit: %w", ErrInput, err)
	}
	v.Result = p
	if len(in.Activities) == 0 && len(p.Activities) == 1 {
		orders := make([]float64, t.Len())
		for i, o := range t.Orders {
			orders[i] = float64(o)
		}
		v.Quantity = [][]float64{orders}
	}
	if len(p.Ignored) > 0 {
		kept := v.Quantity[:0]
		for a, act := range in.Activities {
			if !slices.Contains(p.Ignored, act.Name) {
				kept = append(kept, v.Quantity[a])
			}
		}
		v.Quantity = kept
		notes = append(notes, fmt.Sprintf("profit: activities without a rate not costed: %s", strings.Join(p.Ignored, ", ")))
	}
	switch p.COGSSource {
	case profit.COGSMarginRate:
		notes = append(notes, fmt.Sprintf("profit: no cost column; cost of goods from profit.margin_rate %g", pcfg.MarginRate))
	case profit.COGSNone:
		notes = append(notes, "profit: no cost column and no profit.margin_rate; cost of goods is 0 and gross margin equals revenue")
	}
	if v.Tiers, err = tier.Assign(t, p, t.RecencyDays(a.asOfDay), a.cfg.Tiers.Analytics(t.MoneyScale)); err != nil {
		if errors.Is(err, tier.ErrConfig) {
			return nil, nil, fmt.Errorf("%w: tiers: %w", ErrConfig, err)
		}
		return nil, nil, fmt.Errorf("%w: tiers: %w", ErrInput, err)
	}
	return v, notes, nil
}

// activities reads the activity table with the native engine's reader and checks its share of
// rejected rows against quality.max_rejected_share.
func (a *analysis) activities(ctx context.Context, t *feature.Table) (*native.ActivityTotals, error) {
	cfg := &a.cfg.Profit
	files, err := input.Resolve(cfg.Activities.Path)
	if err != nil {
		return nil, fmt.Errorf("profit.activities.path: %w", resolveError(err))
	}
	loc, _ := a.cfg.Location()
	cols := cfg.ActivityColumns()
	req := native.ActivityRequest{
		Files:   files,
		Columns: native.ActivityColumns{CustomerID: cols.CustomerID, Timestamp: cols.Timestamp, Activity: cols.Activity, Quantity: cols.Quantity, Cost: cols.Cost},
		AsOfDay: a.asOfDay, StartDay: feature.WindowStart(a.asOfDay, a.cfg.LookbackDays()),
		Location: loc, MoneyScale: t.MoneyScale, Threads: a.cfg.Limits.Threads, Customers: t.CustomerID,
	}
	acts, err := native.ReadActivities(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: %w", ErrInterrupted, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	c := acts.Counts
	if err := quality.Check("activity table", c.Read, c.Rejected, *a.cfg.Quality.MaxRejectedShare); err != nil {
		shown := acts.Examples[:min(5, len(acts.Examples))]
		return nil, rejectedError(err, shown, int(c.RejectedTotal())-len(shown))
	}
	return acts, nil
}

// activitySummary accounts for every activity row, for the manifest.
func activitySummary(c native.ActivityCounts) string {
	s := fmt.Sprintf("profit: activity table: %d rows read, %d used, %d after the as-of day, %d before the window, %d of customers without transactions in the window (not attributed), %d rejected",
		c.Read, c.Used, c.AfterAsOf, c.BeforeWindow, c.Unmatched, c.RejectedTotal())
	if c.RejectedTotal() > 0 {
		s += " (" + quality.Reasons(c.Rejected) + ")"
	}
	return s
}

// activityInputs turns the activity sums into profit.Activity records and the quantities in
// units. An activity without a rate whose every row carries a direct cost is costed by that
// cost alone; one with a rate by quantity × rate plus any direct cost.
func activityInputs(acts *native.ActivityTotals, cfg *config.ProfitConfig) ([]profit.Activity, [][]float64) {
	var out []profit.Activity
	var qty [][]float64
	for a, name := range acts.Names {
		q := make([]float64, len(acts.Quantity[a]))
		for i, micro := range acts.Quantity[a] {
			q[i] = float64(micro) / native.QuantityScale
		}
		act := profit.Activity{Name: name, Quantity: q, DirectCost: acts.Cost[a]}
		if _, rated := cfg.Rates[name]; !rated && acts.Cost[a] != nil && acts.CostRows[a] == acts.Rows[a] {
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
