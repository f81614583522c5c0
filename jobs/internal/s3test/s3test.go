// Package s3test runs a real S3 server for tests: the Versity S3 Gateway over a temporary
// directory (each directory a bucket, each file an object), with the AWS environment of the
// test pointed at it. Under CI (CI=true) a missing gateway fails the test; elsewhere it skips
// with how to install it.
package s3test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/rfmjob/rfm/jobs/objstore/gateway"
)

// Credentials of the gateway's root account.
const (
	AccessKey = gateway.AccessKey
	SecretKey = gateway.SecretKey
)

// Server is a running gateway.
type Server struct {
	*gateway.Gateway
	t testing.TB
}

// Start runs a gateway for the test and points the test's AWS environment at it (t.Setenv):
// the root credentials, AWS_ENDPOINT_URL, a region, and no profile or shared files of the
// machine's user. The gateway keeps object metadata (in extended attributes): ETags, and
// conditional writes (If-None-Match: *), as AWS S3 has them.
func Start(t testing.TB) *Server { return start(t, false) }

// StartNoMeta runs the gateway without metadata (posix --nometa): no ETags, and PUTs ignore
// If-None-Match, as on S3-compatible servers without conditional writes.
func StartNoMeta(t testing.TB) *Server { return start(t, true) }

func start(t testing.TB, noMeta bool) *Server {
	t.Helper()
	g, err := gateway.Start(t.TempDir(), noMeta)
	if errors.Is(err, gateway.ErrNoBinary) {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Stop)
	SetEnv(t, g)
	return &Server{Gateway: g, t: t}
}

// SetEnv points the test's AWS environment at g (t.Setenv), with no profile, session token or
// shared files of the machine's user, and two attempts per request.
func SetEnv(t testing.TB, g *gateway.Gateway) {
	home := t.TempDir()
	env := g.Env()
	env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"], env["AWS_MAX_ATTEMPTS"] = filepath.Join(home, "config"), filepath.Join(home, "credentials"), "2"
	for k, v := range env {
		t.Setenv(k, v)
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// Restart starts a stopped gateway again.
func (s *Server) Restart() {
	if err := s.Gateway.Restart(); err != nil {
		s.t.Fatal(err)
	}
}

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

// PutBytes writes data as the object url through the S3 API (so the gateway records its
// metadata).
func (s *Server) PutBytes(url string, data []byte) {
	s.t.Helper()
	if _, err := objstore.PutBytes(context.Background(), url, data, false); err != nil {
		s.t.Fatal(err)
	}
}

// WriteBehind replaces the object's bytes on the gateway's disk, behind its back: the way an
// object changes under a reader that the server's metadata does not show.
func (s *Server) WriteBehind(url string, data []byte) {
	s.t.Helper()
	if err := os.WriteFile(s.Path(url), data, 0o644); err != nil {
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
