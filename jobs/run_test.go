package jobs

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

// fixtureRow is the hand-made input of TestRunHandComputed.
type fixtureRow struct {
	CustomerID *string   `parquet:"customer_id,optional"`
	OrderID    string    `parquet:"order_id"`
	TS         time.Time `parquet:"ts,timestamp(microsecond)"`
	Amount     float64   `parquet:"amount"`
}

func ptr(s string) *string { return &s }

func ts(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// handFixture: four customers as of 2024-03-31.
//
//	a: order o1 (10.00 + 5.00 on 01-01), o2 (20.00 on 03-01), return o3 (−5.00 on 03-05)
//	b: o4 (100.00 on 02-15)
//	c: only a return, o5 (−10.00 on 01-10)
//	d: o6 (1.00 on 03-31 23:59) and o7 (50.00 on 04-02, after the as-of date)
//	and one row without a customer id.
func handFixture(t *testing.T) string {
	t.Helper()
	rows := []fixtureRow{
		{ptr("a"), "o1", ts("2024-01-01 10:00"), 10},
		{ptr("a"), "o1", ts("2024-01-01 10:00"), 5},
		{ptr("b"), "o4", ts("2024-02-15 08:30"), 100},
		{ptr("a"), "o2", ts("2024-03-01 12:00"), 20},
		{ptr("c"), "o5", ts("2024-01-10 09:00"), -10},
		{nil, "o8", ts("2024-02-01 09:00"), 7},
		{ptr("a"), "o3", ts("2024-03-05 12:00"), -5},
		{ptr("d"), "o6", ts("2024-03-31 23:59"), 1},
		{ptr("d"), "o7", ts("2024-04-02 00:01"), 50},
	}
	path := filepath.Join(t.TempDir(), "tx.parquet")
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	return path
}

// customerOut is the customers output as read back.
type customerOut struct {
	CustomerID    string  `parquet:"customer_id"`
	AsOf          int32   `parquet:"as_of"`
	FirstPurchase *int32  `parquet:"first_purchase_date,optional"`
	LastPurchase  *int32  `parquet:"last_purchase_date,optional"`
	RecencyDays   *int32  `parquet:"recency_days,optional"`
	Frequency     int64   `parquet:"frequency"`
	Orders        int64   `parquet:"orders"`
	Monetary      int64   `parquet:"monetary"`
	RScore        *int32  `parquet:"r_score,optional"`
	FScore        *int32  `parquet:"f_score,optional"`
	MScore        *int32  `parquet:"m_score,optional"`
	RFMScore      *int32  `parquet:"rfm_score,optional"`
	Segment       string  `parquet:"segment"`
	ValueRank     int64   `parquet:"value_rank"`
	CumValueShare float64 `parquet:"cum_value_share"`
	ABCClass      string  `parquet:"abc_class"`
}

func readCustomers(t *testing.T, out, date string) map[string]customerOut {
	t.Helper()
	rows, err := parquet.ReadFile[customerOut](filepath.Join(store.PartitionDir(out, outputs.TableCustomers, date), store.DataFile))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]customerOut{}
	for _, r := range rows {
		m[r.CustomerID] = r
	}
	return m
}

func day(s string) int32 { d, _ := ParseDay(s); return d }

func i32(p *int32) int32 {
	if p == nil {
		return -1
	}
	return *p
}

