package remote

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Target is a parsed [user@]host[:port] argument. Host may be an
// ssh_config alias; Port is 0 when not given.
type Target struct {
	User string
	Host string
	Port int
}

// ParseTarget parses [user@]host[:port]; an IPv6 address with a port is
// written [addr]:port, without one it may be bare. A host starting with
// '-' is refused so that it can never become an option of a command.
func ParseTarget(s string) (Target, error) {
	var t Target
	if i := strings.LastIndex(s, "@"); i >= 0 {
		t.User, s = s[:i], s[i+1:]
		if t.User == "" {
			return Target{}, fmt.Errorf("target %q: empty user before @", s)
		}
	}
	host := s
	switch {
	case strings.HasPrefix(s, "["):
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			end := strings.Index(s, "]")
			if end < 0 || end != len(s)-1 {
				return Target{}, fmt.Errorf("target %q: expected [address] or [address]:port", s)
			}
			h, p = s[1:end], ""
		}
		host = h
		if p != "" {
			port, err := parsePort(p)
			if err != nil {
				return Target{}, fmt.Errorf("target %q: %w", s, err)
			}
			t.Port = port
		}
	case strings.Count(s, ":") == 1:
		h, p, _ := strings.Cut(s, ":")
		port, err := parsePort(p)
		if err != nil {
			return Target{}, fmt.Errorf("target %q: %w", s, err)
		}
		host, t.Port = h, port
	}
	if host == "" {
		return Target{}, fmt.Errorf("target %q: empty host", s)
	}
	if strings.HasPrefix(host, "-") || strings.ContainsFunc(t.User, func(r rune) bool { return r <= ' ' || r == ':' || r == 0x7f }) {
		return Target{}, fmt.Errorf("target %q: expected [user@]host[:port]", s)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		// netip takes any text as an IPv6 zone; a zone is an interface
		// name, and anything else (a ], a control byte) cannot be
		// written back as a target.
		if z := a.Zone(); z != "" && !isZone(z) {
			return Target{}, fmt.Errorf("target %q: zone %q is not an interface name", s, z)
		}
	} else if !isHostName(host) {
		return Target{}, fmt.Errorf("target %q: %q is neither a host name nor an IP address", s, host)
	}
	t.Host = host
	return t, nil
}

func (t Target) String() string {
	s := t.Host
	if strings.Contains(s, ":") {
		s = "[" + s + "]"
	}
	if t.Port != 0 {
		s = fmt.Sprintf("%s:%d", s, t.Port)
	}
	if t.User != "" {
		s = t.User + "@" + s
	}
	return s
}

// isHostName reports whether s has only the characters of host names and
// ssh_config aliases (letters, digits, '-', '.', '_').
func isHostName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

// isZone reports whether z can be an interface name (em0, vio0, lo0).
func isZone(z string) bool {
	for _, r := range z {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return z != ""
}
