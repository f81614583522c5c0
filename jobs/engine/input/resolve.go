package input

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rfmjob/rfm/jobs/objstore"
)

// Resolve expands a file, a glob, or a directory into the sorted list of Parquet files it names.
//
// A file is taken as given, whatever its extension. A directory is searched recursively for
// files ending in ".parquet" (hive partition directories such as year=2024/ included); names
// starting with "." or "_" (_SUCCESS, _common_metadata, hidden files and directories) are
// skipped. A glob (filepath.Match syntax) is expanded, and each directory it matches is searched
// as above. Resolve returns ErrNoFiles, naming the pattern, when nothing matches.
//
// An s3:// URL is expanded the same way over the keys of its bucket (objstore.Resolve): an
// object, a prefix listed recursively, or a glob; the files are then object URLs.
func Resolve(pattern string) ([]string, error) {
	if pattern == "" {
		return nil, fmt.Errorf("%w: empty input pattern", ErrNoFiles)
	}
	if objstore.IsURL(pattern) {
		objects, err := objstore.Resolve(context.Background(), pattern)
		if errors.Is(err, objstore.ErrNoObjects) {
			return nil, fmt.Errorf("%w match %q", ErrNoFiles, pattern)
		}
		if err != nil {
			return nil, fmt.Errorf("input: %w", err)
		}
		urls := make([]string, len(objects))
		for i, o := range objects {
			urls[i] = o.URL
		}
		return urls, nil
	}
	var paths []string
	if _, err := os.Stat(pattern); err == nil {
		paths = []string{pattern}
	} else if paths, err = filepath.Glob(pattern); err != nil {
		return nil, fmt.Errorf("%w: bad pattern %q: %v", ErrNoFiles, pattern, err)
	}
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			hidden := path != p && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_"))
			switch {
			case d.IsDir() && hidden:
				return filepath.SkipDir
			case !d.IsDir() && !hidden && strings.HasSuffix(d.Name(), ".parquet"):
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("input: searching %s: %w", p, err)
		}
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("%w match %q", ErrNoFiles, pattern)
	}
	return files, nil
}
