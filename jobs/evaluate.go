package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rfmjob/rfm/analytics/clv"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// TableCLVHoldout holds the calibration/holdout comparison of the CLV purchase model.
const TableCLVHoldout = "clv_holdout"

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
func Evaluate(ctx context.Context, cfg *Config, calibrationEnd, holdoutEnd string) (*Evaluation, error) {
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
	r := &runner{cfg: cfg, asOf: FormatDay(calDay), asOfDay: calDay, last: time.Now()}
	req := r.request(files)
	eng := engineFor(cfg)
	cal, err := aggregate(ctx, eng, req)
	if err != nil {
		return nil, err
	}
	if err := r.checkQuality(cal); err != nil {
		return nil, err
	}
	req.StartDay, req.AsOfDay = calDay+1, endDay
	hold, err := aggregate(ctx, eng, req)
	if err != nil {
		return nil, err
	}

	ccfg := cfg.CLV.config()
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
	ev.Path, err = publishTable(cfg.Output.Dir, ev.CalibrationEnd, holdoutTable(ev, calDay, endDay))
	return ev, err
}

func holdoutTable(ev *Evaluation, asOfDay, holdoutEnd int32) table {
	n := len(ev.Rows)
	bucket := make([]string, n)
	customers := make([]int64, n)
	actual, predicted, meanA, meanP := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range ev.Rows {
		bucket[i], customers[i] = r.Bucket, int64(r.Customers)
		actual[i], predicted[i], meanA[i], meanP[i] = r.Actual, r.Predicted, r.MeanActual, r.MeanPredicted
	}
	return table{TableCLVHoldout, n, []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.ConstDate("holdout_end", holdoutEnd),
		pq.String("model", slices.Repeat([]string{string(ev.Fit.Model)}, n)),
		pq.String("bucket", bucket),
		pq.Int64("customers", customers),
		pq.Float64("actual", actual),
		pq.Float64("predicted", predicted),
		pq.Float64("mean_actual", meanA),
		pq.Float64("mean_predicted", meanP),
	}}
}

// publishTable writes one table of a date outside a full run, under the date's lock, with the
// same staging-then-rename protocol; it leaves the date's manifest alone.
func publishTable(outDir, date string, tb table) (string, error) {
	lock, err := AcquireLock(outDir, date)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	st, err := newStage(outDir, date, fmt.Sprintf("%s-%s-%d-%d", tb.name, date, os.Getpid(), time.Now().UnixNano()))
	if err != nil {
		return "", err
	}
	defer st.discard()
	path, err := st.path(tb.name)
	if err != nil {
		return "", err
	}
	if err := pq.WriteFile(path, tb.name, tb.n, tb.cols); err != nil {
		return "", err
	}
	if err := st.publish(tb.name); err != nil {
		return "", err
	}
	return filepath.Join(tb.name, "as_of="+date, dataFile), nil
}
