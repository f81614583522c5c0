package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engines"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/report"
	"github.com/rfmjob/rfm/jobs/store"
)

// demoData is the demo's synthetic data set: big enough to show real segments and a long tail,
// small enough to run in a second or two.
var demoData = gen.Options{Customers: 5000, Transactions: 120000, Seed: 20240101, BadRowShare: 0.001}

// demoRates are the demo's activity costs, currency units per unit of quantity: picking per
// line, a parcel out, a parcel back, a minute of support, an hour of a sales visit (travel is
// its direct cost), a marketing contact.
var demoRates = map[string]float64{
	gen.ActivityOrder: 0.60, gen.ActivityDelivery: 9.00, gen.ActivityReturn: 20.00,
	gen.ActivitySupport: 3.00, gen.ActivitySalesVisit: 60.00, gen.ActivityMarketingTouch: 2.50,
}

func cmdDemo(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("demo", "demo [--out DIR] [--engine native|duckdb]", e)
	out := fs.String("out", "out/demo", "output directory")
	engine := fs.String("engine", "native", "native or duckdb")
	if err := parse(fs, args); err != nil {
		return err
	}
	inDir := filepath.Join(*out, "_demo_input")
	if err := os.MkdirAll(inDir, 0o755); err != nil {
		return err
	}
	in := filepath.Join(inDir, "transactions.parquet")
	if err := gen.WriteFile(in, demoData); err != nil {
		return err
	}
	acts := filepath.Join(inDir, "activities.parquet")
	if err := gen.WriteActivityFile(acts, demoData, 0); err != nil {
		return err
	}
	cfg := &config.Config{Engine: *engine}
	cfg.Input.Transactions = in
	cfg.Input.Columns.Cost = "cost"
	cfg.Output.Dir = *out
	cfg.Profit.Activities.Path = acts
	cfg.Profit.Activities.Columns.Cost = "cost"
	cfg.Profit.Rates = demoRates
	on := true // the demo shows every table and column
	cfg.CLV.Periods, cfg.CLV.Intervals = &on, &on
	// Two dates of a monthly series, so that the outputs show movement: the month end before
	// the data's last day, then the last day against it.
	asOf := demoData.End()
	prev, err := monthEndBefore(asOf)
	if err != nil {
		return err
	}
	eng, err := engines.For(cfg)
	if err != nil {
		return err
	}
	if _, err := jobs.Run(ctx, cfg, prev, jobs.RunOptions{Engine: eng}); err != nil {
		return err
	}
	m, err := jobs.Run(ctx, cfg, asOf, jobs.RunOptions{Previous: prev, Engine: eng})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rfm demo: %d synthetic order lines of %d customers in %s\n\n", m.Rows.Read, demoData.Customers, in)
	fmt.Fprintf(e.stdout, "As of %s: %d customers; %d rows used, %d rejected (", m.AsOf, m.Customers, m.Rows.Used, m.Rows.Rejected)
	first := true
	for reason, n := range m.Rows.RejectedByReason {
		if !first {
			fmt.Fprint(e.stdout, ", ")
		}
		fmt.Fprintf(e.stdout, "%s %d", reason, n)
		first = false
	}
	fmt.Fprintf(e.stdout, ")\n")
	fmt.Fprintf(e.stdout, "The top 20%% of customers hold %.1f%% of net revenue; Gini %.3f.\n\n", 100*m.Highlights.Top20PctShare, m.Highlights.Gini)
	fmt.Fprintf(e.stdout, "Segments:\n")
	for _, s := range m.Highlights.Segments {
		fmt.Fprintf(e.stdout, "  %-20s %6d customers  %5.1f%%\n", s.Segment, s.Customers, 100*float64(s.Customers)/float64(max(m.Customers, 1)))
	}
	if tiers, peak, err := outputs.ReadPyramid(store.TablePath(*out, outputs.TableTiers, m.AsOf), store.TablePath(*out, outputs.TablePareto, m.AsOf)); err == nil {
		fmt.Fprintf(e.stdout, "\nCustomer pyramid (share of customers | share of profit):\n")
		for _, t := range tiers {
			fmt.Fprintf(e.stdout, "  %-10s %6d customers  %5.1f%% | %6.1f%%\n", t.Tier, t.Customers, 100*t.CustomerShare, 100*t.ProfitShare)
		}
		fmt.Fprintf(e.stdout, "Whale curve: the top %.0f%% of customers make %.0f%% of profit; the rest destroy %.2f.\n",
			100*peak.CustomerShare, 100*peak.ProfitShare, peak.ProfitDestroyed)
	}
	if d, err := report.Load(*out, m.AsOf); err == nil {
		if mv, ok := d.Movement(); ok {
			fmt.Fprintf(e.stdout, "\nSince %s: %d customers moved up, %d down, %d kept their tier; %d new, %d returned, %d lapsed.\n",
				mv.Previous, mv.Up, mv.Down, mv.Same, mv.New, mv.Returned, mv.Lapsed)
		}
	}
	fmt.Fprintf(e.stdout, "\nOutputs (Parquet, hive-partitioned by as_of) in %s:\n", *out)
	for _, o := range m.Outputs {
		if o.Table == store.ReportTable {
			fmt.Fprintf(e.stdout, "  %-13s %12s  %s\n", o.Table, "page", filepath.Join(*out, o.Path))
			continue
		}
		fmt.Fprintf(e.stdout, "  %-13s %7d rows  %s\n", o.Table, o.Rows, filepath.Join(*out, o.Path))
	}
	fmt.Fprintf(e.stdout, "  manifest                 %s\n", store.ManifestPath(*out, m.AsOf))
	fmt.Fprintf(e.stdout, "(and the same tables of %s, the month end before, which the movement compares with)\n", prev)
	return nil
}

// monthEndBefore returns the last day of the month before date's month: the previous date of
// a monthly series of month ends (2024-12-30 and 2024-12-31 both give 2024-11-30).
func monthEndBefore(date string) (string, error) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", err
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, -1).Format(time.DateOnly), nil
}
