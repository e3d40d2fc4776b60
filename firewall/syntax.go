package firewall

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// The checks in this file decide whether a value may be written into
// pf.conf, spamd.conf, a crontab or a shell script. They accept a
// deliberately small alphabet: a value is rejected, never escaped.

var (
	ifaceRe    = regexp.MustCompile(`^[a-z]+[0-9]+$`)
	pflogRe    = regexp.MustCompile(`^pflog[0-9]+$`)
	tableRe    = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	portNameRe = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	pathRe     = regexp.MustCompile(`^/[A-Za-z0-9._+@/-]*$`)
	labelRe    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	listNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	urlPathRe  = regexp.MustCompile(`^[A-Za-z0-9.-]+(/[A-Za-z0-9._~+-]+)+$`)
	peerURLRe  = regexp.MustCompile(`^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~+-]+)+$`)
	bandRe     = regexp.MustCompile(`^([0-9]+)([KMG]?)b?$`)
)

// checkInterface accepts a real interface name (em0), not a group.
func checkInterface(s string) string {
	if !ifaceRe.MatchString(s) || len(s) > 15 {
		return fmt.Sprintf("%q is not an interface name (driver name and unit, like em0; groups such as egress are not accepted here)", s)
	}
	if pfKeywords[s] {
		return fmt.Sprintf("%q is a pf.conf keyword, not an interface name (pfctl reads \"on %s\" as the keyword: syntax error)", s, s)
	}
	return ""
}

// checkIPv4 accepts a unicast IPv4 address in dotted form.
func checkIPv4(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return fmt.Sprintf("%q is not an IPv4 address (expected dotted quad like 192.0.2.25)", s)
	}
	if a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return fmt.Sprintf("%q is not a unicast address", s)
	}
	return ""
}

// checkTableName enforces pfctl's limits (at most 31 characters, not a
// number) and a character set that is safe in pf.conf and shell.
func checkTableName(s string) string {
	switch {
	case s == "":
		return "table name is empty"
	case len(s) > 31:
		return fmt.Sprintf("table name %q is %d characters (pf allows at most 31)", s, len(s))
	case !tableRe.MatchString(s):
		return fmt.Sprintf("table name %q has characters other than letters, digits, - and _", s)
	case isDigits(s):
		return fmt.Sprintf("table name %q is a number (pfctl rejects numeric table names)", s)
	case s[0] == '-':
		return fmt.Sprintf("table name %q starts with - (pfctl reads it as a minus sign)", s)
	case pfKeywords[s]:
		return fmt.Sprintf("table name %q is a pf.conf keyword (pfctl reads <%s> as the keyword: syntax error)", s, s)
	}
	return ""
}

// pfKeywords are the reserved words of pfctl's lexer (parse.y lookup(),
// rev 1.719). A table written <word> with one of them does not parse.
var pfKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`af-to all allow-opts anchor antispoof any bandwidth binat-to
		bitmask block block-policy burst code debug default delay divert-packet divert-reply
		divert-to drop dup-to file fingerprints flags floating flows flush for fragment from
		global group hostid icmp-type icmp6-type if-bound in include inet inet6 keep label
		least-states limit load log loginterface match matches max max-mss max-pkt-rate
		max-src-conn max-src-conn-rate max-src-nodes max-src-states min min-ttl modulate nat-to
		no no-df no-route no-sync on once optimization os out overload parent pass pflow port
		prio probability proto qlimit quantum queue quick random random-id rdomain rdr-to
		reassemble received-on reply-to return return-icmp return-icmp6 return-rst round-robin
		route route-to rtable rule ruleset-optimization scrub set skip sloppy source-hash
		source-track state state-defaults state-policy static-port sticky-address syncookies
		synproxy table tag tagged timeout to tos ttl urpf-failed user weight`) {
		pfKeywords[k] = true
	}
}

// checkPath accepts an absolute path of safe characters without ".."
// that does not live under /tmp or /var/tmp, which are cleaned at boot.
func checkPath(s string) string {
	switch {
	case s == "":
		return "path is empty"
	case !strings.HasPrefix(s, "/"):
		return fmt.Sprintf("%q is not an absolute path", s)
	case !pathRe.MatchString(s):
		return fmt.Sprintf("path %q has characters other than letters, digits and ._+@/- (no spaces or quotes)", s)
	case strings.HasSuffix(s, "/"):
		return fmt.Sprintf("path %q ends in / (expected a file)", s)
	}
	for _, c := range strings.Split(s, "/") {
		if c == ".." || c == "." {
			return fmt.Sprintf("path %q has a %q component", s, c)
		}
	}
	for _, bad := range []string{"/tmp", "/var/tmp"} {
		if s == bad || strings.HasPrefix(s, bad+"/") {
			return fmt.Sprintf("path %q is under %s, which is cleaned at boot and by daily(8) (and a missing table file aborts the whole pf load)", s, bad)
		}
	}
	return ""
}

// checkDir is checkPath for a directory.
func checkDir(s string) string {
	return checkPath(strings.TrimSuffix(s, "/"))
}

// checkPort accepts a services(5) name or a number 1-65535.
func checkPort(s string) string {
	if isDigits(s) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("port %s is out of range 1-65535", s)
		}
		return ""
	}
	if !portNameRe.MatchString(s) || len(s) > 32 {
		return fmt.Sprintf("%q is not a port (a services(5) name like ssh, or a number)", s)
	}
	if pfKeywords[s] {
		return fmt.Sprintf("port %q is a pf.conf keyword (pfctl reads it as the keyword, not a service name: syntax error); use the port number", s)
	}
	return ""
}

