package trino

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Ways the features come back (Options.Results).
const (
	// ResultsStream reads the features as rows of the query's answer: simple, and fast enough
	// for up to a few million customers.
	ResultsStream = "stream"
	// ResultsParquet has the server write them (CREATE TABLE … AS, format PARQUET) under
	// Options.ResultsLocation, which the job reads back from Options.ResultsLocalDir with its
	// own Parquet reader, then drops the table and deletes the files.
	ResultsParquet = "parquet"
)

// featureRow is one row of the Parquet files customer_features writes.
type featureRow struct {
	CustomerID    string `parquet:"customer_id,optional"`
	FirstPurchase *int32 `parquet:"first_purchase,optional"`
	LastPurchase  *int32 `parquet:"last_purchase,optional"`
	Frequency     int64  `parquet:"frequency,optional"`
	Orders        int64  `parquet:"orders,optional"`
	Rows          int64  `parquet:"rows,optional"`
	PurchaseDays  int64  `parquet:"purchase_days,optional"`
	Monetary      int64  `parquet:"monetary,optional"`
	PurchaseValue int64  `parquet:"purchase_value,optional"`
	FirstDayValue int64  `parquet:"first_day_value,optional"`
	Cost          int64  `parquet:"cost,optional"`
}

// featuresParquet runs customer_features as CREATE TABLE … AS into a fresh external Parquet
// table, reads its files from the local side of the shared location, and removes both.
func (q *query) featuresParquet(ctx context.Context) (t *feature.Table, err error) {
	o := q.e.opts
	name := fmt.Sprintf("rfm_features_%d", time.Now().UnixNano())
	table := quoteName(o.Catalog, o.Schema, name)
	location := strings.TrimSuffix(o.ResultsLocation, "/") + "/" + name
	local := filepath.Join(o.ResultsLocalDir, name)
	text, args := bind(q.text("customer_features"), q.named)
	ctas := fmt.Sprintf("CREATE TABLE %s WITH (format = 'PARQUET', external_location = '%s') AS %s",
		table, strings.ReplaceAll(location, "'", "''"), text)
	defer func() {
		// The table is the job's scratch: drop it (external, so its files stay) and delete the
		// files, whatever happened. A failure here loses nothing, so it only adds to err.
		_, dropErr := q.db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+table)
		rmErr := os.RemoveAll(local)
		if err == nil && dropErr != nil {
			err = q.e.classify("drop results table", dropErr)
		}
		if err == nil && rmErr != nil {
			err = fmt.Errorf("%w: %v", ErrResults, rmErr)
		}
	}()
	if _, err := q.db.ExecContext(ctx, ctas, args...); err != nil {
		return nil, q.e.classify("customer_features", err)
	}
	return readFeatures(local)
}

// readFeatures reads every Parquet file under dir and sorts the customers by id.
func readFeatures(dir string) (*feature.Table, error) {
	var rows []featureRow
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") {
			return err
		}
		part, err := parquet.ReadFile[featureRow](path)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		rows = append(rows, part...)
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: the results are not at %s: does results_local_dir show the same files as results_location?", ErrResults, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResults, err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].CustomerID < rows[j].CustomerID })
	t := &feature.Table{}
	t.Grow(len(rows))
	for i, r := range rows {
		t.CustomerID[i] = r.CustomerID
		if r.FirstPurchase != nil {
			t.FirstPurchase[i] = *r.FirstPurchase
		}
		if r.LastPurchase != nil {
			t.LastPurchase[i] = *r.LastPurchase
		}
		t.Frequency[i], t.Orders[i], t.Rows[i], t.PurchaseDays[i] = r.Frequency, r.Orders, r.Rows, r.PurchaseDays
		t.Monetary[i], t.PurchaseValue[i], t.FirstDayValue[i], t.Cost[i] = r.Monetary, r.PurchaseValue, r.FirstDayValue, r.Cost
	}
	return t, nil
}
