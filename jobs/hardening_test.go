package jobs

// The malformed-input corpus: testdata/malformed/<case>/ holds the files of one case and
// testdata/malformed/cases.json its expected outcome. The files are written by
// malformedWriters below; `go test ./jobs -run TestMalformedCorpus -regen-malformed` rewrites
// them (the expectations in cases.json are edited by hand, never regenerated).

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/store"
)

var regenMalformed = flag.Bool("regen-malformed", false, "rewrite the files of testdata/malformed")

const malformedDir = "../testdata/malformed"

// us returns the microseconds since the epoch of a UTC wall-clock time "YYYY-MM-DD hh:mm".
func us(s string) int64 {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic("jobs: bad test time " + s)
	}
	return t.UnixMicro()
}

// Columns of the default mapping (customer_id, order_id, ts, amount).
func idCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.String()), Values: v}
}
func orderCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "order_id", Node: parquet.Optional(parquet.String()), Values: v}
}
func tsCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "ts", Node: parquet.Optional(parquet.Timestamp(parquet.Microsecond)), Values: v}
}
func amountCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "amount", Node: parquet.Optional(parquet.Leaf(parquet.DoubleType)), Values: v}
}

// validTx is a small well-formed input: 3 customers, 6 rows, two row groups.
func validTx(t testing.TB, path string) {
	inputtest.Write(t, path, 3,
		idCol("a", "a", "b", "c", "c", "b"),
		orderCol("o1", "o1", "o2", "o3", "o4", "o5"),
		tsCol(us("2024-01-05 10:00"), us("2024-01-05 10:00"), us("2024-02-01 09:00"), us("2024-03-01 12:00"), us("2024-03-02 12:00"), us("2024-06-30 23:59")),
		amountCol(10.0, 5.5, 100.0, 20.0, -5.0, 1.25),
	)
}

