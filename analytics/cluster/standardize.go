package cluster

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// Standardization records how each feature was turned into z-scores.
type Standardization struct {
	Names []string
	// Mean and SD are the mean and the population standard deviation (divisor n) of each
	// feature's Values.
	Mean, SD []float64
	// Constant lists the features whose values are all equal (SD = 0): their standardized
	// column is all zeros, so they take no part in the clustering.
	Constant []string
}

// validate checks names, lengths and finiteness and returns the number of rows.
func validate(features []Feature) (int, error) {
	if len(features) == 0 {
		return 0, fmt.Errorf("%w: no feature columns", ErrNoFeatures)
	}
	n := len(features[0].Values)
	seen := make(map[string]bool, len(features))
	for _, f := range features {
		switch {
		case f.Name == "":
			return 0, fmt.Errorf("%w: a feature has no name", ErrShape)
		case seen[f.Name]:
			return 0, fmt.Errorf("%w: feature %q appears twice", ErrShape, f.Name)
		case len(f.Values) != n:
			return 0, fmt.Errorf("%w: feature %q has %d values, feature %q has %d", ErrShape, f.Name, len(f.Values), features[0].Name, n)
		case f.Raw != nil && len(f.Raw) != n:
			return 0, fmt.Errorf("%w: feature %q has %d raw values, want %d", ErrShape, f.Name, len(f.Raw), n)
		}
		seen[f.Name] = true
		for i, v := range f.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: feature %q row %d is %v", ErrNonFinite, f.Name, i, v)
			}
		}
		for i, v := range f.Raw {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: feature %q row %d raw value is %v", ErrNonFinite, f.Name, i, v)
			}
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: features have no rows", ErrNoFeatures)
	}
	return n, nil
}

// standardize returns the n×d row-major matrix of z-scores (v − mean)/sd, with zeros for
// constant features, and the parameters used. The features must have passed validate.
func standardize(features []Feature, n int) ([]float64, Standardization) {
	d := len(features)
	st := Standardization{Names: make([]string, d), Mean: make([]float64, d), SD: make([]float64, d)}
	x := make([]float64, n*d)
	for j, f := range features {
		st.Names[j] = f.Name
		mean, sd := stat.PopMeanStdDev(f.Values, nil)
		if sd == 0 || allEqual(f.Values) {
			mean, sd = f.Values[0], 0
			st.Constant = append(st.Constant, f.Name)
		}
		st.Mean[j], st.SD[j] = mean, sd
		if sd == 0 {
			continue // the column stays zero
		}
		for i, v := range f.Values {
			x[i*d+j] = (v - mean) / sd
		}
	}
	return x, st
}

// allEqual reports whether every value equals the first; the test is exact so a column of
// equal values is constant even when rounding leaves its computed variance slightly above 0.
func allEqual(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}
