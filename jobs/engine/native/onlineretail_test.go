package native_test

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

var onlineRetail = []struct {
	file     string
	cols     engine.Columns
	rows     int64
	nullCust int64 // from the data set's README (UCI: 135,080)
	asOf     string
}{
	{"online_retail_uci352_2010-2011.parquet",
		engine.Columns{CustomerID: "CustomerID", OrderID: "InvoiceNo", Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "UnitPrice"},
		541909, 135080, "2011-11-30"},
	{"online_retail_II_sheet_2009-2010.parquet",
		engine.Columns{CustomerID: "Customer ID", OrderID: "Invoice", Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "Price"},
		525461, 107927, "2010-11-30"},
}

func onlineRetailPath(file string) string {
	return filepath.Join("..", "..", "..", "testdata", "online_retail", file)
}

func dayNumber(t *testing.T, s string) int32 {
	tm, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return int32(tm.Unix() / 86400)
}

// independent recomputes a few customers' totals from the file with parquet-go's row reader (a
// different decoding path from the engine's page cursors), straight from the definitions:
// amount = round((quantity × price) × 100), orders = distinct invoices, day from the timestamp.
type independent struct {
	rows, orders, monetary int64
	invoices               map[string]int64 // net per invoice
}

func recompute(t *testing.T, path string, cols engine.Columns, asOf int32, customers map[string]*independent) (used int64) {
	t.Helper()
	files, err := input.Inspect([]string{path}, cols)
	if err != nil {
		t.Fatal(err)
	}
	c := files[0].Columns
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 1024)
		for {
			n, err := rows.ReadRows(buf)
			for _, r := range buf[:n] {
				id, ts, q, p := r[c["customer_id"].Leaf], r[c["timestamp"].Leaf], r[c["quantity"].Leaf], r[c["unit_price"].Leaf]
				if id.IsNull() || ts.IsNull() || q.IsNull() || p.IsNull() {
					continue
				}
				var day int32
				if c["timestamp"].Kind == input.KindString {
					tm, err := time.Parse(time.DateTime, string(ts.ByteArray()))
					if err != nil {
						t.Fatalf("timestamp %q: %v", ts.ByteArray(), err)
					}
					day = int32(tm.Unix() / 86400)
				} else {
					day = int32(math.Floor(float64(ts.Int64()) / 86400e6))
				}
				if day > asOf {
					continue
				}
				used++
				key := strconv.FormatInt(int64(id.Double()), 10)
				x, ok := customers[key]
				if !ok {
					continue
				}
				amount := int64(math.Round(float64(q.Int64()) * p.Double() * 100))
				x.rows++
				x.monetary += amount
				x.invoices[string(r[c["order_id"].Leaf].ByteArray())] += amount
			}
			if err != nil {
				break
			}
		}
		rows.Close()
	}
	return used
}

func TestOnlineRetail(t *testing.T) {
	for _, tt := range onlineRetail {
		t.Run(tt.file, func(t *testing.T) {
			path := onlineRetailPath(tt.file)
			asOf := dayNumber(t, tt.asOf)
			res := aggregate(t, engine.Request{Files: []string{path}, Columns: tt.cols, AsOfDay: asOf, StartDay: none, MoneyScale: 2, Threads: 2})
			c := res.Counts
			if c.Read != tt.rows {
				t.Errorf("got %d rows read, want %d", c.Read, tt.rows)
			}
			if got := c.Rejected[engine.RejectNullCustomer]; got != tt.nullCust || c.RejectedTotal() != tt.nullCust {
				t.Errorf("got rejected %v, want only %d null customer ids", c.Rejected, tt.nullCust)
			}
			if c.AfterAsOf == 0 {
				t.Errorf("got no rows after %s, want some", tt.asOf)
			}
			if int64(len(res.Rejected)) != c.RejectedTotal() {
				t.Errorf("got %d rejected rows listed, want %d", len(res.Rejected), c.RejectedTotal())
			}
			if err := res.Features.Check(); err != nil {
				t.Error(err)
			}

			want := map[string]*independent{}
			for _, id := range []string{"12346", "12347", "13085", "17850", "14911"} {
				want[id] = &independent{invoices: map[string]int64{}}
			}
			if used := recompute(t, path, tt.cols, asOf, want); used != c.Used {
				t.Errorf("got %d used rows, want %d (recounted)", c.Used, used)
			}
			ft := res.Features
			var rows, compared int64
			for i, id := range ft.CustomerID {
				rows += ft.Rows[i]
				w, ok := want[id]
				if !ok {
					continue
				}
				var freq, value int64
				for _, net := range w.invoices {
					if net > 0 {
						freq++
						value += net
					}
				}
				if ft.Rows[i] != w.rows || ft.Monetary[i] != w.monetary || ft.Orders[i] != int64(len(w.invoices)) ||
					ft.Frequency[i] != freq || ft.PurchaseValue[i] != value {
					t.Errorf("customer %s: got rows %d monetary %d orders %d frequency %d purchases %d, want %d %d %d %d %d",
						id, ft.Rows[i], ft.Monetary[i], ft.Orders[i], ft.Frequency[i], ft.PurchaseValue[i],
						w.rows, w.monetary, len(w.invoices), freq, value)
				}
				delete(want, id)
				compared++
			}
			if compared < 3 {
				t.Errorf("compared %d customers, want at least 3", compared)
			}
			for id, w := range want {
				if w.rows > 0 {
					t.Errorf("customer %s: missing from the table, want %d rows", id, w.rows)
				}
			}
			if rows != c.Used {
				t.Errorf("got %d rows over all customers, want %d used", rows, c.Used)
			}
		})
	}
}
