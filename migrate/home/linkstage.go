package home

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// linkStageDir is where a local target makes its symlinks before they
// go into place: a directory of the run's user that no one else can
// write. Made in the link's own directory, which the target's owner can
// write, a link could be swapped for a hard link to a file outside the
// tree between its creation and its lchown, and root would chown that
// file. In the stage, the link is made, chowned and timed through the
// directory's descriptor and renamed into place.
const linkStageDir = JournalDir + "/links"

// linkStage is a Local's open stage directory, made on a run's first
// symlink and closed when the run lets go of the target (unlock).
type linkStage struct {
	mu  sync.Mutex
	dir *os.File
	n   atomic.Uint64
}

// linkPlaced, when set (tests), is called with the tree path of each new
// symlink after it is made and before its owner is set.
var linkPlaced func(p string)

// stageFD returns the descriptor of the stage directory, making it (and
// removing an earlier run's) the first time.
func (l *Local) stageFD() (int, error) {
	s := &l.stage
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != nil {
		return int(s.dir.Fd()), nil
	}
	f, err := l.makeStage()
	if err != nil {
		return -1, fmt.Errorf("symlink staging directory: %w", err)
	}
	s.dir = f
	return int(f.Fd()), nil
}

func (l *Local) makeStage() (*os.File, error) {
	if err := l.root.RemoveAll(linkStageDir); err != nil {
		return nil, err
	}
	if err := l.root.Mkdir(linkStageDir, 0o700); err != nil {
		return nil, err
	}
	f, err := l.root.Open(linkStageDir)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !fi.IsDir() || !ok || int(st.Uid) != os.Geteuid() || fi.Mode().Perm()&0o077 != 0 {
			err = fmt.Errorf("%s: not a directory of its own that only this user can write", linkStageDir)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// placeSymlink makes name a symlink to target with owner uid:gid (when
// uid >= 0) and mtime, made in the stage and renamed into place. timeErr
// says the mtime could not be set (the link is placed anyway). Where the
// rename cannot cross into name's directory (another file system is
// mounted there), the link is made next to name, as on other trees.
func (l *Local) placeSymlink(target, name string, uid, gid int, mtime time.Time) (timeErr, err error) {
	sfd, err := l.stageFD()
	if err != nil {
		return nil, err
	}
	tmp := strconv.FormatUint(l.stage.n.Add(1), 10)
	if err := retryEINTR(func() error { return unix.Symlinkat(target, sfd, tmp) }); err != nil {
		return nil, &fs.PathError{Op: "symlink", Path: name, Err: err}
	}
	placed := false
	defer func() {
		if !placed {
			_ = unix.Unlinkat(sfd, tmp, 0)
		}
	}()
	if linkPlaced != nil {
		linkPlaced(path.Join(linkStageDir, tmp))
	}
	if uid >= 0 {
		if err := retryEINTR(func() error { return unix.Fchownat(sfd, tmp, uid, gid, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
			return nil, &fs.PathError{Op: "lchown", Path: name, Err: err}
		}
	}
	ts := []unix.Timespec{unix.NsecToTimespec(mtime.UnixNano()), unix.NsecToTimespec(mtime.UnixNano())}
	if err := retryEINTR(func() error { return unix.UtimesNanoAt(sfd, tmp, ts, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
		timeErr = &fs.PathError{Op: "lchtimes", Path: name, Err: err}
	}
	pfd, base, done, ok := l.dirFD(name)
	if !ok {
		d, err := l.root.Open(path.Dir(name))
		if err != nil {
			return nil, err
		}
		defer d.Close()
		pfd, base, done = int(d.Fd()), path.Base(name), func() {}
	}
	defer done()
	err = retryEINTR(func() error { return unix.Renameat(sfd, tmp, pfd, base) })
	if errors.Is(err, unix.EXDEV) {
		return nil, errCrossDevice
	}
	if err != nil {
		return nil, &os.LinkError{Op: "rename", Old: path.Join(linkStageDir, tmp), New: name, Err: err}
	}
	placed = true
	return timeErr, nil
}

// errCrossDevice: the stage is on another file system than the link's
// directory.
var errCrossDevice = errors.New("stage on another file system")

func (s *linkStage) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != nil {
		s.dir.Close()
		s.dir = nil
	}
}
