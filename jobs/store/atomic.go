package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rfmjob/rfm/jobs/objstore"
)

// WriteFile writes data to dst, a path inside outDir, atomically: through a fsynced file under
// DIR/.staging (never in dst's own folder, which readers list) and one rename(2), so a reader
// sees the old file or the new one. It is the one way a small file (a failure record, a rebuilt
// page) is published outside a run's Staging. Files are created with mode 0644 less the umask.
func WriteFile(outDir, dst string, data []byte) error {
	if isObject(outDir) {
		_, err := objstore.PutBytes(context.Background(), dst, data, false) // one PUT: old or new
		return err
	}
	dir := filepath.Join(outDir, stagingDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(dir, fmt.Sprintf("%s-%d-%d.tmp", filepath.Base(dst), os.Getpid(), time.Now().UnixNano()))
	if err := writeFileSync(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := moveInto(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// moveInto renames src over dst, making dst's directory first, and syncs that directory so the
// rename survives a crash.
func moveInto(src, dst string) error {
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
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
