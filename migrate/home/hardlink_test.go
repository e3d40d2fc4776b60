package home

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// failCreate is a target whose Create fails with EIO for one name.
type failCreate struct {
	Tree
	name string
}

func (f failCreate) Create(name string) (File, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "create", Path: name, Err: syscall.EIO}
	}
	return f.Tree.Create(name)
}

// TestHardLinkToFailedFileIsNotMade: when the copy of a hard-linked
// file's first name fails, the target still holds that name's old
// content; the other names must not be linked to it (and lose what they
// held), nor be reported done.
func TestHardLinkToFailedFileIsNotMade(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(src, 0o755))
	must(t, os.WriteFile(filepath.Join(src, "one"), []byte("old one\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(src, "two"), []byte("old two\n"), 0o644))
	from, to := treePair(t, dir, "local", "local")
	_, err := Copy(context.Background(), from, to, Options{})
	must(t, err)
	// Now one and two are one file, with new content.
	must(t, os.Remove(filepath.Join(src, "two")))
	must(t, os.WriteFile(filepath.Join(src, "one"), []byte("new content of both\n"), 0o644))
	must(t, os.Link(filepath.Join(src, "one"), filepath.Join(src, "two")))
	rec := newRecorder()
	sum, err := Copy(context.Background(), from, failCreate{to, tmpName("one")}, Options{Progress: rec})
	must(t, err)
	if sum.Failed == 0 {
		t.Errorf("no failure reported")
	}
	for _, e := range rec.all() {
		if e.Path == "two" && e.Kind != Failed {
			t.Errorf("two: %s, want failed", e.Kind)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "dst", "two"))
	must(t, err)
	if s := string(b); s != "old two\n" && s != "new content of both\n" {
		t.Errorf("two = %q: neither its old content nor the source's", b)
	}
	// The next run, without the failure, makes the tree whole.
	_, err = Copy(context.Background(), from, to, Options{})
	must(t, err)
	sameTree(t, snapshot(t, src), snapshot(t, filepath.Join(dir, "dst")))
}

// TestHardLinkBrokenOnSourceIsBrokenOnTarget: two names that were one
// file when the target was copied are two files on the source now (one
// was copied with cp -p: same content, size and mtime). The target's
// names must stop sharing their file too, or a later change through
// one name shows through the other, and a mode set on one sets both.
func TestHardLinkBrokenOnSourceIsBrokenOnTarget(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(src, 0o755))
	must(t, os.WriteFile(filepath.Join(src, "one"), []byte("shared\n"), 0o644))
	must(t, os.Chtimes(filepath.Join(src, "one"), epoch, epoch))
	must(t, os.Link(filepath.Join(src, "one"), filepath.Join(src, "two")))
	from, to := treePair(t, dir, "local", "local")
	_, err := Copy(context.Background(), from, to, Options{})
	must(t, err)
	must(t, os.Remove(filepath.Join(src, "two")))
	must(t, os.WriteFile(filepath.Join(src, "two"), []byte("shared\n"), 0o600))
	must(t, os.Chtimes(filepath.Join(src, "two"), epoch, epoch))
	_, err = Copy(context.Background(), from, to, Options{})
	must(t, err)
	sameTree(t, snapshot(t, src), snapshot(t, filepath.Join(dir, "dst")))
}