func validBytes(t testing.TB) []byte {
	p := filepath.Join(t.TempDir(), "valid.parquet")
	validTx(t, p)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeBytes(t testing.TB, path string, b []byte) {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// malformedWriters writes each case's files into its directory.
var malformedWriters = map[string]func(t testing.TB, dir string){
	"empty_file": func(t testing.TB, dir string) { writeBytes(t, filepath.Join(dir, "tx.parquet"), nil) },
	"not_parquet": func(t testing.TB, dir string) {
		writeBytes(t, filepath.Join(dir, "tx.parquet"), []byte("customer_id,ts,amount\n1,2024-01-01,5\n"))
	},
	"magic_only": func(t testing.TB, dir string) { writeBytes(t, filepath.Join(dir, "tx.parquet"), []byte("PAR1PAR1")) },
	"truncated_half": func(t testing.TB, dir string) {
		b := validBytes(t)
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b[:len(b)/2])
	},
	"truncated_last_byte": func(t testing.TB, dir string) {
		b := validBytes(t)
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b[:len(b)-1])
	},
	"footer_length_huge": func(t testing.TB, dir string) {
		b := validBytes(t)
		binary.LittleEndian.PutUint32(b[len(b)-8:], 0xFFFFFFF0)
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b)
	},
	"footer_zeroed": func(t testing.TB, dir string) {
		b := validBytes(t)
		n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
		clear(b[len(b)-8-n : len(b)-8])
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b)
	},
	"data_pages_zeroed": func(t testing.TB, dir string) {
		b := validBytes(t)
		n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
		clear(b[4 : len(b)-8-n])
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b)
	},
	"wrong_type_amount_string": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "amount", Node: parquet.String(), Values: []any{"12.50"}})
	},
	"wrong_type_timestamp_bool": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"),
			inputtest.Column{Name: "ts", Node: parquet.Leaf(parquet.BooleanType), Values: []any{true}}, amountCol(1.0))
	},
	"wrong_type_customer_date": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Date(), Values: []any{19000}},
			orderCol("o1"), tsCol(us("2024-01-01 00:00")), amountCol(1.0))
	},
	"missing_column": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "revenue", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}})
	},
	"ambiguous_case": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "Amount", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}},
			inputtest.Column{Name: "AMOUNT", Node: parquet.Leaf(parquet.DoubleType), Values: []any{2.0}})
	},
	"missing_in_second_file": func(t testing.TB, dir string) {
		validTx(t, filepath.Join(dir, "a.parquet"))
		inputtest.Write(t, filepath.Join(dir, "b.parquet"), 0, idCol("a"), orderCol("o9"), tsCol(us("2024-01-01 00:00")))
	},
	"schema_drift": func(t testing.TB, dir string) {
		validTx(t, filepath.Join(dir, "a.parquet"))
		inputtest.Write(t, filepath.Join(dir, "b.parquet"), 0, idCol("a"), orderCol("o9"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "amount", Node: parquet.Decimal(2, 9, parquet.Int32Type), Values: []any{1250}})
	},
	"zero_rows": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol(), orderCol(), tsCol(), amountCol())
	},
	"all_null_customer_id": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol(nil, nil, nil, nil), orderCol("o1", "o2", "o3", "o4"),
			tsCol(us("2024-01-01 00:00"), us("2024-01-02 00:00"), us("2024-01-03 00:00"), us("2024-01-04 00:00")), amountCol(1.0, 2.0, 3.0, 4.0))
	},
	"all_null_timestamp": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a", "b", "c"), orderCol("o1", "o2", "o3"),
			tsCol(nil, nil, nil), amountCol(1.0, 2.0, 3.0))
	},
	"all_null_amount": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a", "b", "c"), orderCol("o1", "o2", "o3"),
			tsCol(us("2024-01-01 00:00"), us("2024-01-02 00:00"), us("2024-01-03 00:00")), amountCol(nil, nil, nil))
	},
	"all_null_order_id": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a", "a", "b"), orderCol(nil, nil, nil),
			tsCol(us("2024-01-01 00:00"), us("2024-01-01 00:00"), us("2024-01-03 00:00")), amountCol(1.0, 2.0, 3.0))
	},
	"nan_inf_extreme_amounts": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e", "f", "g", "h"),
			orderCol("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"),
			tsCol(ts, ts, ts, ts, ts, ts, ts, ts),
			amountCol(10.0, math.NaN(), math.Inf(1), math.Inf(-1), 1e300, 9e13, -9.1e13, 5.125))
	},
	"extreme_int_amounts": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e"), orderCol("o1", "o2", "o3", "o4", "o5"), tsCol(ts, ts, ts, ts, ts),
			inputtest.Column{Name: "amount", Node: parquet.Leaf(parquet.Int64Type),
				Values: []any{int64(math.MaxInt64), int64(math.MinInt64), int64(90_000_000_000_000), int64(-90_000_000_000_001), int64(7)}})
	},
	"extreme_decimal_amounts": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e"), orderCol("o1", "o2", "o3", "o4", "o5"), tsCol(ts, ts, ts, ts, ts),
			inputtest.Column{Name: "amount", Node: parquet.Decimal(4, 18, parquet.Int64Type),
				// 99999999999999.9999 and its negative (beyond ±9e15 cents), 90000000000000.0000
				// (exactly 9e15 cents, kept), 1.2345 (→ 1.23), -1.2355 (→ -1.24, half away from zero)
				Values: []any{int64(999_999_999_999_999_999), int64(-999_999_999_999_999_999), int64(900_000_000_000_000_000), int64(12345), int64(-12355)}})
	},
	"negative_quantities": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "a", "b"), orderCol("o1", "o2", "o3"), tsCol(ts, us("2024-01-02 00:00"), ts),
			inputtest.Column{Name: "qty", Node: parquet.Leaf(parquet.Int64Type), Values: []any{2, -1, -3}},
			inputtest.Column{Name: "price", Node: parquet.Leaf(parquet.DoubleType), Values: []any{10.0, 10.0, 5.0}})
	},
	"duplicate_rows": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 2,
			idCol("a", "a", "a", "b"), orderCol("o1", "o1", "o1", "o2"), tsCol(ts, ts, ts, ts), amountCol(3.0, 3.0, 3.0, 4.0))
	},
	"non_utf8_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.Leaf(parquet.ByteArrayType)),
				Values: []any{[]byte{0xff, 0xfe}, []byte("ok"), []byte("a\x00b")}},
			orderCol("o1", "o2", "o3"), tsCol(ts, ts, ts), amountCol(1.0, 2.0, 3.0))
	},
	"long_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		long := strings.Repeat("x", 20_000)
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol(long, "y", long), orderCol(long, "o2", "o3"), tsCol(ts, ts, us("2024-02-01 00:00")), amountCol(1.0, 2.0, 3.0))
	},
	"far_timestamps": func(t testing.TB, dir string) {
		far := func(y int) any { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro() }
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e"), orderCol("o1", "o2", "o3", "o4", "o5"),
			tsCol(far(1), far(1900), us("2024-06-01 00:00"), far(9999), int64(math.MaxInt64)),
			amountCol(1.0, 2.0, 3.0, 4.0, 5.0))
	},
	"far_timestamps_ns": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c"), orderCol("o1", "o2", "o3"),
			inputtest.Column{Name: "ts", Node: parquet.Timestamp(parquet.Nanosecond),
				Values: []any{int64(math.MinInt64), int64(math.MaxInt64), us("2024-06-01 00:00") * 1000}},
			amountCol(1.0, 2.0, 3.0))
	},
	"string_timestamps": func(t testing.TB, dir string) {
		v := []any{"2024-01-01", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00+02:00", "2024-01-01T23:30:00-05:00",
			"0001-01-01", "9999-12-31 23:59:59", "yesterday", "2024-02-30", "2024-13-01", "", "2024-01-01 25:00"}
		ids, orders, amounts := make([]any, len(v)), make([]any, len(v)), make([]any, len(v))
		for i := range v {
			ids[i], orders[i], amounts[i] = string(rune('a'+i)), "o"+string(rune('a'+i)), float64(i+1)
		}
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol(ids...), orderCol(orders...),
			inputtest.Column{Name: "ts", Node: parquet.Optional(parquet.String()), Values: v}, amountCol(amounts...))
	},
	"mixed_zoned_and_naive": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "a.parquet"), 0, idCol("a"), orderCol("o1"),
			inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Microsecond, true), Values: []any{us("2024-03-01 23:30")}}, amountCol(1.0))
		inputtest.Write(t, filepath.Join(dir, "b.parquet"), 0, idCol("a"), orderCol("o2"),
			inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Microsecond, false), Values: []any{us("2024-03-02 00:30")}}, amountCol(2.0))
		inputtest.Write(t, filepath.Join(dir, "c.parquet"), 0, idCol("a"), orderCol("o3"),
			inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Millisecond, true), Values: []any{us("2024-03-05 12:00") / 1000}}, amountCol(4.0))
	},
	"float_customer_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.Leaf(parquet.DoubleType)),
				Values: []any{17850.0, 1.5, math.NaN(), math.Inf(1), 1e19, math.Copysign(0, -1)}},
			orderCol("o1", "o2", "o3", "o4", "o5", "o6"), tsCol(ts, ts, ts, ts, ts, ts), amountCol(1.0, 2.0, 3.0, 4.0, 5.0, 6.0))
	},
	"binary_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Leaf(parquet.ByteArrayType), Values: []any{[]byte("a"), []byte("b")}},
			orderCol("o1", "o2"), tsCol(ts, ts), amountCol(1.0, 2.0))
	},
	"unsigned_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Uint(32), Values: []any{uint32(math.MaxUint32), uint32(1)}},
			orderCol("o1", "o2"), tsCol(ts, ts), amountCol(1.0, 2.0))
	},
}

