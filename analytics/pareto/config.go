package pareto

import (
	"errors"
	"fmt"
	"math"
)

// Default ABC cut points.
const (
	DefaultACut = 0.80
	DefaultBCut = 0.95
)

// Config sets the ABC classes' cumulative value shares. Its zero value is the default.
type Config struct {
	// ACut is the share of positive value the A customers reach, in (0, 1]; 0 means 0.80.
	ACut float64
	// BCut is the share the A and B customers reach together, in [ACut, 1]; 0 means 0.95.
	BCut float64
}

func (c Config) withDefaults() Config {
	if c.ACut == 0 {
		c.ACut = DefaultACut
	}
	if c.BCut == 0 {
		c.BCut = DefaultBCut
	}
	return c
}

// Validate reports every problem of c (after filling defaults) at once, each wrapping
// ErrConfig; nil means c is usable.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	inUnit := func(x float64) bool { return !math.IsNaN(x) && x > 0 && x <= 1 }
	if !inUnit(c.ACut) {
		errs = append(errs, fmt.Errorf("%w: ACut %v outside (0, 1]", ErrConfig, c.ACut))
	}
	if !inUnit(c.BCut) {
		errs = append(errs, fmt.Errorf("%w: BCut %v outside (0, 1]", ErrConfig, c.BCut))
	}
	if inUnit(c.ACut) && inUnit(c.BCut) && c.BCut < c.ACut {
		errs = append(errs, fmt.Errorf("%w: BCut %v below ACut %v", ErrConfig, c.BCut, c.ACut))
	}
	return errors.Join(errs...)
}
