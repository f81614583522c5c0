package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	duckdb "github.com/marcboeker/go-duckdb"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
	sqltext "github.com/rfmjob/rfm/sql"
)

// ErrColumnName: a mapped column's name cannot be written as a DuckDB identifier (it holds a
// NUL byte, which ends the SQL text DuckDB parses). The native engine reads such files.
var ErrColumnName = errors.New("duckdb: unsupported column name")

// Engine runs the reference SQL on an embedded DuckDB.
type Engine struct{}

// New returns the DuckDB engine.
func New() *Engine { return &Engine{} }

// Name implements engine.Engine.
func (*Engine) Name() string { return "duckdb" }

// Aggregate implements engine.Engine.
func (e *Engine) Aggregate(ctx context.Context, req engine.Request) (*engine.Result, error) {
	files, err := input.Inspect(req.Files, req.Columns) // at least one file; same mapped columns in each
	if err != nil {
		return nil, err
	}
	for _, c := range files[0].Columns {
		if strings.ContainsRune(c.Name, 0) {
			return nil, fmt.Errorf("%w: column %q (role %s) contains a NUL byte; use the native engine", ErrColumnName, c.Name, c.Role)
		}
	}
	// DuckDB 1.1.2 crashes the process on some corrupt pages and silently reads others; read
	// every page with parquet-go first, which checks checksums and decoding and names the file.
	if err := input.Verify(ctx, files); err != nil {
		return nil, err
	}
	db, err := open(req)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	defer conn.Close()

	q, err := newQuery(ctx, conn, files, req)
	if err != nil {
		return nil, err
	}
	res := &engine.Result{}
	if res.Counts, err = q.counts(ctx); err != nil {
		return nil, err
	}
	if res.Rejected, err = q.rejected(ctx); err != nil {
		return nil, err
	}
	if res.Features, err = q.features(ctx); err != nil {
		return nil, err
	}
	res.Features.MoneyScale = req.MoneyScale
	res.Features.HasCost = req.Columns.Cost != ""
	return res, nil
}

