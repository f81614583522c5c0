package jobs

import "errors"

// Errors the job returns, wrapped with context; cmd/rfm maps them to exit codes (see ExitCode).
var (
	// ErrConfig: the configuration or command line is invalid. Fix it; retrying will not help.
	ErrConfig = errors.New("invalid configuration")
	// ErrInputMissing: no input file matched. May resolve itself when upstream delivers.
	ErrInputMissing = errors.New("input missing")
	// ErrInput: the input is unusable (schema, corrupt file, too many rejected rows).
	ErrInput = errors.New("bad input")
	// ErrLocked: another run holds the lock for this output directory and date. Retry later.
	ErrLocked = errors.New("locked by another run")
	// ErrInterrupted: the run was cancelled (SIGINT/SIGTERM); nothing was committed.
	ErrInterrupted = errors.New("interrupted")
)
