package report

import (
	"slices"
	"testing"
)

// TestFrameColumnsOrder: a column keeps the place it was first set in, whether it is replaced by
// one of the same kind or of the other kind.
func TestFrameColumnsOrder(t *testing.T) {
	f := NewFrame(2).SetStrings("a", []string{"x", "y"}).SetNumbers("b", []float64{1, 2})
	f.SetNumbers("a", []float64{3, 4}).SetStrings("b", []string{"u", "v"}).SetNumbers("a", []float64{5, 6})
	if got, want := f.Columns(), []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("got columns %q, want %q", got, want)
	}
	if v, ok := f.Numbers("a"); !ok || !slices.Equal(v, []float64{5, 6}) {
		t.Errorf("a: got numbers %v, %v, want [5 6]", v, ok)
	}
	if _, ok := f.Strings("a"); ok {
		t.Error("a: the replaced string column is still there")
	}
	if v, ok := f.Strings("b"); !ok || !slices.Equal(v, []string{"u", "v"}) {
		t.Errorf("b: got strings %q, %v, want [u v]", v, ok)
	}
	if _, ok := f.Numbers("b"); ok {
		t.Error("b: the replaced numeric column is still there")
	}
}

func TestFrameSetWrongLength(t *testing.T) {
	for name, set := range map[string]func(f *Frame){
		"numbers": func(f *Frame) { f.SetNumbers("a", []float64{1}) },
		"strings": func(f *Frame) { f.SetStrings("a", []string{"x", "y", "z"}) },
	} {
		t.Run(name, func(t *testing.T) {
			f := NewFrame(2)
			defer func() {
				if recover() == nil {
					t.Error("no panic for a column of the wrong length")
				}
				if len(f.Columns()) != 0 {
					t.Errorf("got columns %q after the panic, want none", f.Columns())
				}
			}()
			set(f)
		})
	}
}
