package cadence

import (
	"errors"
	"testing"
	"time"
)

// FuzzParseCadence feeds random cadences (day, week, month, cron expressions with CRON_TZ=)
// to Parse: an error wrapping ErrCadence, or a cadence whose next tick after a fixed
// instant is later than it and comes back within a second.
func FuzzParseCadence(f *testing.F) {
	for _, s := range []string{"day", "week", "month", "0 2 * * *", "CRON_TZ=America/New_York 30 2 * * *", "@daily",
		"0 0 30 2 *", "@every 1h", "TZ=Nowhere/None 0 0 * * *", "*/0 * * * *", "0 0 31 4 *", "59 23 29 2 1"} {
		f.Add(s)
	}
	from := time.Date(2024, 3, 10, 1, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, every string) {
		c, err := Parse(every, time.UTC)
		if err != nil {
			if !errors.Is(err, ErrCadence) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrCadence", every, err)
			}
			return
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			switch c.String() {
			case "day", "week", "month": // calendar cadences have series, not ticks
				if _, err := c.Series(19723, 19813); err != nil {
					t.Errorf("cadence %q: Series: %v", every, err)
				}
				return
			}
			tick, asOf := c.NextTick(from)
			if !tick.IsZero() && !tick.After(from) {
				t.Errorf("cadence %q: next tick %v is not after %v", every, tick, from)
			}
			if !tick.IsZero() {
				if _, err := ParseDay(asOf); err != nil {
					t.Errorf("cadence %q: as-of %q: %v", every, asOf, err)
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(time.Second):
			t.Fatalf("cadence %q: NextTick did not return within a second", every)
		}
	})
}