// TestRunHandComputed checks every customer column against values computed by hand (see
// handFixture), on both engines.
func TestRunHandComputed(t *testing.T) {
	in := handFixture(t)
	for _, eng := range []string{"native", "duckdb"} {
		t.Run(eng, func(t *testing.T) {
			out := t.TempDir()
			cfg := &config.Config{Engine: eng}
			cfg.Input.Transactions = in
			cfg.Output.Dir = out
			share := 0.2
			cfg.Quality.MaxRejectedShare = &share
			m, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Rows.Read != 9 || m.Rows.Used != 7 || m.Rows.AfterAsOf != 1 || m.Rows.Rejected != 1 || m.Rows.RejectedByReason["null_customer_id"] != 1 {
				t.Errorf("rows = %+v, want read 9, used 7, after as-of 1, rejected 1 (null_customer_id)", m.Rows)
			}
			got := readCustomers(t, out, "2024-03-31")
			type want struct {
				first, last, recency   int32
				freq, orders, monetary int64
				r, f, m                int32
				segment                string
				rank                   int64
				cum                    float64
				abc                    string
			}
			// Scores by hand: recency values {0, 30, 45} give type-7 cut points 12, 24, 33, 39;
			// frequency {1, 1, 2} gives 1, 1, 1.2, 1.6; monetary {1, 30, 100} gives 12.6, 24.2,
			// 44, 72. Positive value 131: b holds 100/131, a 30/131, d 1/131.
			wants := map[string]want{
				"a": {day("2024-01-01"), day("2024-03-01"), 30, 2, 3, 3000, 3, 5, 3, "Potential Loyalist", 2, 130.0 / 131, "A"},
				"b": {day("2024-02-15"), day("2024-02-15"), 45, 1, 1, 10000, 1, 1, 5, "Lost", 1, 100.0 / 131, "A"},
				"c": {-1, -1, -1, 0, 1, -1000, -1, -1, -1, "No purchase", 4, 1, "C"},
				"d": {day("2024-03-31"), day("2024-03-31"), 0, 1, 1, 100, 5, 1, 1, "New Customers", 3, 1, "C"},
			}
			if len(got) != len(wants) {
				t.Fatalf("got %d customers, want %d", len(got), len(wants))
			}
			for id, w := range wants {
				g := got[id]
				if i32(g.FirstPurchase) != w.first || i32(g.LastPurchase) != w.last || i32(g.RecencyDays) != w.recency {
					t.Errorf("%s: first/last/recency = %d/%d/%d, want %d/%d/%d", id, i32(g.FirstPurchase), i32(g.LastPurchase), i32(g.RecencyDays), w.first, w.last, w.recency)
				}
				if g.Frequency != w.freq || g.Orders != w.orders || g.Monetary != w.monetary {
					t.Errorf("%s: frequency/orders/monetary = %d/%d/%d, want %d/%d/%d", id, g.Frequency, g.Orders, g.Monetary, w.freq, w.orders, w.monetary)
				}
				if i32(g.RScore) != w.r || i32(g.FScore) != w.f || i32(g.MScore) != w.m {
					t.Errorf("%s: scores = %d%d%d, want %d%d%d", id, i32(g.RScore), i32(g.FScore), i32(g.MScore), w.r, w.f, w.m)
				}
				if w.r > 0 && i32(g.RFMScore) != 100*w.r+10*w.f+w.m {
					t.Errorf("%s: rfm_score = %d, want %d", id, i32(g.RFMScore), 100*w.r+10*w.f+w.m)
				}
				if g.Segment != w.segment || g.ValueRank != w.rank || g.ABCClass != w.abc || math.Abs(g.CumValueShare-w.cum) > 1e-12 {
					t.Errorf("%s: segment/rank/cum/abc = %q/%d/%.6f/%s, want %q/%d/%.6f/%s", id, g.Segment, g.ValueRank, g.CumValueShare, g.ABCClass, w.segment, w.rank, w.cum, w.abc)
				}
				if g.AsOf != day("2024-03-31") {
					t.Errorf("%s: as_of = %d, want %d", id, g.AsOf, day("2024-03-31"))
				}
			}
			// Gini over {0, 1, 30, 100}: 2·(1·0 + 2·1 + 3·30 + 4·100)/(4·131) − 5/4.
			if want := 2*492.0/(4*131) - 1.25; math.Abs(m.Highlights.Gini-want) > 1e-12 {
				t.Errorf("gini = %.9f, want %.9f", m.Highlights.Gini, want)
			}
			if want := 100.0 / 131; math.Abs(m.Highlights.Top20PctShare-want) > 1e-12 {
				t.Errorf("top 20%% share = %.9f, want %.9f", m.Highlights.Top20PctShare, want)
			}
		})
	}
}

func TestRunFailsOnTooManyRejectedAndKeepsPreviousOutput(t *testing.T) {
	in := handFixture(t)
	out := t.TempDir()
	cfg := &config.Config{}
	cfg.Input.Transactions = in
	cfg.Output.Dir = out
	lenient := 0.5
	cfg.Quality.MaxRejectedShare = &lenient
	if _, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(store.PartitionDir(out, outputs.TableCustomers, "2024-03-31"), store.DataFile))
	if err != nil {
		t.Fatal(err)
	}
	strict := 0.05 // 1 of 9 rows is rejected: 11%
	cfg.Quality.MaxRejectedShare = &strict
	_, err = Run(context.Background(), cfg, "2024-03-31", RunOptions{})
	if !errors.Is(err, ErrInput) {
		t.Fatalf("got error %v, want ErrInput", err)
	}
	for _, s := range []string{"null_customer_id: 1", "tx.parquet row 5"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	after, _ := os.ReadFile(filepath.Join(store.PartitionDir(out, outputs.TableCustomers, "2024-03-31"), store.DataFile))
	if string(before) != string(after) {
		t.Error("a failed run changed the committed output of its date")
	}
	if entries, _ := os.ReadDir(filepath.Join(out, ".staging")); len(entries) != 0 {
		t.Errorf("a failed run left %d staging directories", len(entries))
	}
}

func TestRunIsLockedPerDate(t *testing.T) {
	in := handFixture(t)
	out := t.TempDir()
	lock, err := store.AcquireLock(out, "2024-03-31")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{}
	cfg.Input.Transactions = in
	cfg.Output.Dir = out
	if _, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("got %v, want ErrLocked while another run holds the date", err)
	}
	lock.Release()
	lenient := 0.5
	cfg.Quality.MaxRejectedShare = &lenient
	if _, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{}); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

func TestRunInputMissing(t *testing.T) {
	cfg := &config.Config{}
	cfg.Input.Transactions = filepath.Join(t.TempDir(), "nothing-*.parquet")
	cfg.Output.Dir = t.TempDir()
	if _, err := Run(context.Background(), cfg, "2024-03-31", RunOptions{}); !errors.Is(err, ErrInputMissing) {
		t.Fatalf("got %v, want ErrInputMissing", err)
	}
}
