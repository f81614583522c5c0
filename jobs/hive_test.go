package jobs

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/marcboeker/go-duckdb"

	"github.com/rfmjob/rfm/jobs/gen"
)

// TestOutputsReadAsOneHiveTable checks the BI contract: DuckDB reads the customers output of
// several dates as one table with a typed as_of partition column and DECIMAL money.
func TestOutputsReadAsOneHiveTable(t *testing.T) {
	cfg := demoConfig(t, generatedInput(t, gen.Options{Customers: 200, Transactions: 3000, Seed: 3, Days: 120}), t.TempDir())
	counts := map[string]int64{}
	for _, d := range []string{"2023-02-28", "2023-03-31"} {
		m, err := Run(context.Background(), cfg, d, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		counts[d] = m.Customers
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `SELECT CAST(as_of AS VARCHAR), typeof(as_of), typeof(monetary), count(*), count(DISTINCT customer_id)
	      FROM read_parquet($1, hive_partitioning = true) GROUP BY ALL ORDER BY 1`
	rows, err := db.Query(q, filepath.Join(cfg.Output.Dir, "customers", "*", "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var d, dateType, moneyType string
		var n, distinct int64
		if err := rows.Scan(&d, &dateType, &moneyType, &n, &distinct); err != nil {
			t.Fatal(err)
		}
		seen++
		if dateType != "DATE" || moneyType != "DECIMAL(18,2)" {
			t.Errorf("as_of is %s and monetary %s, want DATE and DECIMAL(18,2)", dateType, moneyType)
		}
		if n != counts[d] || distinct != n {
			t.Errorf("%s: %d rows (%d distinct customers), want %d", d, n, distinct, counts[d])
		}
	}
	if seen != 2 {
		t.Errorf("DuckDB saw %d dates, want 2", seen)
	}
}
