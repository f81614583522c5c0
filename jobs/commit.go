package jobs

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
)

// Output layout. Every table is hive-partitioned by as-of date and holds exactly one file per
// date, so that `read_parquet('DIR/customers/*/*.parquet', hive_partitioning = true)` sees one
// table over all dates:
//
//	DIR/<table>/as_of=YYYY-MM-DD/data.parquet
//	DIR/manifests/as_of=YYYY-MM-DD/manifest.json   written last: the date is complete
//	DIR/.staging/<run id>/...                      a run's files before they are published
//	DIR/.locks/as_of=YYYY-MM-DD.lock               flock(2) held while a run of that date works
const (
	dataFile     = "data.parquet"
	manifestDir  = "manifests"
	manifestFile = "manifest.json"
	stagingDir   = ".staging"
	locksDir     = ".locks"
)

// PartitionDir is the directory of table's output for the date.
func PartitionDir(outDir, table, date string) string {
	return filepath.Join(outDir, table, "as_of="+date)
}

// ManifestPath is where the manifest of a date lives.
func ManifestPath(outDir, date string) string {
	return filepath.Join(PartitionDir(outDir, manifestDir, date), manifestFile)
}

// Lock is an exclusive lock on one output directory and as-of date. It is an flock(2) on a file,
// so the kernel releases it when the process dies, however it dies: a lock left by a killed run
// is never stale.
type Lock struct{ f *os.File }

// AcquireLock takes the lock for date, or fails at once with ErrLocked.
func AcquireLock(outDir, date string) (*Lock, error) {
	dir := filepath.Join(outDir, locksDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	path := filepath.Join(dir, "as_of="+date+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder, _ := os.ReadFile(path)
			return nil, fmt.Errorf("%w: %s (held by %s)", ErrLocked, path, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Record the holder for the error message of a contending run; the lock is the flock.
	host, _ := os.Hostname()
	f.Truncate(0)
	f.WriteAt([]byte(fmt.Sprintf("pid %d on %s\n", os.Getpid(), host)), 0)
	return &Lock{f: f}, nil
}

// Release frees the lock.
func (l *Lock) Release() {
	if l != nil && l.f != nil {
		syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
		l.f = nil
	}
}

// stage is one run's private directory of files waiting to be published.
type stage struct {
	outDir, date, dir string
	tables            []string // in the order they were added
}

func newStage(outDir, date, runID string) (*stage, error) {
	dir := filepath.Join(outDir, stagingDir, runID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("staging: %w", err)
	}
	return &stage{outDir: outDir, date: date, dir: dir}, nil
}

// path returns where to write table's file in the staging area.
func (s *stage) path(table string) (string, error) {
	d := filepath.Join(s.dir, table)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", err
	}
	s.tables = append(s.tables, table)
	return filepath.Join(d, dataFile), nil
}

// commit publishes every staged table, then the manifest. Each table's file replaces the
// previous one of the date with one rename(2), so a reader sees the old file or the new one,
// never a partial one. Tables the previous manifest listed that this run no longer writes are
// removed. The manifest, published last, is the mark of a complete date.
func (s *stage) commit(m *Manifest) error {
	prev, _ := ReadManifest(s.outDir, s.date)
	for _, table := range s.tables {
		if err := s.publish(table); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	if prev != nil {
		for _, o := range prev.Outputs {
			if !slices.Contains(s.tables, o.Table) {
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
	dst := PartitionDir(s.outDir, manifestDir, s.date)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dst, manifestFile)); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	syncDir(dst)
	return nil
}

// publish moves table's staged file into the table's partition of the date, replacing the
// previous file with one rename(2).
func (s *stage) publish(table string) error {
	dst := PartitionDir(s.outDir, table, s.date)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(s.dir, table, dataFile), filepath.Join(dst, dataFile)); err != nil {
		return err
	}
	syncDir(dst)
	return nil
}

// discard removes the staging directory (after a commit, or after a failure).
func (s *stage) discard() { os.RemoveAll(s.dir) }

// cleanStaging removes staging directories left by killed runs of any date. It runs under a
// date's lock, so it only removes directories older than a minute: a concurrent run of another
// date may be writing its own.
func cleanStaging(outDir string, olderThanSeconds int64, now int64) {
	entries, err := os.ReadDir(filepath.Join(outDir, stagingDir))
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && now-info.ModTime().Unix() > olderThanSeconds {
			os.RemoveAll(filepath.Join(outDir, stagingDir, e.Name()))
		}
	}
}

// ReadManifest returns the committed manifest of a date, or an error if there is none.
func ReadManifest(outDir, date string) (*Manifest, error) {
	data, err := os.ReadFile(ManifestPath(outDir, date))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestPath(outDir, date), err)
	}
	return &m, nil
}

// CommittedDates lists the dates with a committed manifest, ascending.
func CommittedDates(outDir string) []string {
	entries, _ := os.ReadDir(filepath.Join(outDir, manifestDir))
	var dates []string
	for _, e := range entries {
		if d, ok := strings.CutPrefix(e.Name(), "as_of="); ok {
			if _, err := os.Stat(ManifestPath(outDir, d)); err == nil {
				dates = append(dates, d)
			}
		}
	}
	sort.Strings(dates)
	return dates
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
