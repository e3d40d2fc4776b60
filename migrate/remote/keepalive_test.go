package remote_test

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"

	"golang.org/x/crypto/ssh/knownhosts"
)

// freezer is a TCP proxy that can stop forwarding without closing
// anything, like a link that went dead.
type freezer struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	frozen bool
	conns  []net.Conn
}

func newFreezer(t *testing.T, target string) *freezer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{l: l, target: target}
	t.Cleanup(func() {
		l.Close()
		f.mu.Lock()
		for _, c := range f.conns {
			c.Close()
		}
		f.mu.Unlock()
	})
	go f.serve()
	return f
}

func (f *freezer) serve() {
	for {
		c, err := f.l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", f.target)
		if err != nil {
			c.Close()
			continue
		}
		f.mu.Lock()
		f.conns = append(f.conns, c, s)
		f.mu.Unlock()
		go f.pipe(s, c)
		go f.pipe(c, s)
	}
}

func (f *freezer) pipe(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf)
		f.mu.Lock()
		frozen := f.frozen
		f.mu.Unlock()
		if frozen {
			continue // swallow: the peer never hears of it
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	f.frozen = true
	f.mu.Unlock()
}

func TestKeepAliveClosesDeadLink(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	proxy := newFreezer(t, srv.Addr)
	cfg := srv.Config(t)
	// The proxy's address must be trusted under its own name.
	cfg.KnownHostsFile = writeKnownHosts(t, srv, proxy.l.Addr().String())
	// Generous, as a loaded test machine can starve sshd for a second or
	// two: the link counts as dead after 3s without any answer.
	cfg.KeepAlive = 300 * time.Millisecond
	cfg.KeepAliveMax = 10
	h, err := remote.Dial(context.Background(), srv.User+"@"+proxy.l.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	// Keepalives are answered while the link works.
	time.Sleep(1500 * time.Millisecond)
	if res, err := h.Run(context.Background(), remote.Command{Line: "echo up"}); err != nil || string(res.Stdout) != "up\n" {
		t.Fatalf("Run on a live link = %q, %v", res.Stdout, err)
	}
	proxy.freeze()
	done := make(chan error, 1)
	go func() { done <- h.Client().Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("connection still open 30s after the link died")
	}
	if _, err := h.Run(context.Background(), remote.Command{Line: "true"}); err == nil {
		t.Error("Run on a closed connection succeeded")
	}
}

func writeKnownHosts(t *testing.T, srv *sshtest.Server, addr string) string {
	t.Helper()
	p := t.TempDir() + "/known_hosts"
	line := knownhostsLine(addr, srv)
	writeFile(t, p, line+"\n")
	return p
}

func knownhostsLine(addr string, srv *sshtest.Server) string {
	return knownhosts.Line([]string{knownhosts.Normalize(addr)}, srv.HostKey.Public)
}
