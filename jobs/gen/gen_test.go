package gen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestWriteFileIsDeterministicAndExact(t *testing.T) {
	dir := t.TempDir()
	opt := Options{Customers: 300, Transactions: 5000, Seed: 7, BadRowShare: 0.01}
	a, b := filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.parquet")
	if err := WriteFile(a, opt); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(b, opt); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Fatal("same options gave different files")
	}
	rows, err := parquet.ReadFile[nullableRow](a)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != opt.Transactions {
		t.Fatalf("got %d rows, want %d", len(rows), opt.Transactions)
	}
	customers := map[int64]bool{}
	var nulls, returns int
	for _, r := range rows {
		if r.CustomerID == nil || r.Amount == nil {
			nulls++
			continue
		}
		customers[*r.CustomerID] = true
		if *r.Amount < 0 {
			returns++
		}
	}
	if len(customers) < opt.Customers-5 || len(customers) > opt.Customers {
		t.Errorf("got %d customers, want about %d", len(customers), opt.Customers)
	}
	if nulls < 20 || nulls > 90 {
		t.Errorf("got %d rows with nulls, want about 1%% of %d", nulls, opt.Transactions)
	}
	if returns < 20 {
		t.Errorf("got %d return rows, want some", returns)
	}
}

// TestWriteFileStringIDs: string ids name the same customers' same rows, customer n as C000000n.
func TestWriteFileStringIDs(t *testing.T) {
	dir := t.TempDir()
	opt := Options{Customers: 200, Transactions: 3000, Seed: 4}
	ints, strs := filepath.Join(dir, "int.parquet"), filepath.Join(dir, "str.parquet")
	if err := WriteFile(ints, opt); err != nil {
		t.Fatal(err)
	}
	opt.StringIDs = true
	if err := WriteFile(strs, opt); err != nil {
		t.Fatal(err)
	}
	want, err := parquet.ReadFile[Row](ints)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parquet.ReadFile[stringRow](strs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != opt.Transactions || len(want) != opt.Transactions {
		t.Fatalf("got %d and %d rows, want %d", len(got), len(want), opt.Transactions)
	}
	for i, w := range want {
		g := got[i]
		if g.CustomerID != fmt.Sprintf("C%07d", w.CustomerID) || g.OrderID != w.OrderID || !g.TS.Equal(w.TS) || g.Amount != w.Amount || g.Cost != w.Cost {
			t.Fatalf("row %d: string ids %+v, integer ids %+v", i, g, w)
		}
	}
}
