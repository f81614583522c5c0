package report

import (
	"math"
	"strconv"
	"strings"
)

// count formats an integer with thousands separators: 1234567 → "1,234,567".
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// money formats an amount compactly for figures and axes: 1234567.8 → "1.23M",
// 45678 → "45.7k", 1234.5 → "1,235", 87.88 → "87.9", 1.234 → "1.23".
func money(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	a := math.Abs(x)
	sign := ""
	if x < 0 {
		sign = "−"
	}
	switch {
	case a >= 1e9:
		return sign + trimZeros(strconv.FormatFloat(a/1e9, 'f', 2, 64)) + "B"
	case a >= 1e6:
		return sign + trimZeros(strconv.FormatFloat(a/1e6, 'f', 2, 64)) + "M"
	case a >= 1e4:
		return sign + trimZeros(strconv.FormatFloat(a/1e3, 'f', 1, 64)) + "k"
	case a >= 100:
		return sign + count(int64(math.Round(a)))
	case a >= 10:
		return sign + trimZeros(strconv.FormatFloat(a, 'f', 1, 64))
	case a < 0.005:
		return "0"
	default:
		return sign + trimZeros(strconv.FormatFloat(a, 'f', 2, 64))
	}
}

// pct formats a share (0.743 → "74%", 0.0742 → "7.4%", 0.0042 → "0.42%"), keeping more
// digits for small shares so that they never read as 0.
func pct(share float64) string {
	if math.IsNaN(share) {
		return "–"
	}
	p := share * 100
	a := math.Abs(p)
	sign := ""
	if p < 0 {
		sign = "−"
	}
	switch {
	case a < 0.005:
		return "0%"
	case a >= 99.5 && a < 100:
		return sign + strconv.FormatFloat(math.Floor(a*10)/10, 'f', 1, 64) + "%" // 99.9%, never a false 100%
	case a >= 9.95:
		return sign + strconv.FormatFloat(a, 'f', 0, 64) + "%"
	case a >= 0.995:
		return sign + trimZeros(strconv.FormatFloat(a, 'f', 1, 64)) + "%"
	default:
		return sign + trimZeros(strconv.FormatFloat(a, 'f', 2, 64)) + "%"
	}
}

// decimal formats a plain number with up to digits decimals (a Gini coefficient, a z-score).
func decimal(x float64, digits int) string {
	s := trimZeros(strconv.FormatFloat(math.Abs(x), 'f', digits, 64))
	if x < 0 && s != "0" {
		return "−" + s
	}
	return s
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
