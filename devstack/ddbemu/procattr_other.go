//go:build !linux

package ddbemu

import "syscall"

// sysProcAttr has nothing to add outside Linux: there is no parent-death
// signal, so Stop must be called.
func sysProcAttr() *syscall.SysProcAttr {
	return nil
}
