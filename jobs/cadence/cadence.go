// Package cadence is the calendar of a series of as-of dates: days as integers, the day, week,
// month and cron cadences, and the ticks of a cron schedule. It is pure (no clock: callers pass
// the time in) and knows nothing of the job.
package cadence

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ErrCadence reports a cadence, date or range that cannot be read; the errors are *Error.
var ErrCadence = errors.New("invalid cadence")

// Error says what is wrong with a cadence, date or range; errors.Is(err, ErrCadence) holds.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

// Is makes an *Error match ErrCadence.
func (e *Error) Is(target error) bool { return target == ErrCadence }

func errorf(format string, a ...any) error { return &Error{fmt.Sprintf(format, a...)} }

const dateLayout = "2006-01-02"

// ParseDay reads a YYYY-MM-DD date as days since 1970-01-01.
func ParseDay(s string) (int32, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return 0, errorf("date %q is not YYYY-MM-DD", s)
	}
	return int32(t.Unix() / 86400), nil
}

// FormatDay writes days since 1970-01-01 as YYYY-MM-DD.
func FormatDay(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(dateLayout)
}

// IsCron reports whether the cadence is a cron expression (it has ticks), not day, week or month.
func (c *Cadence) IsCron() bool { return c.sched != nil }

// PreviousBefore is the as-of date of a cron cadence before day, "" when none falls in the five
// years before it (or the cadence is not a cron expression: their series carry their own).
func (c *Cadence) PreviousBefore(day int32) string {
	if c.sched == nil {
		return ""
	}
	if p := c.previousCron(day); p != noDay {
		return FormatDay(p)
	}
	return ""
}

// A backfill or schedule runs a series of as-of dates. The series comes from a cadence:
//
//	day    every day from the first date
//	week   every 7 days from the first date (same weekday)
//	month  the first date's day of the month in every month, clamped to the month's last day:
//	       from Jan 31 the series is Jan 31, Feb 29 (28), Mar 31, Apr 30, … — each date is
//	       computed from the first date, never from the previous (clamped) one
//	cron   a cron expression (5 fields or a descriptor like @daily) in the schedule's time zone:
//	       the as-of date of a tick is its local date minus one day, the last complete day
//	       (as Airflow's logical date: a run at 02:00 on Mar 1 reports on Feb 29). "0 2 1 * *"
//	       gives the last day of every month; "0 2 * * 1" every Sunday. Several ticks on one
//	       local day give one as-of date.
//
// Every date of a series has a Previous: the date before it in the same series (the first
// date's is computed by stepping back), which migration compares against — never whatever is
// newest on disk.

// ScheduledDate is one as-of date of a series and the series' date before it.
type ScheduledDate struct {
	AsOf     string `json:"as_of"`
	Previous string `json:"previous,omitempty"` // "" when the series has no earlier date
}

// Cadence generates a series of as-of dates; see Parse.
type Cadence struct {
	kind  string // day, week, month, cron
	spec  string
	sched *cron.SpecSchedule
	loc   *time.Location
}

// cronParser reads standard 5-field expressions and descriptors (@daily, @weekly, @monthly…).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Parse reads day, week, month or a cron expression. A cron expression is read in loc
// unless it names its own zone with a CRON_TZ= prefix; @every is refused, since its ticks depend
// on when the process started rather than on the calendar.
//
// Cron fields are matched against the local wall clock, so daylight-saving changes neither drop
// nor double a day: a tick at a wall time the spring-forward change skips (02:30 in New York on
// 2024-03-10) still fires that day, at the instant time.Date gives for that reading (01:30 EST),
// and a tick in the hour the autumn change repeats fires once, at its first occurrence.
func Parse(every string, loc *time.Location) (*Cadence, error) {
	every = strings.TrimSpace(every)
	switch every {
	case "day", "week", "month":
		return &Cadence{kind: every, spec: every, loc: time.UTC}, nil
	case "":
		return nil, errorf("no cadence: want day, week, month or a cron expression")
	}
	if strings.HasPrefix(every, "@every") {
		return nil, errorf("cadence %q: @every has no calendar; use a cron expression such as \"0 2 * * *\"", every)
	}
	if loc == nil {
		loc = time.UTC
	}
	spec := every
	for _, prefix := range []string{"CRON_TZ=", "TZ="} {
		if rest, ok := strings.CutPrefix(spec, prefix); ok {
			name, expr, _ := strings.Cut(rest, " ")
			l, err := time.LoadLocation(name)
			if err != nil {
				return nil, errorf("cadence %q: time zone: %v", every, err)
			}
			loc, spec = l, strings.TrimSpace(expr)
		}
	}
	// The schedule runs on wall-clock time, represented as UTC; see NextTick.
	s, err := cronParser.Parse("CRON_TZ=UTC " + spec)
	if err != nil {
		return nil, errorf("cadence %q is not day, week, month or a cron expression: %v", every, err)
	}
	ss, ok := s.(*cron.SpecSchedule)
	if !ok {
		return nil, errorf("cadence %q: unsupported schedule", every)
	}
	return &Cadence{kind: "cron", spec: every, sched: ss, loc: loc}, nil
}

