package report

import (
	"strconv"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"count", count(1234567), "1,234,567"},
		{"count small", count(12), "12"},
		{"count negative", count(-1234), "−1,234"},
		{"money millions", money(1234567.8), "1.23M"},
		{"money thousands", money(45678), "45.7k"},
		{"money hundreds", money(1234.5), "1,235"},
		{"money tens", money(87.88), "87.9"},
		{"money units", money(1.234), "1.23"},
		{"money negative", money(-2500000), "−2.5M"},
		{"pct large", pct(0.743), "74%"},
		{"pct medium", pct(0.0742), "7.4%"},
		{"pct small", pct(0.0042), "0.42%"},
		{"pct negligible negative", pct(-0.00001), "0%"},
		{"pct almost all", pct(0.99887), "99.8%"},
		{"decimal", decimal(-0.126, 2), "−0.13"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 1, 5, "0 0.2 0.4 0.6 0.8 1"},
		{0, 97, 5, "0 20 40 60 80"},
		{-1.5, 2.5, 4, "-1 0 1 2"},
	}
	for _, tc := range tests {
		var got []string
		for _, v := range niceTicks(tc.lo, tc.hi, tc.n) {
			got = append(got, strconv.FormatFloat(v, 'g', 6, 64))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("niceTicks(%v, %v, %d): got %v, want %s", tc.lo, tc.hi, tc.n, got, tc.want)
		}
	}
}
