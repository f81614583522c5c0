package native

import (
	"math"
	"time"
)

// floorDiv divides rounding toward negative infinity, so that instants before 1970 fall on the
// right day.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dayer turns instants into days since 1970-01-01 in a time zone. It keeps every zone period
// (the interval between two offset changes) it has met, so that after the first instant of each
// period a row costs a comparison or a short scan, never a call to time.In.
type dayer struct {
	loc     *time.Location // nil: UTC
	periods []period       // the periods met, in the order met
	last    int            // index of the period of the last instant
}

// period is an interval [start, end) of Unix seconds with one UTC offset.
type period struct{ start, end, offset int64 }

func newDayer(loc *time.Location) *dayer {
	if loc == time.UTC {
		loc = nil
	}
	return &dayer{loc: loc}
}

// day returns the day of the instant v, counted in units of which perSec make a second.
func (d *dayer) day(v, perSec int64) int32 {
	if d.loc == nil {
		return int32(floorDiv(v, perSec*86400))
	}
	return int32(floorDiv(v+d.offset(floorDiv(v, perSec))*perSec, perSec*86400))
}

// offset returns the UTC offset in seconds at Unix second sec.
func (d *dayer) offset(sec int64) int64 {
	if d.last < len(d.periods) {
		if p := d.periods[d.last]; sec >= p.start && sec < p.end {
			return p.offset
		}
	}
	for i, p := range d.periods {
		if sec >= p.start && sec < p.end {
			d.last = i
			return p.offset
		}
	}
	t := time.Unix(sec, 0).In(d.loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	p := period{start: math.MinInt64, end: math.MaxInt64, offset: int64(off)}
	if !s.IsZero() {
		p.start = s.Unix()
	}
	if !e.IsZero() {
		p.end = e.Unix()
	}
	if len(d.periods) < 64 {
		d.periods = append(d.periods, p)
		d.last = len(d.periods) - 1
	} else {
		d.periods[d.last] = p // beyond 64 periods, replace the last one used
	}
	return p.offset
}

// parseISO parses an ISO-8601 date or timestamp into microseconds since the epoch (UTC):
// "2009-12-01", "2009-12-01 07:45", "2009-12-01 07:45:00", "2009-12-01T07:45:00.123456",
// each optionally followed by "Z", "+01", "+01:00" or "+0100" (the offset is subtracted; without
// one the time is taken as UTC). Fractions beyond microseconds are truncated.
func parseISO(s []byte) (int64, bool) {
	p := isoParser{s: s}
	y, ok1 := p.digits(4, 4)
	ok2 := p.lit('-')
	mo, ok3 := p.digits(1, 2)
	ok4 := p.lit('-')
	d, ok5 := p.digits(1, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	var micros int64
	if p.lit(' ') || p.lit('T') {
		h, ok1 := p.digits(2, 2)
		ok2 := p.lit(':')
		mi, ok3 := p.digits(2, 2)
		if !(ok1 && ok2 && ok3) || h > 23 || mi > 59 {
			return 0, false
		}
		var sec int64
		if p.lit(':') {
			var ok bool
			if sec, ok = p.digits(2, 2); !ok || sec > 59 {
				return 0, false
			}
			if p.lit('.') {
				start := p.i
				frac, ok := p.digits(1, 9)
				if !ok {
					return 0, false
				}
				for n := p.i - start; n < 6; n++ {
					frac *= 10
				}
				for n := p.i - start; n > 6; n-- {
					frac /= 10
				}
				micros = frac
			}
		}
		micros += (h*3600 + mi*60 + sec) * 1_000_000
		switch {
		case p.lit('Z'):
		case p.i < len(s) && (s[p.i] == '+' || s[p.i] == '-'):
			sign := int64(1)
			if s[p.i] == '-' {
				sign = -1
			}
			p.i++
			oh, ok := p.digits(2, 2)
			if !ok || oh > 23 {
				return 0, false
			}
			var om int64
			if p.lit(':') {
				if om, ok = p.digits(2, 2); !ok {
					return 0, false
				}
			} else if p.i < len(s) {
				if om, ok = p.digits(2, 2); !ok {
					return 0, false
				}
			}
			if om > 59 {
				return 0, false
			}
			micros -= sign * (oh*3600 + om*60) * 1_000_000
		}
	}
	if p.i != len(s) {
		return 0, false
	}
	return days*86_400_000_000 + micros, true
}

type isoParser struct {
	s []byte
	i int
}

func (p *isoParser) lit(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// digits reads between lo and hi decimal digits.
func (p *isoParser) digits(lo, hi int) (int64, bool) {
	var v int64
	n := 0
	for n < hi && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int64(p.s[p.i]-'0')
		p.i++
		n++
	}
	return v, n >= lo
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant,
// "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// perSecond returns how many of a timestamp unit make a second.
func perSecond(unit string) int64 {
	switch unit {
	case "ms":
		return 1_000
	case "ns":
		return 1_000_000_000
	}
	return 1_000_000
}
