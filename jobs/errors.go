package jobs

import (
	"context"
	"errors"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/rfmjob/rfm/jobs/store"
)

// Errors the job returns, wrapped with context. Classify maps any error to its kind, exit code
// and whether a retry may help; cmd/rfm, backfills and the scheduler all use it.
var (
	// ErrConfig: the configuration or command line is invalid. Fix it; retrying will not help.
	ErrConfig = config.ErrConfig
	// ErrInputMissing: no input file matched. May resolve itself when upstream delivers.
	ErrInputMissing = errors.New("input missing")
	// ErrInput: the input is unusable (schema, corrupt file, too many rejected rows).
	ErrInput = errors.New("bad input")
	// ErrLocked: another run holds the lock for this output directory and date. Retry later.
	ErrLocked = store.ErrLocked
	// ErrUnavailable: the object store could not be reached, or kept failing after the
	// retries (objstore.ErrUnavailable). Retry later.
	ErrUnavailable = objstore.ErrUnavailable
	// ErrInterrupted: the run was cancelled (SIGINT/SIGTERM); nothing was committed.
	ErrInterrupted = errors.New("interrupted")
)

// Kind names a class of errors in failure records, logs and exit codes.
type Kind string

// Kinds, from Classify.
const (
	KindNone         Kind = ""
	KindConfig       Kind = "config"
	KindInterrupted  Kind = "interrupted"
	KindLocked       Kind = "locked"
	KindInputMissing Kind = "input_missing"
	KindInput        Kind = "input"
	KindUnavailable  Kind = "unavailable"
	KindFailure      Kind = "failure"
)

// Exit codes of the rfm command, one per kind; the README and every --help list them.
const (
	ExitOK           = 0
	ExitFailure      = 1  // the run failed (bad input, write error, internal error)
	ExitUsage        = 2  // bad flags or configuration
	ExitPartial      = 3  // some dates of a backfill failed
	ExitInputMissing = 4  // no input file matched: upstream has not delivered yet
	ExitLocked       = 75 // another run holds this date's lock, or the object store is unreachable: retry later (EX_TEMPFAIL)
	ExitInterrupted  = 130
)

// Class is what Classify says of an error.
type Class struct {
	Kind Kind
	Exit int
	// Retry is true when running the same date again later may succeed without a change:
	// another run holds its lock, or upstream has not delivered the input yet.
	Retry bool
}

// Classify is the one place an error is classified, by its wrapped sentinels (errors.Is, never
// by text). Cancellation counts as interrupted.
func Classify(err error) Class {
	switch {
	case err == nil:
		return Class{KindNone, ExitOK, false}
	case errors.Is(err, ErrConfig):
		return Class{KindConfig, ExitUsage, false}
	case errors.Is(err, ErrInterrupted), errors.Is(err, context.Canceled):
		return Class{KindInterrupted, ExitInterrupted, false}
	case errors.Is(err, ErrLocked):
		return Class{KindLocked, ExitLocked, true}
	case errors.Is(err, ErrUnavailable):
		return Class{KindUnavailable, ExitLocked, true}
	case errors.Is(err, ErrInputMissing):
		return Class{KindInputMissing, ExitInputMissing, true}
	case errors.Is(err, ErrInput):
		return Class{KindInput, ExitFailure, false}
	default:
		return Class{KindFailure, ExitFailure, false}
	}
}
