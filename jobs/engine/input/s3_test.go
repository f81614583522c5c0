package input

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/s3test"
	"github.com/rfmjob/rfm/jobs/objstore"
)

// TestS3ReadsOnlyTheMappedChunks inspects and verifies a generated file in a real S3 server
// with the cost column left unmapped: the footer and the mapped columns' chunks are fetched,
// each once, and not one byte of the cost column.
func TestS3ReadsOnlyTheMappedChunks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tx.parquet")
	if err := gen.WriteFile(path, gen.Options{Customers: 2000, Transactions: 400_000, Seed: 5, RowGroupRows: 100_000}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var mapped, cost int64
	for _, rg := range pf.Metadata().RowGroups {
		for _, c := range rg.Columns {
			if c.MetaData.PathInSchema[0] == "cost" {
				cost += c.MetaData.TotalCompressedSize
			} else {
				mapped += c.MetaData.TotalCompressedSize
			}
		}
	}
	f.Close()
	if len(pf.Metadata().RowGroups) != 4 || cost == 0 {
		t.Fatalf("%d row groups, %d bytes of cost: want 4 groups and a cost column", len(pf.Metadata().RowGroups), cost)
	}

	s := s3test.Start(t)
	url := s.Bucket("lake") + "/tx.parquet"
	s.Put(path, url)
	// Inspect reads the file's first 64 bytes (the magic) and last 64 KiB (the footer), nothing
	// else; Verify opens the file again, finds both cached, and fetches each mapped chunk once
	// (with the next row group's ahead), not a byte more.
	before := objstore.FetchedBytes()
	files, err := Inspect([]string{url}, engine.Columns{CustomerID: "customer_id", OrderID: "order_id", Timestamp: "ts", Amount: "amount"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := objstore.FetchedBytes()-before, int64(64+64<<10); got != want {
		t.Errorf("Inspect fetched %d bytes, want %d: the magic bytes and the footer's 64 KiB", got, want)
	}
	before = objstore.FetchedBytes()
	if err := Verify(context.Background(), files); err != nil {
		t.Fatal(err)
	}
	if got := objstore.FetchedBytes() - before; got != mapped {
		t.Errorf("Verify fetched %d bytes of a %d-byte file whose mapped chunks are %d bytes (cost %d): want the chunks, once", got, st.Size(), mapped, cost)
	}
}
