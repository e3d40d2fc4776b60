package home

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// walkScript walks the tree on the source host and prints, per entry,
// a header and its path, each NUL-terminated: "KIND MODE SIZE MTIME UID
// GID DEV INO NLINK" (KIND d, f, l or o; MODE the raw st_mode) or, for
// an entry it cannot read, "E MESSAGE". Directories come before what
// they hold, names sorted within a directory. One command replaces an
// SFTP round trip per directory, and brings the inode numbers SFTP does
// not carry, so hard links are found in the same pass. A child process
// counts the regular files and their bytes meanwhile and prints
// "T FILES BYTES" on stderr for the progress bar: the walk itself goes
// only as fast as the copy takes its entries.
const walkScript = `perl -e 'my $kid = fork();
if (defined $kid && $kid == 0) { close STDOUT; my ($n, $b) = (0, 0); my @d = (".");
	while (defined(my $d = pop @d)) { opendir(my $h, $d) or next; my @e = readdir $h; closedir $h;
		for my $e (@e) { next if $e eq "." || $e eq ".."; my $p = "$d/$e"; my @s = lstat($p) or next;
			if (-d _) { push @d, $p; next } next unless -f _; $n++; $b += $s[7] } }
	print STDERR "T $n $b\n"; exit 0 }
my @d = ("."); binmode STDOUT;
sub rec { my ($h, $p) = @_; $p =~ s{^\./}{}; print $h, "\0", $p, "\0" }
while (defined(my $d = pop @d)) {
	my $h; if (!opendir($h, $d)) { my $e = "$!"; rec("E $e", $d); next }
	my @e = sort grep { $_ ne "." && $_ ne ".." } readdir $h; closedir $h;
	my @sub;
	for my $e (@e) { my $p = "$d/$e"; my @s = lstat($p);
		if (!@s) { my $x = "$!"; rec("E $x", $p); next }
		my $t = -d _ ? "d" : -f _ ? "f" : -l _ ? "l" : "o";
		rec("$t $s[2] $s[7] $s[9] $s[4] $s[5] $s[0] $s[1] $s[3]", $p);
		push @sub, $p if $t eq "d" }
	push @d, reverse @sub }
close STDOUT; waitpid($kid, 0) if $kid;'`

// errNoWalkCommand means walkScript could not run (no perl): the caller
// walks over SFTP instead.
var errNoWalkCommand = errors.New("walk command unavailable")

// walkStream walks the tree with walkScript in an SSH session of its own.
// It returns errNoWalkCommand when the command ended without a single
// record and with a failure status, before fn was ever called.
func (s *SFTP) walkStream(ctx context.Context, fn func(Entry, error) error) error {
	c := s.runner.(sshClienter).Client()
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.release()
	sess, err := c.NewSession()
	if err != nil {
		var refused *ssh.OpenChannelError
		if errors.As(err, &refused) {
			return errNoWalkCommand
		}
		return errors.Join(ErrConnection, err)
	}
	defer sess.Close()
	out, err1 := sess.StdoutPipe()
	errOut, err2 := sess.StderrPipe()
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	totals := make(chan struct{})
	go func() {
		defer close(totals)
		s.readTotals(errOut)
	}()
	defer func() {
		sess.Close()
		<-totals
	}()
	if err := sess.Start(s.runner.(sshClienter).CommandLine("cd " + shQuote(s.dir) + " && exec " + walkScript)); err != nil {
		return errors.Join(ErrConnection, err)
	}
	stop := context.AfterFunc(ctx, func() { sess.Close() })
	defer stop()
	br := bufio.NewReaderSize(out, 64<<10)
	n, werr := walkRecords(br, func(e Entry, err error) error {
		s.perl.Store(true) // a record came: perl runs there
		return fn(e, err)
	})
	if werr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return werr
	}
	err = sess.Wait()
	var exit *ssh.ExitError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &exit) && n == 0:
		return errNoWalkCommand
	case errors.As(err, &exit):
		return fmt.Errorf("walk command failed with status %d", exit.ExitStatus())
	case err != nil:
		return errors.Join(ErrConnection, err)
	}
	return nil
}

