package trino

import (
	"fmt"
	"strings"
)

// bind turns the named parameters of the shared statements ($as_of_day, …) into Trino's
// positional ones: each $name outside string literals, quoted identifiers and comments becomes
// ?, and its value is appended to args in order of appearance. A name without a value is a
// programming error and panics.
func bind(text string, named map[string]any) (string, []any) {
	var b strings.Builder
	var args []any
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(text) {
				if text[j] == c {
					if j+1 < len(text) && text[j+1] == c { // doubled quote: escaped
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(text[i:min(j+1, len(text))])
			i = j + 1
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				j = len(text) - i
			}
			b.WriteString(text[i : i+j])
			i += j
		case c == '$' && i+1 < len(text) && isNameStart(text[i+1]):
			j := i + 1
			for j < len(text) && isNamePart(text[j]) {
				j++
			}
			v, ok := named[text[i+1:j]]
			if !ok {
				panic(fmt.Sprintf("trino: no value for parameter $%s", text[i+1:j]))
			}
			args = append(args, v)
			b.WriteByte('?')
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), args
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNamePart(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }
