package input

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		"a.parquet", "b.parquet", "notes.txt",
		"part/year=2024/month=01/x.parquet", "part/year=2023/y.parquet",
		"part/_SUCCESS", "part/_meta/z.parquet", "part/.hidden/h.parquet", "part/.h.parquet",
	} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, pattern string
		want          []string
	}{
		{"file", "a.parquet", []string{"a.parquet"}},
		{"file without the extension", "notes.txt", []string{"notes.txt"}},
		{"glob", "*.parquet", []string{"a.parquet", "b.parquet"}},
		{"directory with hive partitions", "part", []string{"part/year=2023/y.parquet", "part/year=2024/month=01/x.parquet"}},
		{"glob matching a directory", "pa*", []string{"part/year=2023/y.parquet", "part/year=2024/month=01/x.parquet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(filepath.Join(dir, tt.pattern))
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			for i := range got {
				got[i] = filepath.ToSlash(strings.TrimPrefix(got[i], dir+string(filepath.Separator)))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolveNothing(t *testing.T) {
	dir := t.TempDir()
	for _, pattern := range []string{filepath.Join(dir, "*.parquet"), dir, filepath.Join(dir, "missing.parquet"), ""} {
		_, err := Resolve(pattern)
		if !errors.Is(err, ErrNoFiles) {
			t.Errorf("Resolve(%q): got %v, want ErrNoFiles", pattern, err)
		}
		if err != nil && pattern != "" && !strings.Contains(err.Error(), pattern) {
			t.Errorf("Resolve(%q): error %q does not name the pattern", pattern, err)
		}
	}
}
