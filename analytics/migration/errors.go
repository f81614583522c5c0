package migration

import "errors"

// Errors returned by this package, wrapped with the customer or value at fault; test with
// errors.Is.
var (
	// ErrUnsorted reports customer ids that are not strictly ascending (unsorted or repeated).
	ErrUnsorted = errors.New("migration: customer ids not strictly ascending")
	// ErrUnknownTier reports a tier that is not on the ladder.
	ErrUnknownTier = errors.New("migration: tier not on the ladder")
	// ErrLadder reports an empty ladder or one that names a tier twice.
	ErrLadder = errors.New("migration: invalid tier ladder")
)
