// Package input finds the job's Parquet input files and checks their schemas before any engine
// reads a row.
//
// Resolve expands what the user configured (a file, a glob, or a directory searched recursively,
// hive partition directories such as year=2024/ included) into the sorted list of .parquet files.
//
// Inspect reads each file's footer (never its pages), finds the column mapped to each role of
// engine.Columns, and checks its type against what the role accepts:
//
//	role                          accepted Parquet types
//	customer_id, order_id         INT32, INT64 (signed, or unsigned up to 32 bits), FLOAT, DOUBLE
//	                              (integer-valued per row, checked by the engines), STRING or
//	                              un-annotated BYTE_ARRAY
//	timestamp                     TIMESTAMP(ms|us|ns) with or without isAdjustedToUTC, INT96
//	                              (nanoseconds, naive), DATE, or an ISO-8601 STRING
//	amount, quantity, unit_price, INT32, INT64, FLOAT, DOUBLE, DECIMAL (INT32, INT64,
//	cost                          FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY backed)
//
// A column is found by its exact top-level name first, then ignoring case; a case-insensitive
// match is reported in File.Notes, and two case-insensitive candidates are an error. Either
// amount, or both quantity and unit_price, must be mapped. A role's column must have the same
// Kind in every file: schema drift between files is an error naming both.
//
// Inspect reports every problem it finds at once (errors.Join), each naming the file, the
// column, the type found and the types wanted, so a user can fix the data from the message
// alone. A file that is not Parquet or whose footer is corrupt is an error naming the file, never
// a panic.
package input
