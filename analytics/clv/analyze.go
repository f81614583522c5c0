package clv

import (
	"errors"
	"fmt"

	"github.com/rfmjob/rfm/analytics/feature"
)

// ModelName selects the purchase model.
type ModelName string

// The purchase models.
const (
	// ModelBGNBD is the BG/NBD model (Fader, Hardie & Lee 2005). The default.
	ModelBGNBD ModelName = "bgnbd"
	// ModelParetoNBD is the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).
	ModelParetoNBD ModelName = "pareto_nbd"
)

// Config configures Analyze. Its zero value is the default: weeks, BG/NBD, default fit and
// score settings.
type Config struct {
	// Unit is the model's time unit; "" means Weeks.
	Unit Unit
	// Model is the purchase model; "" means ModelBGNBD.
	Model ModelName
	// Fit controls the maximum-likelihood fits.
	Fit FitConfig
	// Score sets the horizon (in Unit), margin and discount rate.
	Score ScoreConfig
	// NoIntervals leaves out the per-customer intervals (Scores.HasIntervals), which score every
	// group once more per purchase-model parameter.
	NoIntervals bool
}

// Validate reports every problem of c, each wrapping ErrConfig.
func (c Config) Validate() error {
	var errs []error
	errs = append(errs, c.Unit.validate())
	switch c.Model {
	case "", ModelBGNBD, ModelParetoNBD:
	default:
		errs = append(errs, fmt.Errorf("%w: model %q, want %q or %q", ErrConfig, c.Model, ModelBGNBD, ModelParetoNBD))
	}
	for _, err := range []error{c.Fit.validate(), c.Score.Validate()} {
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, joined.Unwrap()...)
		} else {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Result is the outcome of Analyze.
type Result struct {
	Summary *Summary
	// Model is the purchase model used; Purchases its fitted parameters (a BGNBD or a
	// ParetoNBD) and PurchaseFit how its fit ended.
	Model       ModelName
	Purchases   PurchaseModel
	PurchaseFit Convergence
	// Spend is the fitted Gamma-Gamma spend model.
	Spend  GammaGammaFit
	Scores *Scores
}

// Analyze summarizes t as of asOfDay, fits the purchase model and the Gamma-Gamma spend model,
// and scores every customer. When a fit does not converge, Analyze still scores with the best
// parameters found and returns the Result together with an error wrapping ErrNotConverged,
// which a job may report as a warning; every other error comes with a nil Result.
func Analyze(t *feature.Table, asOfDay int32, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s, err := Summarize(t, asOfDay, cfg.Unit)
	if err != nil {
		return nil, err
	}
	// The customers' (x, t_x, T) groups, built once for the fit and the scores.
	groups, index := cohorts(s)
	res := &Result{Summary: s, Model: cfg.Model}
	if res.Model == "" {
		res.Model = ModelBGNBD
	}
	var warnings []error
	keep := func(err error) error {
		if errors.Is(err, ErrNotConverged) {
			warnings = append(warnings, err)
			return nil
		}
		return err
	}
	switch res.Model {
	case ModelBGNBD:
		fit, err := fitBGNBD(s, groups, cfg.Fit)
		if err = keep(err); err != nil {
			return nil, err
		}
		res.Purchases, res.PurchaseFit = fit.Model, fit.Convergence
	case ModelParetoNBD:
		fit, err := fitParetoNBD(s, groups, cfg.Fit)
		if err = keep(err); err != nil {
			return nil, err
		}
		res.Purchases, res.PurchaseFit = fit.Model, fit.Convergence
	}
	res.Spend, err = FitGammaGamma(s, cfg.Fit)
	if err = keep(err); err != nil {
		return nil, err
	}
	purchaseCov, spendCov := res.PurchaseFit.LogCov, res.Spend.LogCov
	if cfg.NoIntervals {
		purchaseCov, spendCov = nil, nil
	}
	res.Scores, err = score(s, groups, index, res.Purchases, res.Spend.Model, cfg.Score, purchaseCov, spendCov)
	if err != nil {
		return nil, err
	}
	return res, errors.Join(warnings...)
}
