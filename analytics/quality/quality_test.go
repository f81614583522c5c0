package quality

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name     string
		read     int64
		byReason map[string]int64
		max      float64
		fail     bool
	}{
		{"none rejected", 100, nil, 0, false},
		{"at the maximum", 100, map[string]int64{"null_amount": 1}, 0.01, false},
		{"above it", 100, map[string]int64{"null_amount": 1, "bad_timestamp": 1}, 0.01, true},
		{"nothing read", 0, map[string]int64{"null_amount": 1}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check("activity table", tc.read, tc.byReason, tc.max)
			if (err != nil) != tc.fail {
				t.Fatalf("Check = %v, want failure %v", err, tc.fail)
			}
			if !tc.fail {
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrTooManyRejected) || e.Rejected != 2 || e.Share() != 0.02 {
				t.Fatalf("Check = %#v, want an *Error of 2 rejected rows, share 0.02", err)
			}
			want := "activity table: 2 of 100 rows rejected (2.00%), above quality.max_rejected_share 1.00% (bad_timestamp: 1, null_amount: 1)"
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}
