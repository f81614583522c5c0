package jobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/migration"
	"github.com/rfmjob/rfm/analytics/rfm"
	"github.com/rfmjob/rfm/analytics/tier"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// MigrationConfig configures how customers moving between tiers and segments are tracked from
// one date of a series (backfill or schedule, or `rfm run --previous-as-of`) to the next.
type MigrationConfig struct {
	// MissingPrevious is what happens when the previous date has no committed output:
	// compute (default: its tiers and segments are computed in memory from the same input,
	// exactly as its own run would, so a date's outputs do not depend on the order dates run
	// in), skip (the migration columns stay null and the manifest says why) or fail.
	MissingPrevious string `yaml:"missing_previous"`
	// PeriodsBelow and MaxDrop are status protection (grace rules, as airline programmes
	// have): a customer keeps the tier they hold until they have earned a lower one for
	// PeriodsBelow consecutive periods (0 or 1: drop at once), and drops at most MaxDrop tiers
	// per period (0: no limit). Promotions are never delayed.
	PeriodsBelow int `yaml:"periods_below"`
	MaxDrop      int `yaml:"max_drop"`
}

// TableMigration holds the tier × tier and segment × segment matrices and the flows in and out
// of the customer base.
const TableMigration = "migration"

func (c MigrationConfig) protects() bool { return c.PeriodsBelow > 1 || c.MaxDrop > 0 }

func (c MigrationConfig) validate() error {
	var errs []error
	switch c.MissingPrevious {
	case "", "compute", "skip", "fail":
	default:
		errs = append(errs, fmt.Errorf("migration.missing_previous is %q, want compute, skip or fail", c.MissingPrevious))
	}
	if c.PeriodsBelow < 0 || c.MaxDrop < 0 {
		errs = append(errs, fmt.Errorf("migration.periods_below and max_drop must be ≥ 0"))
	}
	return errors.Join(errs...)
}

type migrationView struct {
	asOfDay  int32
	prevDay  int32
	scale    int
	res      *migration.Result
	hasTiers bool
	// With status protection: the tier earned this period (the tier column then holds the
	// protected status) and the consecutive periods below the held tier.
	earned       []string
	periodsBelow []int32
	note         string
}

// migrationStage compares this date with opts.Previous. It may change the profit view's tiers:
// with status protection, a customer's tier is the one they hold after the grace rules, the
// earned tier is kept beside it, and tier_reason says when protection applied.
func (r *runner) migrationStage(ctx context.Context, t *feature.Table, s *rfm.Scores, pv *profitView) (*migrationView, error) {
	prevDate := r.opts.Previous
	if prevDate == "" {
		return nil, nil
	}
	cfg := r.cfg.Migration
	prevDay, _ := ParseDay(prevDate) // Run checked it
	v := &migrationView{asOfDay: r.asOfDay, prevDay: prevDay, scale: t.MoneyScale}
	// The previous customers are read only when the date has a manifest (or one that cannot be
	// read, whose error is then reported unless the customers file is missing too).
	var prev *pq.Customers
	_, err := ReadManifest(r.cfg.Output.Dir, prevDate)
	if !errors.Is(err, fs.ErrNotExist) {
		var cerr error
		if prev, cerr = pq.ReadCustomers(filepath.Join(PartitionDir(r.cfg.Output.Dir, TableCustomers, prevDate), dataFile)); cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: previous date %s: %v", ErrInput, prevDate, err)
		}
		switch cfg.MissingPrevious {
		case "fail":
			return nil, fmt.Errorf("%w: the previous date %s has no committed output; run it first (rfm backfill --from %s --to %s)", ErrInput, prevDate, prevDate, prevDate)
		case "skip":
			v.note = fmt.Sprintf("migration skipped: the previous date %s has no committed output", prevDate)
			return v, nil
		}
		if prev, err = r.computePrevious(ctx, prevDay); err != nil {
			return nil, fmt.Errorf("computing the previous date %s: %w", prevDate, err)
		}
	}

	cur := &migration.Period{CustomerID: t.CustomerID, Segment: s.Segment, Revenue: t.Monetary}
	ladder := migration.Ladder{"customer"}
	prevPeriod := &migration.Period{CustomerID: prev.CustomerID, Segment: prev.Segment, Revenue: prev.Monetary}
	if pv != nil && prev.Tier != nil {
		v.hasTiers = true
		tr := pv.tiers
		ladder = migration.Ladder(tr.Tiers)
		cur.Tier, cur.Revenue, cur.Profit = tierNames(tr), pv.p.Revenue, pv.p.Profit
		prevPeriod.Tier, prevPeriod.Profit = prev.Tier, prev.Profit
		if cfg.protects() {
			if err := v.protect(cfg, ladder, prev, cur, pv); err != nil {
				return nil, err
			}
		}
	} else {
		cur.Tier = slices.Repeat([]string{"customer"}, t.Len())
		prevPeriod.Tier = slices.Repeat([]string{"customer"}, prev.Len())
	}
	seen := map[string]bool{}
	for i, id := range t.CustomerID {
		// A customer absent from the previous output whose first purchase predates it had
		// bought before: they returned. Exact with all-history windows.
		if t.FirstPurchase[i] != feature.NoDate && t.FirstPurchase[i] <= prevDay {
			seen[id] = true
		}
	}
	v.res, err = migration.Compare(prevPeriod, cur, ladder, migration.Options{
		Segments:   s.Config.SegmentNames(),
		SeenBefore: func(id string) bool { return seen[id] },
	})
	if err != nil {
		return nil, fmt.Errorf("migration from %s: %w", prevDate, err)
	}
	return v, nil
}

