package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/store"
)

// failRun runs the binary under sh with a prefix of shell commands (such as a ulimit) and
// optionally as another user; it returns the exit code and stderr.
func failRun(t *testing.T, prefix string, cred *syscall.Credential, bin string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command("sh", append([]string{"-c", prefix + `; exec "$0" "$@"`, bin}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// crashWriteFailures reruns a committed date where writing fails: a file size limit
// (ulimit -f: writes fail with EFBIG as on a full disk), a full tmpfs when the test may mount
// one, and an output directory without write permission (as an unprivileged user when the
// test runs as root, since root ignores permissions). Each must exit 1 with a message naming
// the cause and leave the committed outputs and manifest byte for byte as they were.
func crashWriteFailures(t *testing.T, bin string) {
	in := crashData(t, bin, 1500, 20_000)
	args := func(out string) []string {
		return []string{"run", "--as-of", "2024-12-31", "--input", in, "--out", out}
	}
	committed := func(t *testing.T, out string) (map[string]string, []byte) {
		runOK(t, bin, args(out)...)
		m, err := os.ReadFile(filepath.Join(out, "manifests", "as_of=2024-12-31", "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		return snapshot(t, out), m
	}
	intact := func(t *testing.T, out string, ref map[string]string, manifest []byte) {
		got := snapshot(t, out)
		sameAs(t, "after the failed run", got, ref)
		if len(got) != len(ref) {
			t.Errorf("after the failed run: %d tables published, want %d", len(got), len(ref))
		}
		m, err := os.ReadFile(filepath.Join(out, "manifests", "as_of=2024-12-31", "manifest.json"))
		if err != nil || string(m) != string(manifest) {
			t.Errorf("the manifest changed or vanished (%v)", err)
		}
	}
	t.Run("file size limit", func(t *testing.T) {
		out := openDir(t)
		ref, manifest := committed(t, out)
		code, stderr := failRun(t, "ulimit -f 8", nil, bin, args(out)...)
		if code != jobs.ExitFailure || !strings.Contains(stderr, "file too large") {
			t.Errorf("exit code %d, stderr %q: want %d and \"file too large\"", code, stderr, jobs.ExitFailure)
		}
		t.Logf("exit code %d: %s", code, strings.TrimSpace(stderr))
		intact(t, out, ref, manifest)
		runOK(t, bin, args(out)...)
	})
	t.Run("full tmpfs", func(t *testing.T) {
		mnt := openDir(t)
		if os.Geteuid() != 0 || exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt).Run() != nil {
			t.Log("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); the file size limit stands in for a full disk")
			return
		}
		defer exec.Command("umount", mnt).Run()
		out := filepath.Join(mnt, "out")
		ref, manifest := committed(t, out)
		// Fill the rest of the file system so the rerun's staging cannot be written.
		fill, _ := os.Create(filepath.Join(mnt, "fill"))
		for {
			if _, err := fill.Write(make([]byte, 4096)); err != nil {
				break
			}
		}
		fill.Close()
		code, stderr := failRun(t, "true", nil, bin, args(out)...)
		if code != jobs.ExitFailure || !strings.Contains(stderr, "no space left on device") {
			t.Errorf("exit code %d, stderr %q: want %d and \"no space left on device\"", code, stderr, jobs.ExitFailure)
		}
		t.Logf("exit code %d: %s", code, strings.TrimSpace(stderr))
		intact(t, out, ref, manifest)
		os.Remove(filepath.Join(mnt, "fill"))
		runOK(t, bin, args(out)...)
	})
	t.Run("full tmpfs at the report", func(t *testing.T) {
		// The reproduction: room for the tables but not for the page. The run must fail
		// (the page is part of the commit, never a warning), change nothing, and a backfill over
		// the date once space is back must run it, not skip it.
		mnt := openDir(t)
		if os.Geteuid() != 0 || exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt).Run() != nil {
			t.Log("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); the kill-at-commit test covers the window")
			return
		}
		defer exec.Command("umount", mnt).Run()
		out := filepath.Join(mnt, "out")
		ref, manifest := committed(t, out)
		m, err := store.ReadManifest(out, "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := m.Output(store.ReportTable)
		var tables int64
		for _, o := range m.Outputs {
			if o.Table != store.ReportTable {
				tables += o.Bytes + 4096 // tmpfs counts whole pages
			}
		}
		// Leave room for the staged tables and half the page.
		room := tables + page.Bytes/2
		fill, _ := os.Create(filepath.Join(mnt, "fill"))
		for {
			var st syscall.Statfs_t
			syscall.Statfs(mnt, &st)
			free := int64(st.Bavail) * st.Bsize
			if free <= room {
				break
			}
			if _, err := fill.Write(make([]byte, min(free-room, 64<<10))); err != nil {
				break
			}
		}
		fill.Close()
		code, stderr := failRun(t, "true", nil, bin, args(out)...)
		if code != jobs.ExitFailure || !strings.Contains(stderr, "report") || !strings.Contains(stderr, "no space left on device") {
			t.Errorf("exit code %d, stderr %q: want %d, the report and \"no space left on device\"", code, stderr, jobs.ExitFailure)
		}
		t.Logf("exit code %d: %s", code, strings.TrimSpace(stderr))
		intact(t, out, ref, manifest)
		os.Remove(filepath.Join(mnt, "fill"))
		// A page lost another way (deleted) makes the date incomplete: backfill runs it again.
		os.Remove(store.ReportPath(out, "2024-12-31"))
		bf := exec.Command(bin, "backfill", "--from", "2024-12-31", "--to", "2024-12-31", "--input", in, "--out", out)
		text, err := bf.CombinedOutput()
		if err != nil || !strings.Contains(string(text), "1 committed, 0 failed, 0 skipped") {
			t.Errorf("backfill over a date without its page: %v\n%s; want it run (1 committed)", err, text)
		}
		if _, err := store.Complete(out, "2024-12-31"); err != nil {
			t.Errorf("after the backfill: %v", err)
		}
	})
	t.Run("read-only output directory", func(t *testing.T) {
		out := openDir(t)
		ref, manifest := committed(t, out)
		var cred *syscall.Credential
		if os.Geteuid() == 0 {
			cred = &syscall.Credential{Uid: 65534, Gid: 65534} // nobody: root ignores permissions
		}
		filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err == nil {
				mode := os.FileMode(0o444)
				if d.IsDir() {
					mode = 0o555
				}
				os.Chmod(path, mode)
			}
			return nil
		})
		defer filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(path, 0o755)
			}
			return nil
		})
		code, stderr := failRun(t, "true", cred, bin, args(out)...)
		if code != jobs.ExitFailure || !strings.Contains(stderr, "permission denied") || !strings.Contains(stderr, out) {
			t.Errorf("exit code %d, stderr %q: want %d, \"permission denied\" and the path", code, stderr, jobs.ExitFailure)
		}
		t.Logf("exit code %d: %s", code, strings.TrimSpace(stderr))
		intact(t, out, ref, manifest)
	})
}
