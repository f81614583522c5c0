package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"

	"github.com/rfmjob/rfm/analytics/cluster"
	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/pareto"
	"github.com/rfmjob/rfm/analytics/rfm"
	"github.com/rfmjob/rfm/analytics/tier"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/outputs"
)

// analysis turns one date's features into its outputs.Date. It depends only on the
// configuration, the features and, for migration, the previous date of the series.
type analysis struct {
	cfg     *config.Config
	asOfDay int32
	prevDay int32 // feature.NoDate without a previous date
	eng     engine.Engine
	files   []string
	prior   *engine.Result // the previous date's aggregation, when the caller has it
	// previousCustomers are the previous date's committed customers, when the caller has them.
	previousCustomers *outputs.Customers
	logger            *slog.Logger
	lap               func(ctx context.Context, stage string) error
}

// analyze runs the analytics in their one order: scores, Pareto, profit and earned tiers,
// clusters (and tiers from them), migration (and the tiers held under status protection), then
// CLV, whose predicted tiers compare with the tiers held. It returns the date and the manifest's
// warnings, in the order profit, clusters, CLV, migration.
func (a *analysis) analyze(ctx context.Context, res *engine.Result) (*outputs.Date, []string, error) {
	t := res.Features
	d, err := a.base(ctx, res)
	if err != nil {
		return nil, nil, err
	}
	var notes [4][]string // profit, clusters, clv, migration
	if notes[0], notes[1], err = a.tiers(ctx, d); err != nil {
		return nil, nil, err
	}
	if d.Migration, notes[3], err = a.migration(ctx, d); err != nil {
		return nil, nil, err
	}
	if err := a.lap(ctx, "migration"); err != nil {
		return nil, nil, err
	}
	if d.CLV, notes[2], err = a.clv(t, d); err != nil {
		return nil, nil, fmt.Errorf("clv: %w", err)
	}
	if err := a.lap(ctx, "clv"); err != nil {
		return nil, nil, err
	}
	var warnings []string
	for _, n := range notes {
		warnings = append(warnings, n...)
	}
	return d, warnings, nil
}

// base scores the customers and analyzes the concentration of value.
func (a *analysis) base(ctx context.Context, res *engine.Result) (*outputs.Date, error) {
	t := res.Features
	scores, err := rfm.Score(t, a.asOfDay, a.cfg.RFM())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	if err := a.lap(ctx, "score"); err != nil {
		return nil, err
	}
	par, err := pareto.Analyze(t.CustomerID, t.Monetary, pareto.Config{ACut: a.cfg.Pareto.ACut, BCut: a.cfg.Pareto.BCut})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	d := &outputs.Date{AsOfDay: a.asOfDay, Features: t, Scores: scores, Segments: rfm.Summarize(t, scores),
		Pareto: par, Rejected: res.Rejected}
	return d, a.lap(ctx, "pareto")
}

