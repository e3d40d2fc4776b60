package home

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// changingTree rewrites one source file the first time it is opened, as
// a user editing it during the copy would.
type changingTree struct {
	Tree
	dir, name string
	once      sync.Once
}

func (c *changingTree) Open(name string) (File, error) {
	f, err := c.Tree.Open(name)
	if name == c.name {
		c.once.Do(func() {
			p := filepath.Join(c.dir, name)
			if err := os.WriteFile(p, []byte("edited while copying, and longer\n"), 0o644); err == nil {
				later := time.Now().Add(time.Hour)
				os.Chtimes(p, later, later)
			}
		})
	}
	return f, err
}

func TestFileChangedDuringCopyIsCopiedAgain(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(src, 0o755))
	must(t, os.WriteFile(filepath.Join(src, "doc"), []byte("first version\n"), 0o644))
	from := &changingTree{Tree: openLocal(t, src), dir: src, name: "doc"}
	rec := newRecorder()
	sum, err := Copy(context.Background(), from, openLocal(t, filepath.Join(dir, "dst")), Options{Progress: rec})
	must(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "dst", "doc"))
	must(t, err)
	if string(b) != "edited while copying, and longer\n" || sum.Copied != 1 {
		t.Errorf("dst/doc = %q (copied %d), want the edited version, copied once", b, sum.Copied)
	}
	sameTree(t, snapshot(t, src), snapshot(t, filepath.Join(dir, "dst")))
}

// TestChecksumFindsSameSizeSameMtimeChange: a target file damaged in
// place (same size, same mtime) passes the default check and is caught
// with Checksum.
func TestChecksumFindsSameSizeSameMtimeChange(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	src, dst := treePair(t, dir, "sftp", "local")
	_, err := Copy(context.Background(), src, dst, Options{})
	must(t, err)
	p := filepath.Join(dir, "dst", "private")
	fi, err := os.Stat(p)
	must(t, err)
	must(t, os.WriteFile(p, []byte("SECRET\n"), 0o600))
	must(t, os.Chtimes(p, fi.ModTime(), fi.ModTime()))
	sum, err := Copy(context.Background(), src, dst, Options{})
	must(t, err)
	if sum.Copied != 0 {
		t.Errorf("size+mtime run copied %d files, want 0", sum.Copied)
	}
	sum, err = Copy(context.Background(), src, dst, Options{Checksum: true})
	must(t, err)
	if b, _ := os.ReadFile(p); string(b) != "secret\n" || sum.Copied != 1 {
		t.Errorf("after --checksum: private = %q, copied %d; want secret, 1", b, sum.Copied)
	}
}
