package home

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fugu/migrate/remote"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pkg/sftp"
)

// inProcessSFTP serves dir's file system with pkg/sftp's server over a
// pair of pipes and returns a client tree rooted at dir: SFTP without SSH.
func inProcessSFTP(t testing.TB, dir string) *SFTP {
	t.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	srv, err := sftp.NewServer(struct {
		io.Reader
		io.WriteCloser
	}{sr, sw})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	c, err := sftp.NewClientPipe(cr, cw, sftp.UseConcurrentReads(true), sftp.UseConcurrentWrites(true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); sw.Close(); cw.Close(); c.Close() })
	return NewSFTP(c, dir, "inproc:"+dir, shRunner{})
}

// shRunner runs commands with the local /bin/sh, standing in for the
// SSH session of an in-process SFTP tree (same machine, same files).
type shRunner struct{}

func (shRunner) Run(ctx context.Context, cmd remote.Command) (remote.Result, error) {
	c := exec.CommandContext(ctx, "/bin/sh", "-c", cmd.Line)
	c.Stdin = cmd.Stdin
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return remote.Result{Stdout: out.Bytes(), Stderr: errb.Bytes(), ExitCode: ee.ExitCode()}, nil
	}
	return remote.Result{Stdout: out.Bytes(), Stderr: errb.Bytes()}, err
}

func openLocal(t testing.TB, dir string) *Local {
	t.Helper()
	l, err := OpenLocal(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// makeTree writes a tree with every kind of entry fugu copies into dir
// and returns the number of content bytes in it.
func makeTree(t testing.TB, dir string) {
	t.Helper()
	w := func(name string, data []byte, mode fs.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		must(t, os.Chmod(p, mode))
		must(t, os.Chtimes(p, epoch, epoch.Add(time.Duration(len(name))*time.Hour)))
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	blob := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rnd.Uint32())
		}
		return b
	}
	w("empty", nil, 0o644)
	w("a/b/c/deep.txt", []byte("deep\n"), 0o644)
	w("private", []byte("secret\n"), 0o600)
	w("bin/tool", []byte("#!/bin/sh\n"), 0o755)
	w("ünïcödé/日本語.txt", []byte("unicode\n"), 0o644)
	w("new\nline", []byte("newline in name\n"), 0o644)
	w("big.bin", blob(5<<20+123), 0o640)
	w("hard1", []byte("hard link content\n"), 0o644)
	must(t, os.Link(filepath.Join(dir, "hard1"), filepath.Join(dir, "a/hard2")))
	must(t, os.Symlink("b/c/deep.txt", filepath.Join(dir, "a/in-link")))
	must(t, os.Symlink("../../etc/passwd", filepath.Join(dir, "a/out-link")))
	must(t, os.Symlink("/etc/hosts", filepath.Join(dir, "abs-link")))
	// A sparse file: data, a 3 MiB hole, data, and a trailing hole.
	sp, err := os.Create(filepath.Join(dir, "sparse"))
	must(t, err)
	_, err = sp.WriteAt([]byte("head"), 0)
	must(t, err)
	_, err = sp.WriteAt([]byte("tail"), 3<<20)
	must(t, err)
	must(t, sp.Truncate(6<<20))
	must(t, sp.Close())
	must(t, os.Chtimes(filepath.Join(dir, "sparse"), epoch, epoch))
	must(t, os.MkdirAll(filepath.Join(dir, "shared"), 0o755))
	must(t, os.Chmod(filepath.Join(dir, "shared"), fs.ModeSetgid|0o775))
	must(t, os.MkdirAll(filepath.Join(dir, "readonly"), 0o755))
	w("readonly/f", []byte("x"), 0o444)
	must(t, os.Chmod(filepath.Join(dir, "readonly"), 0o555))
	for _, d := range []string{"a/b/c", "a/b", "a", "shared", "readonly", "."} {
		must(t, os.Chtimes(filepath.Join(dir, d), epoch, epoch.Add(-time.Duration(len(d))*time.Minute)))
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot describes a local tree for comparison: per path, type, mode,
// size, mtime (seconds; SFTP carries no more), content hash or link
// target, and which paths share an inode.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	inodes := map[uint64][]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == JournalDir && d.IsDir() {
			return fs.SkipDir
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		desc := fi.Mode().String()
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			desc += " -> " + l
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += " " + hexSum(b) + " " + fi.ModTime().UTC().Truncate(time.Second).String()
			st := fi.Sys().(*syscall.Stat_t)
			if st.Nlink > 1 {
				inodes[st.Ino] = append(inodes[st.Ino], rel)
			}
		case fi.IsDir():
			desc += " " + fi.ModTime().UTC().Truncate(time.Second).String()
		}
		out[rel] = desc
		return nil
	})
	must(t, err)
	for _, names := range inodes {
		sort.Strings(names)
		out["links:"+strings.Join(names, ",")] = "linked"
	}
	return out
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sameTree fails the test with every difference between two snapshots.
func sameTree(t testing.TB, want, got map[string]string) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if want[k] != got[k] {
			t.Errorf("%q:\n  source %q\n  target %q", k, want[k], got[k])
		}
	}
}

// recorder is a Progress that keeps every event and the totals.
type recorder struct {
	NopProgress
	events chan Event
	mu     sync.Mutex
	total  [2]int64 // files, bytes; -1 until Total is called
}

func (r *recorder) Total(files, bytes int64) {
	r.mu.Lock()
	r.total = [2]int64{files, bytes}
	r.mu.Unlock()
}

func (r *recorder) totals() [2]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

func newRecorder() *recorder {
	return &recorder{events: make(chan Event, 1<<16), total: [2]int64{-1, -1}}
}

func (r *recorder) Event(e Event) { r.events <- e }

func (r *recorder) all() []Event {
	var out []Event
	for {
		select {
		case e := <-r.events:
			out = append(out, e)
		default:
			return out
		}
	}
}

// needRoot skips a test that must run as root to do what (fails it under
// CI, which runs as root, so that it cannot pass by skipping).
func needRoot(t testing.TB, what string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("this test needs root to %s, and CI runs as root", what)
	}
	t.Skipf("needs root to %s", what)
}
