package ddbemu

import "syscall"

// sysProcAttr makes the kernel kill the emulator if devstack dies first, so
// an interrupted run leaves no Java process behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
