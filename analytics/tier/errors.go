package tier

import (
	"errors"
	"fmt"
)

// Errors returned by this package, wrapped with the value at fault; test with errors.Is.
var (
	// ErrConfig reports an invalid Config; Validate joins one wrapped ErrConfig per problem.
	ErrConfig = errors.New("tier: invalid configuration")
	// ErrOverflow reports a tier sum beyond the int64 range of minor units.
	ErrOverflow = errors.New("tier: money overflows int64")
)

// OptionError is one invalid Config field: Field is the field's name (ShareCuts, Thresholds…),
// Value its value after defaults, Want what is accepted. It wraps ErrConfig. Callers that expose
// the configuration under other names (a config file's keys) rename Field; Want names no field.
type OptionError struct {
	Field string
	Value any
	Want  string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%v: %s is %v, want %s", ErrConfig, e.Field, e.Value, e.Want)
}

// Unwrap lets errors.Is find ErrConfig.
func (e *OptionError) Unwrap() error { return ErrConfig }
