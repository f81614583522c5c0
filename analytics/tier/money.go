package tier

import (
	"strconv"
	"strings"
)

// formatMoney writes minor units v with scale decimals and thousands separators:
// formatMoney(-124050, 2) = "-1,240.50".
func formatMoney(v int64, scale int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	if scale > 0 && len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	whole, frac := digits, ""
	if scale > 0 {
		whole, frac = digits[:len(digits)-scale], digits[len(digits)-scale:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for k := range len(whole) {
		if k > 0 && (len(whole)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[k])
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// percent writes a cut as a percentage without trailing zeros: 0.05 → "5", 0.125 → "12.5".
func percent(c float64) string {
	return strconv.FormatFloat(float64(cutNum(c))/(cutDen/100), 'f', -1, 64)
}
