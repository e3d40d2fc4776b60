package home

import (
	"errors"

	"golang.org/x/sys/unix"
)

// defaultACL reports whether the directory open at fd has a default ACL
// (or cannot tell): new files in it then get the ACL's permissions, not
// the mode asked for less the umask.
func defaultACL(fd int) bool {
	n, err := unix.Fgetxattr(fd, "system.posix_acl_default", nil)
	if errors.Is(err, unix.ENODATA) || errors.Is(err, unix.EOPNOTSUPP) {
		return false
	}
	return err != nil || n > 0
}
