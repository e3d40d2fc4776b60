package home

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Small files from a remote source travel in bundles: one command on the
// source host reads many files and sends them back-to-back, each with its
// sha256 and its lstat after reading, so a small file costs no SFTP round
// trips. This is what keeps many small files fast on a link with latency.
const (
	bundleMaxFile  = 256 << 10 // larger files go through SFTP
	bundleMaxBytes = 8 << 20   // per bundle: the source hashes a bundle with one openssl
	bundleMaxFiles = 1000
)

// bundleScript reads NUL-separated names on stdin; an empty name ends a
// bundle. For each name of the bundle it writes "ok LEN SIZE MTIME
// SHA256\n" and LEN bytes of content, or "err MSG\n", then "end\n", and
// waits for the next bundle until stdin ends. The hashes come from one
// openssl dgst per bundle where openssl is there (it uses the CPU's SHA
// instructions; Digest::SHA, the fallback, takes three times as long);
// openssl reads the files just before perl does, so a file changed in
// between shows as a hash that does not match, and is copied again.
// Names with a newline or backslash, which dgst -r escapes, are hashed
// by perl; openssl gets at most 64 KiB of names at a time (OpenBSD's
// ARG_MAX is 512 KiB). Output goes out with syswrite, a file per call.
// A file is opened without following a symlink (O_NOFOLLOW, and
// O_NONBLOCK so that a fifo cannot hang it) and read only if it is still
// the regular file lstat saw (device and inode): a name swapped for a
// link while the bundle runs, as a hostile owner of a home could do
// while root copies it, is reported, never read through.
const bundleScript = `perl -MDigest::SHA -MFcntl -e '$/ = "\0"; my $ossl = 1; my @q;
sub out { my $s = $_[0]; while (length $s) { my $w = syswrite(STDOUT, $s); if (!defined $w) { next if $!{EINTR}; exit 1 } substr($s, 0, $w, "") } }
sub dgst { my ($h, @s) = @_; my $p; open($p, "-|", "openssl", "dgst", "-sha256", "-r", map { "./$_" } @s) or return 0;
	local $/ = "\n"; my $k = 0; while (my $l = <$p>) { if ($l =~ /^([0-9a-f]{64}) \*\.\/(.*)\n\z/s) { $h->{$2} = $1; $k++ } }
	close $p; return $k }
sub sums { my %h; my @s; my $len = 0;
	for my $n (grep { !/[\n\\]/ } @_) { last unless $ossl;
		if (@s && $len + length($n) > 65536) { $ossl = 0 unless dgst(\%h, @s); @s = (); $len = 0 }
		push @s, $n; $len += length($n) + 3 }
	$ossl = 0 if $ossl && @s && !dgst(\%h, @s); return %h }
while (my $n = <STDIN>) { chomp $n;
	if ($n ne "") { push @q, $n; next }
	my %h = sums(@q);
	for $n (@q) {
		my @a = lstat($n);
		if (!@a || ! -f _) { out("err vanished or no longer a regular file\n"); next }
		my $f; if (!sysopen($f, $n, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) { my $e = "$!"; $e =~ s/\n/ /g; out("err $e\n"); next }
		my @o = stat($f); if ($o[0] != $a[0] || $o[1] != $a[1] || ! -f _) { close $f; out("err replaced while being read\n"); next }
		my $d = ""; my $r; while ($r = sysread($f, $d, $a[7] + 65536, length $d)) {} close $f;
		if (!defined $r) { my $e = "$!"; $e =~ s/\n/ /g; out("err $e\n"); next }
		my @b = lstat($n);
		out("ok " . length($d) . " $b[7] $b[9] " . ($h{$n} // Digest::SHA::sha256_hex($d)) . "\n" . $d);
	}
	@q = (); out("end\n");
}'`

// bundler collects small files for one bundle at a time (walk goroutine only).
type bundler struct {
	ctx    context.Context
	src    *SFTP
	files  []Entry
	bytes  int64
	warmed bool
	off    atomic.Bool // set when the host cannot run bundleScript
}

