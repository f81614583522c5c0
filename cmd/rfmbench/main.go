// Command rfmbench runs the whole RFM job side by side with peers on the same generated data
// and prints wall time (median of --runs), peak memory (max RSS) and the ratios.
//
//	go run ./cmd/rfmbench --customers 1000000 --transactions 20000000
//
// Sides: "rfm-native" and "rfm-duckdb" (the job's RFM and Pareto, engines native and duckdb),
// "rfm-profit" (with profitability and tiers from a generated activity table), "rfm-pyramid"
// (and clusters), "rfm-full" (every view on: clusters, CLV, …), "duckdb-newest" and "polars" (Node peers in
// cmd/rfmbench/peers: the newest DuckDB running the same SQL, and Polars' lazy API doing the
// same job; install them with `npm install --no-save --prefix cmd/rfmbench/peers`), and "duckdb-sql"
// (sql/peer/rfm_job.sql: the same RFM written as one plain DuckDB script, on the DuckDB that
// go-duckdb v1.8.2 embeds). The series sides run the same jobs for the 12 month ends of the
// data's last year: "rfm-series" (`rfm backfill` of the RFM job, one pass over the input),
// "rfm-full-series" (every view, each date as `rfm run` writes it), and as peers
// "duckdb-sql-series" and "duckdb-newest-series" (sql/peer/rfm_series.sql: the 12 dates in one
// DuckDB script); their ratios are to rfm-series. "rfm-s3" is rfm-native reading the data from an
// S3 server on localhost (the Versity gateway, started by this command: .ci/s3-setup builds it),
// for the cost of reading s3:// against local disk. Each side runs in a child process of this binary, so its peak RSS
// is its own. The data file is generated once into --dir and reused. With RFMBENCH_CPUPROFILE
// set, each rfm side writes its CPU profile there (the last run's).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	_ "github.com/marcboeker/go-duckdb"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/series"
	sqltext "github.com/rfmjob/rfm/sql"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "child" {
		if err := child(os.Args[2], os.Args[3:]); err != nil {
			fmt.Fprintln(os.Stderr, "rfmbench child:", err)
			os.Exit(1)
		}
		return
	}
	if err := bench(); err != nil {
		fmt.Fprintln(os.Stderr, "rfmbench:", err)
		os.Exit(1)
	}
}

type result struct {
	side    string
	seconds []float64
	maxRSS  int64 // bytes, the largest over runs
	err     error
}

