package outputs

import (
	"math"
	"slices"

	"github.com/rfmjob/rfm/analytics/clv"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// Holdout is the clv_holdout table of `rfm evaluate`: the purchase model's predicted against
// actual holdout repeat purchases, in total and by calibration frequency, with the per-customer
// MAE, RMSE and (BG/NBD) Brier score of P(any purchase), for the calibration
// end asOfDay and the holdout's last day holdoutEnd.
func Holdout(asOfDay, holdoutEnd int32, model string, rows []clv.HoldoutRow) Table {
	n := len(rows)
	bucket := make([]string, n)
	customers, buyers := make([]int64, n), make([]int64, n)
	actual, predicted, meanA, meanP := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	mae, rmse, brier := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range rows {
		bucket[i], customers[i], buyers[i] = r.Bucket, int64(r.Customers), int64(r.Buyers)
		actual[i], predicted[i], meanA[i], meanP[i] = r.Actual, r.Predicted, r.MeanActual, r.MeanPredicted
		mae[i], rmse[i], brier[i] = r.MAE, r.RMSE, r.Brier
	}
	finite := func(i int) bool { return !math.IsNaN(brier[i]) }
	return Table{TableCLVHoldout, n, []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.ConstDate("holdout_end", holdoutEnd),
		pq.String("model", slices.Repeat([]string{model}, n)),
		pq.String("bucket", bucket),
		pq.Int64("customers", customers),
		pq.Int64("buyers", buyers),
		pq.Float64("actual", actual),
		pq.Float64("predicted", predicted),
		pq.Float64("mean_actual", meanA),
		pq.Float64("mean_predicted", meanP),
		pq.Float64("mae", mae),
		pq.Float64("rmse", rmse),
		pq.OptionalFloat64("brier", brier, finite),
	}}
}

// TrackPoint is one point of the holdout's tracking curve: a day and the calibration
// customers' purchase days from the holdout's start to it, actual and predicted.
type TrackPoint struct {
	Day               int32
	Actual, Predicted float64
}

// Tracking is the clv_tracking table of `rfm evaluate`: the tracking curve of the holdout that
// follows the calibration end asOfDay, one row per week's end and the holdout's last day.
func Tracking(asOfDay, holdoutEnd int32, model string, points []TrackPoint) Table {
	n := len(points)
	day := make([]int32, n)
	actual, predicted := make([]float64, n), make([]float64, n)
	for i, p := range points {
		day[i], actual[i], predicted[i] = p.Day, p.Actual, p.Predicted
	}
	return Table{TableCLVTracking, n, []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.ConstDate("holdout_end", holdoutEnd),
		pq.String("model", slices.Repeat([]string{model}, n)),
		pq.Date("day", day),
		pq.Float64("actual_cumulative", actual),
		pq.Float64("predicted_cumulative", predicted),
	}}
}
