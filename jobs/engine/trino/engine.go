package trino

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	trino "github.com/trinodb/trino-go-client/trino"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
	sqltext "github.com/rfmjob/rfm/sql"
)

// Options say which server to ask and which table holds the transactions. The zero value of
// every optional field means its default.
type Options struct {
	// Server is the coordinator's URL, http://host:8080 or https://host:8443; a user and
	// password may be given in it (https://alice:secret@host:8443). Required.
	Server string
	// User is the Trino user (default: the URL's user, else "rfm").
	User string
	// Password is sent with HTTP basic authentication (Trino accepts it over https only).
	Password string
	// Catalog, Schema and Table name the transactions table. Catalog and Table are required;
	// Schema defaults to "default".
	Catalog, Schema, Table string
	// RetryTimeout bounds how long each HTTP request is retried before the server counts as
	// unreachable (default 30s).
	RetryTimeout time.Duration
	// SessionProperties are set on every query (e.g. query_max_execution_time: 1h).
	SessionProperties map[string]string

	// Results is how the features come back: ResultsStream (default) or ResultsParquet.
	Results string
	// ResultsLocation is where the server writes the Parquet results, as the catalog names it
	// (s3://bucket/rfm-tmp, local:///mnt/shared/rfm-tmp), and ResultsLocalDir the same place
	// as this machine sees it. Both are required for ResultsParquet; the results table is
	// created in Catalog.Schema, which must allow external writes
	// (hive.non-managed-table-writes-enabled=true for Hive).
	ResultsLocation, ResultsLocalDir string
}

// Engine runs the shared SQL of sql/ on a Trino server.
type Engine struct{ opts Options }

// New returns a Trino engine for opts; problems with opts are reported by Aggregate.
func New(opts Options) *Engine {
	if opts.Schema == "" {
		opts.Schema = "default"
	}
	if opts.RetryTimeout <= 0 {
		opts.RetryTimeout = 30 * time.Second
	}
	return &Engine{opts: opts}
}

// Name implements engine.Engine.
func (*Engine) Name() string { return "trino" }

func (e *Engine) tableName() string { return quoteName(e.opts.Catalog, e.opts.Schema, e.opts.Table) }

// Aggregate implements engine.Engine. The transactions come from the configured table, not
// from req.Files. It runs row_counts, rejected_rows and customer_features (read-only, except
// that ResultsParquet creates and drops one scratch table), and returns only when all three
// succeeded.
func (e *Engine) Aggregate(ctx context.Context, req engine.Request) (*engine.Result, error) {
	db, err := e.open()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	cols, err := e.columns(ctx, db, req.Columns)
	if err != nil {
		return nil, err
	}
	q := e.newQuery(ctx, db, cols, req)
	res := &engine.Result{}
	if res.Counts, err = q.counts(ctx); err != nil {
		return nil, err
	}
	if res.Rejected, err = q.rejected(ctx); err != nil {
		return nil, err
	}
	if e.opts.Results == ResultsParquet {
		res.Features, err = q.featuresParquet(ctx)
	} else {
		res.Features, err = q.features(ctx)
	}
	if err != nil {
		return nil, err
	}
	res.Features.MoneyScale = req.MoneyScale
	res.Features.HasCost = req.Columns.Cost != ""
	return res, nil
}

// open builds the client. Days of naive values are UTC: the session zone is UTC whatever the
// job's zone, which enters the SQL as a bound parameter instead.
func (e *Engine) open() (*sql.DB, error) {
	o := e.opts
	var problems []string
	if o.Server == "" {
		problems = append(problems, "no server URL")
	}
	if o.Catalog == "" || o.Table == "" {
		problems = append(problems, "no catalog and table for the transactions")
	}
	u, err := url.Parse(o.Server)
	if err == nil && (u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
		err = fmt.Errorf("want http(s)://host:port")
	}
	if o.Server != "" && err != nil {
		problems = append(problems, fmt.Sprintf("server %q: %v", o.Server, err))
	}
	switch o.Results {
	case "", ResultsStream:
	case ResultsParquet:
		if o.ResultsLocation == "" || o.ResultsLocalDir == "" {
			problems = append(problems, "results: parquet needs results_location and results_local_dir")
		}
	default:
		problems = append(problems, fmt.Sprintf("results is %q, want stream or parquet", o.Results))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
	}
	user, pass := "rfm", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	if o.User != "" {
		user = o.User
	}
	if o.Password != "" {
		pass = o.Password
	}
	if pass != "" {
		u.User = url.UserPassword(user, pass)
	} else {
		u.User = url.User(user)
	}
	retry := o.RetryTimeout
	conf := &trino.Config{
		ServerURI:              u.String(),
		Source:                 "rfm",
		Catalog:                o.Catalog,
		Schema:                 o.Schema,
		TimeZone:               "UTC",
		SessionProperties:      o.SessionProperties,
		DisableExplicitPrepare: true, // EXECUTE IMMEDIATE: the statement travels in the body, not a header
		RequestRetryTimeout:    &retry,
	}
	conn, err := trino.NewConnector(conf)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return sql.OpenDB(conn), nil
}

