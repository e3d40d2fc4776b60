package home

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPermissionDenied copies a tree holding a file and a directory that
// its user cannot read, both ways a source can be: each is reported as
// failed with "permission denied", everything else arrives, and nothing
// of them is left in the target but the empty directory. Permissions do
// not bind root, so as root the test runs itself again as nobody.
func TestPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestPermissionDenied")
		return
	}
	for _, d := range []struct{ name, src string }{{"local", "local"}, {"sftp", "sftp"}} {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			makeTree(t, src)
			must(t, os.WriteFile(filepath.Join(src, "secret"), []byte("no"), 0o600))
			must(t, os.MkdirAll(filepath.Join(src, "locked", "inner"), 0o755))
			must(t, os.WriteFile(filepath.Join(src, "locked", "inner", "f"), []byte("no"), 0o644))
			// As a user, read-only directories would outlive the test.
			t.Cleanup(func() {
				filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if d != nil && d.IsDir() || errors.Is(err, fs.ErrPermission) {
						os.Chmod(p, 0o755)
					}
					return nil
				})
			})
			want := snapshot(t, src)
			must(t, os.Chmod(filepath.Join(src, "locked"), 0o000))
			must(t, os.Chmod(filepath.Join(src, "secret"), 0o000))

			s, dst := treePair(t, dir, d.src, "local")
			rec := newRecorder()
			sum, err := Copy(context.Background(), s, dst, Options{Jobs: 3, Progress: rec})
			if err != nil {
				t.Fatalf("Copy = %v, want per-file failures only", err)
			}
			failed := map[string]error{}
			for _, e := range rec.all() {
				if e.Kind == Failed {
					failed[e.Path] = e.Err
				}
			}
			for _, p := range []string{"secret", "locked"} {
				if err := failed[p]; err == nil || !(errors.Is(err, fs.ErrPermission) || strings.Contains(strings.ToLower(err.Error()), "permission denied")) {
					t.Errorf("%s: failure %v, want permission denied", p, err)
				}
			}
			if sum.Failed != 2 {
				t.Errorf("%d failed, want 2: %v", sum.Failed, failed)
			}
			// The directory arrives empty, with its mode (none) kept.
			if fi, err := os.Lstat(filepath.Join(dir, "dst", "locked")); err != nil || fi.Mode() != fs.ModeDir {
				t.Errorf("dst/locked: %v, %v; want an empty directory with mode 0", fi.Mode(), err)
			}
			must(t, os.Chmod(filepath.Join(dir, "dst", "locked"), 0o755))
			if names, _ := os.ReadDir(filepath.Join(dir, "dst", "locked")); len(names) != 0 {
				t.Errorf("dst/locked holds %v", names)
			}
			got := snapshot(t, filepath.Join(dir, "dst"))
			for k := range want {
				if strings.Contains(k, "secret") || strings.Contains(k, "locked") {
					delete(want, k)
				}
			}
			for k := range got {
				if strings.Contains(k, "locked") {
					delete(got, k)
				}
			}
			sameTree(t, want, got)
			left, _ := filepath.Glob(filepath.Join(dir, "dst", tmpPrefix+"*"))
			if _, err := os.Lstat(filepath.Join(dir, "dst", "secret")); !errors.Is(err, fs.ErrNotExist) || len(left) > 0 {
				t.Errorf("target holds secret (%v) or temp files %v", err, left)
			}
		})
	}
}

