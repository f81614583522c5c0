package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockHolder: a contending lock fails with ErrLocked naming the holder's pid; a lock file
// without a note (the instant between another process's flock and its note) says "holder
// unknown", never an empty name.
func TestLockHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := AcquireLock(dir, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	_, err = AcquireLock(dir, "2024-12-31")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("held by pid %d on ", os.Getpid())) {
		t.Errorf("second lock: %v, want ErrLocked held by this pid", err)
	}
	os.Truncate(filepath.Join(dir, locksDir, "as_of=2024-12-31.lock"), 0)
	if _, err := AcquireLock(dir, "2024-12-31"); !errors.Is(err, ErrLocked) || !strings.HasSuffix(err.Error(), "(holder unknown)") {
		t.Errorf("lock without a note: %v, want ErrLocked … (holder unknown)", err)
	}
	l.Release()
	l2, err := AcquireLock(dir, "2024-12-31")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
	// A second holder's note replaces the first whole, never leaving a tail of a longer one.
	note, _ := os.ReadFile(filepath.Join(dir, locksDir, "as_of=2024-12-31.lock"))
	if strings.Count(string(note), "\n") != 1 {
		t.Errorf("lock note %q, want one line", note)
	}
}
