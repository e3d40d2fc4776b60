package home

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"fugu/migrate/remote"

	"github.com/pkg/sftp"
)

// An SFTP v3 server reports a full disk as a plain "failure", and statvfs
// (Free) sees a full file system but not a user's quota, nor anything on
// a server without the statvfs@openssh.com extension. Over SSH the
// target host can say itself: spaceScript tries to write what the failed
// write needed, and the errno tells a full disk from any other failure.

// spaceProber is a Tree that can ask its host whether writes fail for
// want of space.
type spaceProber interface {
	outOfSpace(need int64) bool
}

// spaceScript creates a file beside the tree's own temporary files,
// writes N bytes to it, and removes it. It prints "full" when the file
// system refuses them for want of space or quota (ENOSPC, EDQUOT: named
// by Errno, since Linux and OpenBSD number them differently), "room"
// when they fit, and "error" for any other failure.
const spaceScript = `perl -MErrno -MFcntl -e 'my $n = $ARGV[0]; my $t = ".fugu-tmp-space.$$";
sub done { my $full = $!{ENOSPC} || $!{EDQUOT}; unlink $t; print($full ? "full\n" : "error\n"); exit }
sysopen(my $f, $t, O_WRONLY | O_CREAT | O_EXCL, 0600) or done();
my $b = "f" x 65536;
while ($n > 0) { my $w = syswrite($f, $b, $n < 65536 ? $n : 65536); done() unless defined $w; $n -= $w }
close($f) or done(); unlink $t; print "room\n"'`

// spaceProbeMax bounds what a probe writes: a bundle is at most this big.
const spaceProbeMax = bundleMaxBytes

// spaceProbeEvery is how long a probe's answer stands: files failing at
// once (one per job) ask the host once, not each.
const spaceProbeEvery = 5 * time.Second

// spaceProbe holds the last answer of an SFTP tree's host.
type spaceProbe struct {
	mu   sync.Mutex
	at   time.Time
	full bool
}

func (s *SFTP) outOfSpace(need int64) bool {
	if s.runner == nil {
		return false
	}
	s.space.mu.Lock()
	defer s.space.mu.Unlock()
	if !s.space.at.IsZero() && time.Since(s.space.at) < spaceProbeEvery {
		return s.space.full
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	line := "cd " + shQuote(s.dir) + " && " + spaceScript + " " + strconv.FormatInt(max(1, min(need, spaceProbeMax)), 10)
	res, err := s.run(ctx, remote.Command{Line: line})
	s.space.at = time.Now()
	s.space.full = err == nil && res.ExitCode == 0 && string(res.Stdout) == "full\n"
	return s.space.full
}

// genericFailure reports whether err is SFTP's catch-all status, which
// is what a full disk looks like from the client.
func genericFailure(err error) bool {
	var se *sftp.StatusError
	return errors.As(err, &se) && se.FxCode() == sftp.ErrSSHFxFailure
}
