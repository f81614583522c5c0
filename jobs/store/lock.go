package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Lock is an exclusive lock on one output directory and as-of date. It is an flock(2) on a file,
// so the kernel releases it when the process dies, however it dies: a lock left by a killed run
// is never stale.
type Lock struct {
	f   *os.File
	obj *objectLock // the lock of an object-store output instead
}

// AcquireLock takes the lock for date, or fails at once with an error wrapping ErrLocked that
// names the holder ("holder unknown" in the instant between a holder's lock and its note).
func AcquireLock(outDir, date string) (*Lock, error) {
	return AcquireLockLease(outDir, date, DefaultLockLease)
}

// AcquireLockLease is AcquireLock whose lock, in an object store, has the given lease (see
// DefaultLockLease); a local lock is an flock and has none.
func AcquireLockLease(outDir, date string, lease time.Duration) (*Lock, error) {
	if isObject(outDir) {
		return acquireObjectLock(outDir, date, lease)
	}
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
			holder := "holder unknown"
			if b, _ := os.ReadFile(path); len(strings.TrimSpace(string(b))) > 0 {
				holder = "held by " + strings.TrimSpace(string(b))
			}
			return nil, fmt.Errorf("%w: %s (%s)", ErrLocked, path, holder)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The note names the holder for a contending run's message; the lock is the flock. It is
	// written over the previous note and then cut to length, never truncated first, so a
	// contender reads a whole note (this one or the last holder's), or none on first use.
	host, _ := os.Hostname()
	note := []byte(fmt.Sprintf("pid %d on %s\n", os.Getpid(), host))
	if _, err := f.WriteAt(note, 0); err == nil {
		f.Truncate(int64(len(note)))
	}
	return &Lock{f: f}, nil
}

// Release frees the lock.
func (l *Lock) Release() {
	if l != nil && l.obj != nil {
		l.obj.release()
		l.obj = nil
		return
	}
	if l != nil && l.f != nil {
		syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
		l.f = nil
	}
}
