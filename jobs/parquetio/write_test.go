package parquetio

import (
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/feature"
)

func TestWriteFileSchemaAndValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	ids := []string{"a", "b", "c"}
	money := []int64{1234, -5, 0}
	days := []int32{19000, feature.NoDate, 0}
	scores := []int8{5, 0, 1}
	cols := []Column{String("customer_id", ids), Money("monetary", money, 2), Date("last_purchase_date", days),
		SmallInt("r_score", scores, true), ConstDate("as_of", 19500)}
	if err := WriteFile(path, "customers", len(ids), cols); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(mustOpen(t, path))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fld := range f.Schema().Fields() {
		names = append(names, fld.Name())
	}
	want := []string{"customer_id", "monetary", "last_purchase_date", "r_score", "as_of"}
	if len(names) != len(want) {
		t.Fatalf("got columns %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("got columns %v, want %v (declared order)", names, want)
		}
	}
	if got := f.Schema().Fields()[1].Type().String(); got != "DECIMAL(18,2)" {
		t.Errorf("monetary type = %s, want DECIMAL(18,2)", got)
	}
	rows := make([]parquet.Row, 3)
	r := f.RowGroups()[0].Rows()
	n, _ := r.ReadRows(rows)
	r.Close()
	if n != 3 {
		t.Fatalf("read %d rows, want 3", n)
	}
	if got := rows[0][1].Int64(); got != 1234 {
		t.Errorf("row 0 monetary = %d, want 1234", got)
	}
	if !rows[1][2].IsNull() || !rows[1][3].IsNull() {
		t.Errorf("row 1 date and score should be null, got %v %v", rows[1][2], rows[1][3])
	}
	if got := rows[2][0].String(); got != "c" {
		t.Errorf("row 2 id = %q, want c", got)
	}
}
