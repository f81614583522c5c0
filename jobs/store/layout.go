package store

import (
	"strings"
)

// Names of the layout; see the package documentation.
const (
	DataFile     = "data.parquet"
	ReportTable  = "report"
	ReportFile   = "index.html"
	manifestDir  = "manifests"
	manifestFile = "manifest.json"
	stagingDir   = ".staging"
	locksDir     = ".locks"
	failuresDir  = ".failures"
)

// PartitionDir is the directory of table's output for the date.
func PartitionDir(outDir, table, date string) string {
	return join(outDir, table, "as_of="+date)
}

// TablePath is the published file of a table for the date.
func TablePath(outDir, table, date string) string {
	return join(outDir, table, "as_of="+date, DataFile)
}

// ReportPath is the published report page of the date.
func ReportPath(outDir, date string) string {
	return join(outDir, ReportTable, "as_of="+date, ReportFile)
}

// ManifestPath is where the manifest of a date lives.
func ManifestPath(outDir, date string) string {
	return join(outDir, manifestDir, "as_of="+date, manifestFile)
}

// relPath is an output's path relative to the output directory, with forward slashes.
func relPath(table, date, file string) string {
	return strings.Join([]string{table, "as_of=" + date, file}, "/")
}
