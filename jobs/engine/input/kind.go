package input

import "slices"

// Accepts reports whether a column of kind k may fill role, as Inspect checks for Parquet
// files; other engines check their own sources' columns with it.
func Accepts(role string, k Kind) bool { return slices.Contains(accepted[role].kinds, k) }

// Integer reports whether k is INT32 or INT64.
func (k Kind) Integer() bool { return k == KindInt32 || k == KindInt64 }

// Float reports whether k is FLOAT or DOUBLE.
func (k Kind) Float() bool { return k == KindFloat32 || k == KindFloat64 }
