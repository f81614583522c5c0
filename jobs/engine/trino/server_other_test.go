//go:build !linux

package trino

import "os/exec"

// dieWithParent: only Linux offers a parent-death signal; elsewhere a test binary killed by a
// timeout leaves the server running.
func dieWithParent(cmd *exec.Cmd) {}