// malformedCase is one entry of testdata/malformed/cases.json.
type malformedCase struct {
	Name string `json:"name"`
	What string `json:"what"`
	// Columns overrides the default column mapping (role → column name).
	Columns map[string]string `json:"columns,omitempty"`
	// MaxRejectedShare overrides quality.max_rejected_share (default 0.01).
	MaxRejectedShare *float64 `json:"max_rejected_share,omitempty"`
	// Input names another case whose files this case reads (default: its own directory).
	Input string `json:"input,omitempty"`
	// Timezone sets window.timezone.
	Timezone string `json:"timezone,omitempty"`
	// Views runs the optional views (clusters, CLV, profit, report) too; off by default to
	// keep the corpus fast.
	Views bool            `json:"views,omitempty"`
	Want  malformedResult `json:"want"`
}

// malformedResult is the outcome of one case on one engine.
type malformedResult struct {
	// Error is "" for a committed run, else the class of the error (see errorClass).
	Error string `json:"error,omitempty"`
	// ErrorHas are substrings the message must contain (file, column, row, value).
	ErrorHas []string `json:"error_has,omitempty"`

	Read      int64            `json:"read,omitempty"`
	Used      int64            `json:"used,omitempty"`
	AfterAsOf int64            `json:"after_as_of,omitempty"`
	Rejected  map[string]int64 `json:"rejected,omitempty"`
	Customers int64            `json:"customers,omitempty"`
	// Monetary is each customer's monetary in minor units (ids longer than 40 bytes are
	// written as their length, "len:100000").
	Monetary map[string]int64 `json:"monetary,omitempty"`
	// LastPurchase is each customer's last purchase date ("" without a purchase).
	LastPurchase map[string]string `json:"last_purchase,omitempty"`
}

const malformedAsOf = "2024-12-31"

