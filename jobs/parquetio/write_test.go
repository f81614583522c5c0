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

// TestGroupStarts checks the row group split: groups cover the rows in order without gaps,
// none exceeds rowsPerGroup, and their number is a multiple of the workers when every group
// can still hold minRowsPerGroup rows.
func TestGroupStarts(t *testing.T) {
	for _, c := range []struct{ n, workers, groups int }{
		{0, 2, 0},
		{10, 2, 1},
		{100_000, 2, 1},
		{1_000_000, 2, 2},
		{2_420_900, 2, 4},
		{10_000_000, 2, 10},
		{11_000_000, 2, 12},
		{3_000_000, 4, 4},
	} {
		starts := groupStarts(c.n, c.workers)
		if len(starts) != c.groups {
			t.Errorf("n=%d workers=%d: %d groups %v, want %d", c.n, c.workers, len(starts), starts, c.groups)
			continue
		}
		for k, s := range starts {
			end := c.n
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			if k == 0 && s != 0 || end <= s || end-s > rowsPerGroup {
				t.Errorf("n=%d workers=%d: group %d is [%d, %d)", c.n, c.workers, k, s, end)
			}
		}
	}
}

// TestTextHasNoPageBounds: a Text column keeps its values but leaves min and max out of the
// column index and the chunk statistics, while a Key column keeps them.
func TestTextHasNoPageBounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	ids := []string{"a", "b", "c"}
	reasons := []string{"profit 3.00 ranks first", "profit 2.00 ranks second", ""}
	if err := WriteFile(path, "t", 3, []Column{Key("id", ids), Text("reason", reasons)}); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(mustOpen(t, path))
	if err != nil {
		t.Fatal(err)
	}
	chunks := f.RowGroups()[0].ColumnChunks()
	for c, want := range [][2]string{{"a", "c"}, {"", ""}} {
		ci, err := chunks[c].ColumnIndex()
		if err != nil {
			t.Fatal(err)
		}
		if lo, hi := ci.MinValue(0).String(), ci.MaxValue(0).String(); lo != want[0] || hi != want[1] {
			t.Errorf("column %d: column index bounds [%q, %q], want [%q, %q]", c, lo, hi, want[0], want[1])
		}
		st := f.Metadata().RowGroups[0].Columns[c].MetaData.Statistics
		if got := [2]string{string(st.MinValue), string(st.MaxValue)}; got != want {
			t.Errorf("column %d: chunk statistics %q, want %q", c, got, want)
		}
	}
	rows := make([]parquet.Row, 3)
	r := f.RowGroups()[0].Rows()
	defer r.Close()
	if n, _ := r.ReadRows(rows); n != 3 {
		t.Fatalf("read %d rows, want 3", n)
	}
	for i, row := range rows {
		if got := row[1].String(); got != reasons[i] {
			t.Errorf("row %d reason %q, want %q", i, got, reasons[i])
		}
	}
}
