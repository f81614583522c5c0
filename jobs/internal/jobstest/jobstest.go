// Package jobstest holds the helpers the tests of jobs, series and cmd/rfm share: generated
// inputs and committed dates decoded for comparison by content.
package jobstest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/store"
)

// SmallDemo is a small generated history (300 customers, 6,000 rows, a few bad rows) whose
// every view runs in milliseconds.
var SmallDemo = gen.Options{Customers: 300, Transactions: 6000, Seed: 7, BadRowShare: 0.001}

// GeneratedInput writes generated transactions (gen.WriteFile with opt) into a temporary
// directory of the test and returns the file's path.
func GeneratedInput(t testing.TB, opt gen.Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tx.parquet")
	if err := gen.WriteFile(path, opt); err != nil {
		t.Fatal(err)
	}
	return path
}

// DecodedDate renders every output table a committed date's manifest lists as text, row by row,
// so two dates can be compared by content (the Parquet bytes carry the writer's version). The
// report page is left out: it shows the run's stage times. Every listed output must match its
// size and hash (store.Complete).
func DecodedDate(t testing.TB, out, date string) string {
	t.Helper()
	m, err := store.Complete(out, date)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, o := range m.Outputs {
		if o.Table == store.ReportTable {
			continue
		}
		f, err := os.Open(filepath.Join(out, o.Path))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			f.Close()
			t.Fatalf("%s: %v", o.Path, err)
		}
		fmt.Fprintf(&b, "table %s %d rows\n", o.Table, pf.NumRows())
		rows := make([]parquet.Row, 256)
		for _, rg := range pf.RowGroups() {
			r := rg.Rows()
			for {
				n, err := r.ReadRows(rows)
				for _, row := range rows[:n] {
					fmt.Fprintln(&b, row)
				}
				if err != nil {
					break
				}
			}
			r.Close()
		}
		f.Close()
	}
	return b.String()
}

// Digest is a short hash of s, for messages.
func Digest(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:8]) }