// errorClass names the kind of a run error for the corpus.
func errorClass(err error) string {
	switch {
	case err == nil:
		return ""
	case !errors.Is(err, ErrInput) && !errors.Is(err, ErrInputMissing):
		return "unclassified" // every bad-data error must map to exit code 1 (ErrInput)
	// Run wraps the engine's error with %w: the engine's sentinels are found by errors.Is, not
	// by their text.
	case errors.Is(err, input.ErrNotParquet):
		return "not_parquet"
	case errors.Is(err, input.ErrMissingColumn):
		return "missing_column"
	case errors.Is(err, input.ErrColumnType):
		return "column_type"
	case errors.Is(err, input.ErrSchemaDrift):
		return "schema_drift"
	case errors.Is(err, native.ErrCorrupt), errors.Is(err, input.ErrCorruptPage), strings.Contains(err.Error(), "duckdb: "):
		return "corrupt_data" // the footer was readable, the data was not
	case errors.Is(err, input.ErrBadString):
		return "bad_string"
	case strings.Contains(err.Error(), "above quality.max_rejected_share"):
		return "quality"
	}
	return "input"
}

func displayID(id string) string {
	if len(id) > 40 {
		return fmt.Sprintf("len:%d", len(id))
	}
	return id
}

// runBounded runs the job with a deadline; a run that does not return well after it is a hang.
func runBounded(t testing.TB, cfg *config.Config, asOf string, limit time.Duration) (*store.Manifest, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	type result struct {
		m   *store.Manifest
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := Run(ctx, cfg, asOf, RunOptions{})
		done <- result{m, err}
	}()
	select {
	case r := <-done:
		return r.m, r.err
	case <-time.After(limit + 10*time.Second):
		t.Fatalf("run did not return within %s: a hang", limit+10*time.Second)
		return nil, nil
	}
}

func off() *bool { b := false; return &b }

// corpusConfig is the configuration of one case on one engine.
func corpusConfig(c malformedCase, in, out, eng string) *config.Config {
	cfg := &config.Config{Engine: eng}
	cfg.Input.Transactions = in
	cfg.Output.Dir = out
	cfg.Quality.MaxRejectedShare = c.MaxRejectedShare
	cfg.Window.Timezone = c.Timezone
	if !c.Views {
		cfg.Clusters.Enabled, cfg.CLV.Enabled, cfg.Profit.Enabled, cfg.Report.Enabled = off(), off(), off(), off()
	}
	cols := &cfg.Input.Columns
	for role, name := range c.Columns {
		switch role {
		case "customer_id":
			cols.CustomerID = name
		case "order_id":
			cols.OrderID = &name
		case "timestamp":
			cols.Timestamp = name
		case "amount":
			cols.Amount = name
		case "quantity":
			cols.Quantity = name
		case "unit_price":
			cols.UnitPrice = name
		}
	}
	return cfg
}

// observe runs one case on one engine and describes what happened.
func observe(t *testing.T, c malformedCase, in, eng string) (malformedResult, error) {
	out := t.TempDir()
	m, err := runBounded(t, corpusConfig(c, in, out, eng), malformedAsOf, 60*time.Second)
	if err != nil {
		if _, statErr := os.Stat(store.ManifestPath(out, malformedAsOf)); statErr == nil {
			t.Errorf("%s: the run failed but committed a manifest", eng)
		}
		return malformedResult{Error: errorClass(err)}, err
	}
	got := malformedResult{
		Read: m.Rows.Read, Used: m.Rows.Used, AfterAsOf: m.Rows.AfterAsOf, Customers: m.Customers,
		Monetary: map[string]int64{}, LastPurchase: map[string]string{},
	}
	if len(m.Rows.RejectedByReason) > 0 {
		got.Rejected = m.Rows.RejectedByReason
	}
	for id, row := range readCustomers(t, out, malformedAsOf) {
		got.Monetary[displayID(id)] = row.Monetary
		got.LastPurchase[displayID(id)] = ""
		if row.LastPurchase != nil {
			got.LastPurchase[displayID(id)] = FormatDay(*row.LastPurchase)
		}
	}
	if len(got.Monetary) == 0 {
		got.Monetary, got.LastPurchase = nil, nil
	}
	return got, nil
}

