package remote

import (
	"fmt"
	"strconv"
	"strings"
)

// HostSettings is what an ssh_config says about one host, for the
// keywords fugu follows. Zero values mean "not set".
type HostSettings struct {
	HostName            string
	User                string
	Port                int
	IdentityFiles       []string // in order; all IdentityFile lines apply, as in ssh
	IdentitiesOnly      bool
	UserKnownHostsFiles []string
	// Unsupported lists, as "line N: Keyword", options that apply to the
	// host and would make ssh(1) connect differently, but that fugu does
	// not follow (ProxyJump, HostKeyAlias, ...).
	Unsupported []string
}

// unsupportedKeys change where or how ssh connects; fugu warns about them.
var unsupportedKeys = map[string]string{
	"proxyjump":             "ProxyJump",
	"proxycommand":          "ProxyCommand",
	"hostkeyalias":          "HostKeyAlias",
	"certificatefile":       "CertificateFile",
	"identityagent":         "IdentityAgent",
	"globalknownhostsfile":  "GlobalKnownHostsFile",
	"canonicalizehostname":  "CanonicalizeHostname",
	"stricthostkeychecking": "StrictHostKeyChecking",
}

// LookupEnv is what token and ~ expansion need to know about the local side.
type LookupEnv struct {
	Home      string // for ~ and %d
	LocalUser string // for %u, and %r when no user is given
	// RemoteUser is the login user given outside ssh_config (user@host,
	// Config.User), which wins over its User for %r, as ssh logs in as
	// that user.
	RemoteUser string
}

// Lookup returns the settings for host (as typed by the user, e.g. an
// alias), applying ssh's rule that the first value found for a keyword
// wins, except IdentityFile, which accumulates. HostName gets %h
// expanded; IdentityFile and UserKnownHostsFile get ~ and %d %u %h %r %%
// (%h in lower case, as ssh).
func (c *SSHConfig) Lookup(host string, env LookupEnv) HostSettings {
	var s HostSettings
	set := map[string]bool{}
	var rawIDs, rawKnown []string
	for _, b := range c.Blocks {
		if !matchHost(b.Patterns, host) {
			continue
		}
		for _, o := range b.Options {
			if len(o.Args) == 0 {
				continue
			}
			if o.Key == "identityfile" {
				rawIDs = append(rawIDs, o.Args[0])
				continue
			}
			if set[o.Key] {
				continue
			}
			if name, ok := unsupportedKeys[o.Key]; ok {
				s.Unsupported = append(s.Unsupported, fmt.Sprintf("line %d: %s", o.Line, name))
				set[o.Key] = true
				continue
			}
			switch o.Key {
			case "hostname":
				s.HostName = expandTokens(o.Args[0], host, "", env)
			case "user":
				s.User = o.Args[0]
			case "port":
				s.Port, _ = strconv.Atoi(o.Args[0]) // checked at parse time
			case "identitiesonly":
				s.IdentitiesOnly, _ = parseYesNo(o.Args[0])
			case "userknownhostsfile":
				rawKnown = o.Args
			default:
				continue
			}
			set[o.Key] = true
		}
	}
	// Tokens refer to the final host name and login user, known only now.
	// ssh lowercases the host name once HostName is applied (ssh.c), so
	// its %h is in lower case however the host was typed or configured.
	target := host
	if s.HostName != "" {
		target = s.HostName
	}
	target = lowerASCII(target)
	login := firstNonEmpty(env.RemoteUser, s.User, env.LocalUser)
	for _, f := range rawIDs {
		s.IdentityFiles = append(s.IdentityFiles, expandPath(f, target, login, env))
	}
	for _, f := range rawKnown {
		if strings.EqualFold(f, "none") {
			continue
		}
		s.UserKnownHostsFiles = append(s.UserKnownHostsFiles, expandPath(f, target, login, env))
	}
	return s
}

// matchHost applies a Host line: some pattern matches and no negated
// pattern does. Matching is case-insensitive, as ssh lowercases the host.
func matchHost(patterns []string, host string) bool {
	host = strings.ToLower(host)
	ok := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		if neg {
			p = p[1:]
		}
		if !wildcardMatch(strings.ToLower(p), host) {
			continue
		}
		if neg {
			return false
		}
		ok = true
	}
	return ok
}

// wildcardMatch matches * (any run) and ? (one byte). It backtracks only
// to the last *, so it runs in O(len(p)*len(s)) even for hostile patterns.
func wildcardMatch(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func expandPath(p, host, user string, env LookupEnv) string {
	if p == "~" {
		return env.Home
	}
	if strings.HasPrefix(p, "~/") {
		p = env.Home + p[1:]
	}
	return expandTokens(p, host, user, env)
}

// expandTokens expands the ssh_config % tokens fugu knows; unknown tokens
// are left as written.
func expandTokens(s, host, user string, env LookupEnv) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case '%':
			b.WriteByte('%')
		case 'h':
			b.WriteString(host)
		case 'd':
			b.WriteString(env.Home)
		case 'u':
			b.WriteString(env.LocalUser)
		case 'r':
			b.WriteString(user)
		default:
			b.WriteByte('%')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// lowerASCII lowercases the ASCII letters of s, as ssh's lowercase() does
// byte by byte; other bytes stay as they are.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
