package outputs

import (
	"math"
	"strconv"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

func (d *Date) customers() Table {
	t, s, p := d.Features, d.Scores, d.Pareto
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
	return Table{TableCustomers, n, []pq.Column{
		pq.Key("customer_id", t.CustomerID),
		pq.ConstDate("as_of", d.AsOfDay),
		pq.Date("first_purchase_date", t.FirstPurchase),
		pq.Date("last_purchase_date", t.LastPurchase),
		pq.OptionalInt32("recency_days", s.RecencyDays, scored),
		pq.Int64("frequency", t.Frequency),
		pq.Int64("orders", t.Orders),
		pq.Money("monetary", t.Monetary, d.Features.MoneyScale),
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

func (d *Date) segments() Table {
	sum := d.Segments
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
	return Table{TableSegments, n, []pq.Column{
		pq.ConstDate("as_of", d.AsOfDay),
		pq.String("segment", names),
		pq.Int64("customers", customers),
		pq.Int64("purchases", purchases),
		pq.Int64("orders", orders),
		pq.Money("revenue", revenue, d.Features.MoneyScale),
		pq.OptionalFloat64("mean_recency_days", mr, finite(mr)),
		pq.OptionalFloat64("mean_frequency", mf, finite(mf)),
		pq.OptionalFloat64("mean_monetary", mm, finite(mm)),
	}}
}

// pareto writes the summary figures and the Lorenz curve as one long table:
// curve "summary" rows carry a metric and its value; curve "lorenz" rows carry a customer share
// and the value share of the poorest customers up to it; with the profit view, the whale curve
// follows (whaleRows).
func (d *Date) pareto() Table {
	p := d.Pareto
	var curve, metric []string
	var x, y []float64
	add := func(c, m string, cx, v float64) {
		curve, metric, x, y = append(curve, c), append(metric, m), append(x, cx), append(y, v)
	}
	s := p.Summary
	add("summary", "customers", 0, float64(s.Customers))
	add("summary", "total_value", 0, float64(s.TotalValue)/math.Pow10(d.Features.MoneyScale))
	add("summary", "positive_value", 0, float64(s.PositiveValue)/math.Pow10(d.Features.MoneyScale))
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
	if d.Profit != nil {
		for _, r := range d.whaleRows() {
			add(r.curve, r.metric, r.customerShare, r.value)
		}
	}
	return Table{TablePareto, len(curve), []pq.Column{
		pq.ConstDate("as_of", d.AsOfDay),
		pq.String("curve", curve),
		pq.String("metric", metric),
		pq.Float64("customer_share", x),
		pq.Float64("value", y),
	}}
}

func (d *Date) rejected() Table {
	rows := d.Rejected
	n := len(rows)
	file, reason, cust, order, ts, amount := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	row := make([]int64, n)
	for i, r := range rows {
		file[i], row[i], reason[i] = r.File, r.Row, r.Reason
		cust[i], order[i], ts[i], amount[i] = r.CustomerID, r.OrderID, r.Timestamp, r.Amount
	}
	return Table{TableRejected, n, []pq.Column{
		pq.ConstDate("as_of", d.AsOfDay),
		pq.String("file", file),
		pq.Int64("row", row),
		pq.String("reason", reason),
		pq.OptionalString("customer_id", cust),
		pq.OptionalString("order_id", order),
		pq.OptionalString("timestamp", ts),
		pq.OptionalString("amount", amount),
	}}
}