// loadMalformedCases reads a list of cases (cases.json).
func loadMalformedCases(t *testing.T, file string) []malformedCase {
	data, err := os.ReadFile(filepath.Join(malformedDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var cases []malformedCase
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return cases
}

// TestMalformedCorpus runs every case of testdata/malformed/cases.json through both engines
// and checks the expected outcome: a classified error naming what is wrong, or a committed run
// with exactly the expected row accounting and per-customer values. Both engines must agree.
func TestMalformedCorpus(t *testing.T) {
	if *regenMalformed {
		for name, write := range malformedWriters {
			dir := filepath.Join(malformedDir, name)
			os.RemoveAll(dir)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, dir)
		}
	}
	cases := loadMalformedCases(t, "cases.json")
	listed := map[string]bool{}
	for _, c := range cases {
		listed[c.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(malformedWriters)) {
		if !listed[name] {
			t.Errorf("case %s has files but no entry in cases.json", name)
		}
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { checkMalformedCase(t, c) })
	}
}

// checkMalformedCase runs one case on both engines and compares with its expectation.
func checkMalformedCase(t *testing.T, c malformedCase) {
	dir := c.Name
	if c.Input != "" {
		dir = c.Input
	}
	in := filepath.Join(malformedDir, dir)
	if _, err := os.Stat(in); err != nil {
		t.Fatalf("no files for case %s: %v (run with -regen-malformed)", c.Name, err)
	}
	byEngine := map[string]malformedResult{}
	for _, eng := range []string{"native", "duckdb"} {
		got, err := observe(t, c, in, eng)
		byEngine[eng] = got
		want := c.Want
		if got.Error != want.Error {
			t.Errorf("%s: error class %q (%v), want %q", eng, got.Error, err, want.Error)
		}
		for _, s := range want.ErrorHas {
			if err == nil || !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %v does not contain %q", eng, err, s)
			}
		}
		if want.Error != "" {
			continue
		}
		got.ErrorHas = want.ErrorHas
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\n got %s\nwant %s", eng, g, w)
		}
	}
	if n, d := byEngine["native"], byEngine["duckdb"]; !reflect.DeepEqual(n, d) {
		g, _ := json.Marshal(n)
		w, _ := json.Marshal(d)
		t.Errorf("engines disagree:\nnative %s\nduckdb %s", g, w)
	}
}

