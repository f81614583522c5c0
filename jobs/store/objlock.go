package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/rfmjob/rfm/jobs/objstore"
)

// DefaultLockLease is how long a lock in an object store holds without being renewed: a run
// renews it every third of the lease, so only a killed run's lock expires, and the next run of
// the date may take it over that long after the kill at most.
const DefaultLockLease = time.Minute

// lockNote is the body of a lock object.
type lockNote struct {
	Owner   string    `json:"owner"`
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
}

// released holds the tokens of this process's locks that were released but could not be
// deleted (the store was down): they hold no more, and a later run of the process takes them
// over at once (a scheduler retrying the date) instead of waiting for the lease.
var released sync.Map

// stale reports whether a lock no longer holds: its lease has ended, it was released by this
// process, or it was taken on this host by a process that is gone (a killed run restarted on
// the same machine need not wait for the lease).
func (n lockNote) stale(now time.Time, host string) bool {
	if _, ok := released.Load(n.Token); ok || !now.Before(n.Expires) {
		return true
	}
	if n.Host == "" || n.Host != host || n.PID <= 0 {
		return false
	}
	return syscall.Kill(n.PID, 0) == syscall.ESRCH
}

// objectLock is the lock of a date in an object store: an object created with If-None-Match: *
// (only one run's create succeeds), naming its owner and the end of its lease, renewed while
// the run works and deleted when it ends.
type objectLock struct {
	url, token, owner string
	host              string
	lease             time.Duration
	stop              chan struct{}
	done              sync.WaitGroup
}

func acquireObjectLock(outDir, date string, lease time.Duration) (*Lock, error) {
	if lease <= 0 {
		lease = DefaultLockLease
	}
	ctx := context.Background()
	host, _ := os.Hostname()
	var raw [8]byte
	rand.Read(raw[:])
	l := &objectLock{url: join(outDir, locksDir, "as_of="+date+".lock"), token: hex.EncodeToString(raw[:]),
		owner: fmt.Sprintf("pid %d on %s", os.Getpid(), host), host: host, lease: lease, stop: make(chan struct{})}
	for range 3 {
		_, err := objstore.PutBytes(ctx, l.url, l.note(), true)
		if err == nil {
			l.done.Add(1)
			go l.renew()
			return &Lock{obj: l}, nil
		}
		if !errors.Is(err, objstore.ErrExists) {
			return nil, fmt.Errorf("lock %s: %w", l.url, err)
		}
		data, err := objstore.Get(ctx, l.url)
		if errors.Is(err, objstore.ErrNotFound) {
			continue // released in between: try again
		}
		var held lockNote
		if err == nil && json.Unmarshal(data, &held) == nil && !held.stale(time.Now(), host) {
			return nil, fmt.Errorf("%w: %s (held by %s until %s)", ErrLocked, l.url, held.Owner, held.Expires.UTC().Format(time.RFC3339))
		}
		// Its run was killed (the lease ended, or the process is gone) or it is unreadable:
		// remove it and try again.
		objstore.Delete(ctx, l.url)
	}
	return nil, fmt.Errorf("%w: %s (contended)", ErrLocked, l.url)
}

func (l *objectLock) note() []byte {
	data, _ := json.Marshal(lockNote{Owner: l.owner, Host: l.host, PID: os.Getpid(), Token: l.token, Expires: time.Now().Add(l.lease).UTC()})
	return data
}

// renew extends the lease every third of it until the lock is released.
func (l *objectLock) renew() {
	defer l.done.Done()
	t := time.NewTicker(l.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			objstore.PutBytes(context.Background(), l.url, l.note(), false)
		}
	}
}

// release stops renewing and deletes the lock if it is still this run's.
func (l *objectLock) release() {
	close(l.stop)
	l.done.Wait()
	released.Store(l.token, true)
	ctx := context.Background()
	data, err := objstore.Get(ctx, l.url)
	var held lockNote
	if err == nil && json.Unmarshal(data, &held) == nil && held.Token == l.token {
		objstore.Delete(ctx, l.url)
	}
}

// ConditionalWrites reports whether the object store under outDir honours If-None-Match: * on
// PUT, which the locks rely on: it creates a probe object twice and expects the second create
// to be refused. A probe a killed run left behind refuses the first create, which answers the
// question too, and is removed. A local directory always has them (flock).
func ConditionalWrites(outDir string) (bool, error) {
	if !isObject(outDir) {
		return true, nil
	}
	ctx := context.Background()
	probe := join(outDir, locksDir, "conditional-write-probe")
	defer objstore.Delete(ctx, probe)
	for i := range 2 {
		_, err := objstore.PutBytes(ctx, probe, []byte("probe"), true)
		switch {
		case errors.Is(err, objstore.ErrExists):
			return true, nil
		case err != nil:
			return false, err
		case i == 1:
			return false, nil // the second create was not refused
		}
	}
	return false, nil
}
