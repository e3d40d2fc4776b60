package home

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTreeConformance runs one suite against every Tree implementation,
// so a new transport passes the same tests as the others.
func TestTreeConformance(t *testing.T) {
	impls := map[string]func(t *testing.T, dir string) Tree{
		"local": func(t *testing.T, dir string) Tree { return openLocal(t, dir) },
		"sftp":  func(t *testing.T, dir string) Tree { return inProcessSFTP(t, dir) },
	}
	for name, open := range impls {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			conformance(t, open(t, dir), dir)
		})
	}
}

func conformance(t *testing.T, tr Tree, dir string) {
	// assert that: a created file can be written sparsely, truncated, read back.
	f, err := tr.Create("f")
	must(t, err)
	_, err = f.WriteAt([]byte("hello"), 0)
	must(t, err)
	_, err = f.WriteAt([]byte("world"), 1<<20)
	must(t, err)
	must(t, f.Truncate(2<<20))
	must(t, f.Sync())
	must(t, f.Close())
	e, err := tr.Lstat("f")
	must(t, err)
	if !e.Mode.IsRegular() || e.Size != 2<<20 {
		t.Errorf("Lstat(f) = %v %d, want regular file of %d bytes", e.Mode, e.Size, 2<<20)
	}
	r, err := tr.Open("f")
	must(t, err)
	buf := make([]byte, 5)
	_, err = r.ReadAt(buf, 1<<20)
	must(t, err)
	if string(buf) != "world" {
		t.Errorf("ReadAt(1MiB) = %q, want world", buf)
	}
	n, err := r.ReadAt(make([]byte, 10), 2<<20-4)
	if n != 4 || err != io.EOF {
		t.Errorf("ReadAt past the end = %d, %v; want 4, EOF", n, err)
	}
	r.Close()

	// assert that: OpenWrite keeps content, Create truncates.
	w, err := tr.OpenWrite("f")
	must(t, err)
	_, err = w.WriteAt([]byte("J"), 0)
	must(t, err)
	must(t, w.Close())
	if b, _ := os.ReadFile(filepath.Join(dir, "f")); string(b[:5]) != "Jello" || len(b) != 2<<20 {
		t.Errorf("after OpenWrite: %q... (%d bytes)", b[:5], len(b))
	}

	// assert that: modes with special bits and mtimes are set and read back.
	must(t, tr.Mkdir("d", 0o700))
	if err := tr.Mkdir("d", 0o700); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Mkdir of an existing dir = %v, want fs.ErrExist", err)
	}
	must(t, tr.Chmod("d", fs.ModeSetgid|0o2775&0o777))
	mt := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	must(t, tr.Chtimes("d", mt))
	e, err = tr.Lstat("d")
	must(t, err)
	if !e.Mode.IsDir() || e.Mode&fs.ModeSetgid == 0 || e.Mode.Perm() != 0o775 || !e.ModTime.Equal(mt) {
		t.Errorf("Lstat(d) = %v %v, want dgrwxrwsr-x %v", e.Mode, e.ModTime, mt)
	}

	// assert that: symlinks are not followed; hard links share content.
	must(t, tr.Symlink("../outside", "d/l"))
	e, err = tr.Lstat("d/l")
	must(t, err)
	if got, err := tr.Readlink("d/l"); err != nil || got != "../outside" || e.Mode&fs.ModeSymlink == 0 {
		t.Errorf("Readlink(d/l) = %q, %v (mode %v)", got, err, e.Mode)
	}
	must(t, tr.Link("f", "d/hard"))
	if a, b := statIno(t, filepath.Join(dir, "f")), statIno(t, filepath.Join(dir, "d/hard")); a != b {
		t.Errorf("Link: inodes %d and %d differ", a, b)
	}

	// assert that: Rename replaces an existing file.
	must(t, os.WriteFile(filepath.Join(dir, "g"), []byte("new"), 0o600))
	must(t, tr.Rename("g", "f"))
	if b, _ := os.ReadFile(filepath.Join(dir, "f")); string(b) != "new" {
		t.Errorf("after Rename f = %q, want new", b)
	}

	// assert that: Walk visits parents first and honours SkipDir.
	must(t, os.WriteFile(filepath.Join(dir, "log"), nil, 0o600))
	must(t, tr.Mkdir("skip", 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "skip", "x"), nil, 0o600))
	var seen []string
	must(t, tr.Walk(context.Background(), func(e Entry, err error) error {
		must(t, err)
		seen = append(seen, e.Path)
		if e.Path == "skip" {
			return fs.SkipDir
		}
		return nil
	}))
	want := "d d/hard d/l f log skip"
	if got := join(seen); got != want {
		t.Errorf("Walk = %q, want %q", got, want)
	}

	// assert that: missing files are fs.ErrNotExist; Remove works.
	must(t, tr.Remove("log"))
	if _, err := tr.Lstat("log"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Lstat after Remove = %v, want fs.ErrNotExist", err)
	}
	if _, err := tr.Open("nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(nope) = %v, want fs.ErrNotExist", err)
	}
	if tr.Free() == 0 {
		t.Error("Free() = 0")
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func statIno(t *testing.T, p string) uint64 {
	fi, err := os.Lstat(p)
	must(t, err)
	e := localEntry(p, fi)
	return e.Ino
}