// flipFixture writes the valid file the byte-flip variants start from to path and returns its
// bytes: 40 rows of 8 customers in three row groups, nullable columns, dictionary-encoded ids.
func flipFixture(t testing.TB, path string) []byte {
	n := 40
	ids, orders, tss, amounts := make([]any, n), make([]any, n), make([]any, n), make([]any, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c%d", i%8)
		orders[i] = fmt.Sprintf("o%d", i/2)
		tss[i] = us("2024-01-01 00:00") + int64(i)*86_400_000_000*3
		amounts[i] = float64(i*7%23) + 0.25
	}
	amounts[5] = -4.0
	inputtest.Write(t, path, 15, idCol(ids...), orderCol(orders...), tsCol(tss...), amountCol(amounts...))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// flipOutcome is what one engine made of one variant: an error or the decoded customers
// output. Crashed says the engine killed its process (DuckDB's C++ code can crash on corrupt
// pages, which no Go code can recover).
type flipOutcome struct {
	Err     string                 `json:"err,omitempty"`
	Class   string                 `json:"class,omitempty"`
	Rows    map[string]customerOut `json:"rows,omitempty"`
	Crashed bool                   `json:"crashed,omitempty"`
}

func runFlip(t *testing.T, in, eng string) flipOutcome {
	out := t.TempDir()
	c := malformedCase{MaxRejectedShare: new(float64)}
	*c.MaxRejectedShare = 1
	_, err := runBounded(t, corpusConfig(c, in, out, eng), malformedAsOf, 30*time.Second)
	if err != nil {
		return flipOutcome{Err: err.Error(), Class: errorClass(err)}
	}
	return flipOutcome{Rows: readCustomers(t, out, malformedAsOf)}
}

// flipChildEnv makes the test binary run the DuckDB side of TestMalformedByteFlips: it reads
// "dir:first" and prints one JSON outcome per variant file of dir, from index first on.
const flipChildEnv = "RFM_TEST_FLIP_CHILD"

type flipLine struct {
	I int         `json:"i"`
	O flipOutcome `json:"o"`
}

// flipChild is the child side: DuckDB outcomes, one line each, flushed as they come.
func flipChild(t *testing.T, spec string) {
	dir, first, _ := strings.Cut(spec, ":")
	var from int
	fmt.Sscan(first, &from)
	files, _ := filepath.Glob(filepath.Join(dir, "v*.parquet"))
	slices.Sort(files)
	enc := json.NewEncoder(os.Stdout)
	for i := from; i < len(files); i++ {
		enc.Encode(flipLine{I: i, O: runFlip(t, files[i], "duckdb")})
	}
}

// duckdbOutcomes runs the DuckDB engine over every variant file of dir in child processes,
// restarting after a crash; a variant whose child died without an answer is Crashed.
func duckdbOutcomes(t *testing.T, dir string, n int) []flipOutcome {
	res := make([]flipOutcome, n)
	for next := 0; next < n; {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMalformedByteFlips$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d", flipChildEnv, dir, next))
		var stdout strings.Builder
		cmd.Stdout = &stdout
		runErr := cmd.Run()
		for _, line := range strings.Split(stdout.String(), "\n") {
			var l flipLine
			if json.Unmarshal([]byte(line), &l) == nil && l.I >= next && l.I < n {
				res[l.I] = l.O
				next = l.I + 1
			}
		}
		if runErr != nil && next < n {
			res[next] = flipOutcome{Crashed: true, Err: runErr.Error()}
			next++
		} else if runErr != nil || next < n {
			t.Fatalf("flip child stopped at %d of %d: %v", next, n, runErr)
		}
	}
	return res
}

// flipVariants returns the corrupted copies of base TestMalformedByteFlips runs: 300 with 1 to
// 3 random bytes set to random values, then 40 truncations, from a fixed seed.
func flipVariants(base []byte) [][]byte {
	rng := rand.New(rand.NewPCG(9, 9))
	var out [][]byte
	for range 300 {
		b := slices.Clone(base)
		for range 1 + rng.IntN(3) {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		out = append(out, b)
	}
	for range 40 {
		out = append(out, slices.Clone(base[:rng.IntN(len(base))]))
	}
	return out
}

// TestMalformedByteFlips corrupts a valid file in 300 seeded ways (1 to 3 random bytes set to
// random values) and truncates it at 40 offsets, runs every variant through both engines (DuckDB
// in child processes, so that a crash of its C++ code is counted rather than fatal) and counts
// what happened. Never allowed: a Go panic, a hang, an error that is not ErrInput, a native
// error that does not name the file, or both engines succeeding with different results.
// Counted and reported: variants both engines reject, variants that still decode to the same
// result, variants whose values changed without an error on both engines, variants one engine
// rejects while the other accepts, and DuckDB crashes (see TestDuckDBCorruptPages).
func TestMalformedByteFlips(t *testing.T) {
	if spec := os.Getenv(flipChildEnv); spec != "" {
		flipChild(t, spec)
		return
	}
	dir := t.TempDir()
	basePath := filepath.Join(dir, "base.parquet")
	base := flipFixture(t, basePath)
	want := runFlip(t, basePath, "native")
	if want.Err != "" {
		t.Fatalf("base fixture: %v", want.Err)
	}
	var paths []string
	for i, b := range flipVariants(base) {
		p := filepath.Join(dir, fmt.Sprintf("v%03d.parquet", i))
		writeBytes(t, p, b)
		paths = append(paths, p)
	}
	ducks := duckdbOutcomes(t, dir, len(paths))
	counts := map[string]int{}
	for i, path := range paths {
		name := filepath.Base(path)
		nat, duck := runFlip(t, path, "native"), ducks[i]
		for eng, o := range map[string]flipOutcome{"native": nat, "duckdb": duck} {
			if o.Class == "unclassified" {
				t.Errorf("%s %s: unclassified error %v", name, eng, o.Err)
			}
		}
		if nat.Err != "" && !strings.Contains(nat.Err, name) {
			t.Errorf("%s native: error does not name the file: %v", name, nat.Err)
		}
		switch ok := func(o flipOutcome) bool { return o.Err == "" }; {
		case duck.Crashed:
			counts["duckdb crashed (native: "+map[bool]string{true: "accepts", false: "error"}[ok(nat)]+")"]++
			t.Logf("%s: duckdb crashed (%s); native: %v", name, duck.Err, nat.Err)
		case !ok(nat) && !ok(duck):
			counts["both engines: clear error"]++
		case ok(nat) && ok(duck) && !reflect.DeepEqual(nat.Rows, duck.Rows):
			t.Errorf("%s: both engines succeed with different customers", name)
			counts["engines disagree on values"]++
		case ok(nat) && ok(duck) && reflect.DeepEqual(nat.Rows, want.Rows):
			counts["both engines: unchanged result"]++
		case ok(nat) && ok(duck):
			counts["both engines: changed values, no error"]++
		case !ok(nat) && reflect.DeepEqual(duck.Rows, want.Rows):
			counts["native error, duckdb: unchanged result"]++
		case !ok(nat):
			counts["native error, duckdb: changed values"]++
			t.Logf("%s: native %v; duckdb accepts with changed values", name, nat.Err)
		default:
			counts["duckdb error, native accepts"]++
			t.Logf("%s: duckdb %v; native accepts", name, duck.Err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%-45s %d", k, counts[k])
	}
}

// TestDuckDBCorruptPages runs the byte-flip variants (same seed as TestMalformedByteFlips)
// that native rejects by their page CRC-32 and on which DuckDB 1.1.2 itself crashed the process
// (SIGSEGV, SIGFPE: 1, 189, 232, 273) or returned changed values without an error (11, 29,
// 30), before the DuckDB engine verified pages first: each must now be a clear error.
func TestDuckDBCorruptPages(t *testing.T) {
	variants := flipVariants(flipFixture(t, filepath.Join(t.TempDir(), "base.parquet")))
	picked := []int{1, 189, 232, 273, 11, 29, 30}
	dir := t.TempDir()
	for i, v := range picked {
		writeBytes(t, filepath.Join(dir, fmt.Sprintf("v%03d.parquet", i)), variants[v])
	}
	for i, o := range duckdbOutcomes(t, dir, len(picked)) {
		switch {
		case o.Crashed:
			t.Errorf("variant %d: DuckDB crashed the process (%s), want a clear error", picked[i], o.Err)
		case o.Err == "":
			t.Errorf("variant %d: DuckDB accepted a file whose page checksum does not match, want a clear error", picked[i])
		}
	}
}

// sqlNames are column names that would change the meaning of SQL spliced as text.
// A newline once ended the SQL header comment a name was copied into (sql/hardening_test.go).
var sqlNames = []string{`x"; DROP TABLE t; --`, `"`, `a""b`, `'; SELECT 1; --`, `$as_of_day`, `{{files}}`, `amount) --`,
	`ü € 中`, "tab\tname", "amount\nSELECT 1; --", "x\"\n); COPY (SELECT 1) TO 'pwned.csv'; --"}

// writeNamed writes a three-row input whose columns have the given names.
func writeNamed(t testing.TB, path, id, ts, amount string) {
	inputtest.Write(t, path, 0,
		inputtest.Column{Name: id, Node: parquet.String(), Values: []any{"a", "b", "a"}},
		inputtest.Column{Name: ts, Node: parquet.Timestamp(parquet.Microsecond), Values: []any{us("2024-01-01 10:00"), us("2024-01-02 10:00"), us("2024-02-01 10:00")}},
		inputtest.Column{Name: amount, Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.25, 2.5, -0.75}})
}

// TestColumnNamesAreQuoted maps every role to columns whose names hold quotes, semicolons, SQL,
// placeholders and parameters, and runs the whole job on both engines: the names reach DuckDB
// only as quoted identifiers, so both give the hand-computed monetary (a: 1.25 − 0.75 = 0.50,
// b: 2.50).
func TestColumnNamesAreQuoted(t *testing.T) {
	for i, name := range sqlNames {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "tx.parquet")
			writeNamed(t, in, "id "+name, "ts "+name, name)
			for _, eng := range []string{"native", "duckdb"} {
				c := malformedCase{Columns: map[string]string{"customer_id": "id " + name, "timestamp": "ts " + name, "amount": name, "order_id": ""}}
				out := t.TempDir()
				if _, err := runBounded(t, corpusConfig(c, in, out, eng), malformedAsOf, 60*time.Second); err != nil {
					t.Fatalf("%s, columns named %q: %v", eng, name, err)
				}
				got := readCustomers(t, out, malformedAsOf)
				if got["a"].Monetary != 50 || got["b"].Monetary != 250 || len(got) != 2 {
					t.Errorf("%s, columns named %q: monetary a=%d b=%d (%d customers), want 50, 250 (2)", eng, name, got["a"].Monetary, got["b"].Monetary, len(got))
				}
			}
		})
	}
}

