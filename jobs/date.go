package jobs

import (
	"fmt"
	"time"
)

const dateLayout = "2006-01-02"

// ParseDay reads a YYYY-MM-DD date as days since 1970-01-01.
func ParseDay(s string) (int32, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return 0, fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrConfig, s)
	}
	return int32(t.Unix() / 86400), nil
}

// FormatDay writes days since 1970-01-01 as YYYY-MM-DD.
func FormatDay(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(dateLayout)
}
