// Package quality decides whether a run may use an input with rejected rows: the one rule,
// rejected / read ≤ the configured maximum share, for the transactions and the activity table
// alike.
package quality

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrTooManyRejected reports an input whose rejected share is above the maximum.
var ErrTooManyRejected = errors.New("too many rejected rows")

// Error is a failed check: Rejected of Read rows were rejected, above Max, by reason.
type Error struct {
	What           string // "" for the transactions, "activity table" for that table
	Read, Rejected int64
	Max            float64
	ByReason       map[string]int64
}

func (e *Error) Error() string {
	prefix := ""
	if e.What != "" {
		prefix = e.What + ": "
	}
	return fmt.Sprintf("%s%d of %d rows rejected (%.2f%%), above quality.max_rejected_share %.2f%% (%s)",
		prefix, e.Rejected, e.Read, 100*e.Share(), 100*e.Max, Reasons(e.ByReason))
}

// Unwrap lets errors.Is find ErrTooManyRejected.
func (e *Error) Unwrap() error { return ErrTooManyRejected }

// Share is rejected / read (0 for no rows).
func (e *Error) Share() float64 {
	if e.Read == 0 {
		return 0
	}
	return float64(e.Rejected) / float64(e.Read)
}

// Check returns an *Error when rejected / read exceeds max, else nil. No rows read passes.
func Check(what string, read int64, byReason map[string]int64, max float64) error {
	var rejected int64
	for _, n := range byReason {
		rejected += n
	}
	e := &Error{What: what, Read: read, Rejected: rejected, Max: max, ByReason: byReason}
	if rejected == 0 || read == 0 || e.Share() <= max {
		return nil
	}
	return e
}

// Reasons lists the non-zero counts by reason, sorted: "bad_timestamp: 3, null_amount: 1".
func Reasons(byReason map[string]int64) string {
	var parts []string
	for reason, n := range byReason {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", reason, n))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
