package home

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync"

	"golang.org/x/crypto/ssh"
)

// sshClienter is implemented by runners that can open SSH sessions of
// their own (remote.SSHHost).
type sshClienter interface {
	Client() *ssh.Client
	// CommandLine adapts an sh command line to the login shell.
	CommandLine(line string) string
}

// canStream reports whether big files of s can be read with `tail` in an
// SSH session instead of SFTP reads.
func (s *SFTP) canStream() bool {
	_, ok := s.runner.(sshClienter)
	return ok
}

// openStream starts `tail -c +OFF` on the remote host: the server then
// pushes the file as fast as the SSH window allows, with no request per
// 32 KiB as SFTP needs; that is how rsync moves big files quickly. end
// closes the session and tells a file that ended early (nil) from a
// broken connection (ErrConnection).
func (s *SFTP) openStream(ctx context.Context, e Entry, off int64) (io.Reader, func() error, error) {
	c := s.runner.(sshClienter).Client()
	if err := s.acquire(ctx); err != nil {
		return nil, nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		s.release()
		var refused *ssh.OpenChannelError
		if errors.As(err, &refused) {
			// sshd's MaxSessions: the connection still works; read over SFTP.
			return nil, nil, errSessionRefused
		}
		return nil, nil, errors.Join(ErrConnection, err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		s.release()
		return nil, nil, err
	}
	cmd := streamCommand(e.Path, off)
	if s.perl.Load() && e.Ino != 0 {
		cmd = streamPerl(e, off)
	}
	line := "cd " + shQuote(s.dir) + " && exec " + cmd
	if err := sess.Start(s.runner.(sshClienter).CommandLine(line)); err != nil {
		sess.Close()
		s.release()
		return nil, nil, errors.Join(ErrConnection, err)
	}
	stop := context.AfterFunc(ctx, func() { sess.Close() })
	// end may be called twice (on a short read, then deferred): Wait
	// returns only once, so the second call returns the first's result.
	end := sync.OnceValue(func() error {
		stop()
		sess.Close()
		err := sess.Wait()
		s.release()
		var exit *ssh.ExitError
		if err == nil || errors.As(err, &exit) || errors.Is(err, io.EOF) {
			// io.EOF: we closed the session before tail's exit status came.
			return nil
		}
		return errors.Join(ErrConnection, err)
	})
	return out, end, nil
}

// errSessionRefused: the server refused one more session (MaxSessions).
var errSessionRefused = errors.New("the server refused another SSH session")

// streamCommand returns the command that writes name from off to its
// end. dd moves a MiB per system call; tail (GNU's reads 8 KiB and
// writes 4 KiB at a time) costs the source host twice the CPU, so it is
// kept for offsets dd cannot skip to in big blocks. dd's statistics on
// stderr are dropped; a failure shows as a stream that ends early.
func streamCommand(name string, off int64) string {
	bs := int64(streamBlock)
	for off%bs != 0 {
		bs /= 2
	}
	if bs < 64<<10 {
		return "tail -c +" + strconv.FormatInt(off+1, 10) + " -- " + shQuote(name)
	}
	return "dd if=" + shQuote("./"+name) + " bs=" + strconv.FormatInt(bs, 10) + " skip=" + strconv.FormatInt(off/bs, 10) + " 2>/dev/null"
}

const streamBlock = 1 << 20

// streamPerl returns the command that writes e from off to its end where
// the walk ran perl (so perl is there): unlike dd and tail it opens the
// file without following a symlink (O_NOFOLLOW; O_NONBLOCK for a fifo)
// and writes nothing unless it is the regular file the walk saw (device
// and inode), so a name swapped for a link to another file while root
// copies a home its owner controls is never read through. It is as fast
// as dd: 1 MiB reads and writes.
func streamPerl(e Entry, off int64) string {
	return `perl -MFcntl -e 'sysopen(F, $ARGV[0], O_RDONLY | O_NOFOLLOW | O_NONBLOCK) or exit 1;
my @s = stat(F); (-f _ && "$s[0]" eq $ARGV[2] && "$s[1]" eq $ARGV[3]) or exit 1;
sysseek(F, $ARGV[1], 0) or exit 1; my $b;
while (my $n = sysread(F, $b, 1 << 20)) { my $o = 0; while ($o < $n) { my $w = syswrite(STDOUT, $b, $n - $o, $o); defined $w or exit 1; $o += $w } }' ` +
		shQuote("./"+e.Path) + " " + strconv.FormatInt(off, 10) + " " + strconv.FormatUint(e.Dev, 10) + " " + strconv.FormatUint(e.Ino, 10)
}

// readStream reads e from off to its size from a tail stream into chunks;
// ending ctx ends the stream. It reports false, having sent nothing, when
// the server refused the session: the caller reads over SFTP instead.
func (r *run) readStream(ctx context.Context, s *SFTP, e Entry, off, size int64, ch chan<- chunk, done <-chan struct{}) bool {
	rd, end, err := s.openStream(ctx, e, off)
	if errors.Is(err, errSessionRefused) {
		return false
	}
	if err != nil {
		ch <- chunk{err: err}
		return true
	}
	defer end()
	for o := off; o < e.Size; {
		buf := r.getBuf(size)[:min(size, e.Size-o)]
		n, err := io.ReadFull(rd, buf)
		if received != nil {
			received(n)
		}
		if err != nil {
			// Short: the file shrank (tail ended), or the link broke.
			if cerr := end(); cerr != nil {
				err = cerr
			} else {
				err = errChanged
			}
		}
		select {
		case ch <- chunk{off: o, buf: buf[:n], err: err}:
		case <-done:
			return true
		}
		if err != nil {
			return true
		}
		o += int64(n)
	}
	return true
}