// bundleFor returns a bundler when src is a remote tree that can run
// commands, else nil.
func bundleFor(ctx context.Context, src Tree) *bundler {
	s, ok := src.(*SFTP)
	if !ok || s.runner == nil {
		return nil
	}
	return &bundler{ctx: ctx, src: s}
}

// line is the bundle command, run in the source tree.
func (b *bundler) line() string { return "cd " + shQuote(b.src.dir) + " && exec " + bundleScript }

// add takes e into the current bundle and returns the bundle once full.
// The first small file starts the helpers, so they are up by the time
// the first bundle is full.
func (b *bundler) add(e Entry) []Entry {
	if !b.warmed {
		b.warmed = true
		if b.src.canStream() {
			b.src.warmHelpers(b.ctx, b.line())
		}
	}
	b.files = append(b.files, e)
	b.bytes += e.Size
	if b.bytes >= bundleMaxBytes || len(b.files) >= bundleMaxFiles {
		return b.take()
	}
	return nil
}

func (b *bundler) take() []Entry {
	f := b.files
	b.files, b.bytes = nil, 0
	return f
}

// copyBundle fetches a bundle of small files and puts each in place as
// its bytes arrive: a file is verified, written and renamed while the
// files after it are still in transit.
func (r *run) copyBundle(files []Entry) {
	b := r.bundler
	var in bytes.Buffer
	for _, e := range files {
		in.WriteString(e.Path)
		in.WriteByte(0)
	}
	in.WriteByte(0)
	line := b.line()
	var rd io.Reader
	var end bundleEnd
	var err error
	if b.src.canStream() {
		rd, end, err = b.src.openHelperBundle(r.ctx, line, in.Bytes())
	} else {
		rd, end, err = b.src.openBundle(r.ctx, line, in.Bytes())
	}
	if err != nil && (r.ctx.Err() != nil || classify(err) == fatal) {
		r.fatal(fmt.Errorf("fetch small files: %w", err))
		return
	}
	if err != nil {
		// A command that could not start (say, a session the server
		// refused) costs only this bundle its speed.
		for _, e := range files {
			r.copyFile(e, 1)
		}
		return
	}
	br := bufio.NewReaderSize(rd, 64<<10)
	for i, e := range files {
		p, err := r.unbundle(br, e)
		switch {
		case errors.Is(err, errChanged), errors.Is(err, fs.ErrNotExist):
			// Vanished, or no longer a regular file: a fresh look at
			// the source tells which, and copies it if it is back.
			r.retry(e.Path, 1)
		case errors.Is(err, errBadBundle):
			r.bundleBroke(files[i:], br, end, err)
			return
		case err != nil:
			r.fileError(e.Path, err)
		default:
			r.place(p, p.sum)
		}
		if r.ctx.Err() != nil {
			_, _ = end(true)
			return
		}
	}
	if l, err := br.ReadString('\n'); err != nil || l != "end\n" {
		// Out of step with the command: it must not serve another bundle.
		_, _ = end(true)
		return
	}
	_, _ = end(false)
}

// bundleBroke handles a bundle whose output stopped making sense before
// files (the rest of the bundle) were read: the command failed (no perl
// or no Digest::SHA: later files go one by one), the connection broke, or
// the output is malformed.
func (r *run) bundleBroke(files []Entry, br *bufio.Reader, end bundleEnd, err error) {
	// Only a command whose output has ended has an exit status to wait for.
	_, perr := br.Peek(1)
	code, cerr := end(perr == nil)
	switch {
	case r.ctx.Err() != nil:
	case cerr != nil:
		r.fatal(fmt.Errorf("fetch small files: %w", cerr))
	case code != 0:
		r.bundler.off.Store(true)
		for _, e := range files {
			r.copyFile(e, 1)
		}
	default:
		// A malformed reply: the file it broke on is reported, and the
		// rest are copied one by one rather than lost.
		r.fileError(files[0].Path, err)
		for _, e := range files[1:] {
			r.copyFile(e, 1)
		}
	}
}

var errBadBundle = errors.New("malformed reply from the bundle command")

