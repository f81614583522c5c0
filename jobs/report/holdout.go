package report

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/jobs/outputs"
)

// Holdout is what the page of `rfm evaluate` shows: the holdout rows by calibration frequency
// and in total, and the tracking curve.
type Holdout struct {
	CalibrationEnd, HoldoutEnd, Model string
	Rows                              []clv.HoldoutRow // by bucket, "total" last
	Tracking                          []outputs.TrackPoint
}

// HoldoutPage renders the page of an evaluation: key figures, the tracking curve and the
// conditional expectations, self-contained like the date's report.
func HoldoutPage(h Holdout) ([]byte, error) {
	pd := pageData{Heading: "CLV holdout check", AsOf: h.CalibrationEnd,
		Run: fmt.Sprintf("rfm evaluate · %s fitted on history to %s · holdout to %s", h.Model, h.CalibrationEnd, h.HoldoutEnd)}
	var total clv.HoldoutRow
	for _, r := range h.Rows {
		if r.Bucket == "total" {
			total = r
		}
	}
	pd.Figures = []Figure{
		{Label: "Customers", Value: count(int64(total.Customers)), Note: count(int64(total.Buyers)) + " bought in the holdout"},
		{Label: "Holdout purchases", Value: decimal(total.Actual, 0), Note: "predicted " + decimal(total.Predicted, 1)},
		{Label: "MAE per customer", Value: decimal(total.MAE, 3), Note: "RMSE " + decimal(total.RMSE, 3)},
	}
	if !math.IsNaN(total.Brier) {
		pd.Figures = append(pd.Figures, Figure{Label: "Brier score", Value: decimal(total.Brier, 4), Note: "P(any purchase in the holdout)"})
	}
	var charts []Chart
	if c, ok := trackingChart(h.Tracking, h.CalibrationEnd); ok {
		charts = append(charts, c)
	}
	if c, ok := conditionalChart(h.Rows); ok {
		charts = append(charts, c)
	}
	if len(charts) > 0 {
		pd.Sections = layout([]Section{{ID: "holdout", Title: "Predicted against actual in the holdout", Charts: charts}})
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, pd); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// trackingChart draws the cumulative holdout purchases of the calibration customers, actual and
// predicted, against the days since the calibration end.
func trackingChart(points []outputs.TrackPoint, calibrationEnd string) (Chart, bool) {
	start, err := time.Parse(time.DateOnly, calibrationEnd)
	if err != nil || len(points) == 0 {
		return Chart{}, false
	}
	day0 := int32(start.Unix() / 86400)
	last := points[len(points)-1]
	span := float64(last.Day - day0)
	top := 0.0
	for _, p := range points {
		top = math.Max(top, math.Max(p.Actual, p.Predicted))
	}
	if !(span > 0) || !(top > 0) {
		return Chart{}, false
	}
	const w, h = 1000, 360
	ymax := niceMax(top, 5)
	p := newPlot(w, h, 80, 24, 30, 54, 0, span, 0, ymax)
	title := "Tracking: cumulative holdout purchases"
	s := newSVG(w, h, title)
	legend(s, p.left, 14, []string{"actual", "predicted"}, []string{colour(0), colour(3)})
	yt := ticksOf(niceTicks(0, ymax, 5), func(x float64) string { return count(int64(math.Round(x))) })
	s.grid(p, yt)
	xs, ya, yp := []float64{p.x.at(0)}, []float64{p.y.at(0)}, []float64{p.y.at(0)}
	for _, pt := range points {
		x := p.x.at(float64(pt.Day - day0))
		xs, ya, yp = append(xs, x), append(ya, p.y.at(pt.Actual)), append(yp, p.y.at(pt.Predicted))
	}
	s.raw(`<g stroke="%s">`, colour(0))
	s.polyline(xs, ya, "curve actual")
	s.raw(`</g><g stroke="%s" stroke-dasharray="6 4">`, colour(3))
	s.polyline(xs, yp, "curve predicted")
	s.raw(`</g>`)
	for i, pt := range points {
		s.raw(`<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>`, num(xs[i+1]), num(ya[i+1]), colour(0),
			esc(fmt.Sprintf("to %s: %s actual, %s predicted", time.Unix(int64(pt.Day)*86400, 0).UTC().Format(time.DateOnly),
				count(int64(math.Round(pt.Actual))), decimal(pt.Predicted, 1))))
	}
	s.axes(p, ticksOf(niceTicks(0, span, 8), func(x float64) string { return count(int64(x)) }), yt,
		"days after the calibration end", "repeat purchases (cumulative)")
	reading := fmt.Sprintf("In the %s days after %s the calibration customers made %s purchases; the model predicted %s",
		count(int64(span)), calibrationEnd, count(int64(math.Round(last.Actual))), decimal(last.Predicted, 0))
	if last.Actual > 0 {
		reading += fmt.Sprintf(" (%+.1f%%)", 100*(last.Predicted-last.Actual)/last.Actual)
	}
	return Chart{ID: "tracking", Title: title, Reading: reading + ".", SVG: s.String(), Wide: true}, true
}

// conditionalChart draws the mean holdout purchases per customer by calibration frequency,
// actual against the model's conditional expectation.
func conditionalChart(rows []clv.HoldoutRow) (Chart, bool) {
	var rs []clv.HoldoutRow
	top := 0.0
	for _, r := range rows {
		if r.Bucket != "total" {
			rs = append(rs, r)
			top = math.Max(top, math.Max(r.MeanActual, r.MeanPredicted))
		}
	}
	if len(rs) == 0 || !(top > 0) {
		return Chart{}, false
	}
	const w, h = 560, 360
	ymax := niceMax(top, 5)
	p := newPlot(w, h, 66, 16, 30, 54, 0, float64(len(rs)), 0, ymax)
	title := "Conditional expectations by calibration purchases"
	s := newSVG(w, h, title)
	legend(s, p.left, 14, []string{"actual", "predicted"}, []string{colour(0), colour(3)})
	yt := ticksOf(niceTicks(0, ymax, 5), func(x float64) string { return decimal(x, 2) })
	s.grid(p, yt)
	bw := p.width / float64(len(rs))
	var xt []tick
	worst := rs[0]
	for i, r := range rs {
		x := p.left + bw*float64(i)
		for j, v := range []float64{r.MeanActual, r.MeanPredicted} {
			fill := colour(0)
			if j == 1 {
				fill = colour(3)
			}
			s.rect(x+4+float64(j)*(bw-8)/2, p.y.at(v), (bw-8)/2-1, p.y.at(0)-p.y.at(v), fill, ` class="bar"`,
				fmt.Sprintf("x = %s (%s customers): %s %s", r.Bucket, count(int64(r.Customers)), []string{"actual", "predicted"}[j], decimal(v, 3)))
		}
		xt = append(xt, tick{v: float64(i) + 0.5, label: r.Bucket})
		if r.Customers > 0 && math.Abs(r.MeanPredicted-r.MeanActual) > math.Abs(worst.MeanPredicted-worst.MeanActual) {
			worst = r
		}
	}
	s.axes(p, xt, yt, "repeat purchases in the calibration period (x)", "holdout purchases per customer")
	reading := fmt.Sprintf("The largest gap is at x = %s (%s customers): %s actual against %s predicted per customer.",
		worst.Bucket, count(int64(worst.Customers)), decimal(worst.MeanActual, 2), decimal(worst.MeanPredicted, 2))
	return Chart{ID: "conditional", Title: title, Reading: reading, SVG: s.String()}, true
}
