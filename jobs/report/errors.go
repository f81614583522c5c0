package report

import "errors"

// Errors of building a report, wrapped with the date and file at fault; test with errors.Is.
var (
	// ErrIncomplete reports a date without a committed manifest: its run never finished (or
	// never ran), so there is nothing trustworthy to report on.
	ErrIncomplete = errors.New("report: no committed outputs for the date")
	// ErrCorrupt reports an output file that is not readable Parquet, or a manifest that is not
	// valid JSON.
	ErrCorrupt = errors.New("report: unreadable output")
)
