package jobs

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
)

// us returns the microseconds since the epoch of a UTC wall-clock time "YYYY-MM-DD hh:mm".
func us(s string) int64 {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic("jobs: bad test time " + s)
	}
	return t.UnixMicro()
}

// Columns of the default mapping (customer_id, order_id, ts, amount).
func idCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.String()), Values: v}
}

func orderCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "order_id", Node: parquet.Optional(parquet.String()), Values: v}
}

func tsCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "ts", Node: parquet.Optional(parquet.Timestamp(parquet.Microsecond)), Values: v}
}

func amountCol(v ...any) inputtest.Column {
	return inputtest.Column{Name: "amount", Node: parquet.Optional(parquet.Leaf(parquet.DoubleType)), Values: v}
}

// validTx is a small well-formed input: 3 customers, 6 rows, two row groups.
func validTx(t testing.TB, path string) {
	inputtest.Write(t, path, 3,
		idCol("a", "a", "b", "c", "c", "b"),
		orderCol("o1", "o1", "o2", "o3", "o4", "o5"),
		tsCol(us("2024-01-05 10:00"), us("2024-01-05 10:00"), us("2024-02-01 09:00"), us("2024-03-01 12:00"), us("2024-03-02 12:00"), us("2024-06-30 23:59")),
		amountCol(10.0, 5.5, 100.0, 20.0, -5.0, 1.25),
	)
}

