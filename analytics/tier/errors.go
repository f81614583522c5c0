package tier

import "errors"

// Errors returned by this package, wrapped with the value at fault; test with errors.Is.
var (
	// ErrConfig reports an invalid Config; Validate joins one wrapped ErrConfig per problem.
	ErrConfig = errors.New("tier: invalid configuration")
	// ErrOverflow reports a tier sum beyond the int64 range of minor units.
	ErrOverflow = errors.New("tier: money overflows int64")
)