// TestDuckDBMemoryLimit runs the DuckDB engine on 150,000 rows of 30,000 customers with tiny
// memory limits and a spill directory: each run either completes with exactly the unlimited
// run's customers or fails within seconds with an error that says memory ran out; it never
// hangs, crashes or returns other numbers.
func TestDuckDBMemoryLimit(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 30_000, Transactions: 150_000, Seed: 7, Days: 365})
	run := func(limit string) (map[string]customerOut, error, time.Duration) {
		out := t.TempDir()
		cfg := corpusConfig(malformedCase{}, in, out, "duckdb")
		cfg.Limits.MemoryLimit, cfg.Limits.TempDir, cfg.Limits.Threads = limit, t.TempDir(), 2
		start := time.Now()
		if _, err := runBounded(t, cfg, malformedAsOf, 120*time.Second); err != nil {
			return nil, err, time.Since(start)
		}
		return readCustomers(t, out, malformedAsOf), nil, time.Since(start)
	}
	want, err, _ := run("")
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []string{"64MB", "16MB", "1MB"} {
		got, err, took := run(limit)
		switch {
		case err == nil && !reflect.DeepEqual(got, want):
			t.Errorf("memory_limit %s: completed with other customers than the unlimited run", limit)
		case err == nil:
			t.Logf("memory_limit %-6s completed in %v with the unlimited run's %d customers", limit, took.Round(time.Millisecond), len(got))
		case !strings.Contains(strings.ToLower(err.Error()), "memory"):
			t.Errorf("memory_limit %s: failed without saying memory ran out: %v", limit, err)
		default:
			t.Logf("memory_limit %-6s failed in %v: %.160s", limit, took.Round(time.Millisecond), err)
		}
	}
}

