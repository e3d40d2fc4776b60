//go:build !linux

package home

// defaultACL reports whether the directory open at fd has a default ACL:
// only Linux's POSIX ACLs are known (see acl_linux.go).
func defaultACL(fd int) bool { return false }
