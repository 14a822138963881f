package ddblocal

import (
	"os/exec"
	"syscall"
)

// configure makes the kernel kill the emulator if this process dies first,
// so an interrupted test run leaves no Java process behind.
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
