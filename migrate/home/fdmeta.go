package home

import (
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
