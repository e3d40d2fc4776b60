package home

import "syscall"

// freeBytes returns the bytes available to an unprivileged user on the
// file system holding dir, or -1. OpenBSD's statfs names its fields
// F_bavail and F_bsize.
func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return st.F_bavail * int64(st.F_bsize)
}