// open starts an in-memory database with the request's limits. Extensions never autoload or
// install: the build has parquet and json compiled in, and the job needs nothing else.
func open(req engine.Request) (*sql.DB, error) {
	threads := req.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	settings := []string{
		fmt.Sprintf("SET threads = %d", threads),
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET preserve_insertion_order = false",
	}
	if req.MemoryLimitBytes > 0 {
		settings = append(settings, fmt.Sprintf("SET memory_limit = '%dB'", req.MemoryLimitBytes))
	}
	if req.TempDir != "" {
		settings = append(settings, "SET temp_directory = '"+strings.ReplaceAll(req.TempDir, "'", "''")+"'")
	}
	connector, err := duckdb.NewConnector("", func(execer driver.ExecerContext) error {
		for _, s := range settings {
			if _, err := execer.ExecContext(context.Background(), s, nil); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("duckdb: open: %w", err)
	}
	return sql.OpenDB(connector), nil
}

// query holds the expanded classified_rows text and its bound parameters.
type query struct {
	conn          *sql.Conn
	classified    string
	customerText  string // customer_features' {{customer_text}} (keyExprs)
	args          []any
	purchaseFloor int64 // a purchase has net > purchaseFloor
}

func newQuery(ctx context.Context, conn *sql.Conn, files []input.File, req engine.Request) (*query, error) {
	cols := files[0].Columns
	vars := map[string]string{}
	var args []any
	var names []string
	for i, f := range files {
		name := fmt.Sprintf("f%d", i)
		names = append(names, "$"+name)
		args = append(args, sql.Named(name, f.Path))
	}

	vars["customer_id"], vars["customer_bad"], vars["raw_customer_id"] = idExprs(cols[input.RoleCustomerID])
	var customerText string
	vars["customer_key"], customerText = keyExprs(cols[input.RoleCustomerID])
	if oc, ok := cols[input.RoleOrderID]; ok {
		vars["order_id"] = quoteIdent(oc.Name)
		vars["raw_order_id"] = fmt.Sprintf("CAST(%s AS VARCHAR)", quoteIdent(oc.Name))
	} else {
		vars["order_id"], vars["raw_order_id"] = "NULL", "NULL"
	}
	for k, v := range sourceExprs(names, vars["order_id"]) {
		vars[k] = v
	}

	tc := cols[input.RoleTimestamp]
	us, tsBad := microsExpr(tc)
	vars["ts_null"] = fmt.Sprintf("(%s IS NULL)", quoteIdent(tc.Name))
	vars["ts_bad"] = tsBad
	vars["raw_timestamp"] = fmt.Sprintf("CAST(%s AS VARCHAR)", quoteIdent(tc.Name))
	vars["tz_join"], vars["day"] = "", fmt.Sprintf("CAST(floor(%s / 86400000000.0) AS INTEGER)", us)
	if loc := req.Location; loc != nil && loc != time.UTC && tc.Kind != input.KindDate {
		if err := createOffsets(ctx, conn, loc); err != nil {
			return nil, err
		}
		vars["tz_join"] = fmt.Sprintf("ASOF LEFT JOIN rfm_tz_offsets tz ON %s >= tz.from_us", us)
		vars["day"] = fmt.Sprintf("CAST(floor((%s + coalesce(tz.offset_us, 0)) / 86400000000.0) AS INTEGER)", us)
	}

	if ac, ok := cols[input.RoleAmount]; ok {
		vars["amount_minor"], vars["amount_bad"] = moneyExprs(ac, req.MoneyScale)
		vars["amount_null"] = fmt.Sprintf("(%s IS NULL)", quoteIdent(ac.Name))
		vars["raw_amount"] = fmt.Sprintf("CAST(%s AS VARCHAR)", quoteIdent(ac.Name))
	} else {
		qc, pc := cols[input.RoleQuantity], cols[input.RoleUnitPrice]
		vars["amount_minor"], vars["amount_bad"] = productExprs(qc, pc, req.MoneyScale)
		vars["amount_null"] = fmt.Sprintf("(%s IS NULL OR %s IS NULL)", quoteIdent(qc.Name), quoteIdent(pc.Name))
		vars["raw_amount"] = fmt.Sprintf("coalesce(CAST(%s AS VARCHAR), '') || ' * ' || coalesce(CAST(%s AS VARCHAR), '')",
			quoteIdent(qc.Name), quoteIdent(pc.Name))
	}
	vars["cost_minor"] = "CAST(0 AS BIGINT)"
	if cc, ok := cols[input.RoleCost]; ok {
		minor, _ := moneyExprs(cc, req.MoneyScale)
		vars["cost_minor"] = fmt.Sprintf("coalesce(%s, 0)", minor)
	}

	var start any
	if req.StartDay != feature.NoDate {
		start = int32(req.StartDay)
	}
	args = append(args, sql.Named("as_of_day", req.AsOfDay), sql.Named("start_day", start))
	q := &query{
		conn:         conn,
		classified:   sqltext.Expand(sqltext.Statement("classified_rows"), vars),
		customerText: customerText,
		args:         args,
	}
	if req.ZeroNetIsPurchase {
		q.purchaseFloor = -1
	}
	return q, nil
}

func (q *query) statement(name string) string {
	vars := map[string]string{"classified_rows": q.classified}
	if name == "customer_features" {
		vars["customer_text"] = q.customerText
	}
	return sqltext.Expand(sqltext.Statement(name), vars)
}

func (q *query) counts(ctx context.Context) (engine.Counts, error) {
	rows, err := q.conn.QueryContext(ctx, q.statement("row_counts"), q.args...)
	if err != nil {
		return engine.Counts{}, wrap("row_counts", err)
	}
	defer rows.Close()
	c, err := engine.ScanCounts(rows)
	return c, wrap("row_counts", err)
}

func (q *query) rejected(ctx context.Context) ([]engine.Rejected, error) {
	rows, err := q.conn.QueryContext(ctx, q.statement("rejected_rows"), q.args...)
	if err != nil {
		return nil, wrap("rejected_rows", err)
	}
	defer rows.Close()
	out, err := engine.ScanRejected(rows)
	return out, wrap("rejected_rows", err)
}

// features materializes the per-customer table in DuckDB, then reads it through the Arrow
// interface into a feature.Table.
func (q *query) features(ctx context.Context) (*feature.Table, error) {
	create := "CREATE OR REPLACE TEMP TABLE rfm_features AS " + q.statement("customer_features")
	args := append(append([]any{}, q.args...), sql.Named("purchase_floor", q.purchaseFloor))
	if _, err := q.conn.ExecContext(ctx, create, args...); err != nil {
		return nil, wrap("customer_features", err)
	}
	t := &feature.Table{}
	err := q.conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rdr, err := ar.QueryContext(ctx, "SELECT * FROM rfm_features ORDER BY customer_id")
		if err != nil {
			return err
		}
		defer rdr.Release()
		for rdr.Next() {
			if err := appendRecord(t, rdr.Record()); err != nil {
				return err
			}
		}
		return rdr.Err()
	})
	if err != nil {
		return nil, wrap("customer_features", err)
	}
	return t, nil
}

