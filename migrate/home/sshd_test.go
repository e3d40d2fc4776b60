package home

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh/knownhosts"
)

// TestMain doubles as the child process of the kill -9 test: with
// FUGU_HOME_CHILD set, the test binary copies one tree and exits, so the
// test can kill a real process at any point.
func TestMain(m *testing.M) {
	if os.Getenv("FUGU_HOME_CHILD") == "1" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

// childConfig is what the parent passes to a child in FUGU_HOME_CONFIG.
type childConfig struct {
	Target, KnownHosts, Key, Src, Dst string
	Jobs                              int
	Chunk                             int64
}

func child() int {
	var c childConfig
	if err := json.Unmarshal([]byte(os.Getenv("FUGU_HOME_CONFIG")), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if name := os.Getenv("FUGU_HOME_RECEIVED"); name != "" {
		// Append every arrival to a file, so a kill -9 loses no count.
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		received = func(n int) { fmt.Fprintf(f, "%d\n", n) }
	}
	ctx := context.Background()
	h, c2, err := dialSFTP(ctx, c.Target, c.KnownHosts, c.Key, 8)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer h.Close()
	dst, err := OpenLocal(c.Dst, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	sum, err := Copy(ctx, NewSFTP(c2, c.Src, "src", h), dst, Options{Jobs: c.Jobs, Chunk: c.Chunk})
	json.NewEncoder(os.Stdout).Encode(sum)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func dialSFTP(ctx context.Context, target, known, key string, reqs int) (*remote.SSHHost, *sftp.Client, error) {
	h, err := remote.Dial(ctx, target, remote.Config{
		KnownHostsFile: known, IdentityFiles: []string{key}, SSHConfigFile: "none", NoAgent: true,
		Timeout: 10 * time.Second, SFTPOptions: []sftp.ClientOption{sftp.MaxConcurrentRequestsPerFile(reqs)},
	})
	if err != nil {
		return nil, nil, err
	}
	c, err := h.SFTP()
	if err != nil {
		h.Close()
		return nil, nil, err
	}
	return h, c, nil
}

// sshdFixture is a real OpenSSH sshd with a TCP proxy in front of it
// that counts the bytes coming from the server and can cut connections.
type sshdFixture struct {
	srv   *sshtest.Server
	proxy *proxy
	known string // known_hosts trusting both the sshd and the proxy address
}

func startSSHD(t *testing.T) *sshdFixture {
	t.Helper()
	return startSSHDWith(t, sshtest.Options{})
}

func startSSHDWith(t *testing.T, opts sshtest.Options) *sshdFixture {
	t.Helper()
	srv := sshtest.StartSSHD(t, opts)
	p := startProxy(t, srv.Addr)
	known := filepath.Join(t.TempDir(), "known_hosts")
	lines := srv.KnownHostsLine() + "\n" +
		knownhosts.Line([]string{knownhosts.Normalize(p.addr())}, srv.HostKey.Public) + "\n"
	must(t, os.WriteFile(known, []byte(lines), 0o600))
	return &sshdFixture{srv: srv, proxy: p, known: known}
}

func (f *sshdFixture) viaProxy() string { return f.srv.User + "@" + f.proxy.addr() }

func (f *sshdFixture) dial(t *testing.T, target string) (*remote.SSHHost, *sftp.Client) {
	t.Helper()
	h, c, err := dialSFTP(context.Background(), target, f.known, f.srv.ClientKey.Path, 64)
	must(t, err)
	t.Cleanup(func() { h.Close() })
	return h, c
}

// proxy forwards TCP connections to target, counting bytes from the
// server; with cutAt > 0 it closes every connection once that many
// bytes went through.
type proxy struct {
	ln     net.Listener
	target string
	down   atomic.Int64
	cutAt  atomic.Int64
	mu     sync.Mutex
	conns  []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go p.pipeDown(c, s)
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) pipeDown(c, s net.Conn) {
	buf := make([]byte, 64<<10)
	for {
		n, err := s.Read(buf)
		if n > 0 {
			if cut := p.cutAt.Load(); cut > 0 && p.down.Load()+int64(n) >= cut {
				p.cut()
				return
			}
			// Count what reached the client, not what the server sent
			// after the client died.
			w, werr := c.Write(buf[:n])
			p.down.Add(int64(w))
			if werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	c.Close()
}

// cut closes every proxied connection, like a dropped link.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestSSHDEveryKindOfEntryBothWays(t *testing.T) {
	f := startSSHD(t)
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	want := snapshot(t, filepath.Join(dir, "src"))
	h, c := f.dial(t, f.srv.Target())

	// remote → local
	local := openLocal(t, filepath.Join(dir, "pulled"))
	rec := newRecorder()
	sum, err := Copy(context.Background(), NewSFTP(c, filepath.Join(dir, "src"), "src", h), local, Options{Progress: rec})
	must(t, err)
	sameTree(t, want, snapshot(t, filepath.Join(dir, "pulled")))
	checkSparse(t, filepath.Join(dir, "pulled", "sparse"))
	if sum.Linked < 4 { // 3 symlinks and a hard link
		t.Errorf("linked %d, want 4 (3 symlinks, 1 hard link): %+v", sum.Linked, sum)
	}
	// The progress totals come from the walk command's counting child:
	// every regular file, the hard link's two names each.
	var files, size int64
	must(t, filepath.WalkDir(filepath.Join(dir, "src"), func(p string, d fs.DirEntry, err error) error {
		if d.Type().IsRegular() {
			fi, _ := d.Info()
			files, size = files+1, size+fi.Size()
		}
		return err
	}))
	if got := rec.totals(); got != [2]int64{files, size} {
		t.Errorf("progress totals %v, want %d files, %d bytes", got, files, size)
	}

	// local → remote
	must(t, os.MkdirAll(filepath.Join(dir, "pushed"), 0o755))
	_, err = Copy(context.Background(), openLocal(t, filepath.Join(dir, "src")), NewSFTP(c, filepath.Join(dir, "pushed"), "pushed", h), Options{})
	must(t, err)
	sameTree(t, want, snapshot(t, filepath.Join(dir, "pushed")))
	checkSparse(t, filepath.Join(dir, "pushed", "sparse"))
}

// TestSSHDWithoutPerl copies from a host whose perl is missing: the walk
// goes over SFTP, small files one by one, hashes come from sha256sum,
// and hard links cannot be found, which a warning says.
func TestSSHDWithoutPerl(t *testing.T) {
	stubs := t.TempDir()
	must(t, os.WriteFile(filepath.Join(stubs, "perl"), []byte("#!/bin/sh\necho 'perl: not found' >&2\nexit 127\n"), 0o755))
	f := startSSHDWith(t, sshtest.Options{PathPrepend: []string{stubs}})
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	want := snapshot(t, filepath.Join(dir, "src"))
	delete(want, "links:a/hard2,hard1") // two names, two files
	h, c := f.dial(t, f.srv.Target())
	rec := newRecorder()
	_, err := Copy(context.Background(), NewSFTP(c, filepath.Join(dir, "src"), "src", h), openLocal(t, filepath.Join(dir, "dst")), Options{Progress: rec})
	must(t, err)
	sameTree(t, want, snapshot(t, filepath.Join(dir, "dst")))
	warned := false
	for _, e := range rec.all() {
		if e.Kind == Warning && strings.Contains(e.Err.Error(), "hard links cannot be detected") {
			warned = true
		}
	}
	if !warned {
		t.Error("no warning that hard links could not be detected")
	}
}

// TestSSHDFewSessions pulls from an sshd that allows two sessions per
// connection (MaxSessions 2, as some hardening guides set): the SFTP
// subsystem and the walk take them, so helpers and big-file streams are
// refused. That must cost speed only: small files and big ones go over
// SFTP, and the tree arrives whole.
func TestSSHDFewSessions(t *testing.T) {
	f := startSSHDWith(t, sshtest.Options{ExtraConfig: []string{"MaxSessions 2"}})
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	want := snapshot(t, filepath.Join(dir, "src"))
	h, c := f.dial(t, f.srv.Target())
	_, err := Copy(context.Background(), NewSFTP(c, filepath.Join(dir, "src"), "src", h), openLocal(t, filepath.Join(dir, "dst")), Options{Chunk: 64 << 10})
	must(t, err)
	sameTree(t, want, snapshot(t, filepath.Join(dir, "dst")))
}

// bigTree writes n files of size bytes of random data plus makeTree.
func bigTree(t *testing.T, dir string, n int, size int) {
	makeTree(t, dir)
	buf := make([]byte, size)
	for i := range n {
		for j := range buf {
			buf[j] = byte(j*7 + i*13 + j>>9)
		}
		must(t, os.WriteFile(filepath.Join(dir, "data", "f"+strconv.Itoa(i)), buf, 0o644))
	}
}

func TestSSHDKill9AndResume(t *testing.T) {
	f := startSSHD(t)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	must(t, os.MkdirAll(filepath.Join(src, "data"), 0o755))
	bigTree(t, src, 8, 24<<20)
	size := treeBytes(t, src)
	cfg, _ := json.Marshal(childConfig{Target: f.viaProxy(), KnownHosts: f.known, Key: f.srv.ClientKey.Path,
		Src: src, Dst: dst, Jobs: 1, Chunk: 128 << 10})
	exe, err := os.Executable()
	must(t, err)
	counts := filepath.Join(dir, "received")
	kills := 0
	for run := 0; ; run++ {
		if run > 60 {
			t.Fatalf("not done after %d runs", run)
		}
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "FUGU_HOME_CHILD=1", "FUGU_HOME_CONFIG="+string(cfg), "FUGU_HOME_RECEIVED="+counts)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		must(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if kills == 10 {
			if err := <-done; err != nil {
				t.Fatalf("final run: %v\n%s", err, errb.String())
			}
			break
		}
		// Kill at a random point: after 0.5 to 2.5 MiB more came from the server.
		limit := f.proxy.down.Load() + int64(512<<10+rand.IntN(2<<20))
		for f.proxy.down.Load() < limit {
			select {
			case err := <-done:
				t.Fatalf("run %d ended before kill %d: %v\n%s", run, kills+1, err, errb.String())
			case <-time.After(2 * time.Millisecond):
			}
		}
		must(t, cmd.Process.Signal(syscall.SIGKILL))
		<-done
		kills++
	}
	sameTree(t, snapshot(t, src), snapshot(t, dst))
	wire := f.proxy.down.Load()
	b, err := os.ReadFile(counts)
	must(t, err)
	var got int64
	for _, l := range strings.Fields(string(b)) {
		n, _ := strconv.ParseInt(l, 10, 64)
		got += n
	}
	t.Logf("tree %d bytes; over %d kills fugu received %d bytes of content (%.3fx), the wire carried %d (%.3fx)",
		size, kills, got, float64(got)/float64(size), wire, float64(wire)/float64(size))
	// assert that: resumes re-sent little. The wire count also holds what
	// sat in socket buffers when a process was killed.
	if float64(got) > 1.05*float64(size) {
		t.Errorf("fugu received %d bytes for a %d-byte tree: more than 1.05x", got, size)
	}
	if float64(wire) > 1.15*float64(size) {
		t.Errorf("the server sent %d bytes for a %d-byte tree: more than 1.15x", wire, size)
	}
}

// TestSSHDStreamOfShrunkFileEnds: a file shorter than the walk said ends
// its stream early; readStream must report the change and return (its
// session's end used to be waited for twice, and the second wait never
// came back).
func TestSSHDStreamOfShrunkFileEnds(t *testing.T) {
	f := startSSHD(t)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "f"), make([]byte, 300<<10), 0o644))
	h, c := f.dial(t, f.srv.Target())
	s := NewSFTP(c, dir, "src", h)
	r := &run{ctx: context.Background(), opt: Options{Chunk: 64 << 10}}
	ch := make(chan chunk)
	done := make(chan struct{})
	returned := make(chan bool)
	go func() { returned <- r.readStream(r.ctx, s, Entry{Path: "f", Size: 1 << 20}, 0, 64<<10, ch, done) }()
	var last error
	for {
		select {
		case c := <-ch:
			if c.err != nil {
				last = c.err
			}
			continue
		case <-returned:
		case <-time.After(20 * time.Second):
			t.Fatal("readStream did not return after the stream ended early")
		}
		break
	}
	if !errors.Is(last, errChanged) {
		t.Errorf("last chunk error = %v, want %v", last, errChanged)
	}
}

// TestSSHDOtherLoginShells copies both ways for users whose login shell
// is tcsh or fish: sshd hands every command to that shell, which would
// refuse fugu's multi-line sh (csh) or read its backslashes (fish), so
// each line must reach /bin/sh unchanged.
func TestSSHDOtherLoginShells(t *testing.T) {
	for _, shell := range []string{"tcsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			f := startSSHDWith(t, sshtest.Options{LoginShell: shell})
			path, _ := exec.LookPath(shell)
			dir := t.TempDir()
			makeTree(t, filepath.Join(dir, "src"))
			want := snapshot(t, filepath.Join(dir, "src"))
			h, err := remote.Dial(context.Background(), f.srv.Target(), remote.Config{
				KnownHostsFile: f.known, IdentityFiles: []string{f.srv.ClientKey.Path}, SSHConfigFile: "none", NoAgent: true,
				Timeout: 10 * time.Second, LoginShell: path,
			})
			must(t, err)
			t.Cleanup(func() { h.Close() })
			c, err := h.SFTP()
			must(t, err)
			rec := newRecorder()
			_, err = Copy(context.Background(), NewSFTP(c, filepath.Join(dir, "src"), "src", h), openLocal(t, filepath.Join(dir, "pulled")), Options{Progress: rec})
			must(t, err)
			sameTree(t, want, snapshot(t, filepath.Join(dir, "pulled")))
			for _, e := range rec.all() {
				if e.Kind == Warning && !strings.Contains(e.Err.Error(), "points out of the tree") {
					t.Errorf("warning: %v", e.Err) // such as "hard links cannot be detected": the walk command failed
				}
			}
			must(t, os.MkdirAll(filepath.Join(dir, "pushed"), 0o755))
			_, err = Copy(context.Background(), openLocal(t, filepath.Join(dir, "src")), NewSFTP(c, filepath.Join(dir, "pushed"), "pushed", h), Options{})
			must(t, err)
			sameTree(t, want, snapshot(t, filepath.Join(dir, "pushed")))
		})
	}
}
