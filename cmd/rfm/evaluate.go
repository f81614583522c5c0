package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/engines"
)

func cmdEvaluate(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("evaluate", "evaluate --config job.yaml --calibration-end YYYY-MM-DD --holdout-end YYYY-MM-DD [--out DIR] [--input PATH]", e)
	var jf jobFlags
	var calEnd, holdEnd string
	jf.register(fs)
	fs.StringVar(&calEnd, "calibration-end", "", "last day of the calibration period the models are fitted on (required)")
	fs.StringVar(&holdEnd, "holdout-end", "", "last day of the holdout period the predictions are compared with (required)")
	quiet := fs.Bool("q", false, "print nothing on success")
	if err := parse(fs, args); err != nil {
		return err
	}
	if calEnd == "" || holdEnd == "" {
		fmt.Fprintln(e.stderr, "rfm evaluate: --calibration-end and --holdout-end are required")
		return errUsage
	}
	cfg, err := jf.load(e)
	if err != nil {
		return err
	}
	eng, err := engines.For(cfg)
	if err != nil {
		return err
	}
	ev, err := jobs.Evaluate(ctx, cfg, calEnd, holdEnd, eng)
	if err != nil {
		return err
	}
	if *quiet {
		return nil
	}
	c := ev.Fit.PurchaseFit
	fmt.Fprintf(e.stdout, "%s fitted on history to %s: log-likelihood %.2f (%d iterations, converged %v)\n",
		ev.Fit.Model, ev.CalibrationEnd, c.LogLikelihood, c.Iterations, c.Converged)
	fmt.Fprintf(e.stdout, "%d repeat buyers made %.0f repeat purchases in calibration; holdout to %s (%.1f %s):\n\n",
		ev.Repeaters, ev.RepeatPurchases, ev.HoldoutEnd, ev.HoldoutLength, ev.Fit.Summary.Unit)
	fmt.Fprintf(e.stdout, "%-8s %10s %12s %12s %14s %14s %8s %8s %8s\n", "x", "customers", "actual", "predicted", "mean actual", "mean predicted", "mae", "rmse", "brier")
	for _, r := range ev.Rows {
		brier := "-" // a model without P(no purchase): Pareto/NBD
		if !math.IsNaN(r.Brier) {
			brier = fmt.Sprintf("%.4f", r.Brier)
		}
		fmt.Fprintf(e.stdout, "%-8s %10d %12.0f %12.1f %14.3f %14.3f %8.3f %8.3f %8s\n", r.Bucket, r.Customers, r.Actual, r.Predicted, r.MeanActual, r.MeanPredicted, r.MAE, r.RMSE, brier)
	}
	fmt.Fprintf(e.stdout, "\ntracking, cumulative holdout purchases:\n%-12s %10s %12s\n", "to", "actual", "predicted")
	for k, p := range ev.Tracking {
		// Every fourth week and the last day: the curve is in clv_tracking and on the page.
		if k%4 == 3 || k == len(ev.Tracking)-1 {
			fmt.Fprintf(e.stdout, "%-12s %10.0f %12.1f\n", jobs.FormatDay(p.Day), p.Actual, p.Predicted)
		}
	}
	written := strings.TrimRight(cfg.Output.Dir, "/") + "/" + ev.Path // a path or an s3:// URL
	dir := written[:strings.LastIndex(written, "/")]
	fmt.Fprintf(e.stdout, "\nwritten to %s (and clv_tracking; the page is %s/index.html)\n", filepath.FromSlash(written), filepath.FromSlash(dir))
	return nil
}
