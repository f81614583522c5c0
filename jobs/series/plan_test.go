package series

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/store"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func asOfs(s []ScheduledDate) []string {
	out := make([]string, len(s))
	for i, d := range s {
		out[i] = d.AsOf
	}
	return out
}

func TestCadenceSeries(t *testing.T) {
	tests := []struct {
		name, every, tz, from, to string
		want                      []string
		prev                      string // Previous of the first date
	}{
		{"days over a leap day", "day", "", "2024-02-27", "2024-03-02",
			[]string{"2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"}, "2024-02-26"},
		{"one day", "day", "", "2024-05-05", "2024-05-05", []string{"2024-05-05"}, "2024-05-04"},
		{"weeks keep the weekday", "week", "", "2024-01-01", "2024-01-30",
			[]string{"2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"}, "2023-12-25"},
		{"month ends from Jan 31 in a leap year", "month", "", "2024-01-31", "2024-06-30",
			[]string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"}, "2023-12-31"},
		{"month ends from Jan 31 in a common year", "month", "", "2023-01-31", "2023-03-31",
			[]string{"2023-01-31", "2023-02-28", "2023-03-31"}, "2022-12-31"},
		{"from Feb 29 every month is the 29th, Feb 28 next year", "month", "", "2024-02-29", "2025-03-01",
			[]string{"2024-02-29", "2024-03-29", "2024-04-29", "2024-05-29", "2024-06-29", "2024-07-29", "2024-08-29",
				"2024-09-29", "2024-10-29", "2024-11-29", "2024-12-29", "2025-01-29", "2025-02-28"}, "2024-01-29"},
		{"mid-month", "month", "", "2024-11-15", "2025-01-15", []string{"2024-11-15", "2024-12-15", "2025-01-15"}, "2024-10-15"},
		{"cron on the 1st reports month ends", "0 2 1 * *", "UTC", "2024-01-01", "2024-04-30",
			[]string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"}, "2023-12-31"},
		{"cron on Mondays reports Sundays", "0 6 * * 1", "Europe/Berlin", "2024-03-01", "2024-03-31",
			[]string{"2024-03-03", "2024-03-10", "2024-03-17", "2024-03-24", "2024-03-31"}, "2024-02-25"},
		{"hourly cron gives one date per day", "0 * * * *", "UTC", "2024-03-01", "2024-03-03",
			[]string{"2024-03-01", "2024-03-02", "2024-03-03"}, "2024-02-29"},
		{"@daily descriptor", "@daily", "Asia/Tokyo", "2024-12-30", "2025-01-01",
			[]string{"2024-12-30", "2024-12-31", "2025-01-01"}, "2024-12-29"},
		// 02:30 does not exist in New York on 2024-03-10; the tick still fires, so the as-of
		// date 2024-03-09 is not lost.
		{"cron in the spring-forward gap keeps the day", "30 2 * * *", "America/New_York", "2024-03-08", "2024-03-11",
			[]string{"2024-03-08", "2024-03-09", "2024-03-10", "2024-03-11"}, "2024-03-07"},
		{"cron in the repeated autumn hour fires once", "30 1 * * *", "America/New_York", "2024-11-01", "2024-11-04",
			[]string{"2024-11-01", "2024-11-02", "2024-11-03", "2024-11-04"}, "2024-10-31"},
		{"CRON_TZ prefix overrides the zone", "CRON_TZ=Pacific/Auckland 0 1 1 * *", "UTC", "2024-01-01", "2024-03-31",
			[]string{"2024-01-31", "2024-02-29", "2024-03-31"}, "2023-12-31"},
		{"yearly cron finds a previous date a year back", "0 3 1 1 *", "UTC", "2024-12-01", "2025-12-31",
			[]string{"2024-12-31", "2025-12-31"}, "2023-12-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc := time.UTC
			if tc.tz != "" {
				loc = mustLoc(t, tc.tz)
			}
			c, err := cadence.Parse(tc.every, loc)
			if err != nil {
				t.Fatal(err)
			}
			s, err := seriesOf(c, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if got := asOfs(s); !slices.Equal(got, tc.want) {
				t.Fatalf("dates got %v, want %v", got, tc.want)
			}
			if s[0].Previous != tc.prev {
				t.Errorf("previous of %s got %q, want %q", s[0].AsOf, s[0].Previous, tc.prev)
			}
			for i := 1; i < len(s); i++ {
				if s[i].Previous != s[i-1].AsOf {
					t.Errorf("previous of %s got %q, want the series' date before, %s", s[i].AsOf, s[i].Previous, s[i-1].AsOf)
				}
			}
		})
	}
}

func TestParseCadenceErrors(t *testing.T) {
	for _, every := range []string{"", "fortnight", "@every 24h", "61 * * * *", "CRON_TZ=Mars/Olympus 0 2 * * *"} {
		t.Run(every, func(t *testing.T) {
			if _, err := cadence.Parse(every, time.UTC); !errors.Is(err, cadence.ErrCadence) {
				t.Errorf("got %v, want cadence.ErrCadence", err)
			}
		})
	}
	c, _ := cadence.Parse("day", nil)
	for _, r := range [][2]string{{"2024-02-01", "2024-01-01"}, {"2024-13-01", "2024-12-01"}, {"0001-01-01", "9999-12-31"}} {
		if _, err := seriesOf(c, r[0], r[1]); !errors.Is(err, jobs.ErrConfig) {
			t.Errorf("Series(%s, %s) got %v, want jobs.ErrConfig", r[0], r[1], err)
		}
	}
}

// TestNextTickDST checks the instants and as-of dates of ticks around New York's 2024 changes.
func TestNextTickDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	tests := []struct {
		name, every string
		after       time.Time
		want        []string // tick in RFC 3339 + " " + as-of
	}{
		{"spring forward", "30 2 * * *", time.Date(2024, 3, 9, 12, 0, 0, 0, ny), []string{
			"2024-03-10T01:30:00-05:00 2024-03-09", "2024-03-11T02:30:00-04:00 2024-03-10"}},
		{"fall back", "30 1 * * *", time.Date(2024, 11, 2, 12, 0, 0, 0, ny), []string{
			"2024-11-03T01:30:00-04:00 2024-11-02", "2024-11-04T01:30:00-05:00 2024-11-03"}},
		{"tick at local midnight", "0 0 * * *", time.Date(2024, 6, 30, 23, 0, 0, 0, ny), []string{
			"2024-07-01T00:00:00-04:00 2024-06-30", "2024-07-02T00:00:00-04:00 2024-07-01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cadence.Parse(tc.every, ny)
			if err != nil {
				t.Fatal(err)
			}
			at := tc.after
			var got []string
			for range tc.want {
				tick, asOf := c.NextTick(at)
				got = append(got, tick.Format(time.RFC3339)+" "+asOf)
				if c.AsOf(tick) != asOf {
					t.Errorf("AsOf(%v) = %s, NextTick said %s", tick, c.AsOf(tick), asOf)
				}
				at = tick
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// A CRON_TZ prefix wins over the configured zone: 01:00 in Auckland (UTC+13 in January) is
	// 12:00 UTC the day before, and its local date, Jan 1, reports on Dec 31.
	akl, err := cadence.Parse("CRON_TZ=Pacific/Auckland 0 1 * * *", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	tick, asOf := akl.NextTick(time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC))
	if want := time.Date(2023, 12, 31, 12, 0, 0, 0, time.UTC); !tick.Equal(want) || asOf != "2023-12-31" {
		t.Errorf("Auckland tick got %v %s, want %v 2023-12-31", tick.UTC(), asOf, want)
	}
	never, _ := cadence.Parse("0 0 30 2 *", time.UTC)
	if tick, asOf := never.NextTick(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); !tick.IsZero() || asOf != "" {
		t.Errorf("Feb 30: got %v %q, want no tick", tick, asOf)
	}
}

// writeManifest marks a date complete in dir, as a committed run would.
func writeManifest(t *testing.T, dir, date string) {
	t.Helper()
	p := store.ManifestPath(dir, date)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"as_of":"`+date+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBuildPlanStatesAndRerun(t *testing.T) {
	dir := t.TempDir()
	writeManifest(t, dir, "2024-01-01")
	writeManifest(t, dir, "2024-01-03")
	if err := store.RecordFailure(dir, failure("2024-01-02", errors.Join(jobs.ErrInput, errors.New("bad rows")))); err != nil {
		t.Fatal(err)
	}
	// A failure record older than a later successful run does not hide the manifest.
	if err := store.RecordFailure(dir, failure("2024-01-03", jobs.ErrInput)); err != nil {
		t.Fatal(err)
	}
	c, _ := cadence.Parse("day", nil)
	series, err := seriesOf(c, "2024-01-01", "2024-01-04")
	if err != nil {
		t.Fatal(err)
	}
	wantState := []DateState{StateComplete, StateFailed, StateComplete, StateMissing}
	tests := []struct {
		rerun Rerun
		run   []bool
	}{
		{RerunFailed, []bool{false, true, false, true}},
		{RerunNone, []bool{false, false, false, true}},
		{RerunAll, []bool{true, true, true, true}},
	}
	for _, tc := range tests {
		t.Run(string(tc.rerun), func(t *testing.T) {
			p := BuildPlan(dir, series, tc.rerun)
			for i, d := range p.Dates {
				if d.State != wantState[i] || d.Run != tc.run[i] {
					t.Errorf("%s got state %s run %v, want %s run %v", d.AsOf, d.State, d.Run, wantState[i], tc.run[i])
				}
			}
			complete, failed, missing, run := p.Count()
			if complete != 2 || failed != 1 || missing != 1 {
				t.Errorf("counts got %d complete %d failed %d missing, want 2 1 1", complete, failed, missing)
			}
			if want := countTrue(tc.run); run != want {
				t.Errorf("run count got %d, want %d", run, want)
			}
		})
	}
	p := BuildPlan(dir, series, RerunFailed)
	if f := p.Dates[1].Failure; f == nil || f.Kind != "input" || !strings.Contains(f.Error, "bad rows") {
		t.Errorf("failure of 2024-01-02 got %+v, want kind input mentioning bad rows", f)
	}
	store.ClearFailure(dir, "2024-01-02")
	if p := BuildPlan(dir, series, RerunFailed); p.Dates[1].State != StateMissing {
		t.Errorf("after ClearFailure got %s, want missing", p.Dates[1].State)
	}
}

func countTrue(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

func TestParseRerunAndErrorKind(t *testing.T) {
	if r, err := ParseRerun(""); r != RerunFailed || err != nil {
		t.Errorf(`ParseRerun("") got %q %v, want failed`, r, err)
	}
	if _, err := ParseRerun("some"); !errors.Is(err, jobs.ErrConfig) {
		t.Errorf(`ParseRerun("some") got %v, want jobs.ErrConfig`, err)
	}
	tests := []struct {
		err       error
		kind      string
		temporary bool
	}{
		{jobs.ErrLocked, "locked", true},
		{jobs.ErrInputMissing, "input_missing", true},
		{jobs.ErrInput, "input", false},
		{jobs.ErrConfig, "config", false},
		{jobs.ErrInterrupted, "interrupted", false},
		{errors.New("disk full"), "failure", false},
	}
	for _, tc := range tests {
		wrapped := errors.Join(errors.New("context"), tc.err)
		if got := string(jobs.Classify(wrapped).Kind); got != tc.kind {
			t.Errorf("ErrorKind(%v) got %q, want %q", tc.err, got, tc.kind)
		}
		if got := jobs.Classify(wrapped).Retry; got != tc.temporary {
			t.Errorf("Temporary(%v) got %v, want %v", tc.err, got, tc.temporary)
		}
	}
}

// failure is the record a failed run of date leaves.
func failure(date string, err error) store.Failure {
	return store.Failure{AsOf: date, Kind: string(jobs.Classify(err).Kind), Error: err.Error(), At: time.Unix(0, 0).UTC().Format(time.RFC3339), Attempts: 1}
}

// writeManifestLosing writes a manifest of date that lists a report page nobody wrote.
func writeManifestLosing(t *testing.T, dir, date string) {
	t.Helper()
	p := store.ManifestPath(dir, date)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	m := `{"as_of":"` + date + `","outputs":[{"table":"report","path":"report/as_of=` + date + `/index.html","bytes":10,"xxh3":"0000000000000000"}]}`
	if err := os.WriteFile(p, []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
}
