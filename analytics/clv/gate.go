package clv

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Gate refuses a fit on too little data, the way marketing tools gate their predictions: fewer
// than minBuyers customers with a purchase, or a history shorter than minHistoryDays (from the
// earliest first purchase to the as-of day, both days counted). A bound of 0 is no bound. The
// error wraps ErrTooLittleData and says which bound failed, by how much.
func Gate(t *feature.Table, asOfDay int32, minBuyers, minHistoryDays int) error {
	buyers := 0
	first := feature.NoDate
	for i, f := range t.Frequency {
		if f > 0 {
			buyers++
			if d := t.FirstPurchase[i]; first == feature.NoDate || d < first {
				first = d
			}
		}
	}
	if buyers < minBuyers {
		return fmt.Errorf("%w: %d customers with a purchase, fewer than %d", ErrTooLittleData, buyers, minBuyers)
	}
	if minHistoryDays > 0 {
		days := 0
		if first != feature.NoDate {
			days = int(asOfDay-first) + 1
		}
		if days < minHistoryDays {
			return fmt.Errorf("%w: %d days of history, fewer than %d", ErrTooLittleData, days, minHistoryDays)
		}
	}
	return nil
}
