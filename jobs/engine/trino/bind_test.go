package trino

import (
	"reflect"
	"testing"
)

func TestBind(t *testing.T) {
	named := map[string]any{"a": 1, "b": "x", "start_day": nil}
	for _, tc := range []struct {
		name, in, want string
		args           []any
	}{
		{"in order of appearance", "SELECT $a, $b, $a", "SELECT ?, ?, ?", []any{1, "x", 1}},
		{"null value", "WHERE $start_day IS NULL", "WHERE ? IS NULL", []any{nil}},
		{"inside a string literal", "SELECT '$a', 'it''s $b', $a", "SELECT '$a', 'it''s $b', ?", []any{1}},
		{"inside a quoted identifier", `SELECT "$path", "a""$b" FROM t`, `SELECT "$path", "a""$b" FROM t`, nil},
		{"inside a comment", "-- uses $a\nSELECT $b", "-- uses $a\nSELECT ?", []any{"x"}},
		{"a lone dollar", "SELECT 1$", "SELECT 1$", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, args := bind(tc.in, named)
			if got != tc.want || !reflect.DeepEqual(args, tc.args) {
				t.Errorf("bind(%q) = %q %v, want %q %v", tc.in, got, args, tc.want, tc.args)
			}
		})
	}
}

func TestBindUnknownPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "trino: no value for parameter $nope" {
			t.Errorf("panic = %v, want the unknown parameter named", r)
		}
	}()
	bind("SELECT $nope", nil)
}
