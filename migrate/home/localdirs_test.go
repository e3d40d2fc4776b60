package home

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestLocalDirRoots works in more directories than the cache holds,
// removes and recreates one that is cached, and requires names through
// a symlink out of the tree to stay refused.
func TestLocalDirRoots(t *testing.T) {
	dir := t.TempDir()
	l := openLocal(t, dir)
	for i := range maxDirRoots + 10 {
		d := "d" + strconv.Itoa(i) + "/e"
		must(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
		f, err := l.Create(d + "/.tmp")
		must(t, err)
		must(t, f.Close())
		must(t, l.Rename(d+"/.tmp", d+"/f"))
		if e, err := l.Lstat(d + "/f"); err != nil || !e.Mode.IsRegular() {
			t.Fatalf("Lstat(%s/f) = %v, %v", d, e, err)
		}
	}
	if n := len(l.dirs.roots); n > maxDirRoots {
		t.Errorf("%d directories open, want at most %d", n, maxDirRoots)
	}

	// assert that: a cached directory removed and made again is the new one.
	must(t, l.Remove("d70/e/f"))
	must(t, l.Remove("d70/e"))
	must(t, l.Mkdir("d70/e", 0o755))
	f, err := l.Create("d70/e/g")
	must(t, err)
	must(t, f.Close())
	if _, err := os.Stat(filepath.Join(dir, "d70/e/g")); err != nil {
		t.Errorf("file created in a recreated directory: %v", err)
	}

	// assert that: a symlink to a directory outside the tree is not followed.
	out := t.TempDir()
	must(t, os.Symlink(out, filepath.Join(dir, "out")))
	if f, err := l.Create("out/x"); err == nil {
		f.Close()
		t.Error("Create through a symlink out of the tree succeeded")
	}
	if _, err := l.Lstat("out/x"); err == nil {
		t.Error("Lstat through a symlink out of the tree succeeded")
	}
	if _, err := os.Lstat(filepath.Join(out, "x")); err == nil {
		t.Error("a file was created outside the tree")
	}
}
