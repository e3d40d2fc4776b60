package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fugu/profiles"
)

func TestLimitListener(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitListener(raw, 2, 0)
	defer ln.Close()
	accepted := acceptAll(ln)
	for range 3 {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	// assert that: a third connection waits until one of the two closes
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted over the limit of 2")
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	first.Close() // a second Close must not free a second slot
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting connection was not accepted after a close")
	}
	second.Close()
}

// TestLimitListenerPerAddr: an address that holds its share of
// connections gets the next one closed at once, and the slot back; other
// addresses are still served.
func TestLimitListenerPerAddr(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitListener(raw, 8, 2)
	defer ln.Close()
	accepted := acceptAll(ln)
	dial := func(local string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
		c, err := d.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	dial("127.0.0.1")
	dial("127.0.0.1")
	first, second := <-accepted, <-accepted
	third := dial("127.0.0.1")
	// assert that: the third connection from the same address is closed
	// by the server, never handed to the HTTP server
	third.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := third.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("a third connection from one address was kept open over its share of 2 (read: %v)", err)
	}
	select {
	case <-accepted:
		t.Fatal("a third connection from one address was accepted")
	case <-time.After(100 * time.Millisecond):
	}
	// Another address is served.
	dial("127.0.0.2")
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("another address was not served")
	}
	// A closed connection gives its address a slot back.
	first.Close()
	dial("127.0.0.1")
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("the address got no slot back after a close")
	}
	second.Close()
}

// acceptAll hands every connection ln accepts to the returned channel,
// until ln is closed.
func acceptAll(ln net.Listener) <-chan net.Conn {
	accepted := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	return accepted
}

// slowRenderer holds renders until released, to keep a request in flight.
type slowRenderer struct {
	fakeRenderer
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *slowRenderer) Render(m *profiles.Machine, o Options) (*Files, error) {
	s.once.Do(func() { close(s.started) })
	<-s.release
	return s.fakeRenderer.Render(m, o)
}

// TestGracefulShutdown cancels the server (what SIGTERM does) while a
// request is in flight: the request still gets its answer, new
// connections are refused, and Serve returns.
func TestGracefulShutdown(t *testing.T) {
	slow := &slowRenderer{started: make(chan struct{}), release: make(chan struct{})}
	f := newFixture(t, "", func(c *Config) { c.Renderer = slow })
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &closeListener{Listener: raw, closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln, 0) }()
	base := "http://" + ln.Addr().String()
	got := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/" + laptopMAC + "-install.conf")
		if err != nil {
			got <- 0
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	<-slow.started
	cancel()
	// Until Shutdown closes the listener, the kernel still completes
	// connections into its backlog: wait for the close, not for a while.
	<-ln.closed
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("a new connection was accepted during shutdown")
	}
	close(slow.release)
	if code := <-got; code != 200 {
		t.Errorf("in-flight request during shutdown = %d, want 200", code)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v", err)
	}
}

// closeListener tells when it is closed.
type closeListener struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeListener) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

func TestHTTPServerTimeouts(t *testing.T) {
	f := newFixture(t, "", nil)
	hs := f.srv.httpServer(context.Background())
	// assert that: no timeout is left at net/http's "none"
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": hs.ReadHeaderTimeout,
		"ReadTimeout": hs.ReadTimeout, "WriteTimeout": hs.WriteTimeout, "IdleTimeout": hs.IdleTimeout} {
		if d <= 0 || d > time.Minute {
			t.Errorf("%s = %v, want a bound of at most a minute", name, d)
		}
	}
	if hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 64<<10 {
		t.Errorf("MaxHeaderBytes = %d, want a small bound", hs.MaxHeaderBytes)
	}
}

// TestServeConnectionCap: Serve holds at most maxConns connections; a
// client over the cap is answered only once another connection closes,
// and a header over MaxHeaderBytes is refused.
func TestServeConnectionCap(t *testing.T) {
	f := newFixture(t, "", nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln, 2) }()
	defer func() { cancel(); <-served }()
	addr := ln.Addr().String()
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	request := func(c net.Conn) {
		io.WriteString(c, "GET /"+laptopMAC+"-install.conf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	}
	// Two connections take the slots: each has had an answer, so both
	// are surely accepted and held open (keep-alive).
	var held []net.Conn
	for range 2 {
		c := dial()
		defer c.Close()
		request(c)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("held connection: %v %v", resp, err)
		}
		resp.Body.Close()
		held = append(held, c)
	}
	third := dial()
	defer third.Close()
	request(third)
	r := bufio.NewReader(third)
	third.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	// assert that: the third connection waits while two are open
	if _, err := r.ReadByte(); err == nil {
		t.Fatal("a third connection was answered over the cap of 2")
	}
	held[0].Close()
	third.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("third connection after a slot freed: %v %v", resp, err)
	}
	resp.Body.Close()
	third.Close()

	big := dial()
	defer big.Close()
	io.WriteString(big, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "+strings.Repeat("a", 2*MaxHeaderBytes)+"\r\n\r\n")
	big.SetReadDeadline(time.Now().Add(5 * time.Second))
	if resp, err := http.ReadResponse(bufio.NewReader(big), nil); err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("oversized header: %v %v, want 431", resp, err)
	}
}

// TestShutdownCutsOffAfterGrace: a request still in flight after the
// grace period is dropped, and the stop is still a clean one (fugu serve
// exits 0 on SIGTERM).
func TestShutdownCutsOffAfterGrace(t *testing.T) {
	slow := &slowRenderer{started: make(chan struct{}), release: make(chan struct{})}
	defer close(slow.release)
	f := newFixture(t, "", func(c *Config) {
		c.Renderer = slow
		c.ShutdownGrace = 50 * time.Millisecond
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln, 0) }()
	got := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/" + laptopMAC + "-install.conf")
		if err == nil {
			resp.Body.Close()
		}
		got <- err
	}()
	<-slow.started
	cancel()
	select {
	case err := <-served:
		// assert that: the stop is clean although a request was cut off
		if err != nil {
			t.Errorf("Serve after the grace period = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the grace period")
	}
	select {
	case err := <-got:
		if err == nil {
			t.Error("the request stuck past the grace period got an answer, want its connection dropped")
		}
	case <-time.After(10 * time.Second):
		t.Error("the request stuck past the grace period still holds its connection")
	}
}
