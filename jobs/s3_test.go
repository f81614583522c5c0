package jobs

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/s3test"
	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/rfmjob/rfm/jobs/report"
	"github.com/rfmjob/rfm/jobs/store"
)

// hiveHistory writes three generated histories as hive partitions of dir
// (year=2023/month=01/part-0.parquet, …), with a _SUCCESS marker and a hidden directory that
// every resolver must skip, and an activity table beside them; it returns the activity file.
func hiveHistory(t *testing.T, dir string) (acts string) {
	t.Helper()
	for i, p := range []struct{ part, start string }{
		{"year=2023/month=01", "2023-01-01"}, {"year=2023/month=05", "2023-05-01"}, {"year=2024/month=01", "2024-01-01"},
	} {
		opt := gen.Options{Customers: 150, Transactions: 2500, Seed: uint64(11 + i), Start: p.start, Days: 110, BadRowShare: 0.002}
		path := filepath.Join(dir, "tx", filepath.FromSlash(p.part), "part-0.parquet")
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := gen.WriteFile(path, opt); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "tx", "_SUCCESS"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "tx", ".staging"), 0o755)
	os.WriteFile(filepath.Join(dir, "tx", ".staging", "torn.parquet"), []byte("not parquet"), 0o644)
	acts = filepath.Join(dir, "acts", "activities.parquet")
	os.MkdirAll(filepath.Dir(acts), 0o755)
	if err := gen.WriteActivityFile(acts, gen.Options{Customers: 150, Transactions: 2500, Seed: 11, Start: "2023-01-01", Days: 110}, 0); err != nil {
		t.Fatal(err)
	}
	return acts
}

// TestS3InputIsReadLikeLocalFiles runs the job with inputs and outputs in a real S3 server (the
// Versity gateway) and on the same files on local disk: every output table is the same, row for
// row, on the real Online Retail export and on generated hive partitions with an activity table.
func TestS3InputIsReadLikeLocalFiles(t *testing.T) {
	s := s3test.Start(t)
	lake := s.Bucket("lake")
	const retail = "online_retail_uci352_2010-2011.parquet"
	local := t.TempDir()
	acts := hiveHistory(t, local)
	s.PutTree(filepath.Join(local, "tx"), lake+"/sales/")
	s.Put(acts, lake+"/acts/activities.parquet")
	s.Put(filepath.Join("..", "testdata", "online_retail", retail), lake+"/retail/"+retail)

	for _, tc := range []struct {
		name, asOf   string
		configure    func(cfg *config.Config, s3 bool)
		wantFiles    int
		wantInputURL string
		// The rejected table names each row's file: the local prefix and the object prefix.
		localPrefix, urlPrefix string
	}{
		{"online retail", "2011-12-09", func(cfg *config.Config, s3 bool) {
			order := "InvoiceNo"
			cfg.Input.Transactions = filepath.Join("..", "testdata", "online_retail", retail)
			if s3 {
				cfg.Input.Transactions = lake + "/retail/*.parquet"
			}
			cfg.Input.Columns = config.ColumnsConfig{CustomerID: "CustomerID", OrderID: &order, Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "UnitPrice"}
			share := 0.3
			cfg.Quality.MaxRejectedShare = &share
			off := false
			cfg.CLV.Enabled = &off
		}, 1, lake + "/retail/" + retail, filepath.Join("..", "testdata", "online_retail") + "/", lake + "/retail/"},
		{"hive partitions and activities", "2024-03-31", func(cfg *config.Config, s3 bool) {
			*cfg = *profitConfig("native", filepath.Join(local, "tx"), acts, cfg.Output.Dir)
			cfg.Profit.IgnoreUnknownActivities = true
			on := true
			cfg.Clusters.Enabled, cfg.CLV.Enabled = &on, &on
			if s3 {
				cfg.Input.Transactions, cfg.Profit.Activities.Path = lake+"/sales/", lake+"/acts/activities.parquet"
			}
		}, 3, lake + "/sales/year=2023/month=01/part-0.parquet", filepath.Join(local, "tx") + "/", lake + "/sales/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var decoded [2]string
			for k, fromS3 := range []bool{false, true} {
				// The S3 run reads its inputs from the store and writes its outputs there too.
				out, disk := t.TempDir(), ""
				if fromS3 {
					out = s.Bucket("marts") + "/" + strings.ReplaceAll(tc.name, " ", "-") + "/"
					disk = s.Path(out)
				}
				cfg := &config.Config{}
				cfg.Output.Dir = out
				tc.configure(cfg, fromS3)
				cfg.Output.Dir = out
				m, err := Run(context.Background(), cfg, tc.asOf, RunOptions{})
				if err != nil {
					t.Fatalf("from S3 %v: %v", fromS3, err)
				}
				if fromS3 {
					decoded[k] = decodedDate(t, disk, tc.asOf) // the server's copies, sizes and hashes checked
				} else {
					decoded[k] = decodedDate(t, out, tc.asOf)
				}
				if !fromS3 {
					continue
				}
				if len(m.Inputs) != tc.wantFiles || m.Inputs[0].Path != tc.wantInputURL {
					t.Fatalf("manifest inputs %+v, want %d objects starting with %s", m.Inputs, tc.wantFiles, tc.wantInputURL)
				}
				for _, in := range m.Inputs {
					st, err := os.Stat(s.Path(in.Path))
					if err != nil || in.Bytes != st.Size() || in.XXH3 != "" || in.ETag == "" {
						t.Errorf("manifest input %+v: want the object's size %d, its ETag and no hash (objects are not read whole)", in, st.Size())
					}
				}
			}
			if !strings.Contains(decoded[1], " "+tc.urlPrefix) {
				t.Errorf("no rejected row names an object under %s", tc.urlPrefix)
			}
			decoded[0] = strings.ReplaceAll(decoded[0], " "+tc.localPrefix, " "+tc.urlPrefix)
			if decoded[0] != decoded[1] {
				a, b := strings.Split(decoded[0], "\n"), strings.Split(decoded[1], "\n")
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Errorf("outputs differ from line %d: local %q, S3 %q", i, a[i], b[i])
						break
					}
				}
				t.Errorf("outputs differ: local %s, S3 %s", digest(decoded[0]), digest(decoded[1]))
			}
		})
	}
}

