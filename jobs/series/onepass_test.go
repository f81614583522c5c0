package series

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/jobstest"
	"github.com/rfmjob/rfm/jobs/store"
)

// straddlingInput writes, beside the generated history in dir, orders of the same customers
// whose lines fall on both sides of month ends, mid-month days and week ends, and returns that
// carry the id of an order weeks older: order ids back inside a customer's range, which the
// engine's general path aggregates.
func straddlingInput(t *testing.T, dir string) {
	t.Helper()
	day := func(s string, h int) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(time.Duration(h) * time.Hour)
	}
	var rows []gen.Row
	id := int64(50_000_000)
	for c := int64(1); c <= 300; c += 3 {
		for _, pair := range [][2]string{{"2024-01-31", "2024-02-01"}, {"2024-03-14", "2024-03-16"}, {"2024-05-30", "2024-06-02"},
			{"2024-06-30", "2024-07-01"}, {"2024-08-13", "2024-08-15"}, {"2024-10-31", "2024-11-01"}} {
			id++
			rows = append(rows,
				gen.Row{CustomerID: c, OrderID: id, TS: day(pair[0], int(c%24)), Amount: 2500 + 10*c, Cost: 1200},
				gen.Row{CustomerID: c, OrderID: id, TS: day(pair[1], 3), Amount: 700, Cost: 300})
			if c%9 == 1 { // the whole order returned after the next date: net 0 then, not a purchase
				rows = append(rows, gen.Row{CustomerID: c, OrderID: id, TS: day(pair[1], 5).AddDate(0, 0, 20), Amount: -3200 - 10*c, Cost: -1500})
			}
		}
	}
	path := filepath.Join(dir, "zz_straddling.parquet")
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
}

// onePassConfig has every view on, CLV gated low enough to fit the small history, and status
// protection, so that held tiers chain from date to date.
func onePassConfig(in, acts, out string) *config.Config {
	cfg := &config.Config{}
	cfg.Input.Transactions = in
	cfg.Input.Columns.Cost = "cost"
	cfg.Output.Dir = out
	cfg.Profit.Activities.Path = acts
	cfg.Profit.Activities.Columns.Cost = "cost"
	cfg.Profit.Rates = map[string]float64{gen.ActivityOrder: 0.6, gen.ActivityDelivery: 9, gen.ActivityReturn: 20, gen.ActivitySupport: 3, gen.ActivitySalesVisit: 60, gen.ActivityMarketingTouch: 2.5}
	buyers, days := 50, 60
	cfg.CLV.MinBuyers, cfg.CLV.MinHistoryDays = &buyers, &days
	cfg.Migration.PeriodsBelow = 2
	return cfg
}

