package home

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// metaFile is an open local file whose owner, mode and mtime can be set
// through its descriptor.
type metaFile interface {
	chown(uid, gid int) error
	chmod(mode fs.FileMode) error
	setMtime(t time.Time) error
}

// osMeta sets an os.File's metadata.
type osMeta struct{ f *os.File }

func (m osMeta) chown(uid, gid int) error     { return m.f.Chown(uid, gid) }
func (m osMeta) chmod(mode fs.FileMode) error { return m.f.Chmod(mode) }
func (m osMeta) setMtime(t time.Time) error {
	rc, err := m.f.SyscallConn()
	if err != nil {
		return err
	}
	tv := []syscall.Timeval{syscall.NsecToTimeval(t.UnixNano()), syscall.NsecToTimeval(t.UnixNano())}
	var uerr error
	if err := rc.Control(func(fd uintptr) { uerr = syscall.Futimes(int(fd), tv) }); err != nil {
		return err
	}
	return uerr
}

// setMetaFD gives an open local file e's owner, mode and mtime through
// its descriptor. It saves the path lookups of the by-name calls, which
// os.Root makes component by component and which dominate the cost of
// a small file. permSet says the file was created with e's permissions
// already (and e has no special bits), which spares the chmod unless a
// chown comes first: chown clears setuid and setgid. It reports false
// when f is not a local file.
func (r *run) setMetaFD(f File, e Entry, permSet bool) (bool, error) {
	var m metaFile
	switch f := f.(type) {
	case *os.File:
		m = osMeta{f}
	case rawFile:
		m = f
	default:
		return false, nil
	}
	if r.opt.Owners != nil && e.UID >= 0 {
		uid, gid := r.opt.Owners.Map(e.UID, e.GID)
		if err := m.chown(uid, gid); err != nil {
			return true, err
		}
	}
	mode := e.Mode & (0o777 | modeSpecial)
	if !permSet || mode&modeSpecial != 0 {
		if err := m.chmod(mode); err != nil {
			return true, err
		}
	}
	return true, m.setMtime(e.ModTime)
}

// handlePerm is an open remote file whose owner and mode can be set
// through its handle (sftpFile).
type handlePerm interface {
	chown(uid, gid int) error
	chmod(mode fs.FileMode) error
}

// setPermHandle gives an open SFTP file e's owner and mode through its
// handle, before it is closed: by name, setstat would follow a symlink
// swapped in for the temp file, and the server may run as root. The
// mtime is set by name later (a write would change it), which can do no
// harm. It reports false when f is no SFTP file, and for setuid, setgid
// and sticky files: those bits wait until the content is verified, and
// are then set by name (after an lstat).
func (r *run) setPermHandle(f File, e Entry) (bool, error) {
	h, ok := f.(handlePerm)
	if !ok || e.Mode&modeSpecial != 0 {
		return false, nil
	}
	if r.opt.Owners != nil && e.UID >= 0 {
		uid, gid := r.opt.Owners.Map(e.UID, e.GID)
		if err := h.chown(uid, gid); err != nil {
			return true, fmt.Errorf("chown: %w", err)
		}
	}
	if err := h.chmod(e.Mode & 0o777); err != nil {
		return true, fmt.Errorf("chmod: %w", err)
	}
	return true, nil
}