// readTotals reads the walk command's stderr for its "T FILES BYTES"
// line and hands the totals to Scan; the end of stderr without one
// lets Scan count another way.
func (s *SFTP) readTotals(r io.Reader) {
	defer s.endTotals()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "T" {
			continue
		}
		files, err1 := strconv.ParseInt(f[1], 10, 64)
		bytes, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 == nil && err2 == nil && files >= 0 && bytes >= 0 {
			select {
			case s.totals <- Scan{Files: files, Bytes: bytes}:
			default:
			}
		}
	}
}

// endTotals tells Scan that no more totals will come from a walk.
func (s *SFTP) endTotals() { s.totalsOnce.Do(func() { close(s.totals) }) }

// walkRecords reads walkScript's records from br and calls fn for each,
// skipping what lies below a directory fn answered fs.SkipDir. It returns
// how many records it read.
func walkRecords(br *bufio.Reader, fn func(Entry, error) error) (int, error) {
	skipped := map[string]bool{}
	n := 0
	for {
		hdr, err := br.ReadString(0)
		if err == io.EOF && hdr == "" {
			return n, nil
		}
		if err != nil {
			return n, errors.Join(ErrConnection, err)
		}
		p, err := br.ReadString(0)
		if err != nil {
			return n, errors.Join(ErrConnection, fmt.Errorf("walk: record %q without a path", hdr))
		}
		n++
		hdr, p = hdr[:len(hdr)-1], p[:len(p)-1]
		if p == "." {
			_, err := parseWalkRecord(hdr, p)
			return n, fmt.Errorf("read the top directory: %w", err)
		}
		if !validPath(p) {
			return n, fmt.Errorf("walk: invalid path %q", p)
		}
		if skipped[path.Dir(p)] {
			skipped[p] = true // the whole subtree goes
			continue
		}
		e, rerr := parseWalkRecord(hdr, p)
		if rerr != nil && errors.Is(rerr, errBadRecord) {
			return n, rerr
		}
		err = fn(e, rerr)
		switch {
		case err == fs.SkipDir && e.Mode.IsDir():
			skipped[p] = true
		case err == fs.SkipDir:
		case err != nil:
			return n, err
		}
	}
}

var errBadRecord = errors.New("walk: malformed record")

// parseWalkRecord turns a header and path into an Entry, or into the
// error the header reports (then the Entry names the path, as a
// directory when it was a listing that failed).
func parseWalkRecord(hdr, p string) (Entry, error) {
	if msg, ok := strings.CutPrefix(hdr, "E "); ok {
		err := errors.New(msg)
		switch {
		case strings.Contains(msg, "Permission denied"):
			err = fmt.Errorf("%s: %w", msg, fs.ErrPermission)
		case strings.Contains(msg, "No such file"):
			err = fmt.Errorf("%s: %w", msg, fs.ErrNotExist)
		}
		return Entry{Path: p, Mode: fs.ModeDir}, err
	}
	f := strings.Split(hdr, " ")
	if len(f) != 9 || len(f[0]) != 1 {
		return Entry{}, fmt.Errorf("%w %q", errBadRecord, hdr)
	}
	var v [8]int64
	for i, s := range f[1:] {
		x, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Entry{}, fmt.Errorf("%w %q", errBadRecord, hdr)
		}
		v[i] = x
	}
	mode := fs.FileMode(v[0]&0o777) | unixModeBits(uint32(v[0]))
	switch f[0] {
	case "d":
		mode |= fs.ModeDir
	case "f":
	case "l":
		mode |= fs.ModeSymlink
	default:
		mode |= otherType(uint32(v[0]))
	}
	return Entry{
		Path: p, Mode: mode, Size: v[1], ModTime: time.Unix(v[2], 0),
		UID: int(v[3]), GID: int(v[4]), Dev: uint64(v[5]), Ino: uint64(v[6]), Nlink: uint64(v[7]),
	}, nil
}

// otherType gives a special file the fs.FileMode type bits of its st_mode.
func otherType(m uint32) fs.FileMode {
	switch m & 0o170000 {
	case 0o140000:
		return fs.ModeSocket
	case 0o010000:
		return fs.ModeNamedPipe
	case 0o020000:
		return fs.ModeDevice | fs.ModeCharDevice
	case 0o060000:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// validPath accepts the relative, clean, slash-separated paths of a
// tree, and nothing that could climb out of it.
func validPath(p string) bool {
	if p == "" || p == "." || strings.HasPrefix(p, "/") || strings.Contains(p, "\x00") {
		return false
	}
	for _, c := range strings.Split(p, "/") {
		if !validName(c) {
			return false
		}
	}
	return true
}
