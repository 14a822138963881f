//go:build !linux

package lambdart

import "syscall"

// sysProcAttr puts the function in its own process group, so a kill reaches
// whatever it started.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
