// Package sqltext holds the project's SQL, one statement per .sql file, each with a header
// stating its grain, parameters and output columns. Engines read the text with Statement.
//
// Placeholders {{name}} are filled by the engine with typed expressions built from quoted
// identifiers; user-supplied values are always bound parameters, never spliced text.
package sqltext

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed *.sql peer/*.sql
var files embed.FS

// Statement returns the text of name.sql (e.g. "customer_features", "peer/rfm_job"). It panics on an unknown name: the set of statements is
// fixed at build time, so a miss is a programming error.
func Statement(name string) string {
	b, err := files.ReadFile(name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("sqltext: no statement %q", name))
	}
	return string(b)
}

// Expand replaces every {{key}} in text by vars[key]. Placeholders inside "--" comments are
// documentation and stay as they are (whether a placeholder is in a comment is decided on the
// template, so a value can never end a comment). A placeholder without a value, or a value
// without a placeholder, is a programming error and panics, so templates and engines cannot
// drift apart silently.
func Expand(text string, vars map[string]string) string {
	used := map[string]bool{}
	var b strings.Builder
	pos := 0 // text[:pos] is copied
	for {
		i := strings.Index(text[pos:], "{{")
		if i < 0 {
			b.WriteString(text[pos:])
			break
		}
		i += pos
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			panic("sqltext: unterminated placeholder")
		}
		end := i + j + 2
		key := text[i+2 : i+j]
		b.WriteString(text[pos:i])
		pos = end
		if lineIsComment(text, i) {
			b.WriteString(text[i:end])
			continue
		}
		v, ok := vars[key]
		if !ok {
			panic(fmt.Sprintf("sqltext: no value for {{%s}}", key))
		}
		used[key] = true
		b.WriteString(v)
	}
	for k := range vars {
		if !used[k] {
			panic(fmt.Sprintf("sqltext: value for {{%s}} has no placeholder", k))
		}
	}
	return b.String()
}

// lineIsComment reports whether position i of the template is inside a "--" comment.
func lineIsComment(text string, i int) bool {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	return strings.Contains(text[start:i], "--")
}
