package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rfmjob/rfm/jobs/objstore"
)

// An output directory may be an object store prefix (s3://bucket/prefix/). The layout is the
// same; what differs is how a file is published (one PUT instead of a rename), how the date's
// lock is held (a conditional create with a lease instead of flock), and how completeness is
// checked (sizes by HEAD instead of hashes, so that planning never downloads outputs). See
// docs/object-store.md for the protocol and what a reader may assume at every point.

// isObject reports whether outDir is an object store prefix.
func isObject(outDir string) bool { return objstore.IsURL(outDir) }

// join is filepath.Join for local directories and "/"-joining for object prefixes.
func join(outDir string, elem ...string) string {
	if isObject(outDir) {
		return strings.TrimRight(outDir, "/") + "/" + strings.Join(elem, "/")
	}
	return filepath.Join(append([]string{outDir}, elem...)...)
}

// readFile reads a small file or object; a missing one wraps fs.ErrNotExist.
func readFile(path string) ([]byte, error) {
	if !objstore.IsURL(path) {
		return os.ReadFile(path)
	}
	data, err := objstore.Get(context.Background(), path)
	if errors.Is(err, objstore.ErrNotFound) {
		return nil, fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	return data, err
}

// remove removes a file or object, and a local directory with what is in it; missing is fine.
func remove(path string) {
	if objstore.IsURL(path) {
		objstore.Delete(context.Background(), path)
		return
	}
	os.RemoveAll(path)
}

// previousPath is where a commit to an object store keeps the manifest it replaces while it
// publishes (the rename of the local protocol's "previous manifest into staging").
func previousPath(outDir, date string) string {
	return join(outDir, stagingDir, "previous", "as_of="+date+".json")
}

// commitObjects is Commit on an object store: the previous manifest is copied aside and
// deleted (the date is uncommitted from here), each staged file is PUT over its published
// object, outputs the previous commit listed that this one does not write are deleted, and the
// manifest is PUT last. A commit interrupted after the delete leaves the copy, from which the
// next commit of the date learns which outputs to clean up.
func (s *Staging) commitObjects(m *Manifest, manifest []byte) error {
	ctx := context.Background()
	prev, err := ReadManifest(s.outDir, s.date)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if prev != nil {
		data, _ := json.MarshalIndent(prev, "", "  ")
		if _, err := objstore.PutBytes(ctx, previousPath(s.outDir, s.date), data, false); err != nil {
			return err
		}
		if err := objstore.Delete(ctx, ManifestPath(s.outDir, s.date)); err != nil {
			return err
		}
	} else if data, err := readFile(previousPath(s.outDir, s.date)); err == nil {
		prev = &Manifest{}
		if json.Unmarshal(data, prev) != nil {
			prev = nil
		}
	}
	s.published(0)
	for k, f := range s.files {
		if err := s.publish(f); err != nil {
			return err
		}
		s.published(k + 1)
	}
	if prev != nil {
		for _, o := range prev.Outputs {
			if !slices.ContainsFunc(s.files, func(f staged) bool { return f.table == o.Table }) {
				objstore.Delete(ctx, join(s.outDir, o.Path))
			}
		}
	}
	if _, err := objstore.PutBytes(ctx, ManifestPath(s.outDir, s.date), manifest, false); err != nil {
		return err
	}
	return objstore.Delete(ctx, previousPath(s.outDir, s.date))
}

// verifyObjects is Verify on an object store: every output must exist with its size.
func verifyObjects(outDir string, m *Manifest) error {
	// The HEADs go out together (each is a round trip); problems are listed in manifest order.
	problems := make([]string, len(m.Outputs))
	var wg sync.WaitGroup
	for i, o := range m.Outputs {
		wg.Go(func() {
			info, err := objstore.Stat(context.Background(), join(outDir, o.Path))
			switch {
			case err != nil:
				problems[i] = fmt.Sprintf("%s: %v", o.Path, err)
			case info.Size != o.Bytes:
				problems[i] = fmt.Sprintf("%s: %d bytes, the manifest says %d", o.Path, info.Size, o.Bytes)
			}
		})
	}
	wg.Wait()
	var bad []string
	for _, p := range problems {
		if p != "" {
			bad = append(bad, p)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrIncomplete, m.AsOf, strings.Join(bad, "; "))
	}
	return nil
}

// committedObjects lists the dates with a manifest under an object prefix.
func committedObjects(outDir string) []string {
	objs, err := objstore.List(context.Background(), join(outDir, manifestDir)+"/")
	if err != nil {
		return nil
	}
	var dates []string
	for _, o := range objs {
		rest, ok := strings.CutPrefix(o.URL, join(outDir, manifestDir, "as_of="))
		if d, ok2 := strings.CutSuffix(rest, "/"+manifestFile); ok && ok2 {
			dates = append(dates, d)
		}
	}
	slices.Sort(dates)
	return dates
}

// cleanLocalStaging removes the local staging directories of object-store runs that were
// killed, those older than StaleStaging.
func cleanLocalStaging(now time.Time) {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "rfm-staging-*"))
	for _, p := range matches {
		if info, err := os.Stat(p); err == nil && now.Sub(info.ModTime()) > StaleStaging {
			os.RemoveAll(p)
		}
	}
}
