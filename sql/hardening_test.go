package sqltext

import (
	"io/fs"
	"strings"
	"testing"
)

// TestExpandLeavesCommentsAlone: placeholders named in a comment stay as they are, however
// many a comment line names. Expand used to test "is this in a comment" on the text left after
// the previous placeholder, so the second and later placeholders of a comment line were filled,
// and a value holding a newline ended the comment: the rest of a column named "x\nSELECT …"
// was parsed as SQL.
func TestExpandLeavesCommentsAlone(t *testing.T) {
	tests := []struct {
		name, text string
		vars       map[string]string
		want       string
	}{
		{
			name: "two placeholders on a comment line",
			text: "-- slots: {{a}}, {{b}}\nSELECT {{a}}, {{b}}",
			vars: map[string]string{"a": "1", "b": "\"x\nDROP TABLE t; --\""},
			want: "-- slots: {{a}}, {{b}}\nSELECT 1, \"x\nDROP TABLE t; --\"",
		},
		{
			name: "placeholder after code, then a comment line",
			text: "SELECT {{a}}\n-- see {{a}} and {{b}}\nFROM {{b}}",
			vars: map[string]string{"a": "1", "b": "t"},
			want: "SELECT 1\n-- see {{a}} and {{b}}\nFROM t",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Expand(tt.text, tt.vars); got != tt.want {
				t.Errorf("Expand:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestStatementsKeepUserTextOutOfComments expands every engine statement with values that
// hold newlines: no comment line of the statement may change.
func TestStatementsKeepUserTextOutOfComments(t *testing.T) {
	paths, err := fs.Glob(files, "*.sql")
	if err != nil || len(paths) < 4 {
		t.Fatalf("statements %v (%v), want classified_rows, customer_features, rejected_rows, row_counts", paths, err)
	}
	for _, p := range paths {
		name := strings.TrimSuffix(p, ".sql")
		t.Run(name, func(t *testing.T) {
			text := Statement(name)
			vars := map[string]string{}
			rest := text
			for {
				i := strings.Index(rest, "{{")
				if i < 0 {
					break
				}
				j := strings.Index(rest[i:], "}}")
				key := rest[i+2 : i+j]
				vars[key] = "\"col\nINJECTED\""
				rest = rest[i+j+2:]
			}
			got := Expand(text, vars)
			for _, line := range strings.Split(text, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "--") && !strings.Contains(got, line) {
					t.Errorf("comment line %q was changed by the expansion", line)
				}
			}
		})
	}
}