// runAsNobody runs the test binary's test name again as the user nobody
// and fails unless it passes there (a skip is a failure).
func runAsNobody(t *testing.T, name string) {
	t.Helper()
	// t.TempDir's parent is private to root: nobody could not reach it.
	d, err := os.MkdirTemp("", "fugu-nobody-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(d) })
	must(t, os.Chmod(d, 0o755))
	bin := filepath.Join(d, "home.test")
	data, err := os.ReadFile(os.Args[0])
	must(t, err)
	must(t, os.WriteFile(bin, data, 0o755))
	cmd := exec.Command(bin, "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd.Dir = "/"
	cmd.Env = append(os.Environ(), "TMPDIR=/tmp", "HOME=/tmp")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) || strings.Contains(string(out), "--- SKIP") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

// TestRerunIntoReadOnlyDirectory: a first run gives a directory its
// source mode 0555; when a file in it changes, the next run (as its
// owner, not root) must still replace the file, and leave 0555 behind.
func TestRerunIntoReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestRerunIntoReadOnlyDirectory")
		return
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(filepath.Join(src, "ro"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "ro", "f"), []byte("one"), 0o444))
	must(t, os.Chmod(filepath.Join(src, "ro"), 0o555))
	t.Cleanup(func() {
		os.Chmod(filepath.Join(src, "ro"), 0o755)
		os.Chmod(filepath.Join(dir, "dst", "ro"), 0o755)
	})
	from, to := treePair(t, dir, "local", "local")
	_, err := Copy(context.Background(), from, to, Options{})
	must(t, err)
	must(t, os.Chmod(filepath.Join(src, "ro"), 0o755))
	must(t, os.Chmod(filepath.Join(src, "ro", "f"), 0o644))
	must(t, os.WriteFile(filepath.Join(src, "ro", "f"), []byte("two, longer"), 0o644))
	must(t, os.Chmod(filepath.Join(src, "ro", "f"), 0o444))
	must(t, os.Chmod(filepath.Join(src, "ro"), 0o555))
	sum, err := Copy(context.Background(), from, to, Options{})
	must(t, err)
	if b, _ := os.ReadFile(filepath.Join(dir, "dst", "ro", "f")); string(b) != "two, longer" || sum.Failed != 0 {
		t.Errorf("ro/f = %q (%d failed), want the changed content", b, sum.Failed)
	}
	if fi, err := os.Stat(filepath.Join(dir, "dst", "ro")); err != nil || fi.Mode().Perm() != 0o555 {
		t.Errorf("ro is %v (%v), want 0555 again", fi.Mode(), err)
	}
}

// TestUnsearchableDirectory: a directory its user can list but not
// search (mode 0644, a common slip) fails with its entries reported, and
// the rest of the tree is copied: one odd directory must not stop the run.
func TestUnsearchableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestUnsearchableDirectory")
		return
	}
	for _, d := range []struct{ name, src string }{{"local", "local"}, {"sftp", "sftp"}} {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			must(t, os.MkdirAll(filepath.Join(src, "odd"), 0o755))
			must(t, os.WriteFile(filepath.Join(src, "odd", "f"), []byte("x"), 0o644))
			must(t, os.WriteFile(filepath.Join(src, "z"), []byte("after"), 0o644))
			must(t, os.Chmod(filepath.Join(src, "odd"), 0o644))
			t.Cleanup(func() { os.Chmod(filepath.Join(src, "odd"), 0o755) })
			s, dst := treePair(t, dir, d.src, "local")
			rec := newRecorder()
			sum, err := Copy(context.Background(), s, dst, Options{Jobs: 2, Progress: rec})
			if err != nil {
				t.Fatalf("Copy = %v, want per-file failures only", err)
			}
			if sum.Failed == 0 {
				t.Errorf("no failure reported for odd/f")
			}
			if b, err := os.ReadFile(filepath.Join(dir, "dst", "z")); err != nil || string(b) != "after" {
				t.Errorf("dst/z = %q, %v; want it copied", b, err)
			}
		})
	}
}

// TestLocalOpenRefusesFifo: a fifo put where a file was (after the walk
// saw a file) is refused at once, not waited on for a writer.
func TestLocalOpenRefusesFifo(t *testing.T) {
	dir := t.TempDir()
	must(t, syscall.Mkfifo(filepath.Join(dir, "f"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "plain"), []byte("x"), 0o644))
	l := openLocal(t, dir)
	done := make(chan error, 1)
	go func() {
		f, err := l.Open("f")
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errNotRegular) {
			t.Errorf("Open(fifo) = %v, want errNotRegular", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open(fifo) blocked")
	}
	f, err := l.Open("plain")
	must(t, err)
	f.Close()
}

// TestRerunDirectoryChmodNeverLandsOnSwappedName: a re-run makes an
// existing directory without owner rwx (0555) owner-writable. The
// target's owner could swap it for a hard link to a file outside the
// tree right after its lstat; that file must keep its mode.
func TestRerunDirectoryChmodNeverLandsOnSwappedName(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	must(t, os.WriteFile(victim, []byte("secret"), 0o600))
	must(t, os.MkdirAll(filepath.Join(dir, "src", "d"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "dst", "d"), 0o755))
	must(t, os.Chmod(filepath.Join(dir, "dst", "d"), 0o055))
	dirChecked = func(p string) {
		if p == "d" {
			d := filepath.Join(dir, "dst", "d")
			must(t, os.Rename(d, d+".old"))
			must(t, os.Link(victim, d))
		}
	}
	t.Cleanup(func() { dirChecked = nil })
	from, to := treePair(t, dir, "local", "local")
	_, err := Copy(context.Background(), from, to, Options{})
	must(t, err)
	if fi, err := os.Stat(victim); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("victim's mode = %v, %v: chmodded as the directory", fi.Mode().Perm(), err)
	}
}