// classify maps a client error to the engine's sentinels, keeping Trino's message.
func (e *Engine) classify(stage string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var te *trino.ErrTrino
	var qf *trino.ErrQueryFailed
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &te):
		switch te.ErrorName {
		case "PERMISSION_DENIED":
			return fmt.Errorf("%w: %s: %s: %s", ErrAuth, stage, te.ErrorName, te.Message)
		case "TABLE_NOT_FOUND", "SCHEMA_NOT_FOUND", "CATALOG_NOT_FOUND":
			return fmt.Errorf("%w: %s: %s: %s", ErrMissingTable, stage, te.ErrorName, te.Message)
		case "COLUMN_NOT_FOUND":
			return fmt.Errorf("%w: %s: %s: %s", ErrMissingColumn, stage, te.ErrorName, te.Message)
		}
		return fmt.Errorf("%w: %s: %s: %s", ErrQuery, stage, te.ErrorName, te.Message)
	case errors.As(err, &qf) && (qf.StatusCode == 401 || qf.StatusCode == 403):
		return fmt.Errorf("%w: %s: server %s answered %d: %v", ErrAuth, stage, e.opts.Server, qf.StatusCode, qf.Reason)
	case errors.As(err, &oe), errors.As(err, &ne):
		return fmt.Errorf("%w: %s: %s: %v", ErrUnreachable, stage, e.opts.Server, err)
	}
	return fmt.Errorf("%w: %s: %v", ErrQuery, stage, err)
}

// query holds the expanded classified_rows text and its named parameters.
type query struct {
	e          *Engine
	db         *sql.DB
	classified string
	named      map[string]any
}

func (e *Engine) newQuery(ctx context.Context, db *sql.DB, cols map[string]input.Column, req engine.Request) *query {
	vars := map[string]string{
		"source":  e.tableName(),
		"file":    `"$path"`,
		"row":     "CAST(NULL AS BIGINT)",
		"tz_join": "",
	}
	if !e.hasPath(ctx, db) {
		vars["file"] = "CAST($table AS VARCHAR)"
	}
	named := map[string]any{"as_of_day": req.AsOfDay, "table": e.opts.Catalog + "." + e.opts.Schema + "." + e.opts.Table}
	if req.StartDay != feature.NoDate {
		named["start_day"] = req.StartDay
	} else {
		named["start_day"] = nil
	}

	vars["customer_id"], vars["customer_bad"], vars["raw_customer_id"] = idExprs(cols[input.RoleCustomerID])
	vars["customer_key"] = vars["customer_id"] // Trino groups by the id's text
	if oc, ok := cols[input.RoleOrderID]; ok {
		vars["order_id"] = fmt.Sprintf("CAST(%s AS VARCHAR)", quoteIdent(oc.Name))
		vars["raw_order_id"] = rawExpr(oc)
	} else {
		vars["order_id"], vars["raw_order_id"] = "CAST(NULL AS VARCHAR)", "CAST(NULL AS VARCHAR)"
	}
	// A row without an order id is its own order: a fresh UUID keys it.
	vars["order_key"] = fmt.Sprintf("CASE WHEN %s IS NULL THEN CAST(uuid() AS VARCHAR) END", vars["order_id"])

	tc := cols[input.RoleTimestamp]
	zone := ""
	if loc := req.Location; loc != nil && loc != time.UTC && loc.String() != "UTC" {
		zone = "$time_zone"
		named["time_zone"] = loc.String()
	}
	vars["day"], vars["ts_bad"] = dayExpr(tc, zone)
	vars["ts_null"] = fmt.Sprintf("(%s IS NULL)", quoteIdent(tc.Name))
	vars["raw_timestamp"] = rawExpr(tc)

	if ac, ok := cols[input.RoleAmount]; ok {
		vars["amount_minor"], vars["amount_bad"] = moneyExprs(ac, req.MoneyScale)
		vars["amount_null"] = fmt.Sprintf("(%s IS NULL)", quoteIdent(ac.Name))
		vars["raw_amount"] = rawExpr(ac)
	} else {
		qc, pc := cols[input.RoleQuantity], cols[input.RoleUnitPrice]
		vars["amount_minor"], vars["amount_bad"] = productExprs(qc, pc, req.MoneyScale)
		vars["amount_null"] = fmt.Sprintf("(%s IS NULL OR %s IS NULL)", quoteIdent(qc.Name), quoteIdent(pc.Name))
		vars["raw_amount"] = fmt.Sprintf("coalesce(%s, '') || ' * ' || coalesce(%s, '')", rawExpr(qc), rawExpr(pc))
	}
	vars["cost_minor"] = "CAST(0 AS BIGINT)"
	if cc, ok := cols[input.RoleCost]; ok {
		minor, _ := moneyExprs(cc, req.MoneyScale)
		vars["cost_minor"] = fmt.Sprintf("coalesce(%s, 0)", minor)
	}
	named["purchase_floor"] = int64(0)
	if req.ZeroNetIsPurchase {
		named["purchase_floor"] = int64(-1)
	}
	return &query{e: e, db: db, classified: sqltext.Expand(sqltext.Statement("classified_rows"), vars), named: named}
}

