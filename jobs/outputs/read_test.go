package outputs

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// writeCustomers writes a small customers file with the given extra columns and returns its path.
func writeCustomers(t testing.TB, dir string, withOptional bool) string {
	t.Helper()
	path := filepath.Join(dir, "customers.parquet")
	ids := []string{"a", "b", "c"}
	cols := []pq.Column{
		pq.String("customer_id", ids),
		pq.ConstDate("as_of", 19800),
		pq.Money("monetary", []int64{1234, -5, 0}, 2),
		pq.String("segment", []string{"champions", "lost", "loyal"}),
	}
	if withOptional {
		cols = append(cols,
			pq.OptionalString("tier", []string{"gold", "", "lead"}),
			pq.Money("profit", []int64{300, -7, 0}, 2),
			pq.Int32("tier_periods_below", []int32{0, 1, 0}),
		)
	}
	if err := pq.WriteFile(path, "customers", len(ids), cols); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadCustomers(t *testing.T) {
	tests := []struct {
		name     string
		optional bool
		want     Customers
	}{
		{"all columns", true, Customers{
			CustomerID: []string{"a", "b", "c"}, Segment: []string{"champions", "lost", "loyal"},
			Monetary: []int64{1234, -5, 0}, MoneyScale: 2,
			Tier: []string{"gold", "", "lead"}, Profit: []int64{300, -7, 0}, TierPeriodsBelow: []int32{0, 1, 0},
		}},
		{"older output without tier or profit", false, Customers{
			CustomerID: []string{"a", "b", "c"}, Segment: []string{"champions", "lost", "loyal"},
			Monetary: []int64{1234, -5, 0}, MoneyScale: 2,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCustomers(writeCustomers(t, t.TempDir(), tc.optional))
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if !slices.Equal(got.CustomerID, w.CustomerID) || !slices.Equal(got.Segment, w.Segment) ||
				!slices.Equal(got.Monetary, w.Monetary) || got.MoneyScale != w.MoneyScale {
				t.Errorf("got %+v, want %+v", got, w)
			}
			if (got.Tier == nil) != (w.Tier == nil) || !slices.Equal(got.Tier, w.Tier) ||
				(got.Profit == nil) != (w.Profit == nil) || !slices.Equal(got.Profit, w.Profit) ||
				(got.TierPeriodsBelow == nil) != (w.TierPeriodsBelow == nil) || !slices.Equal(got.TierPeriodsBelow, w.TierPeriodsBelow) {
				t.Errorf("optional columns got tier %q profit %v below %v, want %q %v %v",
					got.Tier, got.Profit, got.TierPeriodsBelow, w.Tier, w.Profit, w.TierPeriodsBelow)
			}
		})
	}
}

func TestReadCustomersSchemaErrors(t *testing.T) {
	tests := []struct {
		name string
		cols []pq.Column
	}{
		{"no customer_id", []pq.Column{pq.String("segment", []string{"x"}), pq.Money("monetary", []int64{1}, 2)}},
		{"monetary not decimal", []pq.Column{pq.String("customer_id", []string{"a"}), pq.String("segment", []string{"x"}), pq.Int64("monetary", []int64{1})}},
		{"customer_id not a string", []pq.Column{pq.Int64("customer_id", []int64{1}), pq.String("segment", []string{"x"}), pq.Money("monetary", []int64{1}, 2)}},
		{"profit scale differs", []pq.Column{pq.String("customer_id", []string{"a"}), pq.String("segment", []string{"x"}), pq.Money("monetary", []int64{1}, 2), pq.Money("profit", []int64{1}, 3)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.parquet")
			if err := pq.WriteFile(path, "customers", 1, tc.cols); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadCustomers(path); !errors.Is(err, pq.ErrSchema) {
				t.Errorf("got error %v, want pq.ErrSchema", err)
			}
		})
	}
}

func TestReadCustomersCorrupt(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(writeCustomers(t, dir, true))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		bytes []byte
	}{
		{"empty file", nil},
		{"not parquet", []byte("customer_id,segment\na,lost\n")},
		{"truncated before the footer", good[:len(good)/2]},
		{"footer only", good[len(good)-8:]},
		// Found by fuzzing: the trailer claims a 1.3 GB footer, which parquet-go would allocate.
		{"footer longer than the file", []byte("PAR1\x15\x04\x15\x1e\x15\x22\x15\xad\xa4PAR1")},
		{"magic but garbage", append(append([]byte("PAR1"), make([]byte, 64)...), []byte("PAR1")...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.parquet")
			if err := os.WriteFile(path, tc.bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadCustomers(path); !errors.Is(err, pq.ErrCorrupt) {
				t.Errorf("got error %v, want pq.ErrCorrupt", err)
			}
		})
	}
	// Overwriting any byte of the data pages must give an error or the right values, never a
	// panic; with checksums absent, a flipped byte inside a value may go unnoticed.
	t.Run("every byte flipped", func(t *testing.T) {
		path := filepath.Join(dir, "flip.parquet")
		for i := 4; i < len(good)-8; i++ {
			b := slices.Clone(good)
			b[i] ^= 0xff
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := ReadCustomers(path)
			if err == nil && c.Len() != 3 {
				t.Errorf("byte %d flipped: got %d rows and no error, want 3 rows or an error", i, c.Len())
			}
		}
	})
	if _, err := ReadCustomers(filepath.Join(dir, "absent.parquet")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: got %v, want os.ErrNotExist", err)
	}
}

func FuzzReadCustomers(f *testing.F) {
	good, err := os.ReadFile(writeCustomers(f, f.TempDir(), true))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.parquet")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := ReadCustomers(path)
		if err == nil && (len(c.Segment) != c.Len() || len(c.Monetary) != c.Len()) {
			t.Errorf("columns of different lengths without an error: %d ids, %d segments, %d monetary", c.Len(), len(c.Segment), len(c.Monetary))
		}
	})
}

func BenchmarkReadCustomers(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		ids, segs, tiers := make([]string, n), make([]string, n), make([]string, n)
		money := make([]int64, n)
		for i := range ids {
			ids[i] = "C" + string(rune('a'+i%26)) + strconv.Itoa(i)
			segs[i] = []string{"champions", "loyal", "lost"}[i%3]
			tiers[i] = []string{"gold", "iron"}[i%2]
			money[i] = int64(i * 37)
		}
		path := filepath.Join(b.TempDir(), "c.parquet")
		if err := pq.WriteFile(path, "customers", n, []pq.Column{pq.String("customer_id", ids), pq.String("segment", segs),
			pq.Money("monetary", money, 2), pq.String("tier", tiers), pq.Money("profit", money, 2)}); err != nil {
			b.Fatal(err)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadCustomers(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
