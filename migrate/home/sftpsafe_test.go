package home

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The SFTP target may be served by root in a directory its owner can
// write. These tests plant symlinks where fugu will write and check that
// nothing outside the tree is touched.

// outsideFile makes a file outside the tree that a planted link points to.
func outsideFile(t *testing.T, dir string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, "outside")
	must(t, os.WriteFile(p, data, 0o600))
	return p
}

func checkOutside(t *testing.T, p string, data []byte) {
	t.Helper()
	got, err := os.ReadFile(p)
	must(t, err)
	fi, err := os.Stat(p)
	must(t, err)
	if !bytes.Equal(got, data) || fi.Mode().Perm() != 0o600 {
		t.Errorf("the file outside the tree was changed: %d bytes, mode %v", len(got), fi.Mode().Perm())
	}
}

func TestSFTPTargetCreateDoesNotFollowPlantedLink(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "src", "a"), []byte("new content\n"), 0o644))
	src, dst := treePair(t, dir, "local", "sftp")
	secret := []byte("root:secret\n")
	out := outsideFile(t, dir, secret)
	must(t, os.Symlink(out, filepath.Join(dir, "dst", tmpName("a"))))
	sum, err := Copy(context.Background(), src, dst, Options{})
	must(t, err)
	checkOutside(t, out, secret)
	got, err := os.ReadFile(filepath.Join(dir, "dst", "a"))
	must(t, err)
	fi, err := os.Lstat(filepath.Join(dir, "dst", "a"))
	must(t, err)
	if string(got) != "new content\n" || fi.Mode() != 0o644 || sum.Copied != 1 {
		t.Errorf("a = %q mode %v (copied %d), want the source's content, 0644", got, fi.Mode(), sum.Copied)
	}
}

// TestSFTPTargetResumeRefusesSwappedTemp replaces an interrupted temp file
// by a link to an outside file with the same content, so that the check
// of the last chunk would pass: the resume must not write through it.
func TestSFTPTargetResumeRefusesSwappedTemp(t *testing.T) {
	dir := t.TempDir()
	data, src, dst := interruptBigFile(t, dir, "sftp")
	tmp := filepath.Join(dir, "dst", tmpName("big"))
	partial, err := os.ReadFile(tmp)
	must(t, err)
	if len(partial) < resumeChunk {
		t.Fatalf("temp file holds %d bytes, want at least a chunk", len(partial))
	}
	out := outsideFile(t, dir, partial)
	must(t, os.Remove(tmp))
	must(t, os.Symlink(out, tmp))
	_, err = Copy(context.Background(), src, dst, Options{Jobs: 1, Chunk: resumeChunk})
	must(t, err)
	checkOutside(t, out, partial)
	got, err := os.ReadFile(filepath.Join(dir, "dst", "big"))
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Error("big differs from the source")
	}
}

func TestSFTPChmodRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	s := inProcessSFTP(t, dir)
	out := outsideFile(t, t.TempDir(), []byte("x"))
	must(t, os.Symlink(out, filepath.Join(dir, "d")))
	if err := s.Chmod("d", 0o777); !errors.Is(err, errNoLchmod) {
		t.Errorf("Chmod of a symlink = %v, want %v", err, errNoLchmod)
	}
	checkOutside(t, out, []byte("x"))
	if err := s.Lchown("d", 0, 0); !errors.Is(err, errNoLchown) {
		t.Errorf("Lchown of a symlink = %v, want %v", err, errNoLchown)
	}
	before, err := os.Stat(out)
	must(t, err)
	if err := s.Chtimes("d", time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)); !errors.Is(err, errNoLchtimes) {
		t.Errorf("Chtimes of a symlink = %v, want %v", err, errNoLchtimes)
	}
	if after, err := os.Stat(out); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the link's target got mtime %v, %v", after.ModTime(), err)
	}
}

// TestSFTPWithoutShellTellsWhyNoResume: without a shell on the host the
// links of a temp file cannot be counted, so it is not resumed (nor a
// file's metadata set by name); the error says that, rather than
// claiming the file has another name.
func TestSFTPWithoutShellTellsWhyNoResume(t *testing.T) {
	dir := t.TempDir()
	s := inProcessSFTP(t, dir)
	s.runner = nil
	must(t, os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o600))
	_, err := s.OpenWrite("f")
	if err == nil || !strings.Contains(err.Error(), "cannot be counted without a shell on the host") {
		t.Errorf("OpenWrite without a shell = %v, want it to say the links cannot be counted", err)
	}
}