// String is the cadence as given.
func (c *Cadence) String() string { return c.spec }

// Location is the time zone of a cron cadence's ticks (UTC for day, week and month).
func (c *Cadence) Location() *time.Location { return c.loc }

// maxSeriesDates bounds a series, so a typo like --from 0001-01-01 fails instead of filling the disk.
const maxSeriesDates = 100_000

// Series returns the as-of dates of the cadence from day f to day t, both inclusive
// (from itself is included for day, week and month; for cron, the dates in range that ticks
// give), each with its Previous.
func (c *Cadence) Series(f, t int32) ([]ScheduledDate, error) {
	if t < f {
		return nil, errorf("--to %s is before --from %s", FormatDay(t), FormatDay(f))
	}
	var days []int32
	switch c.kind {
	case "day", "week":
		step := int32(1)
		if c.kind == "week" {
			step = 7
		}
		for d := f; d <= t; d += step {
			days = append(days, d)
		}
		days = append([]int32{f - step}, days...)
	case "month":
		for k := -1; ; k++ {
			d := addMonths(f, k)
			if d > t {
				break
			}
			days = append(days, d)
		}
	case "cron":
		days = c.cronDays(f, t)
		prev := c.previousCron(f)
		days = append([]int32{prev}, days...)
	}
	if len(days)-1 > maxSeriesDates {
		return nil, errorf("%s to %s every %s is %d dates, more than %d", FormatDay(f), FormatDay(t), c.spec, len(days)-1, maxSeriesDates)
	}
	out := make([]ScheduledDate, 0, len(days)-1)
	for i := 1; i < len(days); i++ {
		sd := ScheduledDate{AsOf: FormatDay(days[i])}
		if days[i-1] != noDay {
			sd.Previous = FormatDay(days[i-1])
		}
		out = append(out, sd)
	}
	return out, nil
}

// noDay marks "no earlier date" in a series.
const noDay = int32(-1 << 31)

// addMonths returns the day k months after day's month, on day's day of the month clamped to
// that month's length: addMonths(Jan 31, 1) = Feb 28 or 29.
func addMonths(day int32, k int) int32 {
	t := dayTime(day)
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return timeDay(first.AddDate(0, 0, min(d, last)-1))
}

func dayTime(day int32) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }
func timeDay(t time.Time) int32   { return int32(t.Unix() / 86400) }

// wall is the local wall-clock reading of t in loc, as a UTC time.
func wall(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// instant is the time in loc whose wall clock reads w. For a reading the spring-forward change
// skips it is whatever time.Date gives (in New York, 02:30 on 2024-03-10 is 01:30 EST); for one
// the autumn change repeats, the first occurrence.
func instant(w time.Time, loc *time.Location) time.Time {
	y, m, d := w.Date()
	return time.Date(y, m, d, w.Hour(), w.Minute(), w.Second(), 0, loc)
}

// AsOf is the as-of date of a cron cadence's tick: the tick's local date minus one day.
func (c *Cadence) AsOf(tick time.Time) string { return FormatDay(timeDay(wall(tick, c.loc)) - 1) }

// NextTick is the first tick of a cron cadence strictly after t, and the tick's as-of date; the
// zero time when the expression never fires (like Feb 30). It panics on a day, week or month
// cadence, which has no ticks.
func (c *Cadence) NextTick(t time.Time) (tick time.Time, asOf string) {
	if c.sched == nil {
		panic("cadence: NextTick on a " + c.kind + " cadence")
	}
	w := wall(t, c.loc)
	for range 1000 { // a few steps at most, past readings an autumn change repeats
		w = c.sched.Next(w)
		if w.IsZero() {
			return time.Time{}, ""
		}
		if i := instant(w, c.loc); i.After(t) {
			return i, FormatDay(timeDay(w) - 1)
		}
	}
	return time.Time{}, ""
}

// cronDays lists the as-of days in [f, t] of a cron cadence: ticks on local days f+1 … t+1,
// visiting at most one tick per day. It works on wall-clock time, so it knows no DST.
func (c *Cadence) cronDays(f, t int32) []int32 {
	var days []int32
	at := dayTime(f + 1).Add(-time.Nanosecond)
	for {
		w := c.sched.Next(at)
		if w.IsZero() {
			return days
		}
		d := timeDay(w) - 1
		if d > t {
			return days
		}
		days = append(days, d)
		at = dayTime(d + 2).Add(-time.Nanosecond) // the next local day's ticks
	}
}

// previousCron is the last as-of day of a cron cadence before day, or noDay when none falls in
// the five years before it.
func (c *Cadence) previousCron(day int32) int32 {
	for _, back := range []int32{40, 400, 5 * 366} {
		if ds := c.cronDays(day-back, day-1); len(ds) > 0 {
			return ds[len(ds)-1]
		}
	}
	return noDay
}
