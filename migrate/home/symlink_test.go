package home

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestSymlinkMtime copies symlinks whose own mtimes are in the past to a
// local target, from a local tree, over SFTP and over a real sshd: each
// link arrives with its mtime, and its target's mtime is untouched.
func TestSymlinkMtime(t *testing.T) {
	linkTime := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	fileTime := time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC)
	mkSrc := func(t *testing.T, src string) {
		must(t, os.MkdirAll(filepath.Join(src, "d"), 0o755))
		must(t, os.WriteFile(filepath.Join(src, "d", "file"), []byte("x"), 0o644))
		must(t, os.Chtimes(filepath.Join(src, "d", "file"), fileTime, fileTime))
		for _, l := range []struct{ target, name string }{{"d/file", "top-link"}, {"file", "d/link"}, {"/nowhere", "d/dangling"}} {
			p := filepath.Join(src, l.name)
			must(t, os.Symlink(l.target, p))
			ts := []unix.Timespec{unix.NsecToTimespec(linkTime.UnixNano()), unix.NsecToTimespec(linkTime.UnixNano())}
			must(t, unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW))
		}
	}
	check := func(t *testing.T, dst string) {
		for _, n := range []string{"top-link", "d/link", "d/dangling"} {
			fi, err := os.Lstat(filepath.Join(dst, n))
			must(t, err)
			if !fi.ModTime().Equal(linkTime) {
				t.Errorf("%s: mtime %v, want %v", n, fi.ModTime(), linkTime)
			}
		}
		if fi, err := os.Stat(filepath.Join(dst, "d", "file")); err != nil || !fi.ModTime().Equal(fileTime) {
			t.Errorf("d/file: %v, %v; want mtime %v", fi.ModTime(), err, fileTime)
		}
	}
	for _, d := range []struct{ name, src string }{{"local", "local"}, {"sftp", "sftp"}} {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			mkSrc(t, filepath.Join(dir, "src"))
			src, dst := treePair(t, dir, d.src, "local")
			_, err := Copy(context.Background(), src, dst, Options{})
			must(t, err)
			check(t, filepath.Join(dir, "dst"))
			// Unchanged links with another mtime get theirs back.
			ts := []unix.Timespec{unix.NsecToTimespec(0), unix.NsecToTimespec(0)}
			must(t, unix.UtimesNanoAt(unix.AT_FDCWD, filepath.Join(dir, "dst", "d", "link"), ts, unix.AT_SYMLINK_NOFOLLOW))
			_, err = Copy(context.Background(), src, dst, Options{})
			must(t, err)
			check(t, filepath.Join(dir, "dst"))
		})
	}
	t.Run("sshd", func(t *testing.T) {
		f := startSSHD(t)
		dir := t.TempDir()
		mkSrc(t, filepath.Join(dir, "src"))
		h, c := f.dial(t, f.srv.Target())
		_, err := Copy(context.Background(), NewSFTP(c, filepath.Join(dir, "src"), "src", h), openLocal(t, filepath.Join(dir, "dst")), Options{})
		must(t, err)
		check(t, filepath.Join(dir, "dst"))
	})
}
