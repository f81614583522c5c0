package trino

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the server when the test binary dies, even by a timeout
// panic that skips TestMain's clean stop.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
