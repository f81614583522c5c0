// Package engine defines how the job turns transaction files into the per-customer feature table
// (package analytics/feature): one interface, several implementations (native Parquet reader,
// DuckDB SQL, later Trino), all required to return identical tables and identical row counts for
// the same Request.
package engine

import (
	"context"
	"database/sql"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Roles are the logical columns the job reads. The config maps each role to a column name in
// the input files.
type Columns struct {
	CustomerID string // required: integer, string, or integer-valued floating column
	OrderID    string // optional: without it every row is one order
	Timestamp  string // required: TIMESTAMP, DATE or an ISO-8601 string
	Amount     string // the row's amount; or Quantity × UnitPrice when Amount is empty
	Quantity   string
	UnitPrice  string
	Cost       string // optional cost of goods for the row
}

// Request is one per-customer aggregation: which files, which columns, which window.
type Request struct {
	Files   []string // resolved input files, sorted
	Columns Columns

	// AsOfDay is the last day included (days since 1970-01-01 in Location): a row is used when
	// its day is ≤ AsOfDay and, when StartDay != feature.NoDate, ≥ StartDay.
	AsOfDay  int32
	StartDay int32
	// Location turns timestamps into days; nil means UTC. Naive timestamps are read as UTC
	// instants (i.e. they are taken to be UTC wall-clock times).
	Location *time.Location
	// MoneyScale is the number of decimals in minor units (2 = cents). Each row's amount and
	// cost are converted to minor units by rounding half away from zero.
	MoneyScale int
	// ZeroNetIsPurchase counts an order whose net is exactly 0 as a purchase (net ≥ 0 rather
	// than net > 0), as the buy-till-you-die literature counts free items (CDNOW has some).
	ZeroNetIsPurchase bool
	// Threads bounds the engine's parallelism (0: all cores).
	Threads int
	// MemoryLimitBytes bounds the engine's memory where the engine supports it (0: default).
	MemoryLimitBytes int64
	// TempDir is where an engine may spill (DuckDB).
	TempDir string
}

// Reasons a row is rejected (quarantined), in the order they are checked.
const (
	RejectNullCustomer    = "null_customer_id"
	RejectBadCustomer     = "bad_customer_id" // a floating id that is not an integer, NaN or Inf
	RejectNullTimestamp   = "null_timestamp"
	RejectBadTimestamp    = "bad_timestamp" // a string that is not an ISO-8601 date or timestamp
	RejectNullAmount      = "null_amount"
	RejectNonFiniteAmount = "non_finite_amount" // NaN, ±Inf, or beyond ±9e15 minor units
)

// Rejected is one quarantined input row.
type Rejected struct {
	File   string
	Row    int64 // 0-based row number within the file; -1 where the engine cannot tell (Trino)
	Reason string
	// Raw values of the mapped columns as text ("" for null).
	CustomerID, OrderID, Timestamp, Amount string
}

// Counts accounts for every input row: Read = Used + AfterAsOf + BeforeWindow + Σ Rejected.
type Counts struct {
	Read         int64
	Used         int64
	AfterAsOf    int64            // excluded: timestamp after the as-of day
	BeforeWindow int64            // excluded: timestamp before the lookback window
	Rejected     map[string]int64 // by reason
}

// ScanCounts reads the rows of sql/row_counts.sql (status, reason, rows); the SQL engines get
// their counts this way. A status it does not know counts only in Read.
func ScanCounts(rows *sql.Rows) (Counts, error) {
	c := Counts{Rejected: map[string]int64{}}
	for rows.Next() {
		var status string
		var reason sql.NullString
		var n int64
		if err := rows.Scan(&status, &reason, &n); err != nil {
			return c, err
		}
		c.Read += n
		switch status {
		case "used":
			c.Used += n
		case "after_as_of":
			c.AfterAsOf += n
		case "before_window":
			c.BeforeWindow += n
		case "rejected":
			c.Rejected[reason.String] += n
		}
	}
	return c, rows.Err()
}

// ScanRejected reads the rows of sql/rejected_rows.sql, in their order. A NULL row number (an
// engine that does not know it) is -1.
func ScanRejected(rows *sql.Rows) ([]Rejected, error) {
	var out []Rejected
	for rows.Next() {
		var r Rejected
		var row sql.NullInt64
		if err := rows.Scan(&r.File, &row, &r.Reason, &r.CustomerID, &r.OrderID, &r.Timestamp, &r.Amount); err != nil {
			return nil, err
		}
		r.Row = -1
		if row.Valid {
			r.Row = row.Int64
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RejectedTotal sums the rejected rows over all reasons.
func (c Counts) RejectedTotal() int64 {
	var n int64
	for _, v := range c.Rejected {
		n += v
	}
	return n
}

// Result is what an engine returns.
type Result struct {
	Features *feature.Table
	Counts   Counts
	Rejected []Rejected // every rejected row, ordered by file then row
}

// Engine aggregates transactions into per-customer features.
type Engine interface {
	Name() string
	Aggregate(ctx context.Context, req Request) (*Result, error)
}

// SeriesEngine is an engine that aggregates a series of as-of dates in one pass over the
// input (backfills, a schedule catching up).
type SeriesEngine interface {
	Engine
	// AggregateSeries calls each(i, res) for i = 0, 1, … in order, res being what Aggregate
	// returns for req with AsOfDay = days[i]. days ascend strictly; req.AsOfDay is ignored and
	// req.StartDay holds for every date (a fixed window start, as a holdout period has; a
	// lookback window moves with the dates and needs Aggregate per date). An error of the input fails every date and is returned before
	// the first call; an error each returns stops the series and is returned. res is not used
	// after each returns, except res.Rejected, which every date shares.
	AggregateSeries(ctx context.Context, req Request, days []int32, each func(i int, res *Result) error) error
}
