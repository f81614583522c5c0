package series

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/jobstest"
	"github.com/rfmjob/rfm/jobs/internal/s3test"
)

// TestBackfillFromS3 backfills a monthly series in one pass over history in a real S3 server
// (the Versity gateway) and over the same files on local disk: every table of every date is
// the same, row for row (the rejected table names each row's file, its URL on S3).
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
	for k, cfg := range []struct{ tx, acts string }{{filepath.Join(dir, "*.parquet"), acts}, {lake + "/tx/*.parquet", lake + "/acts/"}} {
		out := t.TempDir()
		conf := onePassConfig(cfg.tx, cfg.acts, out)
		rep, err := Backfill(context.Background(), conf, BuildPlan(out, dates, RerunFailed), BackfillOptions{})
		if err != nil || rep.Succeeded() != len(dates) {
			t.Fatalf("backfill from %s: %d of %d dates, failed %v, err %v", cfg.tx, rep.Succeeded(), len(dates), rep.Failed, err)
		}
		for _, d := range dates {
			decoded[k] = append(decoded[k], decodedDate(t, out, d.AsOf))
		}
	}
	for i, d := range dates {
		local := strings.ReplaceAll(decoded[0][i], " "+dir+"/", " "+lake+"/tx/")
		if local != decoded[1][i] {
			t.Errorf("%s: the backfill from S3 (digest %s) differs from the local one (digest %s)", d.AsOf, digest(decoded[1][i]), digest(local))
		}
	}
}