// hasPath says whether the table has the hidden "$path" column (Hive, Iceberg, Delta Lake and
// Hudi tables do; views and other connectors do not).
func (e *Engine) hasPath(ctx context.Context, db *sql.DB) bool {
	rows, err := db.QueryContext(ctx, `SELECT "$path" FROM `+e.tableName()+" WHERE false")
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

// text returns statement name over classified_rows, its parameters still named.
func (q *query) text(name string) string {
	vars := map[string]string{"classified_rows": q.classified}
	if name == "customer_features" {
		vars["customer_text"] = "customer_key"
	}
	return sqltext.Expand(sqltext.Statement(name), vars)
}

// run binds the named parameters of statement name and runs it.
func (q *query) run(ctx context.Context, name string) (*sql.Rows, error) {
	text, args := bind(q.text(name), q.named)
	rows, err := q.db.QueryContext(ctx, text, args...)
	return rows, q.e.classify(name, err)
}

func (q *query) counts(ctx context.Context) (engine.Counts, error) {
	rows, err := q.run(ctx, "row_counts")
	if err != nil {
		return engine.Counts{}, err
	}
	defer rows.Close()
	c, err := engine.ScanCounts(rows)
	return c, q.e.classify("row_counts", err)
}

// rejected returns the quarantined rows. Trino does not expose a row's position in its file,
// so Row is -1 and rows of one file are in no particular order.
func (q *query) rejected(ctx context.Context) ([]engine.Rejected, error) {
	rows, err := q.run(ctx, "rejected_rows")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, err := engine.ScanRejected(rows)
	return out, q.e.classify("rejected_rows", err)
}

// features streams the per-customer table, ordered by customer id, into a feature.Table.
func (q *query) features(ctx context.Context) (*feature.Table, error) {
	rows, err := q.run(ctx, "customer_features")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &feature.Table{}
	for rows.Next() {
		i := t.Grow(1)
		var first, last sql.NullInt32
		if err := rows.Scan(&t.CustomerID[i], &first, &last, &t.Frequency[i], &t.Orders[i], &t.Rows[i],
			&t.PurchaseDays[i], &t.Monetary[i], &t.PurchaseValue[i], &t.FirstDayValue[i], &t.Cost[i]); err != nil {
			return nil, fmt.Errorf("%w: customer_features: %v", ErrResults, err)
		}
		if first.Valid {
			t.FirstPurchase[i] = first.Int32
		}
		if last.Valid {
			t.LastPurchase[i] = last.Int32
		}
	}
	if err := rows.Err(); err != nil {
		return nil, q.e.classify("customer_features", err)
	}
	return t, nil
}