// TestNativeThreads runs the native engine with 1, 2 and 7 threads: identical customers.
func TestNativeThreads(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 3000, Transactions: 40_000, Seed: 8, Days: 365})
	var want map[string]customerOut
	for _, threads := range []int{1, 2, 7} {
		out := t.TempDir()
		cfg := corpusConfig(malformedCase{}, in, out, "native")
		cfg.Limits.Threads = threads
		if _, err := runBounded(t, cfg, malformedAsOf, 60*time.Second); err != nil {
			t.Fatal(err)
		}
		got := readCustomers(t, out, malformedAsOf)
		if want == nil {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("threads %d: customers differ from threads 1", threads)
		}
	}
}

var tableName = regexp.MustCompile(`^[a-z_]+$`)

// TestOutputPathsStayInside checks that as-of dates cannot carry path elements (they are
// validated as YYYY-MM-DD before any file is touched) and that every output a run writes is
// <table>/as_of=<date>/<file> inside the output directory, with a constant lower-case table name.
func TestOutputPathsStayInside(t *testing.T) {
	in := filepath.Join(t.TempDir(), "tx.parquet")
	validTx(t, in)
	root := t.TempDir()
	out := filepath.Join(root, "out")
	for _, asOf := range []string{"../../escape", "2024-12-31/../../escape", "2024-12-31/x", "2024-13-01", "2024-12-31\x00", "/etc", ""} {
		cfg := corpusConfig(malformedCase{Views: true}, in, out, "native")
		if _, err := Run(context.Background(), cfg, asOf, RunOptions{}); !errors.Is(err, ErrConfig) {
			t.Errorf("as-of %q: error %v, want ErrConfig", asOf, err)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("rejected as-of dates created %d entries next to the output directory", len(entries))
	}
	cfg := corpusConfig(malformedCase{Views: true}, in, out, "native")
	m, err := Run(context.Background(), cfg, malformedAsOf, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range m.Outputs {
		file := store.DataFile
		if o.Table == store.ReportTable {
			file = store.ReportFile
		}
		want := filepath.Join(o.Table, "as_of="+malformedAsOf, file)
		if !tableName.MatchString(o.Table) || o.Path != want || !filepath.IsLocal(o.Path) {
			t.Errorf("output %q at %q, want a lower-case table (or the report) at %q inside the output directory", o.Table, o.Path, want)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 {
		t.Errorf("the run wrote %d entries next to the output directory, want only out/", len(entries))
	}
}

// TestOutputPermissions runs the job under umasks 022, 002 and 000: files are created 0644 and
// directories 0755 before the umask, so no output is ever group- or world-writable, and with
// the common umask 022 they are exactly 0644 and 0755.
func TestOutputPermissions(t *testing.T) {
	for _, mask := range []int{0o022, 0o002, 0o000} {
		t.Run(fmt.Sprintf("umask %03o", mask), func(t *testing.T) { checkPermissions(t, mask) })
	}
}

// checkPermissions runs the job with every view under umask and checks every mode.
func checkPermissions(t *testing.T, mask int) {
	in := filepath.Join(t.TempDir(), "tx.parquet")
	validTx(t, in)
	out := filepath.Join(t.TempDir(), "out")
	old := syscall.Umask(mask)
	_, err := Run(context.Background(), corpusConfig(malformedCase{Views: true}, in, out, "native"), malformedAsOf, RunOptions{})
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Error(err)
			return nil
		}
		info, _ := d.Info()
		want := os.FileMode(0o644)
		if d.IsDir() {
			want = 0o755
		}
		want &^= os.FileMode(mask)
		if got := info.Mode().Perm(); got != want {
			rel, _ := filepath.Rel(out, path)
			t.Errorf("%s: mode %04o, want %04o", rel, got, want)
		}
		return nil
	})
}

// TestOutputPermissionsUmask077 was a known bug (fixed in jobs/report): under umask 077
// every output is private (0600, 0700) except the HTML report, which jobs/report chmods to
// 0644 after writing it, so the one file that shows customers' figures to a reader is the one
// readable by every local user. Expected: the report's mode follows the umask like the rest.
func TestOutputPermissionsUmask077(t *testing.T) {
	checkPermissions(t, 0o077)
}
