package jobs

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/pareto"
	"github.com/rfmjob/rfm/analytics/rfm"
	"github.com/rfmjob/rfm/jobs/engine"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// Output tables.
const (
	TableCustomers = "customers"
	TableSegments  = "segments"
	TablePareto    = "pareto"
	TableRejected  = "rejected"
)

// outputs turns analytic results into the output tables of one date.
type outputs struct {
	asOfDay int32
	scale   int
}

type table struct {
	name string
	n    int
	cols []pq.Column
}

func (o outputs) writeAll(st *stage, t *feature.Table, s *rfm.Scores, segs []rfm.SegmentSummary, p *pareto.Result, rejected []engine.Rejected, views []view) ([]Output, error) {
	tables := []table{o.customers(t, s, p), o.segments(segs), o.pareto(p, extraParetoRows(views)), o.rejected(rejected)}
	for _, v := range views {
		tables[0].cols = append(tables[0].cols, v.customerColumns()...)
		tables = append(tables, v.tables()...)
	}
	// The tables are written concurrently: each file's serial parts (committing row groups
	// into the file, syncing it) overlap with encoding the others.
	written := make([]Output, len(tables))
	paths := make([]string, len(tables))
	for k, tb := range tables {
		path, err := st.path(tb.name)
		if err != nil {
			return nil, err
		}
		paths[k] = path
		written[k] = Output{Table: tb.name, Path: filepath.Join(tb.name, "as_of="+st.date, dataFile), Rows: int64(tb.n)}
	}
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for k, tb := range tables {
		wg.Go(func() {
			if err := pq.WriteFile(paths[k], tb.name, tb.n, tb.cols); err != nil {
				errs[k] = fmt.Errorf("%s: %w", tb.name, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return written, nil
}

func (o outputs) customers(t *feature.Table, s *rfm.Scores, p *pareto.Result) table {
	n := t.Len()
	abc := make([]string, n)
	for i, c := range p.Class {
		abc[i] = string(c)
	}
	scored := func(i int) bool { return t.Frequency[i] > 0 }
	rfmScore := make([]int32, n)
	for i, v := range s.RFM {
		rfmScore[i] = int32(v)
	}
	return table{TableCustomers, n, []pq.Column{
		pq.Key("customer_id", t.CustomerID),
		pq.ConstDate("as_of", o.asOfDay),
		pq.Date("first_purchase_date", t.FirstPurchase),
		pq.Date("last_purchase_date", t.LastPurchase),
		pq.OptionalInt32("recency_days", s.RecencyDays, scored),
		pq.Int64("frequency", t.Frequency),
		pq.Int64("orders", t.Orders),
		pq.Money("monetary", t.Monetary, o.scale),
		pq.SmallInt("r_score", s.R, true),
		pq.SmallInt("f_score", s.F, true),
		pq.SmallInt("m_score", s.M, true),
		pq.OptionalInt32("rfm_score", rfmScore, scored),
		pq.String("segment", s.Segment),
		pq.Int64("value_rank", p.Rank),
		pq.Float64("cum_value_share", p.CumShare),
		pq.String("abc_class", abc),
	}}
}

func (o outputs) segments(sum []rfm.SegmentSummary) table {
	n := len(sum)
	names := make([]string, n)
	customers, orders, purchases, revenue := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	mr, mf, mm := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, s := range sum {
		names[i], customers[i], orders[i], purchases[i], revenue[i] = s.Segment, s.Customers, s.Orders, s.Purchases, s.Revenue
		mr[i], mf[i], mm[i] = s.MeanRecency, s.MeanFrequency, s.MeanMonetary
	}
	finite := func(x []float64) func(int) bool {
		return func(i int) bool { return x[i] == x[i] }
	}
	return table{TableSegments, n, []pq.Column{
		pq.ConstDate("as_of", o.asOfDay),
		pq.String("segment", names),
		pq.Int64("customers", customers),
		pq.Int64("purchases", purchases),
		pq.Int64("orders", orders),
		pq.Money("revenue", revenue, o.scale),
		pq.OptionalFloat64("mean_recency_days", mr, finite(mr)),
		pq.OptionalFloat64("mean_frequency", mf, finite(mf)),
		pq.OptionalFloat64("mean_monetary", mm, finite(mm)),
	}}
}

// pareto writes the summary figures and the Lorenz curve as one long table:
// curve "summary" rows carry a metric and its value; curve "lorenz" rows carry a customer share
// and the value share of the poorest customers up to it; views add rows of their own (the
// profit view's whale curve).
func (o outputs) pareto(p *pareto.Result, extra []paretoRow) table {
	var curve, metric []string
	var x, y []float64
	add := func(c, m string, cx, v float64) {
		curve, metric, x, y = append(curve, c), append(metric, m), append(x, cx), append(y, v)
	}
	s := p.Summary
	add("summary", "customers", 0, float64(s.Customers))
	add("summary", "total_value", 0, float64(s.TotalValue)/math.Pow10(o.scale))
	add("summary", "positive_value", 0, float64(s.PositiveValue)/math.Pow10(o.scale))
	for _, ts := range []struct {
		pct   int
		share float64
	}{{1, s.Top1PctShare}, {5, s.Top5PctShare}, {10, s.Top10PctShare}, {20, s.Top20PctShare}} {
		add("summary", "top_"+strconv.Itoa(ts.pct)+"pct_share", float64(ts.pct)/100, ts.share)
	}
	add("summary", "a_customers", 0, float64(s.ACustomers))
	add("summary", "b_customers", 0, float64(s.BCustomers))
	add("summary", "c_customers", 0, float64(s.CCustomers))
	add("summary", "customers_for_50pct", 0.5, float64(s.CustomersFor50))
	add("summary", "customers_for_80pct", 0.8, float64(s.CustomersFor80))
	add("summary", "gini", 0, s.Gini)
	for _, pt := range p.Lorenz {
		add("lorenz", "value_share", pt.CustomerShare, pt.ValueShare)
	}
	for _, r := range extra {
		add(r.curve, r.metric, r.customerShare, r.value)
	}
	return table{TablePareto, len(curve), []pq.Column{
		pq.ConstDate("as_of", o.asOfDay),
		pq.String("curve", curve),
		pq.String("metric", metric),
		pq.Float64("customer_share", x),
		pq.Float64("value", y),
	}}
}

func (o outputs) rejected(rows []engine.Rejected) table {
	n := len(rows)
	file, reason, cust, order, ts, amount := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	row := make([]int64, n)
	for i, r := range rows {
		file[i], row[i], reason[i] = r.File, r.Row, r.Reason
		cust[i], order[i], ts[i], amount[i] = r.CustomerID, r.OrderID, r.Timestamp, r.Amount
	}
	return table{TableRejected, n, []pq.Column{
		pq.ConstDate("as_of", o.asOfDay),
		pq.String("file", file),
		pq.Int64("row", row),
		pq.String("reason", reason),
		pq.OptionalString("customer_id", cust),
		pq.OptionalString("order_id", order),
		pq.OptionalString("timestamp", ts),
		pq.OptionalString("amount", amount),
	}}
}
