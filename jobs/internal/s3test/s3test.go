// Package s3test runs a real S3 server for tests: the Versity S3 Gateway over a temporary
// directory (each directory a bucket, each file an object), with the AWS environment of the
// test pointed at it. Under CI (CI=true) a missing gateway fails the test; elsewhere it skips
// with how to install it.
package s3test

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Credentials of the gateway's root account.
const (
	AccessKey = "rfmtestaccess"
	SecretKey = "rfmtestsecret0123456789"
)

// Server is a running gateway.
type Server struct {
	Root     string // the directory the gateway serves
	Endpoint string // http://127.0.0.1:PORT
	cmd      *exec.Cmd
	bin      string
	port     string
	t        testing.TB
}

// Binary finds the gateway: $RFM_VERSITYGW, versitygw on PATH, $(go env GOPATH)/bin or the CI
// cache ~/.cache/rfm-s3/bin.
func Binary() (string, bool) {
	if p := os.Getenv("RFM_VERSITYGW"); p != "" {
		return p, true
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, true
	}
	home, _ := os.UserHomeDir()
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = filepath.Join(home, "go")
	}
	for _, p := range []string{filepath.Join(home, ".cache", "rfm-s3", "bin", "versitygw"), filepath.Join(gopath, "bin", "versitygw")} {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

// Start runs a gateway for the test and points the test's AWS environment at it (t.Setenv):
// the root credentials, AWS_ENDPOINT_URL, a region, and no profile or shared files of the
// machine's user.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, ok := Binary()
	if !ok {
		msg := "the S3 tests need the Versity S3 Gateway: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 (or .ci/s3-setup)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := &Server{Root: t.TempDir(), bin: bin, t: t}
	s.start()
	t.Cleanup(s.Stop)
	home := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": AccessKey, "AWS_SECRET_ACCESS_KEY": SecretKey, "AWS_ENDPOINT_URL": s.Endpoint,
		"AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"), "AWS_MAX_ATTEMPTS": "2",
	} {
		t.Setenv(k, v)
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	return s
}

func (s *Server) start() {
	s.t.Helper()
	if s.port == "" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.t.Fatal(err)
		}
		s.port = fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
		l.Close()
	}
	addr := "127.0.0.1:" + s.port
	s.Endpoint = "http://" + addr
	cmd := exec.Command(s.bin, "--port", addr, "posix", "--nometa", s.Root)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+AccessKey, "ROOT_SECRET_KEY="+SecretKey)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("starting %s: %v", s.bin, err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.Stop()
			s.t.Fatalf("the gateway did not listen on %s in 20 s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the gateway (a fault test stops it mid-run); Restart starts it again on the same
// port and directory.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
	s.cmd = nil
}

// Restart starts a stopped gateway again.
func (s *Server) Restart() { s.start() }

// Bucket makes a bucket and returns its s3:// URL.
func (s *Server) Bucket(name string) string {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Join(s.Root, name), 0o755); err != nil {
		s.t.Fatal(err)
	}
	return "s3://" + name
}

// Put copies the local file src to the object url (s3://bucket/key) on the gateway's disk.
func (s *Server) Put(src, url string) {
	s.t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		s.t.Fatal(err)
	}
	s.PutBytes(url, data)
}

// PutBytes writes data as the object url.
func (s *Server) PutBytes(url string, data []byte) {
	s.t.Helper()
	dst := s.Path(url)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// PutTree copies every file under the local directory src to the prefix url, keeping the
// relative paths (hive partitions included).
func (s *Server) PutTree(src, url string) {
	s.t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		s.Put(p, strings.TrimSuffix(url, "/")+"/"+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// Path is where the object url lives on the gateway's disk.
func (s *Server) Path(url string) string {
	return filepath.Join(s.Root, filepath.FromSlash(strings.TrimPrefix(url, "s3://")))
}
