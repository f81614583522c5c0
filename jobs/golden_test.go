package jobs

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// decodeTable reads a Parquet output as rows of column name → value (nulls omitted, doubles
// rounded to 12 significant digits so the golden file is stable across platforms).
func decodeTable(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fld := range pf.Schema().Fields() {
		names = append(names, fld.Name())
	}
	var out []map[string]any
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 256)
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				m := map[string]any{}
				for _, v := range row {
					if v.IsNull() {
						continue
					}
					var x any
					switch v.Kind() {
					case parquet.ByteArray:
						x = v.String()
					case parquet.Double:
						x = float64(float32(v.Double())) // 7 digits: enough to catch changes, stable
						if f := v.Double(); math.Abs(f) > 1e6 {
							x = math.Round(f)
						}
					case parquet.Int32:
						x = v.Int32()
					default:
						x = v.Int64()
					}
					m[names[v.Column()]] = x
				}
				out = append(out, m)
			}
			if err != nil {
				break
			}
		}
		rows.Close()
	}
	return out
}

// TestGoldenOutputs runs the whole job on a small generated data set and compares every output
// table, decoded, with testdata/golden (regenerate with go test ./jobs -run Golden -update after
// checking the change is intended). Decoded content, never Parquet bytes.
func TestGoldenOutputs(t *testing.T) {
	dir := t.TempDir()
	in := generatedInput(t, gen.Options{Customers: 120, Transactions: 2500, Seed: 5, BadRowShare: 0.004, Days: 400})
	for _, eng := range []string{"native", "duckdb"} {
		t.Run(eng, func(t *testing.T) {
			cfg := &config.Config{Engine: eng}
			cfg.Input.Transactions = in
			cfg.Output.Dir = filepath.Join(dir, "out-"+eng)
			cfg.CLV.MinBuyers = new(int) // 120 customers: the golden outputs keep every view
			on := true
			cfg.CLV.Intervals = &on // opt-in; the golden outputs cover them
			cfg.CLV.Periods = &on   // likewise
			m, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// Every golden table must be written, and every table written must have a golden:
			// a run that stops writing one fails here.
			goldens, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", "*.json"))
			var wantTables, gotTables []string
			for _, g := range goldens {
				wantTables = append(wantTables, strings.TrimSuffix(filepath.Base(g), ".json"))
			}
			for _, o := range m.Outputs {
				if o.Table != store.ReportTable {
					gotTables = append(gotTables, o.Table)
				}
			}
			slices.Sort(gotTables)
			if !*update && !slices.Equal(gotTables, wantTables) {
				t.Errorf("tables written %v, want the golden set %v", gotTables, wantTables)
			}
			if _, ok := m.Output(store.ReportTable); !ok {
				t.Error("the manifest does not list the report page")
			}
			for _, o := range m.Outputs {
				if o.Table == store.ReportTable {
					continue
				}
				got := decodeTable(t, filepath.Join(cfg.Output.Dir, o.Path))
				for _, row := range got {
					if f, ok := row["file"].(string); ok {
						row["file"] = filepath.Base(f)
					}
				}
				data, _ := json.MarshalIndent(got, "", " ")
				golden := filepath.Join("..", "testdata", "golden", o.Table+".json")
				if *update && eng == "native" {
					os.MkdirAll(filepath.Dir(golden), 0o755)
					if err := os.WriteFile(golden, data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create)", err)
				}
				if string(want) != string(data) {
					t.Errorf("%s differs from %s:\n%s", o.Table, golden, firstDiff(string(want), string(data)))
				}
			}
		})
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: want %s, got %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d vs %d lines", len(al), len(bl))
}
