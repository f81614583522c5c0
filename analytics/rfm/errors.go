package rfm

import "errors"

// Errors returned by this package. Each is wrapped with the customer, field or value at fault;
// test with errors.Is.
var (
	// ErrConfig reports an invalid Config; Validate joins one wrapped ErrConfig per problem.
	ErrConfig = errors.New("rfm: invalid configuration")
	// ErrPurchaseAfterAsOf reports a customer whose last purchase lies after the as-of day, so
	// the recency would be negative: the engine's window and the as-of date disagree.
	ErrPurchaseAfterAsOf = errors.New("rfm: last purchase after the as-of day")
	// ErrInconsistentRow reports a feature-table row whose frequency and last purchase day
	// contradict each other (purchases without a day, or a negative frequency).
	ErrInconsistentRow = errors.New("rfm: inconsistent feature row")
)
