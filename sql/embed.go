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

// Expand replaces every {{key}} in text by vars[key]. A placeholder without a value, or a value
// without a placeholder, is a programming error and panics, so templates and engines cannot
// drift apart silently.
func Expand(text string, vars map[string]string) string {
	used := map[string]bool{}
	var b strings.Builder
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			panic("sqltext: unterminated placeholder")
		}
		key := text[i+2 : i+j]
		// Placeholders named in comments are documentation, not slots.
		if lineIsComment(text, i) {
			b.WriteString(text[:i+j+2])
			text = text[i+j+2:]
			continue
		}
		v, ok := vars[key]
		if !ok {
			panic(fmt.Sprintf("sqltext: no value for {{%s}}", key))
		}
		used[key] = true
		b.WriteString(text[:i])
		b.WriteString(v)
		text = text[i+j+2:]
	}
	for k := range vars {
		if !used[k] {
			panic(fmt.Sprintf("sqltext: value for {{%s}} has no placeholder", k))
		}
	}
	return b.String()
}

func lineIsComment(text string, i int) bool {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	return strings.HasPrefix(strings.TrimSpace(text[start:i]), "--")
}
