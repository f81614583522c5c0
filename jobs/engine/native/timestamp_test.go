package native

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestDayerMatchesTimeIn checks the period cache against the time package's own conversion
// (time.In, then the civil date) for instants in random order across many DST changes, in
// microseconds and nanoseconds.
func TestDayerMatchesTimeIn(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"} {
		t.Run(name, func(t *testing.T) {
			loc, err := time.LoadLocation(name)
			if err != nil {
				t.Fatal(err)
			}
			d := newDayer(loc)
			rng := rand.New(rand.NewPCG(1, 2))
			lo, hi := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			for range 20000 {
				sec := lo + rng.Int64N(hi-lo)
				y, m, dd := time.Unix(sec, 0).In(loc).Date()
				want := int32(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400)
				if got := d.day(sec*1_000_000+999_999, 1_000_000); got != want {
					t.Fatalf("%s: got day %d, want %d", time.Unix(sec, 0).In(loc), got, want)
				}
				if got := d.day(sec*1_000_000_000, 1_000_000_000); got != want {
					t.Fatalf("%s (ns): got day %d, want %d", time.Unix(sec, 0).In(loc), got, want)
				}
			}
		})
	}
}
