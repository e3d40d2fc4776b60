package home

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"fugu/migrate/remote"
)

// Runner runs a shell command on the host that holds an SFTP tree.
// remote.Host satisfies it.
type Runner interface {
	Run(ctx context.Context, cmd remote.Command) (remote.Result, error)
}

// scanScript counts regular files and bytes and lists every regular file
// with more than one link as "dev ino path\0". OpenBSD's find has no
// -printf and its stat(1) differs from GNU's, but both systems ship perl
// in the base install, so one script serves both. It walks with readdir
// and one lstat per entry (never following symlinks): File::Find takes
// more than twice as long, stat-ing every entry again itself.
const scanScript = `perl -e 'my ($n, $b) = (0, 0); my @d = (".");
while (defined(my $d = pop @d)) {
	opendir(my $h, $d) or next; my @e = readdir $h; closedir $h;
	for my $e (@e) {
		next if $e eq "." || $e eq ".."; my $p = "$d/$e"; my @s = lstat($p) or next;
		if (-d _) { push @d, $p; next }
		next unless -f _;
		$n++; $b += $s[7];
		print "$s[0] $s[1] $p\0" if $s[3] > 1;
	}
} print "T $n $b\0"'`

// Scan counts files and bytes. Over SSH it takes the counts of the
// streamed walk (see walkScript), which must run; else, or when that
// walk could not count, it runs scanScript on the remote host, and
// without a Runner or perl it falls back to an SFTP walk and sets
// NoLinks.
func (s *SFTP) Scan(ctx context.Context) (Scan, error) {
	s.scanOnce.Do(func() {
		if s.canStream() {
			select {
			case sc, ok := <-s.totals:
				if ok {
					s.scan = sc
					return
				}
			case <-ctx.Done():
				s.scanErr = ctx.Err()
				return
			}
		}
		if s.runner != nil {
			res, err := s.run(ctx, remote.Command{Line: "cd " + shQuote(s.dir) + " && " + scanScript})
			if err == nil && res.ExitCode == 0 {
				s.scan, s.scanErr = parseScan(res.Stdout)
				if s.scanErr == nil {
					return
				}
			}
		}
		sc := Scan{NoLinks: true}
		s.scanErr = s.walk(ctx, ".", nil, func(e Entry, _ error) error {
			if e.Mode.IsRegular() {
				sc.Files++
				sc.Bytes += e.Size
			}
			return nil
		})
		s.scan = sc
	})
	return s.scan, s.scanErr
}

// parseScan reads scanScript's output.
func parseScan(out []byte) (Scan, error) {
	sc := Scan{Links: map[string]FileID{}}
	recs := bytes.Split(out, []byte{0})
	total := false
	for _, r := range recs {
		if len(r) == 0 {
			continue
		}
		f := strings.SplitN(string(r), " ", 3)
		if len(f) != 3 {
			return Scan{}, fmt.Errorf("scan: bad record %q", r)
		}
		a, err1 := strconv.ParseUint(f[1], 10, 64)
		if f[0] == "T" {
			b, err2 := strconv.ParseInt(f[2], 10, 64)
			if err1 != nil || err2 != nil {
				return Scan{}, fmt.Errorf("scan: bad total %q", r)
			}
			sc.Files, sc.Bytes, total = int64(a), b, true
			continue
		}
		d, err2 := strconv.ParseUint(f[0], 10, 64)
		if err1 != nil || err2 != nil {
			return Scan{}, fmt.Errorf("scan: bad record %q", r)
		}
		p := strings.TrimPrefix(f[2], "./")
		sc.Links[p] = FileID{Dev: d, Ino: a}
	}
	if !total {
		return Scan{}, fmt.Errorf("scan: no total line")
	}
	return sc, nil
}

// statSumScript hashes the NUL-separated names on stdin with perl's
// Digest::SHA (in perl's core on OpenBSD and Debian) and lstats each file
// after hashing: "hex size mtime\0", or "-\0" for a file it could not read.
const statSumScript = `perl -MDigest::SHA -0 -ne 'chomp; my $d = eval { Digest::SHA->new(256)->addfile($_, "b")->hexdigest };
my @s = lstat($_); print((defined $d && @s) ? "$d $s[7] $s[9]\0" : "-\0")'`

