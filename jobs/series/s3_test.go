package series

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/jobstest"
	"github.com/rfmjob/rfm/jobs/internal/s3test"
	"github.com/rfmjob/rfm/jobs/store"
)

// TestBackfillFromS3 backfills a monthly series in one pass over history in a real S3 server
// (the Versity gateway), into the store, and over the same files on local disk into a local
// directory: every table of every date is the same, row for row (the rejected table names each
// row's file, its URL on S3).
func TestBackfillFromS3(t *testing.T) {
	opt := jobstest.SmallDemo
	opt.Start, opt.Days = "2023-06-01", 400
	in := generatedInput(t, opt)
	dir := filepath.Dir(in)
	straddlingInput(t, dir)
	acts := filepath.Join(t.TempDir(), "activities.parquet")
	if err := gen.WriteActivityFile(acts, opt, 0); err != nil {
		t.Fatal(err)
	}
	s := s3test.Start(t)
	lake := s.Bucket("lake")
	s.PutTree(dir, lake+"/tx/")
	s.Put(acts, lake+"/acts/activities.parquet")

	c, err := cadence.Parse("month", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	dates, err := seriesOf(c, "2024-03-31", "2024-06-30")
	if err != nil {
		t.Fatal(err)
	}
	var decoded [2][]string
	local := t.TempDir()
	marts := s.Bucket("marts") + "/rfm/"
	for k, cfg := range []struct{ tx, acts, out, disk string }{
		{filepath.Join(dir, "*.parquet"), acts, local, local},
		{lake + "/tx/*.parquet", lake + "/acts/", marts, s.Path(marts)},
	} {
		conf := onePassConfig(cfg.tx, cfg.acts, cfg.out)
		rep, err := Backfill(context.Background(), conf, BuildPlan(cfg.out, dates, RerunFailed), BackfillOptions{})
		if err != nil || rep.Succeeded() != len(dates) {
			t.Fatalf("backfill from %s: %d of %d dates, failed %v, err %v", cfg.tx, rep.Succeeded(), len(dates), rep.Failed, err)
		}
		for _, d := range dates {
			decoded[k] = append(decoded[k], decodedDate(t, cfg.disk, d.AsOf))
		}
	}
	// Planned again, every date in the store is complete: nothing to run.
	if complete, _, _, run := BuildPlan(marts, dates, RerunFailed).Count(); complete != len(dates) || run != 0 {
		t.Errorf("a second plan over the store finds %d complete dates and runs %d, want %d and none", complete, run, len(dates))
	}
	for i, d := range dates {
		local := strings.ReplaceAll(decoded[0][i], " "+dir+"/", " "+lake+"/tx/")
		if local != decoded[1][i] {
			t.Errorf("%s: the backfill from S3 (digest %s) differs from the local one (digest %s)", d.AsOf, digest(decoded[1][i]), digest(local))
		}
	}
}

// TestScheduleOnS3: a scheduler whose history and outputs are both in a real S3 server catches
// up its missed nightly ticks there, each date equal to jobs.Run of it into a local directory.
func TestScheduleOnS3(t *testing.T) {
	opt := jobstest.SmallDemo
	opt.Start, opt.Days = "2023-06-01", 300
	in := generatedInput(t, opt)
	s := s3test.Start(t)
	lake, marts := s.Bucket("lake"), s.Bucket("marts")+"/rfm/"
	s.Put(in, lake+"/tx/part-0.parquet")
	cfg := noActivities(onePassConfig(lake+"/tx/", "", marts))
	sc := config.ScheduleConfig{Cron: "0 2 * * *", CatchUp: "all", RetryDelay: "1m"}.Normalized("")
	clock := &fakeClock{now: utc("2024-02-03 03:00")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := jobs.Run(ctx, cfg, "2024-01-31", jobs.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	sch := &Scheduler{Config: cfg, Schedule: sc, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	go func() {
		for {
			if _, err := store.Complete(marts, "2024-02-02"); err == nil {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	if err := sch.Serve(ctx); err != nil && !errors.Is(err, jobs.ErrInterrupted) {
		t.Fatal(err)
	}
	ref := t.TempDir()
	prev := "2024-01-31"
	for _, d := range []string{"2024-02-01", "2024-02-02"} {
		local := noActivities(onePassConfig(in, "", ref))
		if _, err := jobs.Run(context.Background(), local, d, jobs.RunOptions{Previous: prev}); err != nil {
			t.Fatal(err)
		}
		got := strings.ReplaceAll(decodedDate(t, s.Path(marts), d), lake+"/tx/part-0.parquet", in)
		if want := decodedDate(t, ref, d); got != want {
			t.Errorf("%s: the scheduled S3 output (digest %s) differs from a local run's (digest %s)", d, digest(got), digest(want))
		}
		prev = d
	}
}

// noActivities is cfg with profit from revenue and cost of goods alone.
func noActivities(cfg *config.Config) *config.Config {
	cfg.Profit.Activities = config.ActivityConfig{}
	cfg.Profit.Rates = nil
	return cfg
}
