package input_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
)

var txColumns = engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount"}

// writeTx writes a one-row file whose columns have the given nodes (customer_id, order_id, ts,
// amount unless overridden) and returns its path.
func writeTx(t *testing.T, name string, override map[string]inputtest.Column) string {
	t.Helper()
	cols := map[string]inputtest.Column{
		"customer_id": {Name: "customer_id", Node: parquet.String(), Values: []any{"c1"}},
		"order_id":    {Name: "order_id", Node: parquet.Int(64), Values: []any{1}},
		"ts":          {Name: "ts", Node: parquet.Timestamp(parquet.Microsecond), Values: []any{0}},
		"amount":      {Name: "amount", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.5}},
	}
	for k, c := range override {
		if c.Node == nil {
			delete(cols, k)
			continue
		}
		cols[k] = c
	}
	var list []inputtest.Column
	for _, c := range cols {
		list = append(list, c)
	}
	path := filepath.Join(t.TempDir(), name)
	inputtest.Write(t, path, 0, list...)
	return path
}

func TestInspectTypes(t *testing.T) {
	tests := []struct {
		name   string
		role   string // the column that is replaced
		col    inputtest.Column
		kind   input.Kind
		typ    string
		detail func(c input.Column) bool
	}{
		{"string id", "customer_id", inputtest.Column{Node: parquet.String(), Values: []any{"x"}}, input.KindString, "STRING", nil},
		{"plain byte array id", "customer_id", inputtest.Column{Node: parquet.Leaf(parquet.ByteArrayType), Values: []any{"x"}}, input.KindString, "STRING", nil},
		{"int32 id", "customer_id", inputtest.Column{Node: parquet.Leaf(parquet.Int32Type), Values: []any{1}}, input.KindInt32, "INT32", nil},
		{"uint16 id", "customer_id", inputtest.Column{Node: parquet.Uint(16), Values: []any{1}}, input.KindInt32, "UINT32",
			func(c input.Column) bool { return c.Unsigned }},
		{"optional double id", "customer_id", inputtest.Column{Node: parquet.Optional(parquet.Leaf(parquet.DoubleType)), Values: []any{1.0}}, input.KindFloat64, "DOUBLE",
			func(c input.Column) bool { return c.Optional }},
		{"float order id", "order_id", inputtest.Column{Node: parquet.Leaf(parquet.FloatType), Values: []any{1.0}}, input.KindFloat32, "FLOAT", nil},
		{"timestamp ms UTC", "ts", inputtest.Column{Node: parquet.Timestamp(parquet.Millisecond), Values: []any{0}}, input.KindTimestamp, "TIMESTAMP(ms, UTC)",
			func(c input.Column) bool { return c.Unit == "ms" && c.UTC }},
		{"timestamp ns naive", "ts", inputtest.Column{Node: parquet.TimestampAdjusted(parquet.Nanosecond, false), Values: []any{0}}, input.KindTimestamp, "TIMESTAMP(ns)",
			func(c input.Column) bool { return c.Unit == "ns" && !c.UTC }},
		{"int96 timestamp", "ts", inputtest.Column{Node: parquet.Leaf(parquet.Int96Type), Values: []any{deprecated.Int96{}}}, input.KindTimestamp, "INT96 TIMESTAMP",
			func(c input.Column) bool { return c.Unit == "ns" }},
		{"date", "ts", inputtest.Column{Node: parquet.Date(), Values: []any{0}}, input.KindDate, "DATE", nil},
		{"string timestamp", "ts", inputtest.Column{Node: parquet.String(), Values: []any{"2010-12-01"}}, input.KindString, "STRING", nil},
		{"decimal int64", "amount", inputtest.Column{Node: parquet.Decimal(2, 18, parquet.Int64Type), Values: []any{150}}, input.KindDecimal, "DECIMAL(18,2)",
			func(c input.Column) bool { return c.Scale == 2 && c.Precision == 18 }},
		{"decimal int32", "amount", inputtest.Column{Node: parquet.Decimal(3, 9, parquet.Int32Type), Values: []any{150}}, input.KindDecimal, "DECIMAL(9,3)", nil},
		{"int64 amount", "amount", inputtest.Column{Node: parquet.Int(64), Values: []any{3}}, input.KindInt64, "INT64", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.col.Name = tt.role
			if tt.role == "ts" {
				tt.col.Name = "ts"
			}
			path := writeTx(t, "tx.parquet", map[string]inputtest.Column{tt.col.Name: tt.col})
			files, err := input.Inspect([]string{path}, txColumns)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			role := map[string]string{"customer_id": input.RoleCustomerID, "order_id": input.RoleOrderID, "ts": input.RoleTimestamp, "amount": input.RoleAmount}[tt.role]
			c := files[0].Columns[role]
			if c.Kind != tt.kind || c.TypeString() != tt.typ {
				t.Errorf("got kind %d %s, want kind %d %s", c.Kind, c.TypeString(), tt.kind, tt.typ)
			}
			if tt.detail != nil && !tt.detail(c) {
				t.Errorf("got column %+v, details wrong", c)
			}
		})
	}
}

func TestInspectFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tx.parquet")
	inputtest.Write(t, path, 2,
		inputtest.Column{Name: "Customer ID", Node: parquet.String(), Values: []any{"a", "b", "c"}},
		inputtest.Column{Name: "when", Node: parquet.Date(), Values: []any{1, 2, 3}},
		inputtest.Column{Name: "qty", Node: parquet.Int(32), Values: []any{1, 2, 3}},
		inputtest.Column{Name: "price", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0, 2.0, 3.0}},
	)
	files, err := input.Inspect([]string{path}, engine.Columns{CustomerID: "customer id", Timestamp: "when", Quantity: "qty", UnitPrice: "price"})
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	f := files[0]
	if f.Rows != 3 || f.RowGroups != 2 || f.Path != path {
		t.Errorf("got %s with %d rows in %d row groups, want %s with 3 rows in 2", f.Path, f.Rows, f.RowGroups, path)
	}
	// Leaves are in schema order, which parquet.Group sorts by name.
	wantLeaf := map[string]int{input.RoleCustomerID: 0, input.RoleUnitPrice: 1, input.RoleQuantity: 2, input.RoleTimestamp: 3}
	for role, leaf := range wantLeaf {
		if got := f.Columns[role].Leaf; got != leaf {
			t.Errorf("role %s: got leaf %d, want %d", role, got, leaf)
		}
	}
	if got := f.Columns[input.RoleCustomerID].Name; got != "Customer ID" {
		t.Errorf("got name %q, want the file's spelling \"Customer ID\"", got)
	}
	if len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "ignoring case") {
		t.Errorf("got notes %q, want one about ignoring case", f.Notes)
	}
	if _, ok := f.Columns[input.RoleAmount]; ok {
		t.Errorf("got an amount column, want none")
	}
}

func TestInspectErrors(t *testing.T) {
	tests := []struct {
		name     string
		override map[string]inputtest.Column
		cols     engine.Columns
		want     []error
		contains []string
	}{
		{
			name:     "wrong timestamp type",
			override: map[string]inputtest.Column{"ts": {Name: "ts", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}}},
			want:     []error{input.ErrColumnType},
			contains: []string{`tx.parquet: column "ts" (role timestamp) is DOUBLE, want TIMESTAMP, DATE or STRING`},
		},
		{
			name: "every problem at once",
			override: map[string]inputtest.Column{
				"customer_id": {Name: "customer_id", Node: parquet.Leaf(parquet.BooleanType), Values: []any{true}},
				"amount":      {Name: "amount", Node: parquet.String(), Values: []any{"1.5"}},
				"order_id":    {},
			},
			want: []error{input.ErrColumnType, input.ErrMissingColumn},
			contains: []string{`column "customer_id" (role customer_id) is BOOLEAN, want an integer, FLOAT/DOUBLE or STRING`,
				`column "amount" (role amount) is STRING, want an integer, FLOAT/DOUBLE or DECIMAL`,
				`column "order_id" (role order_id)`, "missing column"},
		},
		{
			name:     "decimal id",
			override: map[string]inputtest.Column{"customer_id": {Name: "customer_id", Node: parquet.Decimal(0, 18, parquet.Int64Type), Values: []any{1}}},
			want:     []error{input.ErrColumnType},
			contains: []string{"is DECIMAL(18,0), want"},
		},
		{
			name: "ambiguous case-insensitive match",
			override: map[string]inputtest.Column{
				"Amount": {Name: "Amount", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}},
				"AMOUNT": {Name: "AMOUNT", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}},
				"amount": {},
			},
			want:     []error{input.ErrMissingColumn},
			contains: []string{"both match ignoring case"},
		},
		{
			name: "no amount",
			cols: engine.Columns{CustomerID: "customer_id", Timestamp: "ts", Quantity: "amount"},
			want: []error{input.ErrRoles},
		},
		{
			name:     "no customer and no timestamp",
			cols:     engine.Columns{Amount: "amount"},
			want:     []error{input.ErrRoles},
			contains: []string{"no customer_id column", "no timestamp column"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTx(t, "tx.parquet", tt.override)
			cols := txColumns
			if tt.cols != (engine.Columns{}) {
				cols = tt.cols
			}
			files, err := input.Inspect([]string{path}, cols)
			if err == nil {
				t.Fatalf("got files %+v, want an error", files)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("got %v, want %v", err, w)
				}
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("got %q, want it to contain %q", err, s)
				}
			}
		})
	}
}

