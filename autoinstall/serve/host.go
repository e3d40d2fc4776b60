package serve

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"fugu/firewall"
)

// serverURL is the URL the installer reaches this server at: the fixed
// one, or http:// and the request's Host header once it has been checked
// to be a plain host name or address with an optional port.
func (s *Server) serverURL(r *http.Request) (string, error) {
	if s.cfg.ServerURL != "" {
		return s.cfg.ServerURL, nil
	}
	if !validHostPort(r.Host) {
		return "", fmt.Errorf("bad Host %q", r.Host)
	}
	return "http://" + strings.ToLower(r.Host), nil
}

// validHostPort accepts HOST[:PORT] where HOST is a DNS name (letters,
// digits, inner dots and dashes) or an IPv4 address, or [IPv6]. It runs on
// every request without --server-url, so it is a loop, not a regexp.
func validHostPort(h string) bool {
	host, port := h, ""
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return false
		}
		if _, err := netip.ParseAddr(h[1:end]); err != nil {
			return false
		}
		host, port = "", h[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
	} else if i := strings.IndexByte(h, ':'); i >= 0 {
		host, port = h[:i], h[i:]
	}
	if port != "" {
		port = port[1:]
		if len(port) < 1 || len(port) > 5 {
			return false
		}
		n := 0
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
			n = n*10 + int(port[i]-'0')
		}
		if n < 1 || n > 65535 {
			return false
		}
	}
	if strings.HasPrefix(h, "[") {
		return true
	}
	if len(host) < 1 || len(host) > 253 || !isAlnum(host[0]) || !isAlnum(host[len(host)-1]) || strings.Contains(host, "..") {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !isAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// ValidateServerURL checks a --server-url: http, a host, an optional port,
// nothing else (the installer's HTTP server answer takes no path). It is
// checked as written, not as a URL parser would normalise it: the string
// goes into the answers as it is, where "HTTP://" or a bare "?" or "#"
// after the host would break them.
func ValidateServerURL(s string) error {
	if host, ok := strings.CutPrefix(s, "http://"); !ok || !validHostPort(host) {
		return fmt.Errorf("server URL %q: want http://HOST or http://HOST:PORT (no path, no trailing slash)", firewall.RedactURL(s))
	}
	return nil
}
