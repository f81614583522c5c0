package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/gen"
)

func cmdGen(_ context.Context, args []string, e *env) error {
	fs := newFlagSet("gen", "gen --customers N --transactions M --out FILE [--seed S] [--string-ids] [--bad-rows SHARE]", e)
	var opt gen.Options
	var out string
	fs.IntVar(&opt.Customers, "customers", 0, "number of customers (required)")
	fs.IntVar(&opt.Transactions, "transactions", 0, "number of rows (order lines) (required)")
	fs.StringVar(&out, "out", "", "output Parquet file (required)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed gives the same file")
	fs.BoolVar(&opt.StringIDs, "string-ids", false, "write customer_id as strings (C0000042) instead of integers")
	fs.Float64Var(&opt.BadRowShare, "bad-rows", 0, "share of rows with a null customer_id or amount")
	fs.StringVar(&opt.Start, "start", "2023-01-01", "first day of the data, YYYY-MM-DD")
	fs.IntVar(&opt.Days, "days", 730, "span of the data in days")
	quiet := fs.Bool("q", false, "print nothing on success")
	if err := parse(fs, args); err != nil {
		return err
	}
	if opt.Customers <= 0 || opt.Transactions <= 0 || out == "" {
		fmt.Fprintln(e.stderr, "rfm gen: --customers, --transactions and --out are required")
		return errUsage
	}
	start := time.Now()
	if err := gen.WriteFile(out, opt); err != nil {
		if errors.Is(err, gen.ErrOptions) {
			return fmt.Errorf("%w: %v", jobs.ErrConfig, err)
		}
		return err
	}
	if !*quiet {
		fmt.Fprintf(e.stdout, "wrote %d rows of %d customers (%s .. %s) to %s in %.1fs\n",
			opt.Transactions, opt.Customers, opt.Start, opt.End(), out, time.Since(start).Seconds())
	}
	return nil
}
