package serve

import (
	"context"
	"net"
	"net/http"
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
	ln := LimitListener(raw, 2)
	defer ln.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
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
	time.Sleep(50 * time.Millisecond) // let Shutdown close the listener
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
