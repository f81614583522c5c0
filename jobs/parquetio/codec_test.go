package parquetio

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/format"
)

// TestFastSnappyIsSnappy checks that pages encoded by fastSnappy decode with parquet-go's own
// Snappy codec (the reference block format) to the same bytes, and that the column chunk says
// SNAPPY.
func TestFastSnappyIsSnappy(t *testing.T) {
	var text []byte
	for i := range 20_000 {
		text = fmt.Appendf(text, "profit %d.%02d ranks in the top %.1f%%;", i*37%5000, i%100, float64(i%1000)/10)
	}
	for _, src := range [][]byte{nil, {0}, text, bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 1<<16)} {
		enc, err := (&fastSnappy{}).Encode(nil, src)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := (&snappy.Codec{}).Decode(nil, enc)
		if err != nil {
			t.Fatalf("%d bytes: the reference decoder refused the block: %v", len(src), err)
		}
		if !bytes.Equal(dec, src) {
			t.Fatalf("%d bytes: decoded %d different bytes", len(src), len(dec))
		}
		if len(src) > 1000 && len(enc) >= len(src) {
			t.Errorf("%d bytes: not compressed (%d bytes)", len(src), len(enc))
		}
	}
	if c := (&fastSnappy{}).CompressionCodec(); c != format.Snappy {
		t.Errorf("codec %v, want SNAPPY", c)
	}
}
