package jobs

import (
	"context"
	"fmt"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/outputs"
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
	// Path is the published table, relative to the output directory.
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
	req.StartDay, req.AsOfDay = calDay+1, endDay
	hold, err := aggregate(ctx, eng, req)
	if err != nil {
		return nil, err
	}

	ccfg := cfg.CLV.Analytics()
	fit, err := clv.Analyze(cal.Features, calDay, ccfg)
	if fit == nil {
		return nil, fmt.Errorf("clv: %w", err)
	}
	holdoutPurchases := make(map[string]int64, hold.Features.Len())
	for i, id := range hold.Features.CustomerID {
		holdoutPurchases[id] = hold.Features.PurchaseDays[i]
	}
	s := fit.Summary
	actual := make([]float64, s.Len())
	ev := &Evaluation{CalibrationEnd: FormatDay(calDay), HoldoutEnd: FormatDay(endDay), Fit: fit}
	for i, id := range s.CustomerID {
		actual[i] = float64(holdoutPurchases[id])
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
	ev.Path, err = outputs.Publish(cfg.Output.Dir, ev.CalibrationEnd, outputs.Holdout(calDay, endDay, string(fit.Model), ev.Rows))
	return ev, err
}