// computePrevious computes the customers, segments and tiers of prevDay in memory, the way
// that date's own run does (same input, config and engine). Held statuses are not known this
// way: with status protection the chain restarts from earned tiers.
func (r *runner) computePrevious(ctx context.Context, prevDay int32) (*pq.Customers, error) {
	pr := &runner{cfg: r.cfg, asOf: FormatDay(prevDay), asOfDay: prevDay, opts: RunOptions{Logger: r.opts.Logger}, last: time.Now()}
	req := pr.request(r.files)
	res, err := engineFor(r.cfg).Aggregate(ctx, req)
	if err != nil {
		return nil, err
	}
	t := res.Features
	scores, err := rfm.Score(t, prevDay, pr.scoringConfig())
	if err != nil {
		return nil, err
	}
	c := &pq.Customers{CustomerID: t.CustomerID, Segment: scores.Segment, Monetary: t.Monetary, MoneyScale: t.MoneyScale}
	pv, err := pr.profitStage(ctx, t)
	if err != nil {
		return nil, err
	}
	if pv != nil {
		c.Tier, c.Profit = tierNames(pv.tiers), pv.p.Profit
	}
	return c, nil
}

// tierNames is each customer's tier by name.
func tierNames(tr *tier.Result) []string {
	names := make([]string, len(tr.Tier))
	for i, k := range tr.Tier {
		names[i] = tr.Tiers[k]
	}
	return names
}

// protect applies the grace rules and writes the held tiers into the profit view.
func (v *migrationView) protect(cfg MigrationConfig, ladder migration.Ladder, prev *pq.Customers, cur *migration.Period, pv *profitView) error {
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
		return fmt.Errorf("status protection: %w", err)
	}
	v.earned, v.periodsBelow = cur.Tier, periods
	index := map[string]int32{}
	for k, name := range pv.tiers.Tiers {
		index[name] = int32(k)
	}
	for i := range tiers {
		if tiers[i] != cur.Tier[i] {
			pv.tiers.Tier[i] = index[tiers[i]]
			pv.tiers.Reason[i] = pv.tiers.Reason[i] + "; status " + tiers[i] + " protected: " + reasons[i]
		}
	}
	cur.Tier = tiers
	return nil
}

func (v *migrationView) warnings() []string {
	if v.note == "" {
		return nil
	}
	return []string{v.note}
}

func (v *migrationView) customerColumns() []pq.Column {
	if v.res == nil {
		return nil
	}
	change := make([]string, len(v.res.TierChange))
	for i, c := range v.res.TierChange {
		change[i] = string(c)
	}
	cols := []pq.Column{pq.OptionalString("segment_prev", v.res.SegmentPrev)}
	if v.hasTiers {
		cols = append(cols, pq.OptionalString("tier_prev", v.res.TierPrev), pq.String("tier_change", change))
	} else {
		// Without tiers, the change is still whether the customer is new, returned or stayed.
		cols = append(cols, pq.String("base_change", change))
	}
	if v.earned != nil {
		cols = append(cols, pq.String("tier_earned", v.earned), pq.Int32("tier_periods_below", v.periodsBelow))
	}
	return cols
}

// tables writes one long table: kind "tier" and "segment" rows are matrix cells (from → to,
// "(outside)" for customers not in a period's base), kind "flow" rows sum each change (up,
// same, down, new, returned, lapsed) with the change in from.
func (v *migrationView) tables() []table {
	if v.res == nil {
		return nil
	}
	var kind, from, to []string
	var customers, revPrev, rev, profPrev, prof []int64
	add := func(k, f, t string, c migration.Cell) {
		kind, from, to = append(kind, k), append(from, f), append(to, t)
		customers, revPrev, rev = append(customers, c.Customers), append(revPrev, c.RevenuePrev), append(rev, c.Revenue)
		profPrev, prof = append(profPrev, c.ProfitPrev), append(prof, c.Profit)
	}
	addMatrix := func(k string, m migration.Matrix) {
		for i, f := range m.States {
			for j, t := range m.States {
				if c := m.Cells[i][j]; c.Customers > 0 {
					add(k, f, t, c)
				}
			}
		}
	}
	if v.hasTiers {
		addMatrix("tier", v.res.Tiers)
	}
	addMatrix("segment", v.res.Segments)
	for _, fl := range v.res.Flows {
		add("flow", string(fl.Change), "", fl.Cell)
	}
	n := len(kind)
	return []table{{TableMigration, n, []pq.Column{
		pq.ConstDate("as_of", v.asOfDay),
		pq.ConstDate("previous_as_of", v.prevDay),
		pq.String("kind", kind),
		pq.String("from", from),
		pq.OptionalString("to", to),
		pq.Int64("customers", customers),
		pq.Money("revenue_prev", revPrev, v.scale),
		pq.Money("revenue", rev, v.scale),
		pq.Money("profit_prev", profPrev, v.scale),
		pq.Money("profit", prof, v.scale),
	}}}
}
