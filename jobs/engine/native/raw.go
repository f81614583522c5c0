package native

import (
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// roles are the roles describe reads, in the order of its cursors.
var roles = [...]string{input.RoleCustomerID, input.RoleOrderID, input.RoleTimestamp, input.RoleAmount,
	input.RoleQuantity, input.RoleUnitPrice}

// rejectedRow records the row the cursors (ordered as roles, nil when not mapped) stand on,
// with its raw values as text in the form DuckDB's CAST(... AS VARCHAR) prints them ("" for
// null); texts holds each cursor's dictionary texts.
func rejectedRow(file string, row int64, reason string, cs [len(roles)]*cursor, texts *[len(roles)]dictTexts) engine.Rejected {
	raw := func(i int) string {
		if cs[i] == nil || !cs[i].present {
			return ""
		}
		return texts[i].text(cs[i])
	}
	rj := engine.Rejected{File: file, Row: row, Reason: reason, CustomerID: raw(0), OrderID: raw(1), Timestamp: raw(2)}
	if cs[3] != nil {
		rj.Amount = raw(3)
	} else {
		rj.Amount = raw(4) + " * " + raw(5)
	}
	return rj
}

// dictTexts keeps the text of each dictionary entry of a cursor's column printed so far, so
// that rejected rows sharing an entry (an invoice's timestamp, a common quantity) print it once.
// A map, not a slice per dictionary: a row group with one rejected row may have a large one.
type dictTexts struct {
	dicts int            // the cursor's dictionary generation the texts belong to
	texts map[int]string // by entry
}

// text is rawText(c), from the cache on a dictionary-encoded page.
func (d *dictTexts) text(c *cursor) string {
	if c.idx == nil {
		return rawText(c)
	}
	if d.texts == nil {
		d.texts = map[int]string{}
	}
	if d.dicts != c.dicts {
		d.dicts = c.dicts
		clear(d.texts)
	}
	s, ok := d.texts[c.k]
	if !ok {
		s = rawText(c)
		d.texts[c.k] = s
	}
	return s
}

// rawText prints the current value of c.
func rawText(c *cursor) string {
	v, k := &c.values, c.k
	switch c.col.Kind {
	case input.KindString:
		return string(v.bytes(k))
	case input.KindDate:
		return time.Unix(int64(v.i32[k])*86400, 0).UTC().Format(time.DateOnly)
	case input.KindTimestamp:
		if c.col.Physical == format.Int96 {
			return formatTimestamp(int96Micros(v.i96[k]), 1_000_000, false)
		}
		return formatTimestamp(v.i64[k], perSecond(c.col.Unit), c.col.UTC)
	case input.KindDecimal:
		u, b := unscaled(c)
		if b == nil {
			b = big.NewInt(u)
		}
		return formatDecimal(b, c.col.Scale)
	case input.KindFloat32:
		return formatFloat(float64(v.f32[k]), 32)
	case input.KindFloat64:
		return formatFloat(v.f64[k], 64)
	}
	return strconv.FormatInt(integer(c), 10)
}

// formatTimestamp prints "2010-12-01 08:26:00", with a fraction only when it is not zero and
// "+00" for a UTC-adjusted column.
func formatTimestamp(v, perSec int64, utc bool) string {
	sec := floorDiv(v, perSec)
	frac := v - sec*perSec
	t := time.Unix(sec, frac*(1_000_000_000/perSec)).UTC()
	layout := "2006-01-02 15:04:05"
	if frac != 0 {
		layout += ".999999999"
	}
	s := t.Format(layout)
	if utc {
		s += "+00"
	}
	return s
}

func formatFloat(x float64, bits int) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.FormatFloat(x, 'f', 1, bits)
	}
	return strconv.FormatFloat(x, 'g', -1, bits)
}

func formatDecimal(u *big.Int, scale int) string {
	s := new(big.Int).Abs(u).String()
	for len(s) <= scale {
		s = "0" + s
	}
	if scale > 0 {
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if u.Sign() < 0 {
		s = "-" + s
	}
	return s
}
