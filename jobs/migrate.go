package jobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/migration"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

// migration compares the date with the previous one of its series. The previous customers are
// read from its committed output, or computed in memory (migration.missing_previous). With
// status protection it also decides the tier each customer holds (outputs.Held); the earned
// tiers are never changed.
func (a *analysis) migration(ctx context.Context, d *outputs.Date) (*outputs.Migration, []string, error) {
	if a.prevDay == feature.NoDate {
		return nil, nil, nil
	}
	cfg, t, s := a.cfg.Migration, d.Features, d.Scores
	prevDate := FormatDay(a.prevDay)
	prev, err := a.previous(ctx, prevDate)
	if errors.Is(err, errSkipped) {
		return &outputs.Migration{PrevDay: a.prevDay}, []string{fmt.Sprintf("migration skipped: the previous date %s has no committed output", prevDate)}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	v := &outputs.Migration{PrevDay: a.prevDay}
	cur := &migration.Period{CustomerID: t.CustomerID, Segment: s.Segment, Revenue: t.Monetary}
	ladder := migration.Ladder{"customer"}
	prevPeriod := &migration.Period{CustomerID: prev.CustomerID, Segment: prev.Segment, Revenue: prev.Monetary}
	if pv := d.Profit; pv != nil && prev.Tier != nil {
		v.HasTiers = true
		tr := pv.Tiers
		ladder = migration.Ladder(tr.Tiers)
		cur.Tier, cur.Revenue, cur.Profit = tierNames(tr.Tiers, tr.Tier), pv.Result.Revenue, pv.Result.Profit
		prevPeriod.Tier, prevPeriod.Profit = prev.Tier, prev.Profit
		if cfg.Protects() {
			if v.Held, err = protect(cfg, ladder, prev, cur, tr.Reason); err != nil {
				return nil, nil, err
			}
			cur.Tier = tierNames(tr.Tiers, v.Held.Tier)
		}
	} else {
		cur.Tier = slices.Repeat([]string{"customer"}, t.Len())
		prevPeriod.Tier = slices.Repeat([]string{"customer"}, prev.Len())
	}
	// A customer absent from the previous output whose first purchase predates it had bought
	// before: they returned. Exact with all-history windows. Only customers absent from it are
	// asked about, so only they are indexed (a set of every customer took 0.2 s at 1M).
	seen := map[string]bool{}
	for i, j := range migration.Align(prev.CustomerID, t.CustomerID) {
		if j < 0 && t.FirstPurchase[i] != feature.NoDate && t.FirstPurchase[i] <= a.prevDay {
			seen[t.CustomerID[i]] = true
		}
	}
	v.Result, err = migration.Compare(prevPeriod, cur, ladder, migration.Options{
		Segments:   s.Config.SegmentNames(),
		SeenBefore: func(id string) bool { return seen[id] },
	})
	if err != nil {
		return nil, nil, fmt.Errorf("migration from %s: %w", prevDate, err)
	}
	return v, nil, nil
}

// errSkipped: the previous date has no output and migration.missing_previous is skip.
var errSkipped = errors.New("previous date skipped")

// previous returns the previous date's customers: those the caller handed over (a series,
// from the date it committed just before), else read from its committed output when it has a
// manifest (an unreadable one is an error unless its customers file is missing too), else
// computed in memory.
func (a *analysis) previous(ctx context.Context, prevDate string) (*outputs.Customers, error) {
	if a.previousCustomers != nil {
		return a.previousCustomers, nil
	}
	dir := a.cfg.Output.Dir
	_, merr := store.ReadManifest(dir, prevDate)
	err := merr
	if !errors.Is(merr, fs.ErrNotExist) {
		prev, cerr := outputs.ReadCustomers(store.TablePath(dir, outputs.TableCustomers, prevDate))
		switch {
		case cerr != nil:
			err = cerr
		case merr == nil:
			return prev, nil
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: previous date %s: %w", ErrInput, prevDate, err)
	}
	switch a.cfg.Migration.MissingPrevious {
	case "fail":
		return nil, fmt.Errorf("%w: the previous date %s has no committed output; run it first (rfm backfill --from %s --to %s)", ErrInput, prevDate, prevDate, prevDate)
	case "skip":
		return nil, errSkipped
	}
	prev, err := a.computePrevious(ctx)
	if err != nil {
		return nil, fmt.Errorf("computing the previous date %s: %w", prevDate, err)
	}
	return prev, nil
}

// computePrevious computes the customers, segments and tiers of the previous date in memory,
// the way that date's own run does (same input, config and engine, tiers from clusters when the
// tier method says so), from the series' aggregation of it when the run is given that. Held statuses are not known this way: with status protection the chain
// restarts from earned tiers.
func (a *analysis) computePrevious(ctx context.Context) (*outputs.Customers, error) {
	pa := &analysis{cfg: a.cfg, asOfDay: a.prevDay, prevDay: feature.NoDate, eng: a.eng, files: a.files, logger: a.logger,
		lap: func(ctx context.Context, _ string) error { return ctx.Err() }}
	res := a.prior
	if res == nil {
		var err error
		if res, err = aggregate(ctx, a.eng, a.cfg.Request(a.files, a.prevDay)); err != nil {
			return nil, err
		}
	}
	d, err := pa.base(ctx, res)
	if err != nil {
		return nil, err
	}
	t := d.Features
	c := &outputs.Customers{CustomerID: t.CustomerID, Segment: d.Scores.Segment, Monetary: t.Monetary, MoneyScale: t.MoneyScale}
	if !a.cfg.Profit.On() {
		return c, nil
	}
	// The clusters are computed only when the tiers come from them.
	if a.cfg.Tiers.Method == "clusters" {
		_, _, err = pa.tiers(ctx, d)
	} else {
		d.Profit, _, err = pa.profit(ctx, t)
	}
	if err != nil {
		return nil, err
	}
	c.Tier, c.Profit = tierNames(d.Profit.Tiers.Tiers, d.Profit.Tiers.Tier), d.Profit.Result.Profit
	return c, nil
}

// protect applies the grace rules: each customer's held tier, and the reason with why
// protection applied where it did.
func protect(cfg config.MigrationConfig, ladder migration.Ladder, prev *outputs.Customers, cur *migration.Period, earnedReason []string) (*outputs.Held, error) {
	rows := migration.Align(prev.CustomerID, cur.CustomerID)
	held := make([]string, len(rows))
	below := make([]int32, len(rows))
	for i, j := range rows {
		if j >= 0 {
			held[i] = prev.Tier[j]
			if prev.TierPeriodsBelow != nil {
				below[i] = prev.TierPeriodsBelow[j]
			}
		}
	}
	tiers, periods, reasons, err := migration.Protection{PeriodsBelow: cfg.PeriodsBelow, MaxDrop: cfg.MaxDrop}.Protect(ladder, held, below, cur.Tier)
	if err != nil {
		return nil, fmt.Errorf("status protection: %w", err)
	}
	h := &outputs.Held{Tier: make([]int32, len(tiers)), Reason: slices.Clone(earnedReason), Earned: cur.Tier, PeriodsBelow: periods}
	index := map[string]int32{}
	for k, name := range ladder {
		index[name] = int32(k)
	}
	for i := range tiers {
		h.Tier[i] = index[tiers[i]]
		if tiers[i] != cur.Tier[i] {
			h.Reason[i] += "; status " + tiers[i] + " protected: " + reasons[i]
		}
	}
	return h, nil
}

// tierNames is each customer's tier by name.
func tierNames(names []string, tierOf []int32) []string {
	out := make([]string, len(tierOf))
	for i, k := range tierOf {
		out[i] = names[k]
	}
	return out
}
