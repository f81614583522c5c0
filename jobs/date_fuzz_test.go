package jobs

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

// FuzzParseDay checks that a date ParseDay accepts is a plain YYYY-MM-DD that FormatDay gives
// back unchanged, so an as-of date can never carry a path element into the output layout.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2024-12-31", "0001-01-01", "9999-12-31", "2024-02-30", "../../etc", "2024-01-01/../x",
		"2024-1-1", " 2024-01-01", "2024-01-01\x00", "+2024-01-01", "-001-01-01"} {
		f.Add(s)
	}
	out := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDay(s)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("ParseDay(%q) error %v does not wrap ErrConfig", s, err)
			}
			return
		}
		if got := FormatDay(d); got != s {
			t.Fatalf("FormatDay(ParseDay(%q)) = %q, want the input back", s, got)
		}
		for _, table := range []string{outputs.TableCustomers, outputs.TableSegments, outputs.TablePareto, outputs.TableRejected, "manifests"} {
			rel, err := filepath.Rel(out, store.PartitionDir(out, table, s))
			if err != nil || rel != filepath.Join(table, "as_of="+s) {
				t.Fatalf("date %q puts table %s at %q, want %s/as_of=%s", s, table, rel, table, s)
			}
		}
	})
}
