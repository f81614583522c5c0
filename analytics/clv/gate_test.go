package clv

import (
	"errors"
	"testing"

	"github.com/rfmjob/rfm/analytics/feature"
)

func TestGate(t *testing.T) {
	// Three buyers (first purchases on days 100, 150, 280) and one customer without a purchase.
	tb := &feature.Table{
		CustomerID:    []string{"a", "b", "c", "d"},
		Frequency:     []int64{1, 3, 0, 2},
		FirstPurchase: []int32{150, 100, feature.NoDate, 280},
	}
	for _, tc := range []struct {
		buyers, days int
		fail         string
	}{
		{0, 0, ""},
		{3, 200, ""}, // 299 − 100 + 1 = 200 days: exactly enough
		{4, 0, "3 customers with a purchase, fewer than 4"},
		{0, 201, "200 days of history, fewer than 201"},
	} {
		err := Gate(tb, 299, tc.buyers, tc.days)
		switch {
		case tc.fail == "" && err != nil:
			t.Errorf("Gate(%d, %d) = %v, want nil", tc.buyers, tc.days, err)
		case tc.fail != "" && (!errors.Is(err, ErrTooLittleData) || err.Error() != "clv: too little data to fit: "+tc.fail):
			t.Errorf("Gate(%d, %d) = %v, want %q", tc.buyers, tc.days, err, tc.fail)
		}
	}
	empty := &feature.Table{CustomerID: []string{"x"}, Frequency: []int64{0}, FirstPurchase: []int32{feature.NoDate}}
	if err := Gate(empty, 10, 0, 1); !errors.Is(err, ErrTooLittleData) {
		t.Errorf("no buyer, any history bound: %v, want ErrTooLittleData", err)
	}
}
