package pareto

import "errors"

// Errors returned by this package, wrapped with the value at fault; test with errors.Is.
var (
	// ErrConfig reports an invalid Config; Validate joins one wrapped ErrConfig per problem.
	ErrConfig = errors.New("pareto: invalid configuration")
	// ErrOverflow reports a total value beyond the int64 range of minor units.
	ErrOverflow = errors.New("pareto: total value overflows int64")
	// ErrTooManyCustomers reports more customers than the int32 positions the ranking uses.
	ErrTooManyCustomers = errors.New("pareto: too many customers")
)
