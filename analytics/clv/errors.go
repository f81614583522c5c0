package clv

import "errors"

// Errors returned by this package. Each is wrapped with the customer, field or value at fault;
// test with errors.Is.
var (
	// ErrConfig reports an invalid Config or ScoreConfig; Validate joins one wrapped ErrConfig
	// per problem.
	ErrConfig = errors.New("clv: invalid configuration")
	// ErrInconsistentRow reports a feature-table row whose purchase columns contradict each
	// other (purchases without a first day, a last purchase before the first, more purchase
	// days than purchases, a first-day value above the purchase value).
	ErrInconsistentRow = errors.New("clv: inconsistent feature row")
	// ErrPurchaseAfterAsOf reports a customer whose last purchase lies after the as-of day: the
	// engine's window and the as-of date disagree.
	ErrPurchaseAfterAsOf = errors.New("clv: last purchase after the as-of day")
	// ErrNoCustomers reports a fit with no customer to fit (no purchaser, or for Gamma-Gamma no
	// repeat purchaser).
	ErrNoCustomers = errors.New("clv: no customers to fit")
	// ErrNotConverged reports a maximum-likelihood fit that stopped without meeting its
	// convergence test. The fit result still carries the best parameters found and
	// Converged = false; a job may report this error as a warning.
	ErrNotConverged = errors.New("clv: fit did not converge")
	// ErrNoMeanSpend reports a Gamma-Gamma fit with q <= 1, for which the mean spend
	// p·γ/(q−1) does not exist, so no expected spend (and no CLV) can be computed.
	ErrNoMeanSpend = errors.New("clv: gamma-gamma mean spend undefined (q <= 1)")
)

// ErrTooLittleData reports a history too small to fit the models on (Gate).
var ErrTooLittleData = errors.New("clv: too little data to fit")
