// Package difftest holds the differential test of the native engine against the DuckDB
// reference engine: both aggregate the same fixtures and the online retail files, and every
// feature, count and rejected row must agree. It is a separate package so that the native
// engine's own tests build without cgo.
package difftest
