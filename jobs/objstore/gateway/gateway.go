// Package gateway runs a local S3 server, the Versity S3 Gateway over a directory (each
// directory a bucket, each file an object), for the tests and for rfmbench's S3 side. It finds
// the versitygw binary (.ci/s3-setup builds it) and starts it on a free localhost port.
package gateway

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Credentials of the gateway's root account.
const (
	AccessKey = "rfmtestaccess"
	SecretKey = "rfmtestsecret0123456789"
)

// ErrNoBinary: versitygw is not installed.
var ErrNoBinary = errors.New("no versitygw: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 (or run .ci/s3-setup)")

// Gateway is a running server.
type Gateway struct {
	Root     string // the directory served
	Endpoint string // http://127.0.0.1:PORT
	NoMeta   bool   // started without object metadata (posix --nometa)
	bin      string
	addr     string
	cmd      *exec.Cmd
}

// Binary finds versitygw: $RFM_VERSITYGW, PATH, the CI cache ~/.cache/rfm-s3/bin or
// $GOPATH/bin.
func Binary() (string, error) {
	if p := os.Getenv("RFM_VERSITYGW"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	home, _ := os.UserHomeDir()
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = filepath.Join(home, "go")
	}
	for _, p := range []string{filepath.Join(home, ".cache", "rfm-s3", "bin", "versitygw"), filepath.Join(gopath, "bin", "versitygw")} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBinary
}

// Start serves root. With noMeta the gateway keeps no object metadata: no ETags, and PUTs
// ignore If-None-Match, as on S3-compatible servers without conditional writes; otherwise it
// keeps them in extended attributes, as AWS S3 has them.
func Start(root string, noMeta bool) (*Gateway, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	g := &Gateway{Root: root, NoMeta: noMeta, bin: bin, addr: l.Addr().String()}
	l.Close()
	g.Endpoint = "http://" + g.addr
	return g, g.Restart()
}

// Restart starts a stopped gateway again, on the same port and directory.
func (g *Gateway) Restart() error {
	args := []string{"--port", g.addr, "posix"}
	if g.NoMeta {
		args = append(args, "--nometa")
	}
	cmd := exec.Command(g.bin, append(args, g.Root)...)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+AccessKey, "ROOT_SECRET_KEY="+SecretKey)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", g.bin, err)
	}
	g.cmd = cmd
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", g.addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			g.Stop()
			return fmt.Errorf("the gateway did not listen on %s in 20 s", g.addr)
		}
	}
}

// Stop stops the gateway.
func (g *Gateway) Stop() {
	if g.cmd != nil && g.cmd.Process != nil {
		g.cmd.Process.Kill()
		g.cmd.Wait()
	}
	g.cmd = nil
}

// Env is the AWS environment that points a client at the gateway: the root credentials, the
// endpoint and a region.
func (g *Gateway) Env() map[string]string {
	return map[string]string{"AWS_ACCESS_KEY_ID": AccessKey, "AWS_SECRET_ACCESS_KEY": SecretKey,
		"AWS_ENDPOINT_URL": g.Endpoint, "AWS_REGION": "us-east-1"}
}
