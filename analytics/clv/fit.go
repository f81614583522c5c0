package clv

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

// FitConfig controls the maximum-likelihood fits. Its zero value is the default.
type FitConfig struct {
	// MaxIterations caps the optimizer's major iterations; 0 means 1000.
	MaxIterations int
	// GradientTolerance is the convergence test: the fit has converged when the largest
	// component of the gradient of the mean per-customer log-likelihood with respect to the
	// log-parameters is below it. 0 means 1e-6.
	GradientTolerance float64
}

func (c FitConfig) withDefaults() FitConfig {
	if c.MaxIterations == 0 {
		c.MaxIterations = 1000
	}
	if c.GradientTolerance == 0 {
		c.GradientTolerance = 1e-6
	}
	return c
}

func (c FitConfig) validate() error {
	var errs []error
	if c.MaxIterations < 0 {
		errs = append(errs, fmt.Errorf("%w: MaxIterations %d, want >= 0", ErrConfig, c.MaxIterations))
	}
	if !(c.GradientTolerance >= 0) || math.IsInf(c.GradientTolerance, 1) {
		errs = append(errs, fmt.Errorf("%w: GradientTolerance %v, want a finite value >= 0", ErrConfig, c.GradientTolerance))
	}
	return errors.Join(errs...)
}

// Convergence reports how a maximum-likelihood fit ended.
type Convergence struct {
	// Converged reports whether the gradient test (FitConfig.GradientTolerance) was met.
	Converged bool
	// Status is the optimizer's final status (gonum optimize.Status), e.g. "GradientThreshold".
	Status string
	// Iterations and Evaluations count the optimizer's major iterations and objective
	// evaluations.
	Iterations, Evaluations int
	// LogLikelihood is the total log-likelihood of the fitted customers at the returned
	// parameters.
	LogLikelihood float64
	// Customers is the number of customers fitted; Groups the number of distinct inputs they
	// were grouped into.
	Customers, Groups int
	// StdErrors are the parameters' standard errors, in the order of the model's parameters,
	// from the observed information (StandardErrors); nil when the information matrix at the
	// optimum is not positive definite (a flat likelihood).
	StdErrors []float64
	// LogCov is the covariance of the log-parameters (the inverse observed information on the
	// log scale), for intervals and parametric bootstraps; nil with StdErrors.
	LogCov [][]float64
}

// objective is a negative mean log-likelihood over log-parameters; grad, when non-nil,
// receives its gradient. It returns +Inf where the likelihood cannot be evaluated.
type objective func(logParams, grad []float64) float64

// maximize fits by BFGS on the log-parameters, starting at start (natural scale), and returns
// the natural-scale parameters. With analytic == false the gradient is taken by central finite
// differences. customers scales the mean log-likelihood back to a total.
func maximize(f objective, start []float64, analytic bool, customers float64, cfg FitConfig) ([]float64, Convergence, error) {
	cfg = cfg.withDefaults()
	x0 := make([]float64, len(start))
	for i, v := range start {
		x0[i] = math.Log(v)
	}
	value := func(x []float64) float64 {
		v := f(x, nil)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	problem := optimize.Problem{Func: value}
	if analytic {
		problem.Grad = func(grad, x []float64) { f(x, grad) }
	} else {
		problem.Grad = func(grad, x []float64) {
			fd.Gradient(grad, value, x, &fd.Settings{Formula: fd.Central})
		}
	}
	settings := &optimize.Settings{
		GradientThreshold: cfg.GradientTolerance,
		MajorIterations:   cfg.MaxIterations,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-13, Relative: 1e-13, Iterations: 50},
	}
	res, optErr := optimize.Minimize(problem, x0, settings, &optimize.BFGS{})
	if res == nil {
		return nil, Convergence{Status: "Failure"}, fmt.Errorf("%w: %v", ErrNotConverged, optErr)
	}
	params := make([]float64, len(start))
	for i, v := range res.X {
		params[i] = math.Exp(v)
	}
	grad := make([]float64, len(start))
	problem.Grad(grad, res.X)
	gradNorm := floats.Norm(grad, math.Inf(1))
	conv := Convergence{
		Converged:     gradNorm < cfg.GradientTolerance && !math.IsInf(res.F, 0),
		Status:        res.Status.String(),
		Iterations:    res.MajorIterations,
		Evaluations:   res.FuncEvaluations,
		LogLikelihood: -res.F * customers,
	}
	conv.StdErrors, conv.LogCov = standardErrors(problem, res.X, customers, analytic)
	if !conv.Converged {
		return params, conv, fmt.Errorf("%w: status %s after %d iterations, gradient norm %.3g (tolerance %.3g), optimizer error %v",
			ErrNotConverged, conv.Status, conv.Iterations, gradNorm, cfg.GradientTolerance, optErr)
	}
	return params, conv, nil
}

// logSumExp returns log(e^a + e^b) without overflow; either may be −Inf.
func logSumExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// lgamma returns log|Γ(x)|.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// sumChunk is the number of cohorts in one unit of parallel work (par.Chunks, par.Sums): a
// fixed size, so sums are the same bits on any number of cores.
const sumChunk = 1 << 14
