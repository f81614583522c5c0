package cluster

import (
	"errors"
	"fmt"
)

// Errors returned for bad data or options. Every error this package returns wraps one of these
// with the detail needed to fix the input (feature name, row, value, k), so callers can test
// with errors.Is and still show a useful message.
var (
	// ErrNoFeatures: Cluster was given no feature columns, or columns with no rows.
	ErrNoFeatures = errors.New("cluster: no features")
	// ErrShape: feature columns differ in length, a Raw column does not match its Values, or
	// a name is empty or repeated.
	ErrShape = errors.New("cluster: malformed features")
	// ErrUnknownFeature: the value feature named for cluster numbering is not among the features.
	ErrUnknownFeature = errors.New("cluster: unknown feature")
	// ErrNonFinite: a feature value is NaN or ±Inf; the message names the feature and row.
	ErrNonFinite = errors.New("cluster: value is not finite")
	// ErrTooFewPoints: fewer points than clusters (fixed K), or fewer than KMin+1 points for
	// automatic selection (the silhouette needs k ≤ n−1).
	ErrTooFewPoints = errors.New("cluster: fewer points than clusters")
	// ErrTooFewDistinct: fewer distinct points than clusters, so k non-empty clusters with
	// distinct centroids cannot exist.
	ErrTooFewDistinct = errors.New("cluster: fewer distinct points than clusters")
	// ErrOptions: an Options field is out of range; the message lists every problem.
	ErrOptions = errors.New("cluster: invalid options")
	// ErrFutureDate: FeaturesFrom found a last purchase after the as-of day.
	ErrFutureDate = errors.New("cluster: purchase after the as-of day")
)

// OptionError is one out-of-range Options field: Field is the field's name, Value its value
// after defaults, Want the accepted range. It wraps ErrOptions. Callers that expose the
// options under other names (a config file's keys) rename Field; Want names no field.
type OptionError struct {
	Field string
	Value any
	Want  string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%v: %s is %v, want %s", ErrOptions, e.Field, e.Value, e.Want)
}

func (e *OptionError) Unwrap() error { return ErrOptions }
