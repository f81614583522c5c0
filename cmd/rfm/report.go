package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rfmjob/rfm/jobs/report"
)

// cmdReport rebuilds the HTML report of one committed date from its outputs.
func cmdReport(_ context.Context, args []string, e *env) error {
	fs := newFlagSet("report", "report --as-of YYYY-MM-DD [--out DIR] [-q]", e)
	out := fs.String("out", "", "output directory holding the date's outputs (default: $RFM_OUTPUT_DIR, else out)")
	asOf := fs.String("as-of", "", "the as-of date whose report to build, YYYY-MM-DD (required)")
	quiet := fs.Bool("q", false, "print nothing on success")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *asOf == "" {
		fmt.Fprintln(e.stderr, "rfm report: --as-of is required")
		return errUsage
	}
	if _, err := time.Parse(time.DateOnly, *asOf); err != nil {
		fmt.Fprintf(e.stderr, "rfm report: --as-of is %q, want a date YYYY-MM-DD\n", *asOf)
		return errUsage
	}
	dir := *out
	if dir == "" {
		dir = "out"
		for _, kv := range e.vars {
			if v, ok := strings.CutPrefix(kv, "RFM_OUTPUT_DIR="); ok && v != "" {
				dir = v
			}
		}
	}
	path, err := report.Build(dir, *asOf)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(e.stdout, "report of %s: %s\n", *asOf, path)
	}
	return nil
}
