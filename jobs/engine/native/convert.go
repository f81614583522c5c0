package native

import (
	"math"
	"math/big"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// maxMinor bounds a row's amount in minor units (9e15): beyond it the row is rejected as
// non-finite, so that sums over a billion rows cannot overflow int64.
const maxMinor = 9_000_000_000_000_000

// pow10 holds 10^0 … 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// money converts the current value of c to minor units (10^scale per unit), rounding half away
// from zero; ok is false for NaN, ±Inf and magnitudes beyond maxMinor.
func money(c *cursor, scale int) (minor int64, ok bool) {
	v, k := &c.values, c.k
	if c.col.Kind == input.KindDecimal {
		return decimalMinor(c, scale)
	}
	switch c.col.Physical {
	case format.Int32, format.Int64:
		return intMinor(integer(c), scale)
	case format.Float:
		return floatMinor(float64(v.f32[k]), scale)
	}
	return floatMinor(v.f64[k], scale)
}

// integer returns the current value of an INT32 (unsigned when annotated so) or INT64 column.
func integer(c *cursor) int64 {
	if c.col.Physical == format.Int32 {
		if c.col.Unsigned {
			return int64(uint32(c.values.i32[c.k]))
		}
		return int64(c.values.i32[c.k])
	}
	return c.values.i64[c.k]
}

func intMinor(x int64, scale int) (int64, bool) {
	p := pow10[scale]
	if x > maxMinor/p || x < -maxMinor/p {
		return 0, false
	}
	return x * p, true
}

// floatMinor is round_half_away_from_zero(x × 10^scale), computed in float64 in that order.
func floatMinor(x float64, scale int) (int64, bool) {
	r := math.Round(x * float64(pow10[scale]))
	if math.IsNaN(r) || math.Abs(r) > maxMinor {
		return 0, false
	}
	return int64(r), true
}

// float returns the current value of a numeric column as float64 (DECIMAL: unscaled / 10^scale).
func float(c *cursor) float64 {
	v, k := &c.values, c.k
	if c.col.Kind == input.KindDecimal {
		u, b := unscaled(c)
		f := float64(u)
		if b != nil {
			f, _ = new(big.Float).SetInt(b).Float64()
		}
		return f / math.Pow10(c.col.Scale)
	}
	switch c.col.Physical {
	case format.Int32, format.Int64:
		return float64(integer(c))
	case format.Float:
		return float64(v.f32[k])
	}
	return v.f64[k]
}

// unscaled returns a decimal's unscaled integer: as int64 when it fits, else as a big.Int.
func unscaled(c *cursor) (int64, *big.Int) {
	v, k := &c.values, c.k
	switch c.col.Physical {
	case format.Int32:
		return int64(v.i32[k]), nil
	case format.Int64:
		return v.i64[k], nil
	}
	b := v.bytes(k) // big-endian two's complement
	if len(b) == 0 {
		return 0, nil
	}
	neg := b[0]&0x80 != 0
	ext := byte(0)
	if neg {
		ext = 0xff
	}
	for len(b) > 8 && b[0] == ext && (b[1]&0x80 != 0) == neg {
		b = b[1:]
	}
	if len(b) <= 8 {
		var u uint64
		if neg {
			u = math.MaxUint64
		}
		for _, x := range b {
			u = u<<8 | uint64(x)
		}
		return int64(u), nil
	}
	z := new(big.Int).SetBytes(b)
	if neg {
		z.Sub(z, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return 0, z
}

// decimalMinor rescales a decimal to scale digits, rounding half away from zero.
func decimalMinor(c *cursor, scale int) (int64, bool) {
	u, b := unscaled(c)
	shift := scale - c.col.Scale
	if b == nil && shift >= 0 && shift < len(pow10) {
		return intMinor(u, shift)
	}
	if b == nil && shift < 0 && -shift < len(pow10) {
		d := pow10[-shift]
		q, r := u/d, u%d
		if r < 0 {
			r = -r
		}
		if 2*r >= d {
			if u < 0 {
				q--
			} else {
				q++
			}
		}
		return q, q >= -maxMinor && q <= maxMinor
	}
	if b == nil {
		b = big.NewInt(u)
	}
	return bigMinor(b, shift)
}

func bigMinor(u *big.Int, shift int) (int64, bool) {
	ten := big.NewInt(10)
	if shift >= 0 {
		z := new(big.Int).Mul(u, new(big.Int).Exp(ten, big.NewInt(int64(shift)), nil))
		return z.Int64(), z.IsInt64() && z.Int64() >= -maxMinor && z.Int64() <= maxMinor
	}
	d := new(big.Int).Exp(ten, big.NewInt(int64(-shift)), nil)
	q, r := new(big.Int).QuoRem(u, d, new(big.Int))
	if r.Abs(r).Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(int64(u.Sign())))
	}
	return q.Int64(), q.IsInt64() && q.Int64() >= -maxMinor && q.Int64() <= maxMinor
}

// int96Micros converts an INT96 timestamp (nanoseconds of the day, then the Julian day) to
// microseconds since the epoch, as DuckDB does.
func int96Micros(x deprecated.Int96) int64 {
	nanos := int64(uint64(x[1])<<32 | uint64(x[0]))
	julian := int64(x[2])
	return (julian-2440588)*86_400_000_000 + nanos/1000
}
