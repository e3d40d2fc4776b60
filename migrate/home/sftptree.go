package home

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fugu/migrate/remote"

	"github.com/pkg/sftp"
)

// SFTP is a Tree on a remote host reached with pkg/sftp. With a Runner
// (the SSH connection the client rides on) it also scans the tree and
// hashes files on the remote side; without one it falls back to SFTP
// walks and reads.
type SFTP struct {
	name   string // host:/dir, for messages
	dir    string // absolute remote directory
	c      *sftp.Client
	runner Runner // may be nil
	// sessions bounds the SSH sessions this tree's commands and streams
	// hold at once (see maxSessions).
	sessions chan struct{}
	helpers  helperPool // bundle commands kept running between bundles
	noLinks  atomic.Bool
	perl     atomic.Bool // the walk ran perl on the host
	space    spaceProbe  // the host's last word on a failed write
	// noFree makes Free answer "unknown", as a server without the
	// statvfs@openssh.com extension does (tests).
	noFree bool

	// totals carries the counts of the streamed walk to Scan; it is
	// closed when a walk ends, or fails, without sending them.
	totals     chan Scan
	totalsOnce sync.Once

	scanOnce sync.Once
	scan     Scan
	scanErr  error
}

// NewSFTP returns the tree at dir on the other end of c. name is how the
// user named it (host:/dir). runner may be nil.
func NewSFTP(c *sftp.Client, dir, name string, runner Runner) *SFTP {
	return &SFTP{name: name, dir: path.Clean(dir), c: c, runner: runner, sessions: make(chan struct{}, maxSessions), totals: make(chan Scan, 1)}
}

// maxSessions is how many SSH sessions the remote commands and streams
// of one tree use at once. OpenSSH's sshd allows ten per connection
// (MaxSessions) and the SFTP subsystem holds one; a session opened past
// the limit is refused ("no more sessions"), which used to make a
// bundle of small files look like a host without perl.
const maxSessions = 8

// acquire takes one of the tree's session slots; release gives it back.
func (s *SFTP) acquire(ctx context.Context) error {
	select {
	case s.sessions <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *SFTP) release() { <-s.sessions }

// run runs cmd on the remote host in a session slot.
func (s *SFTP) run(ctx context.Context, cmd remote.Command) (remote.Result, error) {
	if err := s.acquire(ctx); err != nil {
		return remote.Result{}, err
	}
	defer s.release()
	return s.runner.Run(ctx, cmd)
}

func (s *SFTP) String() string { return s.name }
func (s *SFTP) Close() error   { return nil } // the caller owns the client

func (s *SFTP) abs(name string) string { return path.Join(s.dir, name) }

// Walk walks the tree with one command on the source host (walkScript)
// when it can, else over SFTP, with the hard links the scan found.
func (s *SFTP) Walk(ctx context.Context, fn func(Entry, error) error) error {
	if s.canStream() {
		err := s.walkStream(ctx, fn)
		s.endTotals()
		if err != errNoWalkCommand {
			return err
		}
	}
	var links map[string]FileID
	if s.runner != nil {
		if sc, err := s.Scan(ctx); err == nil {
			links = sc.Links
			s.noLinks.Store(sc.NoLinks)
		}
	} else {
		s.noLinks.Store(true)
	}
	return s.walk(ctx, ".", links, fn)
}

// LinksUnknown reports whether the last Walk could not tell hard links
// (no perl on the source host): each name was then a file of its own.
func (s *SFTP) LinksUnknown() bool { return s.noLinks.Load() }

func (s *SFTP) walk(ctx context.Context, dir string, links map[string]FileID, fn func(Entry, error) error) error {
	return s.walkListed(ctx, dir, s.list(ctx, dir, make(chan struct{}, readAhead)), links, fn)
}

// readAhead is how many directory listings a walk reads at once: a
// listing costs a round trip, and a home has hundreds of directories.
const readAhead = 8

// listing is a directory's entries, read in the background.
type listing struct {
	done chan struct{}
	fis  []fs.FileInfo
	err  error
}

// list starts reading dir, holding a slot of sem while it does.
func (s *SFTP) list(ctx context.Context, dir string, sem chan struct{}) *listing {
	l := &listing{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			l.err = ctx.Err()
			return
		}
		defer func() { <-sem }()
		l.fis, l.err = s.c.ReadDirContext(ctx, s.abs(dir))
	}()
	return l
}