// smallBufs holds buffers for one small file's content each: a bundled
// file is read, hashed and written before the next, so a buffer per
// worker goes round instead of one allocation (and garbage) per file.
var smallBufs = sync.Pool{New: func() any { b := make([]byte, bundleMaxFile); return &b }}

func getSmallBuf(n int64) []byte {
	if n > bundleMaxFile {
		return make([]byte, n)
	}
	return (*smallBufs.Get().(*[]byte))[:n]
}

func putSmallBuf(b []byte) {
	if cap(b) == bundleMaxFile {
		b = b[:cap(b)]
		smallBufs.Put(&b)
	}
}

// createSmall creates a small file's temp file: on a local target with
// a bare openat and e's permissions already (the content is verified
// before it is written, so the file need not start private).
func (r *run) createSmall(tmp string, mode fs.FileMode) (File, bool, error) {
	if l, ok := r.dst.(*Local); ok {
		return l.CreateSmall(tmp, mode)
	}
	f, err := r.dst.Create(tmp)
	return f, false, err
}

// unbundle reads one file's record from br and writes it to its temp name.
func (r *run) unbundle(br *bufio.Reader, e Entry) (*pending, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, errBadBundle
	}
	line = strings.TrimSuffix(line, "\n")
	if msg, ok := strings.CutPrefix(line, "err "); ok {
		if strings.Contains(msg, "vanished") || strings.Contains(msg, "No such file") {
			return nil, fmt.Errorf("%s: %w", msg, fs.ErrNotExist)
		}
		if strings.Contains(msg, "Permission denied") {
			return nil, fmt.Errorf("%s: %w", msg, fs.ErrPermission)
		}
		return nil, errors.New(msg)
	}
	f := strings.Fields(line)
	if len(f) != 5 || f[0] != "ok" {
		return nil, errBadBundle
	}
	n, err1 := strconv.ParseInt(f[1], 10, 64)
	size, err2 := strconv.ParseInt(f[2], 10, 64)
	mtime, err3 := strconv.ParseInt(f[3], 10, 64)
	want, err4 := hex.DecodeString(f[4])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || n < 0 || n > bundleMaxFile*4 {
		return nil, errBadBundle
	}
	data := getSmallBuf(n)
	defer putSmallBuf(data)
	if _, err := io.ReadFull(br, data); err != nil {
		return nil, errBadBundle
	}
	if n != e.Size || size != e.Size || mtime != e.ModTime.Unix() {
		return nil, errChanged
	}
	r.opt.Progress.Bytes(n)
	r.mu.Lock()
	r.sum.Bytes += n
	r.mu.Unlock()
	got := sha256.Sum256(data)
	if !bytes.Equal(got[:], want) {
		// The file changed between hashing and reading on the source
		// (or the bytes were damaged): a fresh copy, verified on its
		// own, decides.
		return nil, errChanged
	}
	tmp := tmpName(e.Path)
	if err := r.j.add(record{T: "start", P: e.Path, Tmp: tmp, Size: e.Size, Mtime: e.ModTime.Unix()}); err != nil {
		return nil, err
	}
	t, permSet, err := r.createSmall(tmp, e.Mode)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", tmp, checkNoSpace(r.dst, err, n))
	}
	// Written whole, holes and all: a small file is flushed only by the
	// sync at the end of the run, and a size set by Truncate before that
	// could survive a crash of the machine while the data does not (a
	// file of zeros with the right size and mtime, which the next run
	// would take for unchanged).
	if n > 0 {
		_, err = t.WriteAt(data, 0)
	}
	var metaSet bool
	if err == nil {
		// The content is verified already: set the metadata now.
		var merr error
		if metaSet, merr = r.setMetaFD(t, e, permSet); merr != nil {
			t.Close()
			_ = r.dst.Remove(tmp)
			return nil, merr
		}
	}
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = r.dst.Remove(tmp)
		return nil, fmt.Errorf("write %s: %w", tmp, checkNoSpace(r.dst, err, n))
	}
	return &pending{e: e, tmp: tmp, sum: got[:], metaSet: metaSet}, nil
}
