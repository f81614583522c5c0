// Package jobs is the job as data teams run it: Run computes and commits every output of one
// as-of date, Evaluate checks the CLV model out of sample, and Classify maps any error to its
// kind, exit code and whether a retry may help (cmd/rfm, backfills and the scheduler all use
// it). Series of dates (backfills, the scheduler) are package series; the configuration is
// package config.
//
// # The stages of Run
//
// One straight line over one immutable result, each stage timed in the manifest:
//
//  1. resolve: the input files (input.Resolve); none for the Trino engine, which reads a table;
//  2. lock: the date's lock (store.AcquireLock); a second run of the date fails at once;
//  3. aggregate: the engine's per-customer feature table (native, or one given in RunOptions);
//  4. check: every row accounted for, the rejected share within quality.max_rejected_share;
//  5. analyze: scores, Pareto, profit and earned tiers, clusters (and tiers from them),
//     migration against the previous date (and the tiers held under status protection), then
//     CLV, whose predicted tiers compare with the tiers held: one outputs.Date;
//  6. write: the date's tables (outputs.Date.Tables) into the staging area;
//  7. report: the HTML page of the staged tables, staged beside them;
//  8. commit: store.Staging.Commit.
//
// # The commit protocol
//
// Everything of a date is written under DIR/.staging first; nothing published changes until the
// commit. The commit moves the date's manifest aside, renames each file over its published name
// (a reader sees the old file or the new one, whole), and writes the new manifest last, listing
// every output with its size and hash: the manifest is the commit point. A date is complete when
// its manifest's outputs all match (store.Complete); a run that fails or is killed before the
// commit leaves the previous commit as it was, one killed during it leaves the date uncommitted,
// and plans run it again. Package store documents what a reader may assume at each point.
package jobs
