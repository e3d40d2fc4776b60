package serve

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Config wires a Server.
type Config struct {
	Renderer    Renderer
	Store       *Store
	SetsDir     string         // mirror laid out like pub/OpenBSD: RELEASE/ARCH/base78.tgz; "" for none
	FirmwareDir string         // firmware mirror: [RELEASE/]FILE; "" for none
	ServerURL   string         // fixed http://HOST[:PORT]; "" derives it from each request's Host
	Allow       []netip.Prefix // who may fetch answers, templates and sets (firmware is public); empty: anyone
	Admin       []netip.Prefix // who may see the status page and re-arm, besides loopback
	Log         *slog.Logger   // access and error log; nil discards
	// ShutdownGrace bounds how long Serve waits for requests in flight
	// when it stops; 0 means the package's ShutdownGrace.
	ShutdownGrace time.Duration
	// MaxConnsPerAddr caps one client address's connections; 0 means
	// the package's MaxConnsPerAddr, negative no cap (load tests that
	// run every client on one address).
	MaxConnsPerAddr int
}

// Server is the http.Handler answering the installer, the callbacks and
// the status page. Create it with New; swap sites with Swap.
type Server struct {
	cfg      Config
	snap     atomic.Pointer[Snapshot]
	sets     *os.Root
	firmware *os.Root
	csrf     string // guards the status page's re-arm form
	refused  refusals
}

// New returns a Server answering from snap. The mirror directories, if
// given, are opened as roots: no request can leave them, not even through
// a symbolic link.
func New(cfg Config, snap *Snapshot) (*Server, error) {
	if cfg.Renderer == nil || cfg.Store == nil || snap == nil {
		return nil, errors.New("serve: a renderer, a store and a snapshot are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.ServerURL != "" {
		if err := ValidateServerURL(cfg.ServerURL); err != nil {
			return nil, err
		}
	}
	s := &Server{cfg: cfg}
	var err error
	if cfg.SetsDir != "" {
		if s.sets, err = os.OpenRoot(cfg.SetsDir); err != nil {
			return nil, fmt.Errorf("open sets mirror: %w", err)
		}
	}
	if cfg.FirmwareDir != "" {
		if s.firmware, err = os.OpenRoot(cfg.FirmwareDir); err != nil {
			return nil, fmt.Errorf("open firmware mirror: %w", err)
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	s.csrf = hex.EncodeToString(b)
	s.snap.Store(snap)
	s.forgetEnrolled(snap)
	return s, nil
}

// Swap makes snap the site answered from; requests in flight finish with
// the old one.
func (s *Server) Swap(snap *Snapshot) {
	s.snap.Store(snap)
	s.forgetEnrolled(snap)
}

// Snapshot is the site currently answered from.
func (s *Server) Snapshot() *Snapshot { return s.snap.Load() }

func (s *Server) forgetEnrolled(snap *Snapshot) {
	s.cfg.Store.Enrolled(func(mac string) bool { return snap.ByMAC(mac) != nil })
}

// Close releases the mirror roots.
func (s *Server) Close() error {
	if s.sets != nil {
		s.sets.Close()
	}
	if s.firmware != nil {
		s.firmware.Close()
	}
	return nil
}

// ServeHTTP parses the request name, checks who is asking, answers, and
// writes one access log line.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	lw := &logWriter{ResponseWriter: w}
	rl := &reqLog{ip: clientIP(r), look: r.Method == http.MethodHead}
	s.dispatch(lw, r, rl)
	status := lw.status
	if status == 0 {
		status = http.StatusOK
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if !s.cfg.Log.Enabled(r.Context(), level) {
		return
	}
	s.cfg.Log.LogAttrs(r.Context(), level, "request",
		slog.String("ip", rl.ip.String()), slog.String("method", r.Method),
		slog.String("path", logPath(r.URL.Path)), slog.String("mac", rl.mac),
		slog.String("machine", rl.machine), slog.String("file", rl.file),
		slog.Int("status", status), slog.Int64("bytes", lw.bytes),
		slog.Duration("duration", time.Since(start)))
}

// logPath keeps callback tokens, which are secrets until used, out of logs.
// (Redacted before shortening, so no part of a token is left.)
func logPath(p string) string {
	if i := strings.Index(p, "/callback/"); i >= 0 {
		step, _, _ := strings.Cut(p[i+len("/callback/"):], "/")
		p = p[:i] + "/callback/" + step + "/(token)"
	}
	if len(p) > 64 {
		return p[:64] + "..."
	}
	return p
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, rl *reqLog) {
	req, err := ParseRequest(r.RequestURI)
	if err != nil {
		// The reason, for whoever set up the DHCP filename; it names
		// nothing of the site.
		http.Error(w, strings.TrimPrefix(err.Error(), "serve: "), http.StatusBadRequest)
		return
	}
	switch req.Kind {
	case KindStatus, KindAPI, KindRearm:
		// --admin adds networks to loopback: the banner's loopback URLs
		// keep working.
		if !rl.ip.IsLoopback() && !allowed(s.cfg.Admin, rl.ip, true) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		// Loopback admin trusts the browser on this host; a page that
		// rebinds its own DNS name to 127.0.0.1 would otherwise be
		// same-origin here and could read the page's token and re-arm.
		if rl.ip.IsLoopback() && !addressHost(r.Host) {
			http.Error(w, "forbidden: open the status page as http://localhost:PORT/ or by address", http.StatusForbidden)
			return
		}
		switch req.Kind {
		case KindStatus:
			s.status(w, r)
		case KindAPI:
			s.api(w, r)
		default:
			s.rearm(w, r, rl)
		}
		return
	}
	// A callback is authorised by its one-time token, not by --allow: the
	// first boot calls from the installed address, which may be outside
	// the range that fetched the answers, and the reply carries nothing.
	if req.Kind == KindCallback {
		s.callback(w, r, req, rl)
		return
	}
	// Firmware is fetched by fw_update at first boot, from the installed
	// address too, and is what firmware.openbsd.org gives anyone: not
	// behind --allow either.
	if !allowed(s.cfg.Allow, rl.ip, false) && req.Kind != KindFirmware {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	snap := s.snap.Load()
	switch req.Kind {
	case KindAnswers:
		s.answers(w, r, snap, req, rl)
	case KindTemplate:
		s.template(w, r, snap, req, rl)
	case KindSet:
		s.set(w, r, snap, req, rl)
	case KindFirmware:
		rl.file = req.File
		name := req.File
		if req.Dir != "" {
			name = req.Dir + "/" + req.File
		}
		serveFromRoot(w, r, s.firmware, name)
	}
}

func allowed(nets []netip.Prefix, ip netip.Addr, loopbackDefault bool) bool {
	if len(nets) == 0 {
		return !loopbackDefault || ip.IsLoopback()
	}
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// addressHost reports whether a Host header names this server by address
// or as localhost, names no DNS rebinding can claim.
func addressHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	_, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return err == nil
}

func clientIP(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// reqLog collects what the access log reports about a request.
type reqLog struct {
	ip                 netip.Addr
	mac, machine, file string
	// look is set for HEAD: the installer's ftp(1) only GETs, so a HEAD
	// (curl -I, a monitor) is answered but leaves no trace in the
	// machines' trails, the pending list or the refusals.
	look bool
}

// logWriter remembers the status and size of a response.
type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
