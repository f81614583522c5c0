package tier

import "strconv"

// formatMoney writes minor units v with scale decimals and thousands separators:
// formatMoney(-124050, 2) = "-1,240.50".
func formatMoney(v int64, scale int) string { return string(appendMoney(nil, v, scale)) }

// appendMoney appends formatMoney(v, scale) to b.
func appendMoney(b []byte, v int64, scale int) []byte {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
		b = append(b, '-')
	}
	var digits [24]byte
	d := strconv.AppendUint(digits[:0], u, 10)
	// Pad to at least scale+1 digits, so there is a whole part.
	if scale > 0 && len(d) <= scale {
		pad := scale - len(d) + 1
		d = append(d, make([]byte, pad)...)
		copy(d[pad:], d[:len(d)-pad])
		for k := range pad {
			d[k] = '0'
		}
	}
	whole := len(d) - scale
	for k := range whole {
		if k > 0 && (whole-k)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, d[k])
	}
	if scale > 0 {
		b = append(b, '.')
		b = append(b, d[whole:]...)
	}
	return b
}

// percent writes a cut as a percentage without trailing zeros: 0.05 → "5", 0.125 → "12.5".
func percent(c float64) string {
	return strconv.FormatFloat(float64(cutNum(c))/(cutDen/100), 'f', -1, 64)
}
