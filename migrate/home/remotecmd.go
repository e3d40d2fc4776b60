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
// in the base install, so one script serves both.
const scanScript = `perl -e 'use File::Find; my ($n, $b) = (0, 0);
find({no_chdir => 1, wanted => sub {
	my @s = lstat($_) or return;
	return unless -f _;
	$n++; $b += $s[7];
	print "$s[0] $s[1] $_\0" if $s[3] > 1;
}}, "."); print "T $n $b\0"'`

// Scan runs scanScript on the remote host. Without a Runner, or when the
// host has no perl, it falls back to an SFTP walk and reports no hard
// links (Links is nil).
func (s *SFTP) Scan(ctx context.Context) (Scan, error) {
	s.scanOnce.Do(func() {
		if s.runner != nil {
			res, err := s.runner.Run(ctx, remote.Command{Line: "cd " + shQuote(s.dir) + " && " + scanScript})
			if err == nil && res.ExitCode == 0 {
				s.scan, s.scanErr = parseScan(res.Stdout)
				if s.scanErr == nil {
					return
				}
			}
		}
		var sc Scan
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

// sumScript hashes the NUL-separated names on stdin: sha256sum on GNU
// systems (-z: NUL-terminated records, names unescaped), sha256 -q on
// OpenBSD (digests only, one a line).
const sumScript = `if command -v sha256sum >/dev/null 2>&1; then exec xargs -0 sha256sum -z --; ` +
	`else exec xargs -0 sha256 -q --; fi`

// Sum hashes names on the remote host in one command. A name that could
// not be hashed (vanished, unreadable) makes the whole batch come back
// nil, and the caller re-reads those files instead.
func (s *SFTP) Sum(ctx context.Context, names []string) ([][]byte, error) {
	out := make([][]byte, len(names))
	if s.runner == nil || len(names) == 0 {
		return out, nil
	}
	var in bytes.Buffer
	for _, n := range names {
		in.WriteString(n)
		in.WriteByte(0)
	}
	res, err := s.runner.Run(ctx, remote.Command{Line: "cd " + shQuote(s.dir) + " && " + sumScript, Stdin: &in})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return out, nil
	}
	digests := parseSums(res.Stdout)
	if len(digests) != len(names) {
		return out, nil
	}
	return digests, nil
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
