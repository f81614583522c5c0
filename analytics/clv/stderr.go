package clv

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// standardErrors returns the standard errors of the natural-scale parameters exp(φ) at the
// optimum φ of a negative mean log-likelihood over log-parameters, and the covariance of φ.
//
// The observed information is the Hessian of the total negative log-likelihood,
// I(φ) = n·∇²f(φ) with f the mean over n customers: by central differences of the analytic
// gradient when there is one (step 1e-5; each column is (∇f(φ+h·e_j) − ∇f(φ−h·e_j))/2h, then the
// matrix is symmetrized), else by gonum's fd.Hessian with central differences of f. Cov(φ) = I(φ)⁻¹, and
// by the delta method se(θ_i) = θ_i·sqrt(Cov(φ)_ii) for θ_i = exp(φ_i). A 95% interval on the log
// scale, exp(φ_i ± 1.96·sqrt(Cov(φ)_ii)), stays positive (LogInterval).
//
// Both are nil when I(φ) is not positive definite (a likelihood flat in some direction, where
// no standard error is meaningful) or any entry is not finite.
//
// References: Efron & Hinkley (1978), "Assessing the accuracy of the maximum likelihood
// estimator: observed versus expected Fisher information"; the CLVTools package reports the
// same observed-information errors for its Pareto/NBD fits.
func standardErrors(p optimize.Problem, phi []float64, n float64, analytic bool) ([]float64, [][]float64) {
	k := len(phi)
	h := mat.NewSymDense(k, nil)
	if analytic {
		const step = 1e-5
		x := make([]float64, k)
		gp, gm := make([]float64, k), make([]float64, k)
		cols := make([][]float64, k)
		for j := range k {
			copy(x, phi)
			x[j] = phi[j] + step
			p.Grad(gp, x)
			x[j] = phi[j] - step
			p.Grad(gm, x)
			cols[j] = make([]float64, k)
			for i := range k {
				cols[j][i] = (gp[i] - gm[i]) / (2 * step)
			}
		}
		for i := range k {
			for j := i; j < k; j++ {
				h.SetSym(i, j, (cols[j][i]+cols[i][j])/2)
			}
		}
	} else {
		fd.Hessian(h, p.Func, phi, &fd.Settings{Formula: fd.Central})
	}
	h.ScaleSym(n, h)
	var chol mat.Cholesky
	if !chol.Factorize(h) {
		return nil, nil
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil, nil
	}
	se := make([]float64, k)
	logCov := make([][]float64, k)
	for i := range k {
		logCov[i] = make([]float64, k)
		for j := range k {
			logCov[i][j] = cov.At(i, j)
		}
		v := cov.At(i, i)
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, nil
		}
		se[i] = math.Exp(phi[i]) * math.Sqrt(v)
	}
	return se, logCov
}

// LogInterval is the 95% interval of parameter i of a fit, exp(log θ ± 1.96·se(log θ)), from
// its value and LogCov; ok is false without a covariance.
func (c Convergence) LogInterval(i int, value float64) (lo, hi float64, ok bool) {
	if c.LogCov == nil || i >= len(c.LogCov) {
		return 0, 0, false
	}
	s := 1.959963984540054 * math.Sqrt(c.LogCov[i][i])
	return value * math.Exp(-s), value * math.Exp(s), true
}
