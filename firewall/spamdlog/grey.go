package spamdlog

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// greyTuple is one greylisted (ip, helo, from, to) with when it was seen.
type greyTuple struct {
	t                  time.Time
	ip, helo, from, to string
	spamdb             bool
	exact              bool // t is an instant (spamdb, syslogd -Z), not inferred wall clock
}

// eachGrey reads greylist tuples from spamd log lines ((GREY) and
// "new [greytrap ]entry") and spamdb GREY lines, and trap addresses:
// spamdb's SPAMTRAP lines and the recipients of spamd's "Trapping" lines.
// It calls tuple and trap as it reads, in input order, and keeps
// nothing; their strings are parts of the line (see eachLine).
func eachGrey(r io.Reader, opts Options, tuple func(greyTuple), trap func(addr string)) error {
	y := &years{opts: opts}
	return eachLine(r, func(s string) {
		if strings.HasPrefix(s, "GREY|") {
			if g, ok := parseSpamdbGrey(s); ok {
				tuple(g)
			}
			return
		}
		if rest, ok := strings.CutPrefix(s, "SPAMTRAP|"); ok {
			trap(normAddr(rest))
			return
		}
		l, ok := y.parseSyslog(s)
		if !ok || l.Prog != "spamd" {
			return
		}
		if to, ok := parseTrapping(l.Msg); ok {
			trap(normAddr(to))
			return
		}
		if g, ok := parseGreyMsg(l.Msg); ok {
			g.t, g.exact = l.Time, l.Exact
			tuple(g)
		}
	})
}

// parseTrapping reads grey.c's "Trapping IP for tuple IP HELO FROM TO"
// (syslogd turns the tuple's newlines into spaces; HELO may be empty)
// and returns TO, a spamtrap or an address outside the allowed domains.
// "Trapping IP for trying MX first for tuple ..." (-M) says nothing
// about the recipient.
func parseTrapping(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "Trapping ")
	if !ok {
		return "", false
	}
	head, tuple, ok := strings.Cut(rest, " for tuple ")
	if !ok || strings.Contains(head, " for trying ") {
		return "", false
	}
	f := strings.Fields(tuple)
	if len(f) < 3 {
		return "", false
	}
	return f[len(f)-1], true
}

// parseGreyMsg reads "(GREY) ip: from -> to" and
// "new [greytrap ]entry ip from F to T, helo H".
func parseGreyMsg(msg string) (greyTuple, bool) {
	if rest, ok := strings.CutPrefix(msg, "(GREY) "); ok {
		ip, rest, ok := strings.Cut(rest, ": ")
		if !ok {
			return greyTuple{}, false
		}
		from, to, ok := strings.Cut(rest, " -> ")
		if !ok {
			return greyTuple{}, false
		}
		return greyTuple{ip: ip, from: from, to: strings.TrimSpace(to)}, true
	}
	rest, ok := strings.CutPrefix(msg, "new entry ")
	if !ok {
		rest, ok = strings.CutPrefix(msg, "new greytrap entry ")
	}
	if ok {
		ip, rest, ok1 := strings.Cut(rest, " from ")
		from, rest, ok2 := strings.Cut(rest, " to ")
		to, helo, ok3 := strings.Cut(rest, ", helo ")
		if !ok1 || !ok2 || !ok3 {
			return greyTuple{}, false
		}
		return greyTuple{ip: ip, from: from, to: to, helo: helo}, true
	}
	return greyTuple{}, false
}

// parseSpamdbGrey reads GREY|ip|helo|from|to|first|pass|expire|bcount|pcount.
// HELO, FROM and TO are client-controlled and may contain |, so the
// numeric fields are taken from the right.
func parseSpamdbGrey(s string) (greyTuple, bool) {
	f := strings.Split(s, "|")
	if len(f) < 10 {
		return greyTuple{}, false
	}
	n := len(f)
	first, err := strconv.ParseInt(f[n-5], 10, 64)
	if err != nil {
		return greyTuple{}, false
	}
	mid := f[2 : n-5] // helo, from, to, possibly with | inside
	if len(mid) < 3 {
		return greyTuple{}, false
	}
	return greyTuple{
		t: time.Unix(first, 0).UTC(), ip: f[1],
		helo: strings.Join(mid[:len(mid)-2], "|"), from: mid[len(mid)-2], to: mid[len(mid)-1],
		spamdb: true, exact: true,
	}, true
}

// normAddr strips one pair of <> and lowercases, as spamd does.
func normAddr(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	return strings.ToLower(s)
}
