package rfm

import (
	"encoding/csv"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rfmjob/rfm/analytics/feature"
)

// loadRfmDataOrders builds a feature table from the R package rfm's sample data set
// rfm_data_orders (columns customer_id, order_date, revenue; each row one order), the way the
// package's rfm_table_order aggregates it: frequency = rows, monetary = Σ revenue, last
// purchase = max(order_date). Revenue is whole currency units; MoneyScale is 2.
func loadRfmDataOrders(tb testing.TB) *feature.Table {
	tb.Helper()
	f, err := os.Open("../../testdata/rfm_r/rfm_data_orders.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	if got, want := records[0], []string{"customer_id", "order_date", "revenue"}; !slices.Equal(got, want) {
		tb.Fatalf("header: got %q, want %q", got, want)
	}
	type agg struct {
		first, last    int32
		orders, amount int64
	}
	byID := map[string]*agg{}
	for line, rec := range records[1:] {
		day, err := time.Parse(time.DateOnly, rec[1])
		if err != nil {
			tb.Fatalf("line %d: %v", line+2, err)
		}
		revenue, err := strconv.ParseInt(rec[2], 10, 64)
		if err != nil {
			tb.Fatalf("line %d: %v", line+2, err)
		}
		d := int32(day.Unix() / 86400)
		a := byID[rec[0]]
		if a == nil {
			a = &agg{first: d, last: d}
			byID[rec[0]] = a
		}
		a.first, a.last = min(a.first, d), max(a.last, d)
		a.orders++
		a.amount += revenue * 100
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	t := &feature.Table{MoneyScale: 2}
	t.Grow(len(ids))
	for i, id := range ids {
		a := byID[id]
		t.CustomerID[i] = id
		t.FirstPurchase[i], t.LastPurchase[i] = a.first, a.last
		t.Frequency[i], t.Orders[i], t.Rows[i] = a.orders, a.orders, a.orders
		t.PurchaseDays[i] = 1 // not used by Score; keeps Check's PurchaseDays <= Frequency
		t.Monetary[i], t.PurchaseValue[i] = a.amount, a.amount
	}
	if err := t.Check(); err != nil {
		tb.Fatal(err)
	}
	return t
}

// rfmAnalysisDay is 2006-12-31, the analysis date of the R package's examples.
var rfmAnalysisDay = int32(time.Date(2006, 12, 31, 0, 0, 0, 0, time.UTC).Unix() / 86400)

// TestRfmRReproducesPackage checks the RfmR method against the numbers the R package rfm
// publishes for rfm_data_orders with analysis date 2006-12-31 and 5 bins (package
// documentation and README; repeated in /work/shared/data/README.md).
func TestRfmRReproducesPackage(t *testing.T) {
	table := loadRfmDataOrders(t)
	s, err := Score(table, rfmAnalysisDay, Config{Method: RfmR})
	if err != nil {
		t.Fatal(err)
	}

	var orders int64
	for _, f := range table.Frequency {
		orders += f
	}
	if got, want := table.Len(), 995; got != want {
		t.Errorf("customers: got %d, want %d", got, want)
	}
	if got, want := orders, int64(4906); got != want {
		t.Errorf("orders: got %d, want %d", got, want)
	}

	// The package prints the upper bound of each bin: the four interior breaks (quantile + 1)
	// and max + 1. Printed to one decimal, hence the tolerance.
	const tol = 1e-9
	maxOf := func(x []float64) float64 { return slices.Max(x) }
	recency := make([]float64, table.Len())
	frequency := make([]float64, table.Len())
	monetary := make([]float64, table.Len())
	for i := range recency {
		recency[i] = float64(s.RecencyDays[i])
		frequency[i] = float64(table.Frequency[i])
		monetary[i] = float64(table.Monetary[i]) / 100
	}
	for _, c := range []struct {
		name   string
		got    []float64
		values []float64
		want   []float64
	}{
		{"recency", s.Breaks.Recency, recency, []float64{115, 181, 297.4, 482, 977}},
		{"frequency", s.Breaks.Frequency, frequency, []float64{4, 5, 6, 8, 15}},
		{"monetary", s.Breaks.Monetary, monetary, []float64{255.8, 382, 506.4, 666, 1489}},
	} {
		upper := append(slices.Clone(c.got), maxOf(c.values)+1)
		if len(upper) != len(c.want) {
			t.Errorf("%s upper bounds: got %v, want %v", c.name, upper, c.want)
			continue
		}
		for k := range upper {
			if math.Abs(upper[k]-c.want[k]) > tol {
				t.Errorf("%s upper bound %d: got %v, want %v", c.name, k+1, upper[k], c.want[k])
			}
		}
	}

	abbey, found := slices.BinarySearch(table.CustomerID, "Abbey O'Reilly")
	if !found {
		t.Fatal(`customer "Abbey O'Reilly" missing`)
	}
	if got, want := s.RecencyDays[abbey], int32(205); got != want {
		t.Errorf("Abbey O'Reilly recency: got %d, want %d", got, want)
	}
	if got, want := table.Frequency[abbey], int64(6); got != want {
		t.Errorf("Abbey O'Reilly orders: got %d, want %d", got, want)
	}
	if got, want := table.Monetary[abbey], int64(47200); got != want {
		t.Errorf("Abbey O'Reilly monetary: got %d, want %d", got, want)
	}
	if got, want := s.RFM[abbey], int16(343); got != want {
		t.Errorf("Abbey O'Reilly score: got %d, want %d", got, want)
	}

	type row struct {
		customers, orders, revenue int64
	}
	want := map[string]row{
		"Champions":          {35, 316, 31646},
		"Potential Loyalist": {342, 2211, 204856},
		"Loyal Customers":    {170, 799, 76562},
		"Lost":               {148, 393, 35324},
		"About To Sleep":     {102, 283, 23449},
		"New Customers":      {104, 329, 28837},
		"Can't Lose Them":    {47, 274, 32446},
		"At Risk":            {28, 216, 22227},
		"Need Attention":     {10, 57, 4562},
		"Promising":          {9, 28, 4249},
		SegmentOthers:        {0, 0, 0},
		SegmentNoPurchase:    {0, 0, 0},
	}
	summary := Summarize(table, s)
	if len(summary) != len(want) {
		t.Errorf("summary has %d segments, want %d", len(summary), len(want))
	}
	for _, sum := range summary {
		w, ok := want[sum.Segment]
		if !ok {
			t.Errorf("unexpected segment %q", sum.Segment)
			continue
		}
		got := row{sum.Customers, sum.Purchases, sum.Revenue / 100}
		if got != w || sum.Revenue%100 != 0 {
			t.Errorf("segment %q customers/orders/revenue: got %d/%d/%d.%02d, want %d/%d/%d",
				sum.Segment, got.customers, got.orders, got.revenue, sum.Revenue%100, w.customers, w.orders, w.revenue)
		}
	}
}