func (r result) median() float64 {
	s := slices.Clone(r.seconds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func bench() error {
	customers := flag.Int("customers", 1_000_000, "customers in the generated data")
	transactions := flag.Int("transactions", 20_000_000, "rows in the generated data")
	stringIDs := flag.Bool("string-ids", false, "string customer ids")
	dir := flag.String("dir", "bench/work", "where the data and outputs go")
	runs := flag.Int("runs", 3, "runs per side (the median is reported)")
	sides := flag.String("sides", "rfm-native,duckdb-sql,duckdb-newest,polars,rfm-profit,rfm-pyramid,rfm-duckdb,rfm-full,rfm-series,duckdb-sql-series,duckdb-newest-series,rfm-full-series", "comma-separated sides to run")
	activityRows := flag.Int("activity-rows", 5_000_000, "rows of the activity table of the rfm-profit, rfm-pyramid and rfm-full sides")
	peers := flag.String("peers", "cmd/rfmbench/peers", "directory of the Node peers (run `npm install --no-save` there first); sides whose peer is missing are skipped")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	kind := "int"
	if *stringIDs {
		kind = "str"
	}
	data := filepath.Join(*dir, fmt.Sprintf("tx_%d_%d_%s.parquet", *transactions, *customers, kind))
	opt := gen.Options{Customers: *customers, Transactions: *transactions, Seed: 1, StringIDs: *stringIDs}
	if _, err := os.Stat(data); err != nil {
		start := time.Now()
		if err := gen.WriteFile(data, opt); err != nil {
			return err
		}
		fmt.Printf("generated %s in %.1fs\n", data, time.Since(start).Seconds())
	}
	activities := filepath.Join(*dir, fmt.Sprintf("act_%d_%d_%d_%s.parquet", *activityRows, *transactions, *customers, kind))
	if slices.ContainsFunc(strings.Split(*sides, ","), usesActivities) {
		if _, err := os.Stat(activities); err != nil {
			start := time.Now()
			if err := gen.WriteActivityFile(activities, opt, *activityRows); err != nil {
				return err
			}
			fmt.Printf("generated %s in %.1fs\n", activities, time.Since(start).Seconds())
		}
	}
	os.Setenv("RFMBENCH_ACTIVITIES", activities)
	if slices.Contains(strings.Split(*sides, ","), "rfm-s3") {
		stop, err := startGateway(*dir, data)
		if err != nil {
			return fmt.Errorf("rfm-s3: %w", err)
		}
		defer stop()
	}
	asOf := opt.End()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var results []result
	for _, side := range strings.Split(*sides, ",") {
		r := result{side: side}
		if node := nodePeer(side); node != "" {
			if _, err := os.Stat(filepath.Join(*peers, "node_modules")); err != nil {
				fmt.Printf("%s: skipped: no %s/node_modules (run npm install --no-save --prefix %s)\n", side, *peers, *peers)
				continue
			}
		}
		for i := 0; i < *runs; i++ {
			out := filepath.Join(*dir, "out-"+side)
			os.RemoveAll(out)
			cmd, err := sideCommand(self, side, *peers, data, out, asOf)
			if err != nil {
				return err
			}
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			start := time.Now()
			err = cmd.Run()
			el := time.Since(start).Seconds()
			if err != nil {
				r.err = err
				break
			}
			r.seconds = append(r.seconds, el)
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				r.maxRSS = max(r.maxRSS, ru.Maxrss*1024)
			}
		}
		results = append(results, r)
	}
	fmt.Printf("\n%d rows, %d customers, %s ids, as of %s, %d runs each (median)\n", *transactions, *customers, kind, asOf, *runs)
	fmt.Printf("%-20s %9s %9s %9s %11s %11s\n", "side", "median s", "min s", "max s", "peak MB", "rfm/side")
	// Each side's ratio is to the first side of its kind: single dates or series.
	bases := map[bool]result{}
	for _, r := range results {
		if _, ok := bases[isSeries(r.side)]; !ok && r.err == nil {
			bases[isSeries(r.side)] = r
		}
	}
	for _, r := range results {
		if r.err != nil {
			fmt.Printf("%-20s failed: %v\n", r.side, r.err)
			continue
		}
		lo, hi := slices.Min(r.seconds), slices.Max(r.seconds)
		base := bases[isSeries(r.side)]
		fmt.Printf("%-20s %9.2f %9.2f %9.2f %11.0f %11.2f\n", r.side, r.median(), lo, hi, float64(r.maxRSS)/1e6, base.median()/r.median())
	}
	for _, series := range []bool{false, true} {
		if b, ok := bases[series]; ok {
			fmt.Printf("(rfm/side = %s median time / side median time: below 1 means %s is faster)\n", b.side, b.side)
		}
	}
	if len(bases) > 1 {
		d := seriesDates(asOf)
		fmt.Printf("(series sides: the %d month ends %s … %s)\n", len(d), d[0], d[len(d)-1])
	}
	return nil
}

// benchRates are the demo's activity costs.
var benchRates = map[string]float64{
	gen.ActivityOrder: 0.60, gen.ActivityDelivery: 9.00, gen.ActivityReturn: 20.00,
	gen.ActivitySupport: 3.00, gen.ActivitySalesVisit: 60.00, gen.ActivityMarketingTouch: 2.50,
}

// usesActivities reports whether a side computes profitability from the activity table.
func usesActivities(side string) bool {
	switch side {
	case "rfm-profit", "rfm-pyramid", "rfm-full", "rfm-full-series":
		return true
	}
	return false
}

// isSeries reports whether a side runs the 12 dates of a series.
func isSeries(side string) bool { return strings.HasSuffix(side, "-series") }

// seriesDates are the series sides' as-of dates: the 12 month ends up to asOf.
func seriesDates(asOf string) []string {
	end, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		panic(err)
	}
	var out []string
	for k := 11; k >= 0; k-- {
		// The last day of the month k months before asOf's.
		first := time.Date(end.Year(), end.Month()-time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		out = append(out, first.AddDate(0, 1, -1).Format(time.DateOnly))
	}
	return out
}

// nodePeer names the Node script of a peer side, "" for the sides this binary runs itself.
func nodePeer(side string) string {
	switch side {
	case "duckdb-newest", "duckdb-newest-series":
		return "duckdb.mjs"
	case "polars":
		return "polars.mjs"
	}
	return ""
}

// sideCommand returns the process that runs one side once.
func sideCommand(self, side, peers, data, out, asOf string) (*exec.Cmd, error) {
	switch nodePeer(side) {
	case "":
		return exec.Command(self, "child", side, data, out, asOf), nil
	case "polars.mjs":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, err
		}
		return exec.Command("node", filepath.Join(peers, "polars.mjs"), data, filepath.Join(out, "customers.parquet"), asOf), nil
	default:
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, err
		}
		script, text := filepath.Join(out, "job.sql"), peerScript(data, filepath.Join(out, "customers.parquet"), asOf)
		if isSeries(side) {
			text = peerSeriesScript(data, filepath.Join(out, "customers"), asOf)
		}
		if err := os.WriteFile(script, []byte(text), 0o644); err != nil {
			return nil, err
		}
		return exec.Command("node", filepath.Join(peers, "duckdb.mjs"), script), nil
	}
}

