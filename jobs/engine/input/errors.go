package input

import "errors"

// Errors returned by Resolve and Inspect, wrapped with the file, pattern or column concerned.
var (
	// ErrNoFiles: the pattern matched no .parquet file.
	ErrNoFiles = errors.New("input: no Parquet files")
	// ErrNotParquet: the file could not be opened as Parquet (bad magic bytes, corrupt or
	// truncated footer).
	ErrNotParquet = errors.New("input: not a readable Parquet file")
	// ErrMissingColumn: a mapped column is not in the file.
	ErrMissingColumn = errors.New("input: missing column")
	// ErrColumnType: a mapped column has a type its role does not accept.
	ErrColumnType = errors.New("input: wrong column type")
	// ErrSchemaDrift: a role's column has different kinds in different files.
	ErrSchemaDrift = errors.New("input: schema differs between files")
	// ErrRoles: the column mapping itself is incomplete (no customer id, timestamp or amount).
	ErrRoles = errors.New("input: incomplete column mapping")
)