// appendRecord copies one Arrow record of customer_features into t.
func appendRecord(t *feature.Table, rec arrow.Record) error {
	n := int(rec.NumRows())
	base := t.Grow(n)
	col := func(name string) (arrow.Array, error) {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) != 1 {
			return nil, fmt.Errorf("result has no column %q", name)
		}
		return rec.Column(idx[0]), nil
	}
	ids, err := col("customer_id")
	if err != nil {
		return err
	}
	var id func(int) string
	switch a := ids.(type) {
	case *array.String:
		id = a.Value
	case *array.LargeString:
		id = a.Value
	default:
		return fmt.Errorf("customer_id is %s, want a string", ids.DataType())
	}
	for i := 0; i < n; i++ {
		t.CustomerID[base+i] = strings.Clone(id(i)) // the record's buffers are released after
	}
	for name, dst := range map[string][]int32{"first_purchase": t.FirstPurchase, "last_purchase": t.LastPurchase} {
		a, err := col(name)
		if err != nil {
			return err
		}
		days, ok := a.(*array.Int32)
		if !ok {
			return fmt.Errorf("%s is %s, want INTEGER", name, a.DataType())
		}
		for i := 0; i < n; i++ {
			if days.IsValid(i) {
				dst[base+i] = days.Value(i)
			}
		}
	}
	for name, dst := range map[string][]int64{
		"frequency": t.Frequency, "orders": t.Orders, "rows": t.Rows, "purchase_days": t.PurchaseDays,
		"monetary": t.Monetary, "purchase_value": t.PurchaseValue, "first_day_value": t.FirstDayValue, "cost": t.Cost,
	} {
		a, err := col(name)
		if err != nil {
			return err
		}
		v, ok := a.(*array.Int64)
		if !ok {
			return fmt.Errorf("%s is %s, want BIGINT", name, a.DataType())
		}
		copy(dst[base:base+n], v.Int64Values())
	}
	return nil
}

// createOffsets writes the UTC offsets of loc as a table of (from_us, offset_us) intervals
// covering 1900–2200, found by scanning day by day and bisecting each change to the second.
func createOffsets(ctx context.Context, conn *sql.Conn, loc *time.Location) error {
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE rfm_tz_offsets (from_us BIGINT, offset_us BIGINT)"); err != nil {
		return wrap("time zone table", err)
	}
	type span struct{ from, offset int64 }
	offsetAt := func(sec int64) int64 { _, off := time.Unix(sec, 0).In(loc).Zone(); return int64(off) }
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	end := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	spans := []span{{from: -1 << 62, offset: offsetAt(start)}}
	for s := start; s < end; s += 86400 {
		cur := spans[len(spans)-1].offset
		if offsetAt(s+86400) == cur {
			continue
		}
		lo, hi := s, s+86400 // offset(lo) == cur, offset(hi) != cur
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if offsetAt(mid) == cur {
				lo = mid
			} else {
				hi = mid
			}
		}
		spans = append(spans, span{from: hi, offset: offsetAt(hi)})
	}
	var b strings.Builder
	b.WriteString("INSERT INTO rfm_tz_offsets VALUES ")
	for i, s := range spans {
		if i > 0 {
			b.WriteString(", ")
		}
		from := s.from
		if i > 0 {
			from *= 1e6
		}
		fmt.Fprintf(&b, "(%d, %d)", from, s.offset*1e6)
	}
	_, err := conn.ExecContext(ctx, b.String())
	return wrap("time zone table", err)
}

func wrap(stage string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("duckdb: %s: %w", stage, err)
}
