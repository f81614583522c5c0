package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rfmjob/rfm/jobs/objstore"
)

// Staging is one run's private directory of files waiting to be published. Every file of the
// date is created through it, so nothing in flight ever sits in a published folder.
type Staging struct {
	outDir, date, dir string
	files             []staged // in the order they were added
	// Published, when set, is called during Commit as each step lands: with 0 once the
	// previous manifest is out of the way, then with k once k files are published. Kill tests
	// pause there, to stop a commit at every step.
	Published func(k int)
}

// published reports the commit's step to the Published hook.
func (s *Staging) published(k int) {
	if s.Published != nil {
		s.Published(k)
	}
}

type staged struct {
	table, file string
	rows        int64
}

// NewStaging makes a staging directory for one run of date.
func NewStaging(outDir, date string) (*Staging, error) {
	if isObject(outDir) {
		// An object store has no rename: files are staged on local disk and PUT at the commit.
		dir, err := os.MkdirTemp("", "rfm-staging-"+date+"-")
		if err != nil {
			return nil, fmt.Errorf("staging: %w", err)
		}
		return &Staging{outDir: outDir, date: date, dir: dir}, nil
	}
	dir := filepath.Join(outDir, stagingDir, fmt.Sprintf("%s-%d-%d", date, os.Getpid(), time.Now().UnixNano()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("staging: %w", err)
	}
	return &Staging{outDir: outDir, date: date, dir: dir}, nil
}

// Date is the as-of date the stage publishes.
func (s *Staging) Date() string { return s.date }

// Create returns where to write file of table (data.parquet, or index.html for the report) in
// the staging area, and records it for Commit with its row count.
func (s *Staging) Create(table, file string, rows int64) (string, error) {
	d := filepath.Join(s.dir, table)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", fmt.Errorf("staging: %w", err)
	}
	s.files = append(s.files, staged{table, file, rows})
	return filepath.Join(d, file), nil
}

// WriteFile stages a small file of table (the report page) whole: written and fsynced.
func (s *Staging) WriteFile(table, file string, rows int64, data []byte) error {
	path, err := s.Create(table, file, rows)
	if err != nil {
		return err
	}
	return writeFileSync(path, data)
}

// Path is where table's staged file is; Create must have named it.
func (s *Staging) Path(table string) (string, bool) {
	for _, f := range s.files {
		if f.table == table {
			return filepath.Join(s.dir, table, f.file), true
		}
	}
	return "", false
}

// Outputs describes every staged file with its size and hash, in staging order: the manifest's
// outputs. The files must be complete.
func (s *Staging) Outputs() ([]Output, error) {
	out := make([]Output, 0, len(s.files))
	for _, f := range s.files {
		n, sum, err := hashFile(filepath.Join(s.dir, f.table, f.file))
		if err != nil {
			return nil, fmt.Errorf("staging: %w", err)
		}
		out = append(out, Output{Table: f.table, Path: relPath(f.table, s.date, f.file), Rows: f.rows, Bytes: n, XXH3: sum})
	}
	return out, nil
}

// Commit publishes every staged file, then the manifest, whose Outputs it fills. The date's
// previous manifest is first moved into the staging area: while files are replaced the date is
// not committed, so no manifest ever describes files that are not its own (a run killed or
// failing here leaves the date uncommitted, and plans run it again). Each file replaces the
// previous one with one rename(2), so a reader sees the old file or the new one, never a
// partial one. Outputs the previous manifest listed that this run no longer writes are removed.
// The manifest, published last, is the commit point of the date.
func (s *Staging) Commit(m *Manifest) error {
	outs, err := s.Outputs()
	if err != nil {
		return err
	}
	m.Outputs = outs
	if isObject(s.outDir) {
		data, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := s.commitObjects(m, append(data, '\n')); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	}
	prev, _ := ReadManifest(s.outDir, s.date)
	if prev != nil {
		current := ManifestPath(s.outDir, s.date)
		if err := os.Rename(current, filepath.Join(s.dir, "previous-"+manifestFile)); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		syncDir(filepath.Dir(current))
	}
	s.published(0)
	for k, f := range s.files {
		if err := s.publish(f); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		s.published(k + 1)
	}
	if prev != nil {
		for _, o := range prev.Outputs {
			if !slices.ContainsFunc(s.files, func(f staged) bool { return f.table == o.Table }) {
				os.RemoveAll(PartitionDir(s.outDir, o.Table, s.date))
			}
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, manifestFile)
	if err := writeFileSync(tmp, append(data, '\n')); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := moveInto(tmp, ManifestPath(s.outDir, s.date)); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// PublishFile publishes one staged file of a table alone, leaving the date's manifest as it is
// (the tables and page of `rfm evaluate`).
func (s *Staging) PublishFile(table, file string) error {
	for _, f := range s.files {
		if f.table == table && f.file == file {
			return s.publish(f)
		}
	}
	return fmt.Errorf("store: %s/%s was not staged", table, file)
}

func (s *Staging) publish(f staged) error {
	if isObject(s.outDir) {
		_, err := objstore.PutFile(context.Background(), join(s.outDir, relPath(f.table, s.date, f.file)), filepath.Join(s.dir, f.table, f.file))
		return err
	}
	return moveInto(filepath.Join(s.dir, f.table, f.file), filepath.Join(PartitionDir(s.outDir, f.table, s.date), f.file))
}

// Discard removes the staging directory (after a commit, or after a failure).
func (s *Staging) Discard() { os.RemoveAll(s.dir) }

// StaleStaging is how old a staging directory must be before CleanStaging removes it: runs of
// other dates may be writing theirs, and none takes this long.
const StaleStaging = time.Hour

// CleanStaging removes staging directories left by killed runs of any date, those older than
// StaleStaging at now.
func CleanStaging(outDir string, now time.Time) {
	if isObject(outDir) {
		cleanLocalStaging(now)
		return
	}
	root := filepath.Join(outDir, stagingDir)
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && now.Sub(info.ModTime()) > StaleStaging {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
}
