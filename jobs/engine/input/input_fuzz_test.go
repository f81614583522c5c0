package input_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

var defaultColumns = engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount"}

// seedFile writes a small valid input with the given amount column node and returns its bytes.
func seedFile(f *testing.F, amount parquet.Node, amounts ...any) []byte {
	path := filepath.Join(f.TempDir(), "seed.parquet")
	n := len(amounts)
	ids, orders, ts := make([]any, n), make([]any, n), make([]any, n)
	for i := range n {
		ids[i], orders[i], ts[i] = string(rune('a'+i%3)), string(rune('o'+i)), int64(1_700_000_000_000_000+i*86_400_000_000)
	}
	inputtest.Write(f, path, 2,
		inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.String()), Values: ids},
		inputtest.Column{Name: "order_id", Node: parquet.String(), Values: orders},
		inputtest.Column{Name: "ts", Node: parquet.Optional(parquet.Timestamp(parquet.Microsecond)), Values: ts},
		inputtest.Column{Name: "amount", Node: amount, Values: amounts})
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// FuzzInspectNative writes random bytes as an input file and runs input.Inspect, then the
// native engine on it: every outcome is an error or a result whose rows add up, never a panic
// or a hang. Seeds are valid files with DOUBLE, DECIMAL and nullable INT64 amounts, which the
// fuzzer mutates into corrupt footers, page headers and pages.
func FuzzInspectNative(f *testing.F) {
	f.Add(seedFile(f, parquet.Leaf(parquet.DoubleType), 1.5, -2.0, 3.25, 4.0, 5.0))
	f.Add(seedFile(f, parquet.Decimal(2, 9, parquet.Int32Type), 150, -200, 325))
	f.Add(seedFile(f, parquet.Optional(parquet.Leaf(parquet.Int64Type)), 1, nil, 3, nil))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "tx.parquet")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := input.Inspect([]string{path}, defaultColumns); err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			res, err := native.New().Aggregate(ctx, engine.Request{Files: []string{path}, Columns: defaultColumns,
				AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2, Threads: 1})
			if err != nil {
				return
			}
			c := res.Counts
			if c.Used+c.AfterAsOf+c.BeforeWindow+c.RejectedTotal() != c.Read {
				t.Errorf("rows do not add up: %+v", c)
			}
			if int64(len(res.Rejected)) != c.RejectedTotal() {
				t.Errorf("%d rejected rows listed, %d counted", len(res.Rejected), c.RejectedTotal())
			}
		}()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("native engine did not return within 15 s")
		}
	})
}

// FuzzColumnNames maps the amount role to a column with a random name, writes a file with that
// column and runs both engines: the name reaches DuckDB's SQL only as a quoted identifier, so
// quotes, semicolons, SQL and control characters in it can only ever make the two engines agree
// on the same numbers.
func FuzzColumnNames(f *testing.F) {
	for _, s := range []string{`amount`, `x"; DROP TABLE t; --`, `"`, `""`, `a"b`, `'; SELECT 1; --`, `$1`, `{{files}}`,
		`amount) FROM read_csv('/etc/passwd') --`, "tab\there", "new\nline", `\`, `ü€`, ` `, `AMOUNT`} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || strings.EqualFold(name, "customer_id") || strings.EqualFold(name, "order_id") || strings.EqualFold(name, "ts") {
			return
		}
		cols := defaultColumns
		cols.Amount = name
		if _, err := input.Mapping(cols); err != nil {
			t.Fatalf("Mapping with amount %q: %v", name, err)
		}
		path := filepath.Join(dir, "tx.parquet")
		inputtest.Write(t, path, 0,
			inputtest.Column{Name: "customer_id", Node: parquet.String(), Values: []any{"a", "b", "a"}},
			inputtest.Column{Name: "order_id", Node: parquet.String(), Values: []any{"o1", "o2", "o3"}},
			inputtest.Column{Name: "ts", Node: parquet.Timestamp(parquet.Microsecond), Values: []any{int64(1_700_000_000_000_000), int64(1_700_000_000_000_000), int64(1_700_086_400_000_000)}},
			inputtest.Column{Name: name, Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.25, 2.5, -0.75}})
		files, err := input.Inspect([]string{path}, cols)
		if err != nil {
			t.Fatalf("Inspect with amount column %q: %v", name, err)
		}
		if got := files[0].Columns[input.RoleAmount].Name; got != name {
			t.Fatalf("amount column found as %q, want %q", got, name)
		}
		req := engine.Request{Files: []string{path}, Columns: cols, AsOfDay: 20000, StartDay: feature.NoDate, MoneyScale: 2, Threads: 1}
		want := []int64{50, 250} // a: 1.25 − 0.75, b: 2.50, in cents
		for _, eng := range []engine.Engine{native.New(), duckdb.New()} {
			res, err := eng.Aggregate(context.Background(), req)
			if eng.Name() == "duckdb" && strings.ContainsRune(name, 0) {
				// DuckDB's parser reads C strings: the engine refuses such a name up front.
				if !errors.Is(err, duckdb.ErrColumnName) {
					t.Fatalf("duckdb with amount column %q: got %v, want ErrColumnName", name, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s with amount column %q: %v", eng.Name(), name, err)
			}
			if got := res.Features.Monetary; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("%s with amount column %q: monetary %v, want %v", eng.Name(), name, got, want)
			}
		}
	})
}

// FuzzMapping checks that Mapping never panics and returns ErrRoles exactly when a required
// role is unmapped.
func FuzzMapping(f *testing.F) {
	f.Add("customer_id", "order_id", "ts", "amount", "", "", "")
	f.Add("", "", "", "", "q", "p", "c")
	f.Add("c", "", "t", "", "q", "", "")
	f.Fuzz(func(t *testing.T, customer, order, ts, amount, quantity, price, cost string) {
		cols := engine.Columns{CustomerID: customer, OrderID: order, Timestamp: ts, Amount: amount, Quantity: quantity, UnitPrice: price, Cost: cost}
		m, err := input.Mapping(cols)
		complete := customer != "" && ts != "" && (amount != "" || quantity != "" && price != "")
		if complete != (err == nil) {
			t.Fatalf("Mapping(%+v) error %v, want an error only when a required role is unmapped", cols, err)
		}
		if err != nil && !errors.Is(err, input.ErrRoles) {
			t.Fatalf("Mapping error %v does not wrap ErrRoles", err)
		}
		for _, rc := range m {
			if rc[1] == "" {
				t.Fatalf("Mapping returned role %s with an empty column name", rc[0])
			}
		}
	})
}