// peerScript is sql/peer/rfm_job.sql for one run.
func peerScript(data, output, asOf string) string {
	return strings.NewReplacer("{{input}}", data, "{{output}}", output, "{{as_of}}", asOf).Replace(sqltext.Statement("peer/rfm_job"))
}

// peerSeriesScript is sql/peer/rfm_series.sql for the series sides' dates.
func peerSeriesScript(data, output, asOf string) string {
	var quoted []string
	for _, d := range seriesDates(asOf) {
		quoted = append(quoted, "'"+d+"'")
	}
	return strings.NewReplacer("{{input}}", data, "{{output}}", output, "{{dates}}", strings.Join(quoted, ", ")).Replace(sqltext.Statement("peer/rfm_series"))
}

// child runs one side once: args are the data file, output directory and as-of date.
func child(side string, args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("want data, out, as-of")
	}
	data, out, asOf := args[0], args[1], args[2]
	if path := os.Getenv("RFMBENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	switch side {
	case "rfm-native", "rfm-duckdb", "rfm-full", "rfm-profit", "rfm-pyramid", "rfm-s3":
		// rfm-native and rfm-duckdb run the same job as the peer script (RFM and Pareto);
		// rfm-profit adds profitability and tiers with the activity table, rfm-pyramid clusters
		// too; rfm-full every view (profit, clusters, CLV, report) on the native engine.
		cfg := &config.Config{Engine: strings.TrimPrefix(side, "rfm-")}
		if side == "rfm-s3" { // rfm-native, reading the data from the gateway
			cfg.Engine, data = "native", "s3://"+gatewayBucket+"/"+filepath.Base(data)
		}
		off := false
		if usesActivities(side) {
			cfg.Engine = "native"
			cfg.Profit.Activities.Path = os.Getenv("RFMBENCH_ACTIVITIES")
			cfg.Profit.Rates = benchRates
		} else {
			cfg.Profit.Enabled = &off
		}
		switch side {
		case "rfm-native", "rfm-duckdb", "rfm-profit", "rfm-s3":
			cfg.Clusters.Enabled, cfg.CLV.Enabled, cfg.Report.Enabled = &off, &off, &off
		case "rfm-pyramid":
			cfg.CLV.Enabled, cfg.Report.Enabled = &off, &off
		}
		cfg.Input.Transactions = data
		cfg.Output.Dir = out
		_, err := jobs.Run(context.Background(), cfg, asOf, jobs.RunOptions{})
		return err
	case "rfm-series", "rfm-full-series":
		// rfm backfill of the series: the RFM job of rfm-native, or every view (the defaults).
		cfg := &config.Config{}
		if side == "rfm-series" {
			off := false
			cfg.Profit.Enabled, cfg.Clusters.Enabled, cfg.CLV.Enabled, cfg.Report.Enabled = &off, &off, &off, &off
		} else { // as rfm-full
			cfg.Profit.Activities.Path = os.Getenv("RFMBENCH_ACTIVITIES")
			cfg.Profit.Rates = benchRates
		}
		cfg.Input.Transactions = data
		cfg.Output.Dir = out
		dates := seriesDates(asOf)
		_, planned, err := series.Dates(cfg, "month", dates[0], dates[len(dates)-1])
		if err != nil {
			return err
		}
		rep, err := series.Backfill(context.Background(), cfg, series.BuildPlan(out, planned, series.RerunFailed), series.BackfillOptions{})
		if err != nil {
			return err
		}
		if rep.Succeeded() != len(dates) {
			return fmt.Errorf("backfill committed %d of %d dates: %v", rep.Succeeded(), len(dates), rep.Failed)
		}
		return nil
	case "duckdb-sql", "duckdb-sql-series":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return err
		}
		defer db.Close()
		script := peerScript(data, filepath.Join(out, "customers.parquet"), asOf)
		if isSeries(side) {
			script = peerSeriesScript(data, filepath.Join(out, "customers"), asOf)
		}
		_, err = db.Exec(script)
		return err
	default:
		return fmt.Errorf("unknown side %q", side)
	}
}
