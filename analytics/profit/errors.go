package profit

import "errors"

// Errors returned by this package, wrapped with the customer, activity or value at fault; test
// with errors.Is.
var (
	// ErrConfig reports an invalid Config; Validate joins one wrapped ErrConfig per problem.
	ErrConfig = errors.New("profit: invalid configuration")
	// ErrUnknownActivity reports activities with a quantity but no rate; the message lists all
	// of them. Config.IgnoreUnknown turns it into Result.Ignored.
	ErrUnknownActivity = errors.New("profit: activity without a rate")
	// ErrDuplicateActivity reports two activity records with the same name.
	ErrDuplicateActivity = errors.New("profit: duplicate activity")
	// ErrQuantity reports a quantity that is negative, NaN or infinite.
	ErrQuantity = errors.New("profit: invalid activity quantity")
	// ErrMarginRate reports a per-customer margin rate that is NaN, infinite or above 1.
	ErrMarginRate = errors.New("profit: invalid margin rate")
	// ErrOverflow reports money beyond the int64 range of minor units.
	ErrOverflow = errors.New("profit: money overflows int64")
)
