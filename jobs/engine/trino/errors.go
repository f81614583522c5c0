package trino

import "errors"

// Errors returned by the engine, wrapped with the server, table, column or query concerned.
var (
	// ErrConfig: the engine's options are incomplete (no server, no table).
	ErrConfig = errors.New("trino: incomplete configuration")
	// ErrUnreachable: no Trino server answered at the configured address.
	ErrUnreachable = errors.New("trino: server unreachable")
	// ErrAuth: the server refused the credentials (HTTP 401) or the user's access to the table.
	ErrAuth = errors.New("trino: authentication or access denied")
	// ErrMissingTable: the configured table does not exist (or the user cannot see it).
	ErrMissingTable = errors.New("trino: missing table")
	// ErrMissingColumn: a mapped column is not in the table.
	ErrMissingColumn = errors.New("trino: missing column")
	// ErrColumnType: a mapped column has a type its role does not accept.
	ErrColumnType = errors.New("trino: wrong column type")
	// ErrQuery: a query failed on the server while it ran (the message carries Trino's error
	// name and text). Nothing was returned, so the job commits nothing.
	ErrQuery = errors.New("trino: query failed")
	// ErrResults: the results could not be read back (streamed rows or the Parquet result table).
	ErrResults = errors.New("trino: reading results")
)
