package jobs

import (
	"context"
	"fmt"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/analytics/migration"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/report"
)

// Evaluation is the outcome of Evaluate.
type Evaluation struct {
	CalibrationEnd, HoldoutEnd string
	// HoldoutLength is the holdout's length in the model's unit.
	HoldoutLength float64
	Fit           *clv.Result
	// Repeaters counts customers with a repeat purchase in calibration; RepeatPurchases sums
	// their repeat purchase days.
	Repeaters       int
	RepeatPurchases float64
	Rows            []clv.HoldoutRow
	// Tracking is the tracking curve: at the end of each week of the holdout (and at its last
	// day), the calibration customers' cumulative holdout purchases, actual and predicted.
	Tracking []outputs.TrackPoint
	// Path is the published table, relative to the output directory; the tracking table and
	// the page (index.html, the tracking curve and the conditional expectations) are published
	// with it.
	Path string
}

// Evaluate checks the CLV purchase model out of sample: it fits the models on the history up
// to calibrationEnd (the job's window and columns), counts each customer's purchase days in the
// holdout (calibrationEnd, holdoutEnd], and compares them with the model's conditional
// expectations, in total and by calibration frequency x (0 … 6, 7+). The comparison is
// published as DIR/clv_holdout/as_of=<calibrationEnd>/data.parquet.
func Evaluate(ctx context.Context, cfg *config.Config, calibrationEnd, holdoutEnd string, eng engine.Engine) (*Evaluation, error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	calDay, err := ParseDay(calibrationEnd)
	if err != nil {
		return nil, err
	}
	endDay, err := ParseDay(holdoutEnd)
	if err != nil {
		return nil, err
	}
	if endDay <= calDay {
		return nil, fmt.Errorf("%w: holdout end %s is not after calibration end %s", ErrConfig, holdoutEnd, calibrationEnd)
	}
	files, err := resolveInputs(cfg)
	if err != nil {
		return nil, err
	}
	if eng, err = engineFor(cfg, eng); err != nil {
		return nil, err
	}
	req := cfg.Request(files, calDay)
	cal, err := aggregate(ctx, eng, req)
	if err != nil {
		return nil, err
	}
	if err := checkQuality(cfg, cal); err != nil {
		return nil, err
	}
	ccfg := cfg.CLV.Analytics()
	fit, err := clv.Analyze(cal.Features, calDay, ccfg)
	if fit == nil {
		return nil, fmt.Errorf("clv: %w", err)
	}
	s := fit.Summary
	// The holdout is aggregated once, as of every week's end and its last day: the last is
	// the holdout's purchases per customer, the others the tracking curve.
	req.StartDay = calDay + 1
	ev := &Evaluation{CalibrationEnd: FormatDay(calDay), HoldoutEnd: FormatDay(endDay), Fit: fit}
	var actual []float64
	if ev.Tracking, actual, err = tracking(ctx, eng, req, s, fit.Purchases, calDay, endDay); err != nil {
		return nil, err
	}
	for i := range s.CustomerID {
		if s.Fitted[i] && s.X[i] > 0 {
			ev.Repeaters++
			ev.RepeatPurchases += s.X[i]
		}
	}
	ev.HoldoutLength = float64(endDay - calDay)
	if s.Unit == clv.Weeks {
		ev.HoldoutLength /= 7
	}
	if ev.Rows, err = clv.EvaluateHoldout(s, fit.Purchases, ev.HoldoutLength, actual); err != nil {
		return nil, err
	}
	model := string(fit.Model)
	page, err := report.HoldoutPage(report.Holdout{CalibrationEnd: ev.CalibrationEnd, HoldoutEnd: ev.HoldoutEnd, Model: model,
		Rows: ev.Rows, Tracking: ev.Tracking})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	ev.Path, err = outputs.Publish(cfg.Output.Dir, ev.CalibrationEnd, []outputs.Table{
		outputs.Holdout(calDay, endDay, model, ev.Rows), outputs.Tracking(calDay, endDay, model, ev.Tracking)},
		outputs.Page{Table: outputs.TableCLVHoldout, File: "index.html", Data: page})
	return ev, err
}

// tracking aggregates the holdout (calDay, endDay] as of each week's end and its last day, in
// one pass when the engine aggregates series. It returns the tracking curve: the calibration
// customers' purchase days from the holdout's start, actual and predicted
// (clv.ExpectedTotals); and actual, each summary customer's purchase days in the whole
// holdout (0 for one without any).
func tracking(ctx context.Context, eng engine.Engine, hold engine.Request, s *clv.Summary, m clv.PurchaseModel, calDay, endDay int32) ([]outputs.TrackPoint, []float64, error) {
	var days []int32
	for d := calDay + 7; d < endDay; d += 7 {
		days = append(days, d)
	}
	days = append(days, endDay)
	points := make([]outputs.TrackPoint, len(days))
	actual := make([]float64, s.Len())
	count := func(k int, res *engine.Result) error {
		t := res.Features
		// Both tables are sorted by id: each summary customer's row in the holdout, or −1.
		for i, j := range migration.Align(t.CustomerID, s.CustomerID) {
			if j >= 0 && s.Fitted[i] {
				points[k].Actual += float64(t.PurchaseDays[j])
			}
			if j >= 0 && k == len(days)-1 {
				actual[i] = float64(t.PurchaseDays[j])
			}
		}
		return nil
	}
	if se, ok := eng.(engine.SeriesEngine); ok {
		if err := se.AggregateSeries(ctx, hold, days, count); err != nil {
			if ctx.Err() != nil {
				return nil, nil, fmt.Errorf("%w: %w", ErrInterrupted, err)
			}
			return nil, nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
	} else {
		for k, d := range days {
			req := hold
			req.AsOfDay = d
			res, err := aggregate(ctx, eng, req)
			if err != nil {
				return nil, nil, err
			}
			count(k, res)
		}
	}
	spans := make([]float64, len(days))
	for k, d := range days {
		points[k].Day = d
		spans[k] = float64(d - calDay)
		if s.Unit == clv.Weeks {
			spans[k] /= 7
		}
	}
	for k, p := range clv.ExpectedTotals(s, m, spans) {
		points[k].Predicted = p
	}
	return points, actual, nil
}
