package home

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestSSHDConnectionCutThenResume(t *testing.T) {
	f := startSSHD(t)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	must(t, os.MkdirAll(filepath.Join(src, "data"), 0o755))
	bigTree(t, src, 4, 16<<20)
	size := treeBytes(t, src)

	h, c := f.dial(t, f.viaProxy())
	f.proxy.cutAt.Store(f.proxy.down.Load() + size*4/10)
	sum1, err := Copy(context.Background(), NewSFTP(c, src, "src", h), openLocal(t, dst), Options{Jobs: 2, Chunk: 1 << 20})
	if !errors.Is(err, ErrConnection) {
		t.Fatalf("Copy through a cut connection = %v, want ErrConnection", err)
	}
	f.proxy.cutAt.Store(0)

	h2, c2 := f.dial(t, f.srv.Target())
	sum2, err := Copy(context.Background(), NewSFTP(c2, src, "src", h2), openLocal(t, dst), Options{Jobs: 2, Chunk: 1 << 20})
	must(t, err)
	sameTree(t, snapshot(t, src), snapshot(t, dst))
	sent := sum1.Bytes + sum2.Bytes
	t.Logf("cut after %d bytes sent, resumed %d, sent %d more (tree %d)", sum1.Bytes, sum2.Resumed, sum2.Bytes, size)
	if float64(sent) > 1.05*float64(size) {
		t.Errorf("sent %d bytes for a %d-byte tree: more than 1.05x", sent, size)
	}
}

// TestSSHDTargetDiskFull copies into an 8 MiB tmpfs: the run must stop
// with ErrNoSpace and a journal, and finish once the tmpfs is grown.
func TestSSHDTargetDiskFull(t *testing.T) {
	needRoot(t, "mount a tmpfs")
	diskFullThenResume(t, false, false)
}

// TestSSHDPushTargetDiskFull pushes into an 8 MiB tmpfs on the remote
// side: SFTP reports the full disk only as a generic failure, and the run
// must still stop with ErrNoSpace and a journal, then finish once the
// tmpfs is grown. Without statvfs (some servers; and statvfs never sees
// a quota) the host is asked with spaceScript.
func TestSSHDPushTargetDiskFull(t *testing.T) {
	needRoot(t, "mount a tmpfs")
	for _, noFree := range []bool{false, true} {
		t.Run(fmt.Sprintf("noFree=%v", noFree), func(t *testing.T) { diskFullThenResume(t, true, noFree) })
	}
}

// diskFullThenResume copies a tree into an 8 MiB tmpfs, pulled from
// sshd, or pushed to it (with noFree: as to a server without statvfs),
// expects ErrNoSpace with a journal, grows the tmpfs and resumes.
func diskFullThenResume(t *testing.T, push, noFree bool) {
	f := startSSHD(t)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	must(t, os.MkdirAll(filepath.Join(src, "data"), 0o755))
	bigTree(t, src, 3, 4<<20)
	must(t, os.MkdirAll(dst, 0o755))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dst).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dst).Run() })

	h, c := f.dial(t, f.srv.Target())
	trees := func() (Tree, Tree) {
		if !push {
			return NewSFTP(c, src, "src", h), openLocal(t, dst)
		}
		s := NewSFTP(c, dst, "dst", h)
		s.noFree = noFree
		return openLocal(t, src), s
	}
	from, to := trees()
	_, err := Copy(context.Background(), from, to, Options{Jobs: 2, Chunk: 1 << 20})
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("Copy into a full disk = %v, want ErrNoSpace", err)
	}
	if _, err := os.Stat(filepath.Join(dst, journalName)); err != nil {
		t.Errorf("no journal after a full disk: %v", err)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=64m", dst).CombinedOutput(); err != nil {
		t.Fatalf("grow tmpfs: %v: %s", err, out)
	}
	from, to = trees()
	sum, err := Copy(context.Background(), from, to, Options{Jobs: 2, Chunk: 1 << 20})
	must(t, err)
	if sum.Resumed == 0 && sum.Unchanged == 0 {
		t.Errorf("second run neither resumed nor skipped anything: %+v", sum)
	}
	sameTree(t, snapshot(t, src), snapshot(t, dst))
	if left, _ := filepath.Glob(filepath.Join(dst, ".fugu-tmp-space.*")); len(left) > 0 {
		t.Errorf("probe files left behind: %v", left)
	}
}
