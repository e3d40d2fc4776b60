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
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUnbundle(t *testing.T) {
	mt := time.Unix(1700000000, 0)
	e := Entry{Path: "f", Size: 5, ModTime: mt}
	sum := sha256.Sum256([]byte("hello"))
	ok := func(n, size, mtime int64, hash []byte, body string) string {
		return fmt.Sprintf("ok %d %d %d %s\n%s", n, size, mtime, hex.EncodeToString(hash), body)
	}
	tests := []struct {
		name string
		in   string
		want error // nil: the file is written
	}{
		{"good", ok(5, 5, mt.Unix(), sum[:], "hello"), nil},
		{"vanished", "err vanished or no longer a regular file\n", fs.ErrNotExist},
		{"denied", "err Permission denied\n", fs.ErrPermission},
		{"grew while read", ok(5, 6, mt.Unix(), sum[:], "hello"), errChanged},
		{"touched while read", ok(5, 5, mt.Unix()+1, sum[:], "hello"), errChanged},
		{"corrupted in transit", ok(5, 5, mt.Unix(), sum[:], "jello"), errChanged}, // copied again, verified on its own
		{"truncated reply", ok(5, 5, mt.Unix(), sum[:], "hel"), errBadBundle},
		{"garbage", "what\n", errBadBundle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := &run{dst: openLocal(t, dir), opt: Options{Progress: NopProgress{}}, ctx: context.Background()}
			j, _, err := openJournal(r.dst, "")
			must(t, err)
			r.j = j
			p, err := r.unbundle(bufio.NewReader(strings.NewReader(tt.in)), e)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("unbundle = %v", err)
			case tt.want == nil:
				b, _ := os.ReadFile(filepath.Join(dir, p.tmp))
				if string(b) != "hello" {
					t.Errorf("temp file = %q, want hello", b)
				}
			case err == nil:
				t.Fatalf("unbundle = nil, want %v", tt.want)
			case !errors.Is(err, tt.want) && !strings.Contains(err.Error(), tt.want.Error()):
				t.Errorf("unbundle = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestBundleFallsBackWithoutPerl copies from a host without perl: the
// small files then go one by one over SFTP, and hashing falls back too.
func TestBundleFallsBackWithoutPerl(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	src := inProcessSFTP(t, filepath.Join(dir, "src"))
	src.runner = noPerlRunner{}
	_, err := Copy(context.Background(), src, openLocal(t, filepath.Join(dir, "dst")), Options{})
	must(t, err)
	want := snapshot(t, filepath.Join(dir, "src"))
	got := snapshot(t, filepath.Join(dir, "dst"))
	// Without perl hard links cannot be found (SFTP has no inode numbers):
	// the two names arrive as two files with the same content.
	delete(want, "links:a/hard2,hard1")
	sameTree(t, want, got)
}

// TestBundleScript runs the bundle command on names that openssl dgst -r
// would escape or take for options, in two bundles, with and without
// openssl on the PATH: every file comes back whole with its own sha256.
func TestBundleScript(t *testing.T) {
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("no perl")
	}
	dir := t.TempDir()
	names := []string{"plain", "-dash", "new\nline", `back\slash`, "sp ace", "ünï", "d/in dir", "empty", "gone"}
	for _, n := range names {
		if n == "gone" {
			continue
		}
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, n)), 0o755))
		body := strings.Repeat(n, 1000)
		if n == "empty" {
			body = ""
		}
		must(t, os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644))
	}
	var req bytes.Buffer
	for i, n := range names {
		req.WriteString(n + "\x00")
		if i == 3 {
			req.WriteString("\x00") // end of the first bundle
		}
	}
	req.WriteString("\x00")
	onlyPerl := t.TempDir()
	must(t, os.Symlink(perl, filepath.Join(onlyPerl, "perl")))
	// An openssl that notes its calls, to see it used where it is.
	var paths = []string{onlyPerl}
	logged := filepath.Join(t.TempDir(), "calls")
	if ossl, err := exec.LookPath("openssl"); err == nil {
		withSSL := t.TempDir()
		must(t, os.Symlink(perl, filepath.Join(withSSL, "perl")))
		must(t, os.WriteFile(filepath.Join(withSSL, "openssl"), []byte("#!/bin/sh\necho \"$#\" >>"+shQuote(logged)+"\nexec "+shQuote(ossl)+" \"$@\"\n"), 0o755))
		paths = append(paths, withSSL)
	}
	for _, path := range paths {
		cmd := exec.Command("/bin/sh", "-c", "cd "+shQuote(dir)+" && exec "+bundleScript)
		cmd.Env = append(os.Environ(), "PATH="+path)
		cmd.Stdin = bytes.NewReader(req.Bytes())
		out, err := cmd.Output()
		must(t, err)
		br := bufio.NewReader(bytes.NewReader(out))
		for i, n := range names {
			hdr, err := br.ReadString('\n')
			must(t, err)
			if n == "gone" {
				if !strings.HasPrefix(hdr, "err ") {
					t.Errorf("PATH=%s: %q: %q, want an error", path, n, hdr)
				}
				continue
			}
			f := strings.Fields(hdr)
			if len(f) != 5 || f[0] != "ok" {
				t.Fatalf("PATH=%s: %q: header %q", path, n, hdr)
			}
			want, _ := os.ReadFile(filepath.Join(dir, n))
			got := make([]byte, len(want))
			_, err = io.ReadFull(br, got)
			must(t, err)
			sum := sha256.Sum256(want)
			if !bytes.Equal(got, want) || f[1] != strconv.Itoa(len(want)) || f[4] != hex.EncodeToString(sum[:]) {
				t.Errorf("PATH=%s: %q: header %q and %d bytes, want %d bytes with sha256 %x", path, n, hdr, len(got), len(want), sum)
			}
			if i == 3 {
				if l, _ := br.ReadString('\n'); l != "end\n" {
					t.Fatalf("PATH=%s: after the first bundle: %q, want end", path, l)
				}
			}
		}
		if rest, _ := io.ReadAll(br); string(rest) != "end\n" {
			t.Errorf("PATH=%s: after the last bundle: %q, want end", path, rest)
		}
	}
	if len(paths) > 1 {
		// One call per bundle, each with the names it can print plainly:
		// plain, -dash, then sp ace, ünï, d/in dir, empty, gone.
		if b, _ := os.ReadFile(logged); string(b) != "5\n8\n" {
			t.Errorf("openssl calls (argument counts): %q, want 5 then 8", b)
		}
	}
}
