package home

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSetLinkOwnersScript runs the lchown script with perl: links get
// the owner, never their targets, odd names pass through, and a missing
// link comes back as a failure.
func TestSetLinkOwnersScript(t *testing.T) {
	needRoot(t, "chown")
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "target"), []byte("x"), 0o644))
	odd := "new\nline -l"
	for _, l := range []string{"l", odd} {
		must(t, os.Symlink("target", filepath.Join(dir, l)))
	}
	s := inProcessSFTP(t, dir)
	failed, err := s.SetLinkOwners(context.Background(), []linkOwner{
		{Path: "l", UID: 1234, GID: 1235}, {Path: odd, UID: 1234, GID: 1235}, {Path: "gone", UID: 1, GID: 1},
	})
	must(t, err)
	for _, l := range []string{"l", odd} {
		fi, err := os.Lstat(filepath.Join(dir, l))
		must(t, err)
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != 1234 || st.Gid != 1235 {
			t.Errorf("%q owned by %d:%d, want 1234:1235", l, st.Uid, st.Gid)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "target"))
	must(t, err)
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 0 {
		t.Errorf("the link's target was chowned to %d", st.Uid)
	}
	if len(failed) != 1 || failed["gone"] == nil {
		t.Errorf("failed = %v, want only gone", failed)
	}

	// A link the target's owner replaced by a hard link to a file
	// outside the tree (a run sets link owners at its end): that file
	// keeps its owner, and the name is reported.
	victim := filepath.Join(t.TempDir(), "victim")
	must(t, os.WriteFile(victim, []byte("secret"), 0o600))
	must(t, os.Remove(filepath.Join(dir, "l")))
	must(t, os.Link(victim, filepath.Join(dir, "l")))
	failed, err = s.SetLinkOwners(context.Background(), []linkOwner{{Path: "l", UID: 1234, GID: 1235}})
	must(t, err)
	fi, err = os.Stat(victim)
	must(t, err)
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 0 || st.Gid != 0 {
		t.Errorf("a hard link to a file in a link's place was chowned to %d:%d", st.Uid, st.Gid)
	}
	if failed["l"] == nil || !strings.Contains(failed["l"].Error(), "not a symlink") {
		t.Errorf("failed = %v, want l: not a symlink", failed)
	}
}

func TestParseLchownFailures(t *testing.T) {
	got := parseLchownFailures([]byte("./a\x00No such file or directory\x00./b\nc\x00Operation not permitted\x00"))
	if len(got) != 2 || got["a"] == nil || got["b\nc"].Error() != "Operation not permitted" {
		t.Errorf("got %v", got)
	}
	if got := parseLchownFailures(nil); len(got) != 0 {
		t.Errorf("empty output gave %v", got)
	}
}

// TestLocalSymlinkOwnerNeverLandsOnSwappedName: as root, a new symlink
// gets its owner after it is made. The target's owner can replace any
// entry of a directory of theirs, so made there the link could become a
// hard link to a file outside the tree before its lchown, and that file
// would be chowned. On a local target the link is made and chowned in a
// directory only root can write, then renamed into place. The test plays
// the target's owner: at each new link it swaps the link for a hard link
// to victim, where the link's directory belongs to that owner.
func TestLocalSymlinkOwnerNeverLandsOnSwappedName(t *testing.T) {
	needRoot(t, "chown")
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	must(t, os.WriteFile(victim, []byte("secret"), 0o600))
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	must(t, os.MkdirAll(src, 0o755))
	must(t, os.Symlink("anywhere", filepath.Join(src, "l")))
	must(t, os.Lchown(filepath.Join(src, "l"), 1234, 1235))
	must(t, os.MkdirAll(dst, 0o755))
	must(t, os.Chown(dst, 1234, 1235))
	swapped := 0
	linkPlaced = func(p string) {
		full := filepath.Join(dst, p)
		fi, err := os.Stat(filepath.Dir(full))
		must(t, err)
		if fi.Sys().(*syscall.Stat_t).Uid != 1234 {
			return // not the target owner's directory
		}
		must(t, os.Remove(full))
		must(t, os.Link(victim, full))
		swapped++
	}
	t.Cleanup(func() { linkPlaced = nil })
	owners, err := NewIDMap(strings.NewReader(""), strings.NewReader(""), strings.NewReader(""), strings.NewReader(""))
	must(t, err)
	from, to := treePair(t, dir, "local", "local")
	_, err = Copy(context.Background(), from, to, Options{Jobs: 1, Owners: owners})
	must(t, err)
	fi, err := os.Stat(victim)
	must(t, err)
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 0 || st.Gid != 0 {
		t.Errorf("victim chowned to %d:%d through a swapped link name (%d swaps)", st.Uid, st.Gid, swapped)
	}
	fi, err = os.Lstat(filepath.Join(dst, "l"))
	must(t, err)
	if st := fi.Sys().(*syscall.Stat_t); fi.Mode()&fs.ModeSymlink == 0 || st.Uid != 1234 || st.Gid != 1235 {
		t.Errorf("dst/l: %v owned by %d:%d, want a symlink owned by 1234:1235", fi.Mode(), st.Uid, st.Gid)
	}
}
