package clv

import (
	"fmt"
	"math"
	"strconv"
)

// HoldoutBuckets is the number of calibration-frequency buckets of EvaluateHoldout: x = 0, 1,
// …, 6 and 7+.
const HoldoutBuckets = 8

// HoldoutRow compares predicted and actual holdout repeat purchases for one group of customers.
type HoldoutRow struct {
	// Bucket names the group: "0" … "6" and "7+" by calibration repeat purchases x, or "total".
	Bucket string
	// Customers is the number of fitted customers in the group, Buyers those with a holdout
	// purchase.
	Customers, Buyers int
	// Actual and Predicted are the group's total holdout repeat purchases: observed, and the
	// sum of the model's conditional expectations E[Y(holdout) | x, t_x, T].
	Actual, Predicted float64
	// MeanActual and MeanPredicted are the totals per customer (0 for an empty group).
	MeanActual, MeanPredicted float64
	// MAE and RMSE are the mean absolute and root mean squared error of the predicted against
	// the actual holdout purchases per customer (0 for an empty group).
	MAE, RMSE float64
	// Brier is the Brier score of P(any purchase in the holdout) = 1 − P(no purchase), the mean
	// of (P − 1[actual > 0])² (0 is perfect, 0.25 a coin toss); NaN for a model without
	// ProbNoPurchase (Pareto/NBD) or an empty group.
	Brier float64
}

// noPurchase is a purchase model that gives the probability of no purchase over a span (BG/NBD).
type noPurchase interface {
	ProbNoPurchase(h History, t float64) float64
}

// EvaluateHoldout compares a purchase model's predictions with what the customers did in a
// holdout period of the given length (in the summary's unit) right after the calibration
// period: actual[i] is customer i's number of purchase days in the holdout (summary order).
// It returns HoldoutBuckets rows by calibration x (0, 1, …, 6, 7+) and a last "total" row;
// customers that were not fitted are left out. A negative or non-finite actual count is an
// error wrapping ErrInconsistentRow, a non-positive length one wrapping ErrConfig. actual of
// another length than the summary panics. Each row also gives the per-customer errors: MAE, RMSE
// and, for a model with ProbNoPurchase, the Brier score of P(any purchase in the holdout).
func EvaluateHoldout(s *Summary, m PurchaseModel, length float64, actual []float64) ([]HoldoutRow, error) {
	if len(actual) != s.Len() {
		panic("clv: EvaluateHoldout: actual and summary lengths differ")
	}
	if !(length > 0) || math.IsInf(length, 1) {
		return nil, fmt.Errorf("%w: holdout length %v, want > 0", ErrConfig, length)
	}
	groups, index := cohorts(s)
	predicted := make([]float64, len(groups))
	anyPurchase := make([]float64, len(groups))
	np, brier := m.(noPurchase)
	for g, c := range groups {
		predicted[g] = m.ExpectedPurchases(c.History, length)
		if brier {
			anyPurchase[g] = 1 - np.ProbNoPurchase(c.History, length)
		}
	}

	rows := make([]HoldoutRow, HoldoutBuckets+1)
	var absSum, sqSum, brierSum [HoldoutBuckets + 1]float64
	for b := range HoldoutBuckets {
		rows[b].Bucket = strconv.Itoa(b)
	}
	rows[HoldoutBuckets-1].Bucket = strconv.Itoa(HoldoutBuckets-1) + "+"
	rows[HoldoutBuckets].Bucket = "total"
	for i, g := range index {
		if g < 0 {
			continue
		}
		if a := actual[i]; !(a >= 0) || math.IsInf(a, 1) {
			return nil, fmt.Errorf("%w: customer %q has %v holdout purchases", ErrInconsistentRow, s.CustomerID[i], a)
		}
		b := int(math.Min(s.X[i], HoldoutBuckets-1))
		e := predicted[g] - actual[i]
		bought := 0.0
		if actual[i] > 0 {
			bought = 1
		}
		for _, k := range []int{b, HoldoutBuckets} {
			row := &rows[k]
			row.Customers++
			row.Buyers += int(bought)
			row.Actual += actual[i]
			row.Predicted += predicted[g]
			absSum[k] += math.Abs(e)
			sqSum[k] += e * e
			brierSum[k] += (anyPurchase[g] - bought) * (anyPurchase[g] - bought)
		}
	}
	for i := range rows {
		rows[i].Brier = math.NaN()
		if c := float64(rows[i].Customers); c > 0 {
			rows[i].MeanActual = rows[i].Actual / c
			rows[i].MeanPredicted = rows[i].Predicted / c
			rows[i].MAE = absSum[i] / c
			rows[i].RMSE = math.Sqrt(sqSum[i] / c)
			if brier {
				rows[i].Brier = brierSum[i] / c
			}
		}
	}
	return rows, nil
}

// ExpectedTotals returns, for each span t of spans (in the summary's unit), the fitted
// customers' expected purchases in the first t after the calibration period summed: Σ_i E[Y(t) |
// x_i, t_x,i, T_i], the predicted side of a tracking curve (cumulative repeat purchases in the
// holdout). Each cohort is evaluated once at every span and weighted by its customers, summed
// in cohort order; BG/NBD shares the part that does not depend on t_x between the cohorts of
// one (x, T), as scoring does (expectedByXT), with the bits of ExpectedPurchases.
func ExpectedTotals(s *Summary, m PurchaseModel, spans []float64) []float64 {
	groups, _ := cohorts(s)
	K := len(spans)
	e := make([]float64, K)
	out := make([]float64, K)
	bg, ok := m.(BGNBD)
	var pair []int32
	var byXT []float64
	if ok {
		pair, byXT = bg.expectedByXT(groups, spans)
	}
	for g, c := range groups {
		if ok {
			alive := 1 + bg.deadOdds(c.History)
			for k, v := range byXT[int(pair[g])*K : (int(pair[g])+1)*K] {
				e[k] = v / alive
			}
		} else {
			for k, t := range spans {
				e[k] = m.ExpectedPurchases(c.History, t)
			}
		}
		for k := range out {
			out[k] += c.n * e[k]
		}
	}
	return out
}