// maxConnRate is pfctl's limit on max-src-conn-rate's connections:
// PF_THRESHOLD_MAX, UINT_MAX over the kernel's fixed-point factor 1000.
const maxConnRate = math.MaxUint32 / 1000

// checkRate accepts max-src-conn-rate's N/S with both numbers positive,
// N at most PF_THRESHOLD_MAX and S at most UINT_MAX, as pfctl requires.
func checkRate(s string) string {
	n, sec, ok := strings.Cut(s, "/")
	a, err1 := strconv.ParseUint(n, 10, 32)
	b, err2 := strconv.ParseUint(sec, 10, 32)
	if !ok || !isDigits(n) || !isDigits(sec) || err1 != nil || err2 != nil || a < 1 || b < 1 || a > maxConnRate {
		return fmt.Sprintf("%q is not a rate (expected connections/seconds like 15/5, both > 0, at most %d/%d)", s, maxConnRate, uint32(math.MaxUint32))
	}
	return ""
}

// checkHostname accepts a lowercase DNS name.
func checkHostname(s string) string {
	if s == "" || len(s) > 253 {
		return fmt.Sprintf("%q is not a host name", s)
	}
	for _, l := range strings.Split(s, ".") {
		if !labelRe.MatchString(l) || len(l) > 63 {
			return fmt.Sprintf("%q is not a host name (lowercase letters, digits, - and dots)", s)
		}
	}
	return ""
}

// checkDomain accepts an alloweddomains suffix: example.org or @example.org.
func checkDomain(s string) string {
	if msg := checkHostname(strings.TrimPrefix(s, "@")); msg != "" {
		return fmt.Sprintf("%q is not a domain (example.org, or @example.org for that domain only)", s)
	}
	return ""
}

// checkBandwidth accepts pf's absolute bandwidth: digits with K, M or G.
func checkBandwidth(s string) string {
	if _, err := ParseBandwidth(s); err != nil {
		return err.Error()
	}
	return ""
}

// ParseBandwidth parses pf's absolute bandwidth (1K, 95M, 1Gb) into bits
// per second. Percentages are rejected, as current pfctl does.
func ParseBandwidth(s string) (uint64, error) {
	if strings.HasSuffix(s, "%") {
		return 0, fmt.Errorf("bandwidth %q is a percentage (pf takes only absolute bandwidths like 95M)", s)
	}
	m := bandRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a bandwidth (expected a number with K, M or G, like 95M)", s)
	}
	mult := map[string]uint64{"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m[2]]
	// pfctl refuses more than LLONG_MAX bits per second.
	n, err := strconv.ParseUint(m[1], 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("bandwidth %q is out of range", s)
	}
	return n * mult, nil
}

// FormatBandwidth writes bits per second with the largest exact unit.
func FormatBandwidth(b uint64) string {
	for _, u := range []struct {
		s string
		m uint64
	}{{"G", 1e9}, {"M", 1e6}, {"K", 1e3}} {
		if b >= u.m && b%u.m == 0 {
			return strconv.FormatUint(b/u.m, 10) + u.s
		}
	}
	return strconv.FormatUint(b, 10)
}

// checkText accepts a line of printable ASCII without quotes, backslashes
// or %, for header lines written by a shell script.
func checkText(s string) string {
	for _, r := range s {
		if r < 0x20 || r > 0x7e || strings.ContainsRune(`"'\%$`+"`", r) {
			return fmt.Sprintf("%q contains %q (allowed: printable ASCII without quotes, backslash, $, backquote or %%)", s, r)
		}
	}
	return ""
}

// checkMsg accepts a spamd.conf black-list message: one line of
// printable ASCII without " or \, and % only as %A (the address) or %%.
func checkMsg(s string) string {
	if s == "" {
		return "a black list needs msg (spamd-setup fails with \"No msg for blacklist\")"
	}
	if len(s) > 500 {
		return "msg is longer than 500 characters"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 || c > 0x7e:
			return fmt.Sprintf("msg contains the control or non-ASCII byte %q (one line of printable ASCII expected)", c)
		case c == '"' || c == '\\':
			return fmt.Sprintf("msg contains %q, which would end the getcap string", c)
		case c == '^':
			// getcap's cgetstr reads ^X as the control character X.
			return "msg contains ^, which getcap reads as the start of a control character (^A and so on)"
		case c == '%':
			if i+1 < len(s) && (s[i+1] == 'A' || s[i+1] == '%') {
				i++
				continue
			}
			return "msg contains % not followed by A or % (%A is the client address)"
		}
	}
	return ""
}

// checkSyncTarget accepts spamd -Y's IPv4 unicast or iface[:ttl].
func checkSyncTarget(s string) string {
	if _, err := netip.ParseAddr(s); err == nil {
		return checkIPv4(s)
	}
	ifc, ttl, hasTTL := strings.Cut(s, ":")
	if checkInterface(ifc) != "" {
		return fmt.Sprintf("%q is not a sync target (an IPv4 address, or interface[:ttl] for multicast)", s)
	}
	if hasTTL {
		n, err := strconv.Atoi(ttl)
		if err != nil || !isDigits(ttl) || n < 1 || n > 255 {
			return fmt.Sprintf("ttl in %q is not 1-255", s)
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
