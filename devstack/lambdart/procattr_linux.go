package lambdart

import "syscall"

// sysProcAttr puts the function in its own process group, so a kill reaches
// whatever it started, and kills it if devstack dies first.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
