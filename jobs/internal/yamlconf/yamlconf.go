// Package yamlconf reads a configuration struct from YAML and from environment variables, by
// its yaml tags: unknown keys are errors that name the key's path and line and suggest the key
// meant, and every scalar field can be overridden by PREFIX_<SECTION>_<KEY>. It knows nothing of
// the job's configuration beyond the tags.
package yamlconf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// KeyError is a key of the YAML document that no field has.
type KeyError struct {
	Line int
	Path string // dotted path of the key, "input.colums"
	// Suggestion is the path of the nearest known key, "" when none is close.
	Suggestion string
}

func (e *KeyError) Error() string {
	s := fmt.Sprintf("line %d: %s: unknown key", e.Line, e.Path)
	if e.Suggestion != "" {
		s += " (did you mean " + e.Suggestion + "?)"
	}
	return s
}

// Decode fills dst (a pointer to a struct) from a YAML document. Keys that no field of dst has
// are *KeyError, every one of them reported at once; other errors are yaml's (with their line).
// An empty document leaves dst as it is.
func Decode(data []byte, dst any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return err
	}
	if len(root.Content) == 0 {
		return nil
	}
	var problems []error
	checkKeys(root.Content[0], reflect.TypeOf(dst).Elem(), "", &problems)
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(dst); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// checkKeys reports the keys of node that type t has no field for, below path.
func checkKeys(node *yaml.Node, t reflect.Type, path string, problems *[]error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && node.Kind == yaml.MappingNode:
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			if tag := tagName(t.Field(i)); tag != "" {
				fields[tag] = t.Field(i).Type
				names = append(names, tag)
			}
		}
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i], node.Content[i+1]
			ft, ok := fields[key.Value]
			if !ok {
				e := &KeyError{Line: key.Line, Path: join(path, key.Value)}
				if near := nearest(key.Value, names); near != "" {
					e.Suggestion = join(path, near)
				}
				*problems = append(*problems, e)
				continue
			}
			checkKeys(value, ft, join(path, key.Value), problems)
		}
	case t.Kind() == reflect.Map && node.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			checkKeys(node.Content[i+1], t.Elem(), join(path, node.Content[i].Value), problems)
		}
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && node.Kind == yaml.SequenceNode:
		for i, item := range node.Content {
			checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), problems)
		}
	}
}

func tagName(f reflect.StructField) string {
	tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
	if tag == "-" {
		return ""
	}
	return tag
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// nearest is the known name closest to key by edit distance, if it is close: at most a third
// of the key's length (and at least 1) edits away, and fewer edits than the key has letters (so
// "m" suggests nothing rather than "r"). Ties go to the first in field order.
func nearest(key string, names []string) string {
	best, bestD := "", max(1, len(key)/3)+1
	for _, n := range names {
		if d := distance(strings.ToLower(key), n); d < bestD && d < len(key) {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// ApplyEnv overrides the scalar fields of dst (a pointer to a struct) from PREFIX_<SECTION>_<KEY>
// variables named after the YAML path in upper case (RFM_INPUT_TRANSACTIONS,
// RFM_INPUT_COLUMNS_CUSTOMER_ID, …). env is in os.Environ() form. A variable with the prefix that
// names no field is an error unless ignored lists it; all problems are reported at once, sorted.
func ApplyEnv(dst any, prefix string, env []string, ignored map[string]bool) error {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, prefix+"_") {
			vars[k] = v
		}
	}
	if len(vars) == 0 {
		return nil
	}
	var problems []string
	walkScalars(reflect.ValueOf(dst).Elem(), prefix, func(name string, field reflect.Value) {
		v, ok := vars[name]
		if !ok {
			return
		}
		delete(vars, name)
		if err := setScalar(field, v); err != nil {
			problems = append(problems, fmt.Sprintf("%s=%q: %v", name, v, err))
		}
	})
	for name := range vars {
		if !ignored[name] {
			problems = append(problems, "unknown environment variable "+name)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return errors.New(strings.Join(problems, "\n"))
}

// EnvKeys lists every environment variable ApplyEnv understands for the type of dst.
func EnvKeys(dst any, prefix string) []string {
	var keys []string
	walkScalars(reflect.ValueOf(dst).Elem(), prefix, func(name string, _ reflect.Value) {
		keys = append(keys, name)
	})
	return keys
}

func walkScalars(v reflect.Value, prefix string, visit func(string, reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := tagName(t.Field(i))
		if tag == "" {
			continue
		}
		name := prefix + "_" + strings.ToUpper(tag)
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Struct:
			walkScalars(f, name, visit)
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() != reflect.Struct,
			f.Kind() == reflect.String, f.Kind() == reflect.Int, f.Kind() == reflect.Float64,
			f.Kind() == reflect.Bool, f.Kind() == reflect.Uint64:
			visit(name, f)
		}
	}
}

func setScalar(f reflect.Value, s string) error {
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if err := setScalar(p.Elem(), s); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	// Strings are taken as given; numbers and booleans may carry spaces around them.
	if f.Kind() == reflect.String {
		f.SetString(s)
		return nil
	}
	s = strings.TrimSpace(s)
	switch f.Kind() {
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("want an integer")
		}
		f.SetInt(int64(n))
	case reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("want a non-negative integer")
		}
		f.SetUint(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("want a number")
		}
		f.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		f.SetBool(b)
	}
	return nil
}
