package home

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Local is a Tree in a local directory. All access goes through an
// os.Root, so no name (and no symlink inside the tree) can reach outside it.
type Local struct {
	dir  string
	root *os.Root
	dirs dirRoots // Roots of recently used directories, for the hot paths
	// stage is where new symlinks are made (see linkStageDir).
	stage linkStage
}

// OpenLocal opens dir, creating it (0755) when create is set and it is missing.
func OpenLocal(dir string, create bool) (*Local, error) {
	if create {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", dir, err)
		}
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	return &Local{dir: dir, root: r}, nil
}

func (l *Local) String() string { return l.dir }
func (l *Local) Close() error {
	l.dirs.close()
	l.stage.close()
	return l.root.Close()
}

func (l *Local) Walk(ctx context.Context, fn func(Entry, error) error) error {
	return l.walk(ctx, ".", fn)
}

func (l *Local) walk(ctx context.Context, dir string, fn func(Entry, error) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, err := l.root.Open(dir)
	var names []string
	if err == nil {
		names, err = d.Readdirnames(-1)
		d.Close()
	}
	if err != nil {
		if dir == "." {
			return err
		}
		return fn(Entry{Path: dir, Mode: fs.ModeDir}, err)
	}
	sort.Strings(names)
	for _, n := range names {
		p := path.Join(dir, n)
		e, err := l.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // vanished between readdir and lstat
		}
		if err != nil {
			// A directory listed but not searchable (mode 0644): its
			// entries fail one by one, as a remote walk reports them.
			if err := fn(Entry{Path: p}, err); err != nil && err != fs.SkipDir {
				return err
			}
			continue
		}
		err = fn(e, nil)
		if e.Mode.IsDir() {
			if err == fs.SkipDir {
				continue
			}
			if err == nil {
				err = l.walk(ctx, p, fn)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *Local) Lstat(name string) (Entry, error) {
	r, base, done := l.at(name)
	fi, err := r.Lstat(base)
	done()
	if err != nil {
		return Entry{}, err
	}
	return localEntry(name, fi), nil
}

func localEntry(name string, fi fs.FileInfo) Entry {
	e := Entry{Path: name, Mode: fi.Mode(), Size: fi.Size(), ModTime: fi.ModTime(), UID: -1, GID: -1}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		e.UID, e.GID = int(st.Uid), int(st.Gid)
		e.Dev, e.Ino, e.Nlink = uint64(st.Dev), uint64(st.Ino), uint64(st.Nlink)
	}
	return e
}

// Open opens a regular file to read. O_NONBLOCK keeps a fifo put in a
// file's place since the walk from blocking the open (it changes nothing
// for a regular file); anything but a regular file is refused.
func (l *Local) Open(name string) (File, error) {
	f, err := l.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, errNotRegular)
	}
	return f, nil
}

func (l *Local) Readlink(name string) (string, error) { return l.root.Readlink(name) }

func (l *Local) Mkdir(name string, perm fs.FileMode) error {
	l.dirs.forget(name)
	return l.root.Mkdir(name, perm)
}

func (l *Local) Create(name string) (File, error) {
	// O_EXCL, not O_TRUNC: os.Root takes a path several times slower for
	// O_TRUNC, and a leftover file of that name is rare.
	r, base, done := l.at(name)
	defer done()
	f, err := r.OpenFile(base, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		if err := r.Remove(base); err != nil {
			return nil, err
		}
		f, err = r.OpenFile(base, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// OpenWrite reopens a temp file to resume. The target's owner can put
// anything at that name: a symlink is not followed, and a file with
// another name (a hard link to a file outside the tree, maybe one only
// root may write) is refused, so nothing but fugu's own temp file is
// truncated, written, chowned and renamed.
func (l *Local) OpenWrite(name string) (File, error) {
	return l.openOwn(name, os.O_RDWR)
}

// openOwn opens the regular file name with flag if it has no other name
// and is what the name's lstat finds (os.Root follows a symlink that
// stays in the tree, O_NOFOLLOW or not).
func (l *Local) openOwn(name string, flag int) (*os.File, error) {
	f, err := l.root.OpenFile(name, flag|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		var li fs.FileInfo
		li, err = l.root.Lstat(name)
		st, ok := fi.Sys().(*syscall.Stat_t)
		if err == nil && (!fi.Mode().IsRegular() || !ok || st.Nlink != 1 || !os.SameFile(fi, li)) {
			err = fmt.Errorf("%s: %w", name, errNotOwnTemp)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openDir opens the directory name, never another kind of file put in
// its place (O_DIRECTORY), to set its metadata through the descriptor.
func (l *Local) openDir(name string) (*os.File, error) {
	f, err := l.root.OpenFile(name, os.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, syscall.ENOTDIR) {
		err = fmt.Errorf("%w on the target: mode and owner not set", errNotDir)
	}
	return f, err
}

// errNotOwnTemp: a temp file to resume is not a regular file with one
// name.
var errNotOwnTemp = errors.New("not a regular file with a single name")

func (l *Local) Chmod(name string, mode fs.FileMode) error {
	r, base, done := l.at(name)
	defer done()
	return r.Chmod(base, mode)
}

func (l *Local) Chtimes(name string, mtime time.Time) error {
	r, base, done := l.at(name)
	defer done()
	return r.Chtimes(base, mtime, mtime)
}

func (l *Local) Lchown(name string, uid, gid int) error {
	r, base, done := l.at(name)
	defer done()
	return r.Lchown(base, uid, gid)
}

func (l *Local) Symlink(oldname, newname string) error { return l.root.Symlink(oldname, newname) }

func (l *Local) Link(oldname, newname string) error { return l.root.Link(oldname, newname) }

func (l *Local) Rename(oldname, newname string) error {
	defer l.dirs.forget(oldname)
	defer l.dirs.forget(newname)
	if path.Dir(oldname) != path.Dir(newname) {
		return l.root.Rename(oldname, newname)
	}
	if fd, oldbase, done, ok := l.dirFD(oldname); ok {
		// A bare renameat: os.Root's Rename also lstats the new name,
		// an extra system call per file. Both names are one component
		// in a directory opened through the tree's Root, and rename
		// never follows a symlink in either.
		defer done()
		err := retryEINTR(func() error { return unix.Renameat(fd, oldbase, fd, path.Base(newname)) })
		if err != nil {
			return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: err}
		}
		return nil
	}
	r, oldbase, done := l.at(oldname)
	defer done()
	if oldbase == oldname { // the tree's Root: names stay whole
		return r.Rename(oldname, newname)
	}
	return r.Rename(oldbase, path.Base(newname))
}

func (l *Local) Remove(name string) error {
	defer l.dirs.forget(name)
	r, base, done := l.at(name)
	defer done()
	return r.Remove(base)
}

func (l *Local) Free() int64 { return freeBytes(l.dir) }

// Scan counts files and bytes with a walk; the walk itself finds hard
// links, so Links stays nil.
func (l *Local) Scan(ctx context.Context) (Scan, error) {
	var s Scan
	err := l.Walk(ctx, func(e Entry, err error) error {
		if e.Mode.IsRegular() {
			s.Files++
			s.Bytes += e.Size
		}
		return nil
	})
	return s, err
}
