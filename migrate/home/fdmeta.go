package home

import (
	"os"
	"syscall"
)

// setMetaFD gives an open local file e's owner, mode and mtime through
// its descriptor. It saves the path lookups of the by-name calls, which
// os.Root makes component by component and which dominate the cost of
// a small file. It reports false when f is not a local file.
func (r *run) setMetaFD(f File, e Entry) (bool, error) {
	of, ok := f.(*os.File)
	if !ok {
		return false, nil
	}
	if r.opt.Owners != nil && e.UID >= 0 {
		uid, gid := r.opt.Owners.Map(e.UID, e.GID)
		if err := of.Chown(uid, gid); err != nil {
			return true, err
		}
	}
	if err := of.Chmod(e.Mode & (0o777 | modeSpecial)); err != nil {
		return true, err
	}
	rc, err := of.SyscallConn()
	if err != nil {
		return true, err
	}
	tv := []syscall.Timeval{syscall.NsecToTimeval(e.ModTime.UnixNano()), syscall.NsecToTimeval(e.ModTime.UnixNano())}
	var uerr error
	if err := rc.Control(func(fd uintptr) { uerr = syscall.Futimes(int(fd), tv) }); err != nil {
		return true, err
	}
	return true, uerr
}