func validBytes(t testing.TB) []byte {
	p := filepath.Join(t.TempDir(), "valid.parquet")
	validTx(t, p)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeBytes(t testing.TB, path string, b []byte) {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// malformedWriters writes each case's files into its directory.
var malformedWriters = map[string]func(t testing.TB, dir string){
	"empty_file": func(t testing.TB, dir string) { writeBytes(t, filepath.Join(dir, "tx.parquet"), nil) },
	"not_parquet": func(t testing.TB, dir string) {
		writeBytes(t, filepath.Join(dir, "tx.parquet"), []byte("customer_id,ts,amount\n1,2024-01-01,5\n"))
	},
	"magic_only": func(t testing.TB, dir string) { writeBytes(t, filepath.Join(dir, "tx.parquet"), []byte("PAR1PAR1")) },
	"truncated_half": func(t testing.TB, dir string) {
		b := validBytes(t)
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b[:len(b)/2])
	},
	"truncated_last_byte": func(t testing.TB, dir string) {
		b := validBytes(t)
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b[:len(b)-1])
	},
	"footer_length_huge": func(t testing.TB, dir string) {
		b := validBytes(t)
		binary.LittleEndian.PutUint32(b[len(b)-8:], 0xFFFFFFF0)
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b)
	},
	"footer_zeroed": func(t testing.TB, dir string) {
		b := validBytes(t)
		n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
		clear(b[len(b)-8-n : len(b)-8])
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b)
	},
	"data_pages_zeroed": func(t testing.TB, dir string) {
		b := validBytes(t)
		n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
		clear(b[4 : len(b)-8-n])
		writeBytes(t, filepath.Join(dir, "tx.parquet"), b)
	},
	"wrong_type_amount_string": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "amount", Node: parquet.String(), Values: []any{"12.50"}})
	},
	"wrong_type_timestamp_bool": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"),
			inputtest.Column{Name: "ts", Node: parquet.Leaf(parquet.BooleanType), Values: []any{true}}, amountCol(1.0))
	},
	"wrong_type_customer_date": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Date(), Values: []any{19000}},
			orderCol("o1"), tsCol(us("2024-01-01 00:00")), amountCol(1.0))
	},
	"missing_column": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "revenue", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}})
	},
	"ambiguous_case": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a"), orderCol("o1"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "Amount", Node: parquet.Leaf(parquet.DoubleType), Values: []any{1.0}},
			inputtest.Column{Name: "AMOUNT", Node: parquet.Leaf(parquet.DoubleType), Values: []any{2.0}})
	},
	"missing_in_second_file": func(t testing.TB, dir string) {
		validTx(t, filepath.Join(dir, "a.parquet"))
		inputtest.Write(t, filepath.Join(dir, "b.parquet"), 0, idCol("a"), orderCol("o9"), tsCol(us("2024-01-01 00:00")))
	},
	"schema_drift": func(t testing.TB, dir string) {
		validTx(t, filepath.Join(dir, "a.parquet"))
		inputtest.Write(t, filepath.Join(dir, "b.parquet"), 0, idCol("a"), orderCol("o9"), tsCol(us("2024-01-01 00:00")),
			inputtest.Column{Name: "amount", Node: parquet.Decimal(2, 9, parquet.Int32Type), Values: []any{1250}})
	},
	"zero_rows": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol(), orderCol(), tsCol(), amountCol())
	},
	"all_null_customer_id": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol(nil, nil, nil, nil), orderCol("o1", "o2", "o3", "o4"),
			tsCol(us("2024-01-01 00:00"), us("2024-01-02 00:00"), us("2024-01-03 00:00"), us("2024-01-04 00:00")), amountCol(1.0, 2.0, 3.0, 4.0))
	},
	"all_null_timestamp": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a", "b", "c"), orderCol("o1", "o2", "o3"),
			tsCol(nil, nil, nil), amountCol(1.0, 2.0, 3.0))
	},
	"all_null_amount": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a", "b", "c"), orderCol("o1", "o2", "o3"),
			tsCol(us("2024-01-01 00:00"), us("2024-01-02 00:00"), us("2024-01-03 00:00")), amountCol(nil, nil, nil))
	},
	"all_null_order_id": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol("a", "a", "b"), orderCol(nil, nil, nil),
			tsCol(us("2024-01-01 00:00"), us("2024-01-01 00:00"), us("2024-01-03 00:00")), amountCol(1.0, 2.0, 3.0))
	},
	"nan_inf_extreme_amounts": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e", "f", "g", "h"),
			orderCol("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"),
			tsCol(ts, ts, ts, ts, ts, ts, ts, ts),
			amountCol(10.0, math.NaN(), math.Inf(1), math.Inf(-1), 1e300, 9e13, -9.1e13, 5.125))
	},
	"extreme_int_amounts": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e"), orderCol("o1", "o2", "o3", "o4", "o5"), tsCol(ts, ts, ts, ts, ts),
			inputtest.Column{Name: "amount", Node: parquet.Leaf(parquet.Int64Type),
				Values: []any{int64(math.MaxInt64), int64(math.MinInt64), int64(90_000_000_000_000), int64(-90_000_000_000_001), int64(7)}})
	},
	"extreme_decimal_amounts": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e"), orderCol("o1", "o2", "o3", "o4", "o5"), tsCol(ts, ts, ts, ts, ts),
			inputtest.Column{Name: "amount", Node: parquet.Decimal(4, 18, parquet.Int64Type),
				// 99999999999999.9999 and its negative (beyond ±9e15 cents), 90000000000000.0000
				// (exactly 9e15 cents, kept), 1.2345 (→ 1.23), -1.2355 (→ -1.24, half away from zero)
				Values: []any{int64(999_999_999_999_999_999), int64(-999_999_999_999_999_999), int64(900_000_000_000_000_000), int64(12345), int64(-12355)}})
	},
	"negative_quantities": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "a", "b"), orderCol("o1", "o2", "o3"), tsCol(ts, us("2024-01-02 00:00"), ts),
			inputtest.Column{Name: "qty", Node: parquet.Leaf(parquet.Int64Type), Values: []any{2, -1, -3}},
			inputtest.Column{Name: "price", Node: parquet.Leaf(parquet.DoubleType), Values: []any{10.0, 10.0, 5.0}})
	},
	"duplicate_rows": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 2,
			idCol("a", "a", "a", "b"), orderCol("o1", "o1", "o1", "o2"), tsCol(ts, ts, ts, ts), amountCol(3.0, 3.0, 3.0, 4.0))
	},
	"non_utf8_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.Leaf(parquet.ByteArrayType)),
				Values: []any{[]byte{0xff, 0xfe}, []byte("ok"), []byte("a\x00b")}},
			orderCol("o1", "o2", "o3"), tsCol(ts, ts, ts), amountCol(1.0, 2.0, 3.0))
	},
	"long_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		long := strings.Repeat("x", 20_000)
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol(long, "y", long), orderCol(long, "o2", "o3"), tsCol(ts, ts, us("2024-02-01 00:00")), amountCol(1.0, 2.0, 3.0))
	},
	"far_timestamps": func(t testing.TB, dir string) {
		far := func(y int) any { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro() }
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c", "d", "e"), orderCol("o1", "o2", "o3", "o4", "o5"),
			tsCol(far(1), far(1900), us("2024-06-01 00:00"), far(9999), int64(math.MaxInt64)),
			amountCol(1.0, 2.0, 3.0, 4.0, 5.0))
	},
	"far_timestamps_ns": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			idCol("a", "b", "c"), orderCol("o1", "o2", "o3"),
			inputtest.Column{Name: "ts", Node: parquet.Timestamp(parquet.Nanosecond),
				Values: []any{int64(math.MinInt64), int64(math.MaxInt64), us("2024-06-01 00:00") * 1000}},
			amountCol(1.0, 2.0, 3.0))
	},
	"string_timestamps": func(t testing.TB, dir string) {
		v := []any{"2024-01-01", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00+02:00", "2024-01-01T23:30:00-05:00",
			"0001-01-01", "9999-12-31 23:59:59", "yesterday", "2024-02-30", "2024-13-01", "", "2024-01-01 25:00"}
		ids, orders, amounts := make([]any, len(v)), make([]any, len(v)), make([]any, len(v))
		for i := range v {
			ids[i], orders[i], amounts[i] = string(rune('a'+i)), "o"+string(rune('a'+i)), float64(i+1)
		}
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0, idCol(ids...), orderCol(orders...),
			inputtest.Column{Name: "ts", Node: parquet.Optional(parquet.String()), Values: v}, amountCol(amounts...))
	},
	"mixed_zoned_and_naive": func(t testing.TB, dir string) {
		inputtest.Write(t, filepath.Join(dir, "a.parquet"), 0, idCol("a"), orderCol("o1"),
			inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Microsecond, true), Values: []any{us("2024-03-01 23:30")}}, amountCol(1.0))
		inputtest.Write(t, filepath.Join(dir, "b.parquet"), 0, idCol("a"), orderCol("o2"),
			inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Microsecond, false), Values: []any{us("2024-03-02 00:30")}}, amountCol(2.0))
		inputtest.Write(t, filepath.Join(dir, "c.parquet"), 0, idCol("a"), orderCol("o3"),
			inputtest.Column{Name: "ts", Node: parquet.TimestampAdjusted(parquet.Millisecond, true), Values: []any{us("2024-03-05 12:00") / 1000}}, amountCol(4.0))
	},
	"float_customer_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Optional(parquet.Leaf(parquet.DoubleType)),
				Values: []any{17850.0, 1.5, math.NaN(), math.Inf(1), 1e19, math.Copysign(0, -1)}},
			orderCol("o1", "o2", "o3", "o4", "o5", "o6"), tsCol(ts, ts, ts, ts, ts, ts), amountCol(1.0, 2.0, 3.0, 4.0, 5.0, 6.0))
	},
	"binary_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Leaf(parquet.ByteArrayType), Values: []any{[]byte("a"), []byte("b")}},
			orderCol("o1", "o2"), tsCol(ts, ts), amountCol(1.0, 2.0))
	},
	"unsigned_ids": func(t testing.TB, dir string) {
		ts := us("2024-01-01 00:00")
		inputtest.Write(t, filepath.Join(dir, "tx.parquet"), 0,
			inputtest.Column{Name: "customer_id", Node: parquet.Uint(32), Values: []any{uint32(math.MaxUint32), uint32(1)}},
			orderCol("o1", "o2"), tsCol(ts, ts), amountCol(1.0, 2.0))
	},
}