// tiers runs the profit view and the clusters, and with tiers.method clusters replaces the
// share method's provisional tiers by the clusters'. Without clusters (too few customers) the
// share method's tiers stay, with a manifest note. It returns the profit and cluster notes.
func (a *analysis) tiers(ctx context.Context, d *outputs.Date) (profitNotes, clusterNotes []string, err error) {
	t := d.Features
	pv, notes, err := a.profit(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	d.Profit = pv
	if err := a.lap(ctx, "profit"); err != nil {
		return nil, nil, err
	}
	var profitMajor []float64
	if pv != nil {
		profitMajor = make([]float64, len(pv.Result.Profit))
		unit := math.Pow10(t.MoneyScale)
		for i, x := range pv.Result.Profit {
			profitMajor[i] = float64(x) / unit
		}
	}
	cl, clusterNotes, err := a.clusters(t, profitMajor)
	if err != nil {
		return nil, nil, fmt.Errorf("clusters: %w", err)
	}
	d.Clusters = cl
	if pv != nil && a.cfg.Tiers.Method == "clusters" {
		if cl == nil || cl.Result == nil {
			notes = append(notes, "tiers: method clusters needs clusters; the share method was used")
		} else {
			tr, err := tier.FromGroups(t, pv.Result, t.RecencyDays(a.asOfDay), cl.Labels, cl.Result.Names, a.cfg.Tiers.Analytics(t.MoneyScale))
			if err != nil {
				return nil, nil, fmt.Errorf("%w: tiers: %w", ErrConfig, err)
			}
			pv.Tiers = tr
		}
	}
	return notes, clusterNotes, a.lap(ctx, "clusters")
}

// clusters clusters the customers with purchases. Too few customers for k is not an error of
// the run: the view says so in the manifest and leaves the columns null.
func (a *analysis) clusters(t *feature.Table, profit []float64) (*outputs.Clusters, []string, error) {
	cfg := &a.cfg.Clusters
	if !cfg.On() {
		return nil, nil, nil
	}
	feats, rows, err := cluster.FeaturesFrom(t, a.asOfDay, profit)
	if err != nil {
		return nil, nil, err
	}
	var res *cluster.Result
	if len(rows) == 0 {
		err = fmt.Errorf("%w: no customer has a purchase", cluster.ErrTooFewPoints)
	} else {
		res, err = cluster.Cluster(feats, cluster.FeatureMonetary, cfg.Analytics(a.cfg.Limits.Threads))
	}
	switch {
	case err == nil:
		v := &outputs.Clusters{Result: res}
		v.Labels, v.Names = res.Expand(t.Len(), rows)
		return v, nil, nil
	case errorsIs(err, cluster.ErrTooFewPoints, cluster.ErrTooFewDistinct):
		v := &outputs.Clusters{Labels: make([]int32, t.Len()), Names: make([]string, t.Len())}
		for i := range v.Labels {
			v.Labels[i] = -1
		}
		return v, []string{fmt.Sprintf("clusters skipped: %v", err)}, nil
	}
	return nil, nil, err
}

// errorsIs reports whether err matches any of targets.
func errorsIs(err error, targets ...error) bool {
	return slices.ContainsFunc(targets, func(t error) bool { return errors.Is(err, t) })
}

// clv fits the models and scores every customer; with tiers, it predicts each customer's tier
// from their CLV rank against the tiers they hold (tier.Predict). A fit that does not converge
// is a warning in the manifest (scores use the best parameters found); a data set the models
// cannot be fitted to (no repeat buyers) drops the view's columns with a warning, never the run.
func (a *analysis) clv(t *feature.Table, d *outputs.Date) (*outputs.CLV, []string, error) {
	cfg := &a.cfg.CLV
	if !cfg.On() {
		return nil, nil, nil
	}
	minBuyers, minDays := cfg.Gate()
	if err := clv.Gate(t, a.asOfDay, minBuyers, minDays); err != nil {
		return &outputs.CLV{}, []string{fmt.Sprintf("clv skipped: %v (clv.min_buyers %d, clv.min_history_days %d): too little data for predictions anyone should act on", err, minBuyers, minDays)}, nil
	}
	res, err := clv.Analyze(t, a.asOfDay, cfg.Analytics())
	var notes []string
	switch {
	case err == nil:
	case res != nil && errors.Is(err, clv.ErrNotConverged):
		notes = append(notes, fmt.Sprintf("clv: %v", err))
	case errors.Is(err, clv.ErrConfig):
		return nil, nil, fmt.Errorf("%w: %w", ErrConfig, err)
	default:
		a.logger.Warn("clv skipped", "err", err)
		return &outputs.CLV{}, []string{fmt.Sprintf("clv skipped: %v", err)}, nil
	}
	v := &outputs.CLV{Result: res, Periods: cfg.PeriodsOn()}
	if !res.Scores.HasChurn {
		notes = append(notes, fmt.Sprintf("clv: churn_risk, churn_band and expected_next_order_date need clv.model bgnbd (%s has no closed form for them); left out", res.Model))
	}
	if held := d.TierOf(); held != nil {
		names := d.Profit.Tiers.Tiers
		predicted, upgrade := tier.Predict(held, len(names), res.Scores.CLVRank)
		v.PredictedTier, v.UpgradePotential = make([]string, len(predicted)), upgrade
		for i, k := range predicted {
			if k >= 0 {
				v.PredictedTier[i] = names[k]
			}
		}
	}
	return v, notes, nil
}
