package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// gatewayBucket is the bucket the rfm-s3 side reads the data from.
const gatewayBucket = "bench"

// startGateway serves the data file from a Versity S3 Gateway on localhost (its posix backend:
// dir/s3root/bench/FILE, a hard link to the data, or a copy across file systems) and points the
// sides' AWS environment at it; stop stops it.
func startGateway(dir, data string) (stop func(), err error) {
	bin, err := gatewayBinary()
	if err != nil {
		return nil, err
	}
	root := filepath.Join(dir, "s3root")
	obj := filepath.Join(root, gatewayBucket, filepath.Base(data))
	if err := os.MkdirAll(filepath.Dir(obj), 0o755); err != nil {
		return nil, err
	}
	if st, err := os.Stat(obj); err != nil || st.Size() == 0 {
		os.Remove(obj)
		if err := os.Link(data, obj); err != nil {
			if err := copyFile(data, obj); err != nil {
				return nil, err
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	const access, secret = "rfmbench", "rfmbench-secret-key"
	cmd := exec.Command(bin, "--port", addr, "posix", "--nometa", root)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+access, "ROOT_SECRET_KEY="+secret)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() { cmd.Process.Kill(); cmd.Wait() }
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("the gateway did not listen on %s", addr)
		}
	}
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": access, "AWS_SECRET_ACCESS_KEY": secret,
		"AWS_ENDPOINT_URL": "http://" + addr, "AWS_REGION": "us-east-1"} {
		os.Setenv(k, v)
	}
	return stop, nil
}

// gatewayBinary finds versitygw: $RFM_VERSITYGW, PATH, the CI cache or $GOPATH/bin.
func gatewayBinary() (string, error) {
	if p := os.Getenv("RFM_VERSITYGW"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	home, _ := os.UserHomeDir()
	for _, p := range []string{filepath.Join(home, ".cache", "rfm-s3", "bin", "versitygw"), filepath.Join(home, "go", "bin", "versitygw")} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no versitygw: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 (or .ci/s3-setup)")
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