// sumScript hashes the NUL-separated names on stdin: sha256sum on GNU
// systems (-z: NUL-terminated records, names unescaped), sha256 -q on
// OpenBSD (digests only, one a line). It is the fallback without perl.
const sumScript = `if command -v sha256sum >/dev/null 2>&1; then exec xargs -0 sha256sum -z --; ` +
	`else exec xargs -0 sha256 -q --; fi`

// oneSumScript hashes one big file on stdin; openssl's sha256 uses the
// CPU's SHA instructions and is several times faster than the others.
const oneSumScript = `if command -v openssl >/dev/null 2>&1; then exec openssl dgst -sha256 -r; ` +
	`elif command -v sha256sum >/dev/null 2>&1; then exec sha256sum; else exec sha256 -q; fi`

// Sum hashes names on the remote host in one command. Names that could
// not be hashed (vanished, unreadable) get a nil Sum, and the caller
// re-reads those files instead.
func (s *SFTP) Sum(ctx context.Context, names []string) ([]Digest, error) {
	out := make([]Digest, len(names))
	if s.runner == nil || len(names) == 0 {
		return out, nil
	}
	cd := "cd " + shQuote(s.dir) + " && "
	if len(names) == 1 {
		res, err := s.run(ctx, remote.Command{Line: cd + oneSumScript + " < " + shQuote(names[0])})
		if err != nil {
			return nil, err
		}
		if d := parseSums(res.Stdout); res.ExitCode == 0 && len(d) == 1 {
			out[0].Sum = d[0]
		}
		return out, nil
	}
	var in bytes.Buffer
	for _, n := range names {
		// ./: a file named - is a file, not standard input, to both
		// Digest::SHA's addfile and sha256sum.
		in.WriteString("./" + n)
		in.WriteByte(0)
	}
	stdin := in.Bytes()
	res, err := s.run(ctx, remote.Command{Line: cd + statSumScript, Stdin: bytes.NewReader(stdin)})
	if err != nil {
		return nil, err
	}
	if d, ok := parseStatSums(res.Stdout, len(names)); res.ExitCode == 0 && ok {
		return d, nil
	}
	res, err = s.run(ctx, remote.Command{Line: cd + sumScript, Stdin: bytes.NewReader(stdin)})
	if err != nil {
		return nil, err
	}
	if d := parseSums(res.Stdout); res.ExitCode == 0 && len(d) == len(names) {
		for i := range d {
			out[i].Sum = d[i]
		}
	}
	return out, nil
}

// parseStatSums reads statSumScript's output; ok is false unless it
// holds exactly n well-formed records.
func parseStatSums(b []byte, n int) ([]Digest, bool) {
	recs := bytes.Split(b, []byte{0})
	if len(recs) != n+1 || len(recs[n]) != 0 {
		return nil, false
	}
	out := make([]Digest, n)
	for i, r := range recs[:n] {
		if string(r) == "-" {
			continue
		}
		f := strings.Fields(string(r))
		if len(f) != 3 || len(f[0]) != 64 {
			return nil, false
		}
		sum, err1 := hex.DecodeString(f[0])
		size, err2 := strconv.ParseInt(f[1], 10, 64)
		mtime, err3 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, false
		}
		out[i] = Digest{Sum: sum, Stat: true, Size: size, Mtime: mtime}
	}
	return out, true
}

// parseSums reads either output form of sumScript: NUL-terminated
// "digest  name" records, or newline-terminated bare digests.
func parseSums(b []byte) [][]byte {
	sep := byte('\n')
	if bytes.IndexByte(b, 0) >= 0 {
		sep = 0
	}
	var out [][]byte
	for _, r := range bytes.Split(b, []byte{sep}) {
		if len(r) == 0 {
			continue
		}
		if len(r) < 64 {
			return nil
		}
		d, err := hex.DecodeString(string(r[:64]))
		if err != nil {
			return nil
		}
		out = append(out, d)
	}
	return out
}

// shQuote quotes s for a POSIX shell.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