// TestS3InputErrors: what goes wrong with an object store is an error naming the URL, of the
// kind (and exit code) a scheduler can act on, and never shows a secret.
func TestS3InputErrors(t *testing.T) {
	s := s3test.Start(t)
	lake := s.Bucket("lake")
	in := generatedInput(t, smallDemo)
	s.Put(in, lake+"/good/tx.parquet")
	s.Put(in, lake+"/mixed/a.parquet")
	s.PutBytes(lake+"/mixed/b.parquet", []byte("PAR1 this is not a parquet file PAR1"))
	run := func(input string, opts RunOptions) error {
		cfg := demoConfig(t, input, t.TempDir())
		_, err := Run(context.Background(), cfg, "2024-06-30", opts)
		return err
	}
	for _, c := range []struct {
		name, input string
		kind        Kind
		mention     string
	}{
		{"empty prefix", lake + "/nothing/", KindInputMissing, lake + "/nothing/"},
		{"missing bucket", "s3://no-such-bucket/tx/", KindInputMissing, "s3://no-such-bucket/tx/"},
		{"not parquet", lake + "/mixed/", KindInput, lake + "/mixed/b.parquet"},
	} {
		err := run(c.input, RunOptions{})
		if got := Classify(err).Kind; got != c.kind || !strings.Contains(fmtErr(err), c.mention) {
			t.Errorf("%s: %v (kind %s), want kind %s naming %s", c.name, err, got, c.kind, c.mention)
		}
	}

	// A missing column names the object and the column.
	cfg := demoConfig(t, lake+"/good/", t.TempDir())
	cfg.Input.Columns.CustomerID = "client"
	_, err := Run(context.Background(), cfg, "2024-06-30", RunOptions{})
	if Classify(err).Kind != KindInput || !strings.Contains(fmtErr(err), lake+"/good/tx.parquet") || !strings.Contains(fmtErr(err), `"client"`) {
		t.Errorf("missing column: %v, want a bad-input error naming the object and the column", err)
	}

	// An object deleted between listing and reading.
	s.Put(in, lake+"/vanishing/tx.parquet")
	err = run(lake+"/vanishing/", RunOptions{OnStage: func(name string, _ float64) {
		if name == "resolve" {
			os.Remove(s.Path(lake + "/vanishing/tx.parquet"))
		}
	}})
	if !errors.Is(err, objstore.ErrNotFound) || !strings.Contains(fmtErr(err), lake+"/vanishing/tx.parquet") {
		t.Errorf("object deleted after listing: %v, want a not-found error naming it", err)
	}

	// Refused credentials: not retryable, and the secret is nowhere in the message.
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret-4242")
	err = run(lake+"/good/", RunOptions{})
	if c := Classify(err); c.Kind != KindInput || c.Retry || !errors.Is(err, objstore.ErrAccessDenied) {
		t.Errorf("refused credentials: %v (%+v), want a non-retryable input error wrapping ErrAccessDenied", err, c)
	}
	if strings.Contains(fmtErr(err), "not-the-secret-4242") || strings.Contains(fmtErr(err), s3test.SecretKey) {
		t.Errorf("the error shows a secret: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3test.SecretKey)

	// No credentials anywhere in the chain: said plainly, not taken for an outage.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true") // no instance role to look for here
	err = run(lake+"/good/", RunOptions{})
	if c := Classify(err); c.Kind != KindInput || !errors.Is(err, objstore.ErrAccessDenied) || !strings.Contains(fmtErr(err), "no AWS credentials") {
		t.Errorf("no credentials: %v (%+v), want a bad-input error saying there are none", err, c)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", s3test.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3test.SecretKey)

	// The server stopped mid-run, after the listing: the read fails as unavailable, not as a
	// corrupt file.
	err = run(lake+"/good/", RunOptions{OnStage: func(name string, _ float64) {
		if name == "resolve" {
			s.Stop()
		}
	}})
	if c := Classify(err); c.Kind != KindUnavailable || !strings.Contains(fmtErr(err), lake+"/good/tx.parquet") {
		t.Errorf("server stopped after the listing: %v (%+v), want unavailable naming the object", err, c)
	}
	s.Restart()

	// The server down: retry later.
	s.Stop()
	err = run(lake+"/good/", RunOptions{})
	if c := Classify(err); c.Kind != KindUnavailable || !c.Retry || c.Exit != ExitLocked {
		t.Errorf("server down: %v (%+v), want kind %s, exit %d, retry", err, c, KindUnavailable, ExitLocked)
	}
	s.Restart()
	if err := run(lake+"/good/", RunOptions{}); err != nil {
		t.Errorf("after the server is back: %v", err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestS3Output writes the outputs to an s3:// prefix of a real server: every table, the page
// and the manifest are there, equal to a local run's; the date's migration reads the previous
// date back from the store; a rerun is identical; the lock keeps a second run out until its
// lease ends; a failed run leaves the committed date alone.
func TestS3Output(t *testing.T) {
	s := s3test.Start(t)
	marts := s.Bucket("marts") + "/rfm/"
	in := generatedInput(t, smallDemo)
	local := t.TempDir()
	ctx := context.Background()
	dates := []struct{ asOf, previous string }{{"2024-05-31", ""}, {"2024-06-30", "2024-05-31"}}
	for _, out := range []string{local, marts} {
		for _, d := range dates {
			if _, err := Run(ctx, demoConfig(t, in, out), d.asOf, RunOptions{Previous: d.previous}); err != nil {
				t.Fatalf("run %s into %s: %v", d.asOf, out, err)
			}
		}
	}
	disk := s.Path(marts) // the objects, as the gateway stores them
	for _, d := range dates {
		// DecodedDate checks every listed output's size and XXH3 hash, here on the server's
		// copy of each object, then compares the tables row by row.
		if got, want := decodedDate(t, disk, d.asOf), decodedDate(t, local, d.asOf); got != want {
			t.Errorf("%s: the S3 outputs (digest %s) differ from the local ones (digest %s)", d.asOf, digest(got), digest(want))
		}
		if _, err := store.Complete(marts, d.asOf); err != nil {
			t.Errorf("%s: not complete on S3: %v", d.asOf, err)
		}
		if _, err := os.Stat(s.Path(store.ReportPath(marts, d.asOf))); err != nil {
			t.Errorf("%s: no report page in the store: %v", d.asOf, err)
		}
	}
	if got := store.CommittedDates(marts); len(got) != 2 || got[0] != "2024-05-31" || got[1] != "2024-06-30" {
		t.Errorf("committed dates on S3: %v", got)
	}
	if _, err := report.Build(marts, "2024-06-30"); err != nil {
		t.Errorf("rebuilding the page from S3: %v", err)
	}

	// A rerun replaces every object and gives the same tables.
	before := decodedDate(t, disk, "2024-06-30")
	if _, err := Run(ctx, demoConfig(t, in, marts), "2024-06-30", RunOptions{Previous: "2024-05-31"}); err != nil {
		t.Fatal(err)
	}
	if after := decodedDate(t, disk, "2024-06-30"); after != before {
		t.Error("a rerun on S3 changed the outputs")
	}

	// A held lock keeps a second run out, naming the holder; its expiry lets the next in.
	cfg := demoConfig(t, in, marts)
	cfg.Output.LockLease = "2s"
	held, err := store.AcquireLockLease(marts, "2024-07-31", 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, cfg, "2024-07-31", RunOptions{}); Classify(err).Kind != KindLocked || !strings.Contains(fmtErr(err), "held by pid") {
		t.Errorf("run under a held lock: %v, want locked naming the holder", err)
	}
	held.Release()
	lockURL := strings.TrimSuffix(marts, "/") + "/.locks/as_of=2024-07-31.lock"
	stale := []byte(`{"owner":"pid 1 on a killed host","token":"x","expires":"2020-01-01T00:00:00Z"}`)
	s.PutBytes(lockURL, stale) // a killed run's lock whose lease has ended
	if _, err := Run(ctx, cfg, "2024-07-31", RunOptions{}); err != nil {
		t.Errorf("run after a stale lock: %v", err)
	}
	if _, err := os.Stat(s.Path(lockURL)); !os.IsNotExist(err) {
		t.Errorf("the lock is still in the store after the run: %v", err)
	}

	// A failed run: the committed date is untouched.
	bad := demoConfig(t, in, marts)
	bad.Input.Columns.CustomerID = "nope"
	if _, err := Run(ctx, bad, "2024-06-30", RunOptions{}); Classify(err).Kind != KindInput {
		t.Fatalf("bad run: %v", err)
	}
	if after := decodedDate(t, disk, "2024-06-30"); after != before {
		t.Error("a failed run changed the committed outputs")
	}

	// The server goes down with everything staged: the run is unavailable (retry later), and
	// once the server is back the committed date is as it was and the rerun commits.
	_, err = Run(ctx, demoConfig(t, in, marts), "2024-06-30", RunOptions{Previous: "2024-05-31", BeforeCommit: s.Stop})
	if c := Classify(err); c.Kind != KindUnavailable || !c.Retry {
		t.Errorf("server down at the commit: %v (%+v), want unavailable, retry", err, c)
	}
	s.Restart()
	if after := decodedDate(t, disk, "2024-06-30"); after != before {
		t.Error("a run cut off by the server going down changed the committed outputs")
	}
	if _, err := Run(ctx, demoConfig(t, in, marts), "2024-06-30", RunOptions{Previous: "2024-05-31"}); err != nil {
		t.Errorf("rerun after the server is back: %v", err)
	}

	// A bucket that does not exist: a clear error naming it, nothing written anywhere.
	_, err = Run(ctx, demoConfig(t, in, "s3://no-such-marts/rfm/"), "2024-06-30", RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "s3://no-such-marts/rfm/") {
		t.Errorf("output to a missing bucket: %v, want an error naming it", err)
	}
}

// TestS3WarnsWithoutConditionalWrites: on a store that ignores If-None-Match (the gateway without
// metadata) a run says at start-up that its locks cannot keep two runs apart, and still
// commits; on one that honours it (TestS3Output's gateway) store.ConditionalWrites says so.
func TestS3WarnsWithoutConditionalWrites(t *testing.T) {
	s := s3test.StartNoMeta(t)
	marts := s.Bucket("marts") + "/rfm-nometa/" // a prefix no other test of the process probes
	if ok, err := store.ConditionalWrites(marts); err != nil || ok {
		t.Fatalf("ConditionalWrites on the gateway without metadata = %v, %v; want false", ok, err)
	}
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	if _, err := Run(context.Background(), demoConfig(t, generatedInput(t, smallDemo), marts), "2024-06-30", RunOptions{Logger: logger}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "ignores conditional writes") || !strings.Contains(logs.String(), marts) {
		t.Errorf("no start-up warning naming %s; log:\n%s", marts, logs.String())
	}
	if _, err := store.Complete(marts, "2024-06-30"); err != nil {
		t.Errorf("the run did not commit: %v", err)
	}

	m := s3test.Start(t) // with metadata: conditional writes honoured
	if ok, err := store.ConditionalWrites(m.Bucket("marts2") + "/rfm/"); err != nil || !ok {
		t.Errorf("ConditionalWrites on the gateway with metadata = %v, %v; want true", ok, err)
	}
}