// walkListed walks dir, whose listing l is on its way. While one
// subdirectory is walked, the listings of the next few are read.
func (s *SFTP) walkListed(ctx context.Context, dir string, l *listing, links map[string]FileID, fn func(Entry, error) error) error {
	select {
	case <-l.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	fis, err := l.fis, l.err
	if err != nil {
		if dir == "." {
			return err
		}
		return fn(Entry{Path: dir, Mode: fs.ModeDir}, err)
	}
	sem := make(chan struct{}, readAhead)
	sort.Slice(fis, func(i, j int) bool { return fis[i].Name() < fis[j].Name() })
	ahead := map[int]*listing{} // listings started, by index in fis
	next := 0                   // fis below this index were considered for reading ahead
	readUpTo := func(end int) {
		for ; next < len(fis) && next < end; next++ {
			if fi := fis[next]; fi.IsDir() && validName(fi.Name()) {
				ahead[next] = s.list(ctx, path.Join(dir, fi.Name()), sem)
			}
		}
	}
	for i, fi := range fis {
		p := path.Join(dir, fi.Name())
		if !validName(fi.Name()) {
			// Only a broken or hostile server sends such names.
			if err := fn(Entry{Path: dir}, fmt.Errorf("server sent an invalid name %q", fi.Name())); err != nil {
				return err
			}
			continue
		}
		e := sftpEntry(p, fi)
		if id, ok := links[p]; ok {
			e.Dev, e.Ino, e.Nlink = id.Dev, id.Ino, 2
		}
		err := fn(e, nil)
		if e.Mode.IsDir() {
			sub := ahead[i]
			delete(ahead, i)
			if err == fs.SkipDir {
				continue
			}
			if err == nil {
				if sub == nil {
					sub = s.list(ctx, p, sem)
					next = max(next, i+1)
				}
				readUpTo(i + 1 + readAhead)
				err = s.walkListed(ctx, p, sub, links, fn)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func validName(n string) bool {
	return n != "" && n != "." && n != ".." && !strings.Contains(n, "/")
}

func sftpEntry(name string, fi fs.FileInfo) Entry {
	e := Entry{Path: name, Mode: fi.Mode(), Size: fi.Size(), ModTime: fi.ModTime(), UID: -1, GID: -1}
	if st, ok := fi.Sys().(*sftp.FileStat); ok {
		e.UID, e.GID = int(st.UID), int(st.GID)
		// pkg/sftp drops setuid/setgid/sticky from Mode(); take them from the raw bits.
		e.Mode = e.Mode&^(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) | unixModeBits(st.Mode)
	}
	return e
}

// unixModeBits turns the special bits of a POSIX st_mode into fs.FileMode bits.
func unixModeBits(m uint32) fs.FileMode {
	var fm fs.FileMode
	if m&0o4000 != 0 {
		fm |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		fm |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		fm |= fs.ModeSticky
	}
	return fm
}

func (s *SFTP) Lstat(name string) (Entry, error) {
	fi, err := s.c.Lstat(s.abs(name))
	if err != nil {
		return Entry{}, err
	}
	return sftpEntry(name, fi), nil
}

func (s *SFTP) Open(name string) (File, error) {
	f, err := s.c.OpenFile(s.abs(name), os.O_RDONLY)
	if err != nil {
		return nil, err
	}
	return sftpFile{f}, nil
}

func (s *SFTP) Readlink(name string) (string, error) { return s.c.ReadLink(s.abs(name)) }

func (s *SFTP) Mkdir(name string, perm fs.FileMode) error {
	if err := s.c.Mkdir(s.abs(name)); err != nil {
		// pkg/sftp reports an existing directory as a generic failure.
		if fi, serr := s.c.Lstat(s.abs(name)); serr == nil && fi.IsDir() {
			return fs.ErrExist
		}
		return err
	}
	return s.Chmod(name, perm)
}

// Create makes a new file at name, removing what was there. SFTP v3
// has no O_NOFOLLOW, and the server may run as root in a directory its
// owner can write: opening an existing name could follow a symlink put
// there to a file anywhere. So the old entry goes and the new file is
// opened exclusively, which never follows a link; a link that reappears
// in between makes Create fail.
func (s *SFTP) Create(name string) (File, error) {
	if err := s.c.Remove(s.abs(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		if fi, serr := s.c.Lstat(s.abs(name)); serr == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory", name)
		}
	}
	f, err := s.c.OpenFile(s.abs(name), os.O_RDWR|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	return sftpFile{f}, nil
}

// OpenWrite reopens an existing regular file (a temp file to resume).
// It must be a regular file before the open, and the open file must be
// the same one after it (size, mode, owner and mtime): a symlink swapped
// in between leads elsewhere and is refused. It must also have no other
// name: the target's owner could have made it a hard link to a file
// outside the tree that only root may write, which SFTP cannot tell
// (its stat has no link count), so the host's perl is asked; without a
// shell there, the temp file is not resumed.
func (s *SFTP) OpenWrite(name string) (File, error) {
	f, fi, err := s.openExisting(name, os.O_RDWR)
	if err != nil {
		return nil, err
	}
	if err := s.singleName(name, sftpEntry(name, fi)); err != nil {
		f.Close()
		return nil, err
	}
	return sftpFile{f}, nil
}

// linkCountScript lstats the NUL-terminated name on stdin and prints
// "nlink size mtime uid gid", or nothing for anything but a regular file.
const linkCountScript = `perl -e '$/ = "\0"; my $p = <STDIN>; chomp $p; my @s = lstat($p);
print "$s[3] $s[7] $s[9] $s[4] $s[5]" if @s && -f _'`

// singleName checks on the host that the regular file name, as SFTP
// saw it in e, has one link and is that file (same size, mtime and
// owner).
func (s *SFTP) singleName(name string, e Entry) error {
	if s.runner == nil {
		return fmt.Errorf("%s: its links cannot be counted without a shell on the host, and it may be a hard link to a file outside the tree", name)
	}
	res, err := s.run(context.Background(), remote.Command{
		Line:  "cd " + shQuote(s.dir) + " && " + linkCountScript,
		Stdin: strings.NewReader("./" + name + "\x00"),
	})
	if err != nil {
		return err
	}
	want := fmt.Sprintf("1 %d %d %d %d", e.Size, e.ModTime.Unix(), e.UID, e.GID)
	if res.ExitCode != 0 || e.UID < 0 || string(res.Stdout) != want {
		return fmt.Errorf("%s: %w", name, errNotOwnTemp)
	}
	return nil
}

// openExisting opens the regular file at name with flags (no O_CREATE),
// refusing a symlink there before the open and another file after it.
func (s *SFTP) openExisting(name string, flags int) (*sftp.File, fs.FileInfo, error) {
	before, err := s.c.Lstat(s.abs(name))
	if err != nil {
		return nil, nil, err
	}
	if !before.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s: %w", name, errNotRegular)
	}
	f, err := s.c.OpenFile(s.abs(name), flags)
	if err != nil {
		return nil, nil, err
	}
	after, err := f.Stat()
	if err == nil && !sameFile(before, after) {
		err = fmt.Errorf("%s: %w", name, errNotRegular)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, after, nil
}

var errNotRegular = errors.New("not the regular file it was")

// sameFile compares what SFTP tells of two stats (it gives no inode).
func sameFile(a, b fs.FileInfo) bool {
	sa, oka := a.Sys().(*sftp.FileStat)
	sb, okb := b.Sys().(*sftp.FileStat)
	return a.Mode() == b.Mode() && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) &&
		oka && okb && sa.UID == sb.UID && sa.GID == sb.GID
}

// Chmod sets the mode of name, which must not be a symlink: SFTP's
// setstat follows links, and a link could lead out of the tree.
func (s *SFTP) Chmod(name string, mode fs.FileMode) error {
	fi, err := s.c.Lstat(s.abs(name))
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return errNoLchmod
	}
	return s.c.Chmod(s.abs(name), mode)
}

var errNoLchmod = errors.New("sftp cannot set the mode of a symlink")

// Chtimes sets the mtime of name, which must not be a symlink: setstat
// follows links, and the temp file whose mtime is set last may have been
// swapped for one leading out of the tree.
func (s *SFTP) Chtimes(name string, mtime time.Time) error {
	fi, err := s.c.Lstat(s.abs(name))
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return errNoLchtimes
	}
	return s.c.Chtimes(s.abs(name), mtime, mtime)
}

var errNoLchtimes = errors.New("sftp cannot set the mtime of a symlink")

func (s *SFTP) Lchown(name string, uid, gid int) error {
	// SFTP v3 has no lchown: chown follows symlinks, so refuse them rather
	// than change the owner of whatever a link points to.
	fi, err := s.c.Lstat(s.abs(name))
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return errNoLchown
	}
	return s.c.Chown(s.abs(name), uid, gid)
}

var errNoLchown = errors.New("sftp cannot set the owner of a symlink")

func (s *SFTP) Symlink(oldname, newname string) error {
	return s.c.Symlink(oldname, s.abs(newname))
}

func (s *SFTP) Link(oldname, newname string) error {
	return s.c.Link(s.abs(oldname), s.abs(newname))
}

func (s *SFTP) Rename(oldname, newname string) error {
	if _, ok := s.c.HasExtension("posix-rename@openssh.com"); ok {
		return s.c.PosixRename(s.abs(oldname), s.abs(newname))
	}
	// Plain SFTP rename refuses to replace; remove first (not atomic).
	if err := s.c.Rename(s.abs(oldname), s.abs(newname)); err == nil {
		return nil
	}
	if err := s.c.Remove(s.abs(newname)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return s.c.Rename(s.abs(oldname), s.abs(newname))
}

func (s *SFTP) Remove(name string) error { return s.c.Remove(s.abs(name)) }

func (s *SFTP) Free() int64 {
	if s.noFree {
		return -1
	}
	if _, ok := s.c.HasExtension("statvfs@openssh.com"); !ok {
		return -1
	}
	st, err := s.c.StatVFS(s.dir)
	if err != nil {
		return -1
	}
	return int64(st.Bavail * st.Frsize)
}

// sftpFile adapts *sftp.File (whose Truncate and Sync need no change) to File.
type sftpFile struct{ *sftp.File }

// chown and chmod go through the open handle (fsetstat), which no
// symlink can redirect.
func (f sftpFile) chown(uid, gid int) error     { return f.File.Chown(uid, gid) }
func (f sftpFile) chmod(mode fs.FileMode) error { return f.File.Chmod(mode) }

func (f sftpFile) Sync() error {
	err := f.File.Sync()
	var se *sftp.StatusError
	if errors.As(err, &se) && se.FxCode() == sftp.ErrSSHFxOpUnsupported {
		return nil // no fsync@openssh.com: the server flushes on close
	}
	return err
}
