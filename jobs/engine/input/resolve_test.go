package input

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/jobs/internal/s3test"
)

// resolveTree is the layout TestResolve and TestResolveS3 expand.
var resolveTree = []string{
	"a.parquet", "b.parquet", "notes.txt",
	"part/year=2024/month=01/x.parquet", "part/year=2023/y.parquet",
	"part/_SUCCESS", "part/_meta/z.parquet", "part/.hidden/h.parquet", "part/.h.parquet",
}

// resolveCases are its patterns and what each names.
var resolveCases = []struct {
	name, pattern string
	want          []string
}{
	{"file", "a.parquet", []string{"a.parquet"}},
	{"file without the extension", "notes.txt", []string{"notes.txt"}},
	{"glob", "*.parquet", []string{"a.parquet", "b.parquet"}},
	{"directory with hive partitions", "part", []string{"part/year=2023/y.parquet", "part/year=2024/month=01/x.parquet"}},
	{"glob matching a directory", "pa*", []string{"part/year=2023/y.parquet", "part/year=2024/month=01/x.parquet"}},
}

// TestResolveS3 expands the same patterns over the same tree in a real S3 server: the same
// objects, as URLs.
func TestResolveS3(t *testing.T) {
	s := s3test.Start(t)
	root := s.Bucket("lake") + "/root"
	for _, p := range resolveTree {
		s.PutBytes(root+"/"+p, []byte(p))
	}
	for _, tt := range resolveCases {
		got, err := Resolve(root + "/" + tt.pattern)
		if err != nil {
			t.Errorf("%s: Resolve: %v", tt.name, err)
			continue
		}
		for i := range got {
			got[i] = strings.TrimPrefix(got[i], root+"/")
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, pattern := range []string{root + "/*.csv", root + "/empty/", root + "/missing.parquet"} {
		if _, err := Resolve(pattern); !errors.Is(err, ErrNoFiles) || !strings.Contains(err.Error(), pattern) {
			t.Errorf("Resolve(%q): got %v, want ErrNoFiles naming it", pattern, err)
		}
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	for _, p := range resolveTree {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range resolveCases {
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
