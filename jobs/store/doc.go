// Package store owns the output directory contract: where every file of a date lives, the one
// Manifest type, the per-date lock, staging → publish → manifest last, failure records, and
// which dates are complete. It is the only package that writes into an output directory, so an
// object-store backend has one seam to plug into.
//
// # Layout
//
//	DIR/<table>/as_of=YYYY-MM-DD/data.parquet     one file per table and date (hive partitions)
//	DIR/report/as_of=YYYY-MM-DD/index.html        the date's report page
//	DIR/manifests/as_of=YYYY-MM-DD/manifest.json  written last: the commit point of the date
//	DIR/.staging/<run id>/...                     a run's files before they are published
//	DIR/.locks/as_of=YYYY-MM-DD.lock              flock(2) held while a run of that date works
//	DIR/.failures/as_of=YYYY-MM-DD.json           the last failed run of a date, for planning
//
// # Commit protocol
//
// A run takes the date's lock, writes every output (tables and report) into its own staging
// directory and fsyncs each file. Only then does it touch the published date: it moves the
// date's manifest (if any) into its staging directory, publishes each file with one rename(2)
// over its published name, and writes the new manifest last, listing every output with its size
// and XXH3-64 hash. What a reader may assume at every point:
//
//   - until the commit starts, the previous commit of the date is untouched: a run that fails
//     or is killed while computing or staging (a full disk, a report that cannot be written)
//     changes nothing;
//   - during the commit the date has no manifest, and each published file is either the
//     previous run's or this run's, whole: never a partial file (rename is atomic; files are
//     fsynced first). A run killed here leaves the date uncommitted, never a manifest beside
//     files it does not describe; plans and the scheduler run such a date again;
//   - after it, the manifest names exactly the files of this run, with their sizes and hashes;
//   - a killed run leaves its staging directory, which the next run removes, and no temporary
//     file anywhere else: every file in flight lives under DIR/.staging;
//   - a date is complete when its manifest exists and every output it lists exists with the
//     listed size and hash (Complete). A date whose manifest lists a missing or changed output
//     is not complete, so backfills and schedules run it again.
//
// # Object stores
//
// An output directory may be an s3://bucket/prefix/ (object.go, objlock.go): the same layout,
// files staged on local disk and published with one PUT each, the lock an object created with
// If-None-Match: * and a renewed lease, completeness checked by sizes. docs/object-store.md
// gives that protocol and what a reader may assume at each step.
package store
