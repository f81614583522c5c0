package native

import "errors"

// Errors returned by Aggregate, wrapped with the file, row group and column concerned.
var (
	// ErrCorrupt: a page could not be decoded, or a column chunk ended early: the file is damaged
	// or was written by a faulty writer.
	ErrCorrupt = errors.New("native: corrupt Parquet data")
	// ErrOpen: an input file could not be opened.
	ErrOpen = errors.New("native: cannot open input")
)
