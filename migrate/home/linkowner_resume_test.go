package home

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSymlinkOwnerAfterInterruption: over SFTP a symlink's owner is set
// by one command at the end of the run. A run stopped before that end
// leaves the link in place, owned by the server's user; the next run
// finds the link unchanged and must still give it its owner.
func TestSymlinkOwnerAfterInterruption(t *testing.T) {
	needRoot(t, "chown")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(filepath.Join(src, "a"), 0o755))
	must(t, os.Symlink("target", filepath.Join(src, "a", "l")))
	must(t, os.Lchown(filepath.Join(src, "a", "l"), 1000, 1000))
	must(t, os.MkdirAll(filepath.Join(src, "z"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "z", "big"), bytes.Repeat([]byte("data"), 1<<20), 0o644))
	m, err := NewIDMap(strings.NewReader("peter:*:1000:1000::/:/bin/sh\n"), strings.NewReader("peter:*:1000:\n"),
		strings.NewReader("peter:x:1234:1234::/:/bin/sh\n"), strings.NewReader("peter:x:1234:\n"))
	must(t, err)
	from, to := treePair(t, dir, "local", "sftp")
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Copy(ctx, from, &cancelAfter{Tree: to, n: 1 << 20, cancel: cancel}, Options{Jobs: 1, Chunk: 256 << 10, Owners: m})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want canceled", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "dst", "a", "l")); err != nil {
		t.Fatalf("the interrupted run made no link: %v", err)
	}
	_, err = Copy(context.Background(), from, to, Options{Jobs: 1, Chunk: 256 << 10, Owners: m})
	must(t, err)
	fi, err := os.Lstat(filepath.Join(dir, "dst", "a", "l"))
	must(t, err)
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 1234 || st.Gid != 1234 {
		t.Errorf("a/l owned by %d:%d, want 1234:1234", st.Uid, st.Gid)
	}
}
