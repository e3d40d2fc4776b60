package home

import (
	"context"
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
