package parquetio

import (
	"github.com/klauspost/compress/s2"
	"github.com/parquet-go/parquet-go/compress/snappy"
)

// fastSnappy writes standard Snappy blocks, which every Parquet reader decodes, with s2's
// fast Snappy-compatible encoder. parquet-go's Snappy codec uses the "better" encoder: on
// output pages of money and text it is about 1.5× slower for 5% smaller pages
// (459 vs 651 MB/s on int64 money, 1.1 vs 1.8 GB/s on reason sentences, one core).
type fastSnappy struct{ snappy.Codec }

func (fastSnappy) Encode(dst, src []byte) ([]byte, error) { return s2.EncodeSnappy(dst, src), nil }
