package serve

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// Timeouts and limits of the HTTP server. Answers are small; set files
// are large, so their handler extends its own write deadline.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 60 * time.Second
	MaxHeaderBytes    = 16 << 10
	// MaxConns caps concurrent connections; more wait in the kernel's
	// accept queue instead of using memory here.
	MaxConns = 512
	// MaxConnsPerAddr caps one client address's share of them: set and
	// firmware downloads may last an hour, and without it one address
	// could hold every slot while real installers wait. An installer
	// uses one connection at a time.
	MaxConnsPerAddr = 32
	// setWriteTimeout bounds one set or firmware download.
	setWriteTimeout = time.Hour
	// ShutdownGrace is how long a stopping server lets requests in
	// flight (a set download) finish before it drops them.
	ShutdownGrace = 10 * time.Second
)

// Serve answers on ln until ctx is cancelled, then stops accepting,
// lets requests in flight finish (up to a grace period, after which they
// are cut off) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener, maxConns int) error {
	if maxConns <= 0 {
		maxConns = MaxConns
	}
	perAddr := s.cfg.MaxConnsPerAddr
	if perAddr == 0 {
		perAddr = MaxConnsPerAddr
	}
	hs := s.httpServer(ctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(LimitListener(ln, maxConns, max(perAddr, 0))) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	grace := s.cfg.ShutdownGrace
	if grace <= 0 {
		grace = ShutdownGrace
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// A stop was asked for: that is not a failure of the server,
		// even when a slow download has to be cut off.
		s.cfg.Log.Warn("stopped: requests still in flight after the grace period were cut off", "grace", grace)
		hs.Close()
		err = nil
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// httpServer is the net/http server Serve runs: every timeout set, so a
// slow or silent client cannot hold a connection slot for long.
func (s *Server) httpServer(ctx context.Context) *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.cfg.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
}

// LimitListener returns a listener that holds at most n connections open
// at once, and at most perAddr from one client address (0: no such
// limit): Accept waits for a slot before taking the next connection, and
// closes at once a connection from an address that has its share.
func LimitListener(ln net.Listener, n, perAddr int) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{}),
		perAddr: perAddr, open: map[netip.Addr]int{}}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once

	perAddr int
	mu      sync.Mutex
	open    map[netip.Addr]int // connections open per client address
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		select {
		case l.sem <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.sem
			return nil, err
		}
		addr := remoteAddr(c)
		if !l.take(addr) {
			c.Close()
			<-l.sem
			continue
		}
		return &limitConn{Conn: c, release: func() { l.give(addr); <-l.sem }}, nil
	}
}

// take counts a connection from addr, unless addr has its share.
func (l *limitListener) take(addr netip.Addr) bool {
	if l.perAddr <= 0 || !addr.IsValid() {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[addr] >= l.perAddr {
		return false
	}
	l.open[addr]++
	return true
}

func (l *limitListener) give(addr netip.Addr) {
	if l.perAddr <= 0 || !addr.IsValid() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[addr]--; l.open[addr] <= 0 {
		delete(l.open, addr)
	}
}

func remoteAddr(c net.Conn) netip.Addr {
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
