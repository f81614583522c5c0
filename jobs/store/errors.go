package store

import "errors"

// Errors of the output directory, wrapped with the date and path at fault; test with errors.Is.
var (
	// ErrLocked: another run holds the lock of this output directory and date. Retry later.
	ErrLocked = errors.New("locked by another run")
	// ErrIncomplete: the date has no manifest, or an output its manifest lists is missing or
	// does not match its size and hash.
	ErrIncomplete = errors.New("date not complete")
)