// TestOnePassBackfillMatchesRunOfEachDate backfills daily, weekly, monthly and cron series in
// one pass over the input and checks every table of every date against jobs.Run of that date
// with its previous date, the dates run one after another into another directory, as `rfm
// run --as-of D --previous-as-of P` runs them, on one thread (limits.threads: 1) where the
// backfill uses every core.
func TestOnePassBackfillMatchesRunOfEachDate(t *testing.T) {
	opt := jobstest.SmallDemo
	opt.Start, opt.Days = "2023-06-01", 580
	in := generatedInput(t, opt)
	dir := filepath.Dir(in)
	straddlingInput(t, dir)
	acts := filepath.Join(t.TempDir(), "activities.parquet")
	if err := gen.WriteActivityFile(acts, opt, 0); err != nil {
		t.Fatal(err)
	}
	glob := filepath.Join(dir, "*.parquet")
	for _, tc := range []struct{ every, from, to string }{
		{"day", "2024-01-29", "2024-02-03"},
		{"week", "2024-05-20", "2024-07-08"},
		{"month", "2024-01-31", "2024-12-31"},
		{"0 6 1,15 * *", "2024-03-01", "2024-06-01"},
	} {
		t.Run(tc.every, func(t *testing.T) {
			c, err := cadence.Parse(tc.every, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			dates, err := seriesOf(c, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			cfg := onePassConfig(glob, acts, out)
			if !jobs.OnePass(cfg, nil) {
				t.Fatal("OnePass is false for the native engine without a lookback window")
			}
			rep, err := Backfill(context.Background(), cfg, BuildPlan(out, dates, RerunFailed), BackfillOptions{})
			if err != nil || len(rep.Failed) != 0 || rep.Succeeded() != len(dates) {
				t.Fatalf("backfill: %d of %d dates, failed %v, err %v", rep.Succeeded(), len(dates), rep.Failed, err)
			}
			// The reference runs on one thread, the backfill on all cores: the same bits.
			ref := t.TempDir()
			for _, d := range dates {
				one := onePassConfig(glob, acts, ref)
				one.Limits.Threads = 1
				if _, err := jobs.Run(context.Background(), one, d.AsOf, jobs.RunOptions{Previous: d.Previous}); err != nil {
					t.Fatal(err)
				}
			}
			for i, d := range dates {
				got, want := decodedDate(t, out, d.AsOf), decodedDate(t, ref, d.AsOf)
				if got != want {
					t.Errorf("%s: one-pass output (digest %s) differs from run output (digest %s)", d.AsOf, digest(got), digest(want))
				}
				m := rep.Results[i].Manifest
				if m.Rows.Read != m.Rows.Used+m.Rows.AfterAsOf+m.Rows.BeforeWindow+m.Rows.Rejected {
					t.Errorf("%s: rows %+v do not add up", d.AsOf, m.Rows)
				}
			}
		})
	}
}

// TestScheduleCatchUpInOnePass: a scheduler started after four missed nightly ticks (catch_up
// all) runs them in one pass over the input with the real runner, and each date equals jobs.Run
// of it with its previous date.
func TestScheduleCatchUpInOnePass(t *testing.T) {
	opt := jobstest.SmallDemo
	opt.Start, opt.Days = "2023-06-01", 300
	in := generatedInput(t, opt)
	straddlingInput(t, filepath.Dir(in))
	acts := filepath.Join(t.TempDir(), "activities.parquet")
	if err := gen.WriteActivityFile(acts, opt, 0); err != nil {
		t.Fatal(err)
	}
	glob := filepath.Join(filepath.Dir(in), "*.parquet")
	out := t.TempDir()
	cfg := onePassConfig(glob, acts, out)
	sc := config.ScheduleConfig{Cron: "0 2 * * *", CatchUp: "all", RetryDelay: "1m"}.Normalized("")
	// The day after the 2024-01-31 tick's run, the ticks of Feb 1–4 are due at start-up.
	if _, err := jobs.Run(context.Background(), onePassConfig(glob, acts, out), "2024-01-30", jobs.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: utc("2024-02-04 03:00")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs strings.Builder
	var mu sync.Mutex
	s := &Scheduler{Config: cfg, Schedule: sc, Clock: clock, Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))}
	go func() {
		// Stop once the catch-up has committed the last missed date.
		for {
			if _, err := store.Complete(out, "2024-02-03"); err == nil {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	// The stop may come while the next tick's date runs: that run is interrupted, not failed.
	if err := s.Serve(ctx); err != nil && !errors.Is(err, jobs.ErrInterrupted) {
		t.Fatal(err)
	}
	mu.Lock()
	text := logs.String()
	mu.Unlock()
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "msg=committed") && strings.Contains(line, "catching_up=4") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d dates committed by the one-pass catch-up, want 4; log:\n%s", n, text)
	}
	ref := t.TempDir()
	prev := "2024-01-30"
	for _, d := range []string{"2024-01-31", "2024-02-01", "2024-02-02", "2024-02-03"} {
		if _, err := jobs.Run(context.Background(), onePassConfig(glob, acts, ref), d, jobs.RunOptions{Previous: prev}); err != nil {
			t.Fatal(err)
		}
		if got, want := decodedDate(t, out, d), decodedDate(t, ref, d); got != want {
			t.Errorf("%s: caught-up output (digest %s) differs from run output (digest %s)", d, digest(got), digest(want))
		}
		prev = d
	}
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
