package jobs

import (
	"fmt"

	"github.com/rfmjob/rfm/jobs/cadence"
)

// ParseDay reads a YYYY-MM-DD date as days since 1970-01-01; a malformed date is ErrConfig.
func ParseDay(s string) (int32, error) {
	d, err := cadence.ParseDay(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return d, nil
}

// FormatDay writes days since 1970-01-01 as YYYY-MM-DD.
func FormatDay(day int32) string { return cadence.FormatDay(day) }