func TestInspectDrift(t *testing.T) {
	a := writeTx(t, "a.parquet", nil)
	b := writeTx(t, "b.parquet", map[string]inputtest.Column{"customer_id": {Name: "customer_id", Node: parquet.Int(64), Values: []any{7}}})
	_, err := input.Inspect([]string{a, b}, txColumns)
	if !errors.Is(err, input.ErrSchemaDrift) {
		t.Fatalf("got %v, want ErrSchemaDrift", err)
	}
	for _, s := range []string{"a.parquet", "b.parquet", "STRING", "INT64", `"customer_id"`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("got %q, want it to name %s", err, s)
		}
	}
}

func TestInspectUnreadable(t *testing.T) {
	good := writeTx(t, "good.parquet", nil)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), data...)
	// The footer (thrift metadata) sits just before its 4-byte length and the closing "PAR1".
	for i := len(flipped) - 40; i < len(flipped)-8; i++ {
		flipped[i] ^= 0xA5
	}
	huge := append([]byte(nil), data...)
	huge[len(huge)-8], huge[len(huge)-7], huge[len(huge)-6] = 0xff, 0xff, 0xff
	cases := map[string][]byte{
		"empty.parquet":       nil,
		"text.parquet":        []byte("CustomerID,InvoiceDate\n1,2010-12-01\n"),
		"truncated.parquet":   data[:len(data)/2],
		"flipped.parquet":     flipped,
		"footer-size.parquet": huge,
		"magic-only.parquet":  []byte("PAR1PAR1"),
	}
	dir := t.TempDir()
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := input.Inspect([]string{good, path}, txColumns)
			if err == nil {
				t.Fatalf("got no error, want one naming %s", name)
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("got %q, want it to name %s", err, name)
			}
		})
	}
}

func TestInspectOnlineRetail(t *testing.T) {
	tests := []struct {
		file string
		cols engine.Columns
		rows int64
		want map[string]string // role → type
	}{
		{"online_retail_uci352_2010-2011.parquet",
			engine.Columns{CustomerID: "CustomerID", OrderID: "InvoiceNo", Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "UnitPrice"},
			541909,
			map[string]string{"customer_id": "DOUBLE", "order_id": "STRING", "timestamp": "TIMESTAMP(us)", "quantity": "INT64", "unit_price": "DOUBLE"}},
		{"online_retail_II_sheet_2009-2010.parquet",
			engine.Columns{CustomerID: "Customer ID", OrderID: "Invoice", Timestamp: "InvoiceDate", Quantity: "Quantity", UnitPrice: "Price"},
			525461,
			map[string]string{"customer_id": "DOUBLE", "order_id": "STRING", "timestamp": "STRING", "quantity": "INT64", "unit_price": "DOUBLE"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			files, err := input.Inspect([]string{filepath.Join("..", "..", "..", "testdata", "online_retail", tt.file)}, tt.cols)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if files[0].Rows != tt.rows {
				t.Errorf("got %d rows, want %d (the data set's README)", files[0].Rows, tt.rows)
			}
			for role, typ := range tt.want {
				if got := files[0].Columns[role].TypeString(); got != typ {
					t.Errorf("role %s: got %s, want %s", role, got, typ)
				}
			}
		})
	}
}
