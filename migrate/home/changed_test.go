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
