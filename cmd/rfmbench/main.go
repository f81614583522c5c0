// Command rfmbench runs the whole RFM job side by side with peers on the same generated data
// and prints wall time (median of --runs), peak memory (max RSS) and the ratios.
//
//	go run ./cmd/rfmbench --customers 1000000 --transactions 20000000
//
// Sides: "rfm-native" and "rfm-duckdb" (the job's RFM and Pareto, engines native and duckdb),
// "rfm-full" (every view on: clusters, CLV, …), and "duckdb-sql"
// (sql/peer/rfm_job.sql: the same RFM written as one plain DuckDB script, on the DuckDB that
// go-duckdb v1.8.2 embeds). Each side runs in a child process of this binary, so its peak RSS
// is its own. The data file is generated once into --dir and reused.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	_ "github.com/marcboeker/go-duckdb"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/gen"
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
	sides := flag.String("sides", "rfm-native,duckdb-sql,rfm-duckdb,rfm-full", "comma-separated sides to run")
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
	asOf := opt.End()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var results []result
	for _, side := range strings.Split(*sides, ",") {
		r := result{side: side}
		for i := 0; i < *runs; i++ {
			out := filepath.Join(*dir, "out-"+side)
			os.RemoveAll(out)
			cmd := exec.Command(self, "child", side, data, out, asOf)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			start := time.Now()
			err := cmd.Run()
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
	fmt.Printf("%-12s %10s %12s %14s\n", "side", "seconds", "peak MB", "time ratio")
	base := results[0]
	for _, r := range results {
		if r.err != nil {
			fmt.Printf("%-12s failed: %v\n", r.side, r.err)
			continue
		}
		fmt.Printf("%-12s %10.2f %12.0f %14.2f\n", r.side, r.median(), float64(r.maxRSS)/1e6, base.median()/r.median())
	}
	fmt.Printf("(time ratio = %s time / side time; below 1 means %s is slower)\n", base.side, base.side)
	return nil
}

// child runs one side once: args are the data file, output directory and as-of date.
func child(side string, args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("want data, out, as-of")
	}
	data, out, asOf := args[0], args[1], args[2]
	switch side {
	case "rfm-native", "rfm-duckdb", "rfm-full":
		// rfm-native and rfm-duckdb run the same job as the peer script (RFM and Pareto);
		// rfm-full adds every optional view (clusters, CLV, …) on the native engine.
		cfg := &jobs.Config{Engine: strings.TrimPrefix(side, "rfm-")}
		if side == "rfm-full" {
			cfg.Engine = "native"
		} else {
			off := false
			cfg.Clusters.Enabled, cfg.CLV.Enabled = &off, &off
		}
		cfg.Input.Transactions = data
		cfg.Output.Dir = out
		_, err := jobs.Run(context.Background(), cfg, asOf, jobs.RunOptions{})
		return err
	case "duckdb-sql":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return err
		}
		defer db.Close()
		q := strings.NewReplacer("{{input}}", data, "{{output}}", filepath.Join(out, "customers.parquet"), "{{as_of}}", asOf).Replace(sqltext.Statement("peer/rfm_job"))
		_, err = db.Exec(q)
		return err
	default:
		return fmt.Errorf("unknown side %q", side)
	}
}
