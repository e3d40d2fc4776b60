package home

import (
	"io"
	"io/fs"
	"path"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// rawFile is a local file opened with a bare openat(2). Opening an
// os.File costs four fcntl calls and an epoll_ctl on top of the open
// (Go tries to put every file in its poller), more system calls than a
// small file's whole write; a small file needs none of that.
type rawFile struct{ fd int }

func (f rawFile) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		k, err := unix.Pread(f.fd, p[n:], off+int64(n))
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return n, &fs.PathError{Op: "pread", Path: "fd", Err: err}
		case k == 0:
			return n, io.EOF
		}
		n += k
	}
	return n, nil
}

func (f rawFile) WriteAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		k, err := unix.Pwrite(f.fd, p[n:], off+int64(n))
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return n, &fs.PathError{Op: "pwrite", Path: "fd", Err: err}
		case k == 0:
			return n, io.ErrShortWrite
		}
		n += k
	}
	return n, nil
}

func (f rawFile) Truncate(size int64) error {
	return retryEINTR(func() error { return unix.Ftruncate(f.fd, size) })
}
func (f rawFile) Sync() error  { return retryEINTR(func() error { return unix.Fsync(f.fd) }) }
func (f rawFile) Close() error { return unix.Close(f.fd) }

func (f rawFile) chown(uid, gid int) error { return unix.Fchown(f.fd, uid, gid) }
func (f rawFile) chmod(mode fs.FileMode) error {
	return unix.Fchmod(f.fd, unixMode(mode))
}
func (f rawFile) setMtime(t time.Time) error {
	tv := []unix.Timeval{unix.NsecToTimeval(t.UnixNano()), unix.NsecToTimeval(t.UnixNano())}
	return unix.Futimes(f.fd, tv)
}

func retryEINTR(fn func() error) error {
	for {
		if err := fn(); err != unix.EINTR {
			return err
		}
	}
}

// unixMode turns a fs.FileMode's permission and special bits into the
// bits chmod(2) takes.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= unix.S_ISUID
	}
	if m&fs.ModeSetgid != 0 {
		u |= unix.S_ISGID
	}
	if m&fs.ModeSticky != 0 {
		u |= unix.S_ISVTX
	}
	return u
}

// umask is the process's file mode creation mask, read once at start.
var umask = func() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}()

// CreateSmall creates the temp file name with permissions perm (less the
// umask) through a bare openat in its directory's cached descriptor, and
// reports whether the file already has perm (not where the directory has
// a default ACL, which takes the umask's place). The directory descriptor
// was opened through the tree's Root and the name is one component
// opened with O_NOFOLLOW and O_EXCL, so nothing outside the tree can be
// reached.
func (l *Local) CreateSmall(name string, perm fs.FileMode) (File, bool, error) {
	dfd, base, done, ok := l.dirFD(name)
	if !ok {
		f, err := l.Create(name)
		return f, false, err
	}
	defer done()
	perm &= fs.ModePerm
	flags := unix.O_RDWR | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC
	open := func() (int, error) {
		for {
			fd, err := unix.Openat(dfd, base, flags, uint32(perm))
			if err != unix.EINTR {
				return fd, err
			}
		}
	}
	fd, err := open()
	if err == unix.EEXIST {
		if err := unix.Unlinkat(dfd, base, 0); err != nil {
			return nil, false, &fs.PathError{Op: "remove", Path: name, Err: err}
		}
		fd, err = open()
	}
	if err != nil {
		return nil, false, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return rawFile{fd}, perm&umask == 0 && !l.dirs.acl(path.Dir(name)), nil
}

// dirFD returns a descriptor of name's directory from the Root cache,
// and name's last component. ok is false for names in the tree's top
// directory or a directory that cannot be opened.
func (l *Local) dirFD(name string) (fd int, base string, done func(), ok bool) {
	dir, base := path.Split(name)
	if dir == "" || base == "" || base == "." || base == ".." {
		return -1, "", nil, false
	}
	r, b, done := l.at(name)
	if b != base {
		done() // not a directory's own Root
		return -1, "", nil, false
	}
	d := &l.dirs
	d.mu.Lock()
	dr := d.roots[dir[:len(dir)-1]]
	if dr == nil || dr.r != r {
		d.mu.Unlock()
		done()
		return -1, "", nil, false
	}
	if dr.dir == nil {
		f, err := r.Open(".")
		if err != nil {
			d.mu.Unlock()
			done()
			return -1, "", nil, false
		}
		dr.dir, dr.fd = f, int(f.Fd())
		dr.acl = defaultACL(dr.fd)
	}
	fd = dr.fd
	d.mu.Unlock()
	return fd, base, done, true
}

// Lchtimes sets the mtime of the symlink name itself, not of what it
// points to (utimensat with AT_SYMLINK_NOFOLLOW, through the directory's
// descriptor from the Root cache).
func (l *Local) Lchtimes(name string, mtime time.Time) error {
	ts := []unix.Timespec{unix.NsecToTimespec(mtime.UnixNano()), unix.NsecToTimespec(mtime.UnixNano())}
	set := func(fd int, base string) error {
		return retryEINTR(func() error { return unix.UtimesNanoAt(fd, base, ts, unix.AT_SYMLINK_NOFOLLOW) })
	}
	fd, base, done, ok := l.dirFD(name)
	if !ok {
		// A name in the top directory: through the tree's own Root.
		d, err := l.root.Open(".")
		if err != nil {
			return err
		}
		defer d.Close()
		fd, base, done = int(d.Fd()), name, func() {}
	}
	defer done()
	if err := set(fd, base); err != nil {
		return &fs.PathError{Op: "lchtimes", Path: name, Err: err}
	}
	return nil
}
