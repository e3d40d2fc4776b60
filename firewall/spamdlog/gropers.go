package spamdlog

import (
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Attempt is one failed (or abandoned) login seen in syslog.
type Attempt struct {
	Time    time.Time
	Address string
	User    string // "" when the log does not say
	Service string // sshd, dovecot, spop3d
	Count   int    // dovecot reports several attempts on one line
}

var (
	// OpenSSH: "Failed password for [invalid user ]USER from IP port N ssh2[: info]".
	// The user name is the client's and may hold spaces and a forged
	// "from IP port N", so the address is taken from the last " from "
	// whose tail is sshd's own (see parseSSHFailed).
	sshHeadRE = regexp.MustCompile(`^Failed \S+ for (?:invalid user )?`)
	sshTailRE = regexp.MustCompile(`^ from (\S+) port \d+(?: ssh2(?::.*)?)?$`)
	// Dovecot: "imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<bob>, ..., rip=IP, ...".
	dovecotRE  = regexp.MustCompile(`(?:imap|pop3)-login: .*auth failed(?:, (\d+) attempts?)?.*`)
	dovUserRE  = regexp.MustCompile(`user=<([^>]*)>`)
	dovRipRE   = regexp.MustCompile(`rip=([0-9A-Fa-f.:]+)`)
	spopUserRE = regexp.MustCompile(`(?i)user[= ]<?([^\s>,]+)`)
	ipRE       = regexp.MustCompile(`[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]+`)
)

// ReadAttempts reads failed logins from syslog text and calls fn for
// each, in input order: sshd (and sshd-session) "Failed ... for USER
// from IP", dovecot pop3/imap-login "auth failed" lines, and spop3d
// failures and "autologout time elapsed" (a session that never
// authenticated: what a groper held in a slow queue leaves). Other lines
// are ignored. Nothing is kept between lines but the year and the line
// before, so feed the attempts to a Summary or DayTally, which keep only
// tallies. An Attempt's User is part of its line: clone it to keep it.
func ReadAttempts(r io.Reader, opts Options, fn func(Attempt)) error {
	y := &years{opts: opts}
	// prev is the attempt on the line before, which syslogd's "last
	// message repeated N times" (from the same host) multiplies.
	var prev Attempt
	var havePrev bool
	var prevHost string
	return eachLine(r, func(s string) {
		l, ok := y.parseSyslog(s)
		if !ok {
			havePrev = false
			return
		}
		if l.Repeat > 0 {
			if havePrev && l.Host == prevHost {
				a := prev
				a.Time = l.Time
				a.Count *= l.Repeat
				fn(a)
			}
			return // a longer run is flushed as several repeat lines
		}
		havePrev, prevHost = false, l.Host
		if a, ok := parseAttempt(l); ok {
			fn(a)
			prev, havePrev = a, true
		}
	})
}

func parseAttempt(l Line) (Attempt, bool) {
	a := Attempt{Time: l.Time, Service: l.Prog, Count: 1}
	switch {
	case l.Prog == "sshd" || l.Prog == "sshd-session":
		if !strings.HasPrefix(l.Msg, "Failed ") {
			return a, false
		}
		user, addr, ok := parseSSHFailed(l.Msg)
		if !ok {
			return a, false
		}
		a.User, a.Address = user, addr
	case strings.HasPrefix(l.Prog, "dovecot"):
		if !strings.Contains(l.Msg, "auth failed") {
			return a, false
		}
		m := dovecotRE.FindStringSubmatch(l.Msg)
		// The last rip= is dovecot's own; an earlier one can sit in the
		// client's user name.
		rips := dovRipRE.FindAllStringSubmatch(l.Msg, -1)
		if m == nil || rips == nil {
			return a, false
		}
		rip := rips[len(rips)-1]
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n < 1000 {
			a.Count = n
		}
		a.Address = rip[1]
		if u := dovUserRE.FindStringSubmatch(l.Msg); u != nil {
			a.User = u[1]
		}
	case l.Prog == "spop3d":
		if strings.HasPrefix(l.Msg, "autologout time elapsed - ") {
			a.Address = strings.TrimPrefix(l.Msg, "autologout time elapsed - ")
		} else if spopFailed(l.Msg) {
			// The address ends the line; a user name may look like one.
			if ips := ipRE.FindAllString(l.Msg, -1); ips != nil {
				a.Address = ips[len(ips)-1]
			}
			if u := spopUserRE.FindStringSubmatch(l.Msg); u != nil {
				a.User = u[1]
			}
		}
	default:
		return a, false
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(a.Address))
	if err != nil {
		return a, false
	}
	a.Address = ip.Unmap().String()
	return a, true
}

// Groper is a summary row: attempts per address and user (either may be
// "*" when the summary is over all of them).
type Groper struct {
	Address  string    `json:"address"`
	User     string    `json:"user"`
	Attempts int       `json:"attempts"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// Summary tallies attempts by address and/or user as they are added:
// one Groper per group, however many attempts.
type Summary struct {
	by     string
	groups map[[2]string]*Groper
}

// NewSummary groups by "pair" (address and user), "address" or "user";
// the column summed over is shown as "*".
func NewSummary(by string) *Summary {
	return &Summary{by: by, groups: map[[2]string]*Groper{}}
}

// Add counts a.
func (s *Summary) Add(a Attempt) {
	k := [2]string{a.Address, a.User}
	switch s.by {
	case "address":
		k[1] = "*"
	case "user":
		k[0] = "*"
	}
	g := s.groups[k]
	if g == nil {
		k = [2]string{strings.Clone(k[0]), strings.Clone(k[1])}
		g = &Groper{Address: k[0], User: k[1], First: a.Time, Last: a.Time}
		s.groups[k] = g
	}
	g.Attempts += a.Count
	widen(&g.First, &g.Last, a.Time)
}

// Gropers returns the groups, most attempts first.
func (s *Summary) Gropers() []Groper {
	out := make([]Groper, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Groper) int {
		if a.Attempts != b.Attempts {
			return b.Attempts - a.Attempts
		}
		if c := strings.Compare(a.Address, b.Address); c != 0 {
			return c
		}
		return strings.Compare(a.User, b.User)
	})
	return out
}

// Day is the failed logins of one calendar day.
type Day struct {
	Date      string `json:"date"` // YYYY-MM-DD
	Attempts  int    `json:"attempts"`
	Addresses int    `json:"addresses"`
}

// DayTally counts attempts per calendar day as they are added, so a
// campaign's start stands out. It keeps a count and the set of
// addresses of each day. The zero value is ready to use.
type DayTally struct {
	days map[date]*dayCount
}

// date is a calendar day in the attempts' time zone.
type date struct {
	y int
	m time.Month
	d int
}

type dayCount struct {
	attempts int
	addrs    map[string]struct{}
}

// Add counts a.
func (t *DayTally) Add(a Attempt) {
	if t.days == nil {
		t.days = map[date]*dayCount{}
	}
	var k date
	k.y, k.m, k.d = a.Time.Date()
	d := t.days[k]
	if d == nil {
		d = &dayCount{addrs: map[string]struct{}{}}
		t.days[k] = d
	}
	d.attempts += a.Count
	if _, ok := d.addrs[a.Address]; !ok {
		d.addrs[strings.Clone(a.Address)] = struct{}{}
	}
}

// Days returns the days, in date order.
func (t *DayTally) Days() []Day {
	out := make([]Day, 0, len(t.days))
	for k, v := range t.days {
		out = append(out, Day{Date: time.Date(k.y, k.m, k.d, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), Attempts: v.attempts, Addresses: len(v.addrs)})
	}
	slices.SortFunc(out, func(a, b Day) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// parseSSHFailed splits sshd's "Failed METHOD for [invalid user ]USER
// from IP port N ssh2[: info]" at the last " from " followed by sshd's
// tail, so a user name cannot choose the address.
func parseSSHFailed(msg string) (user, addr string, ok bool) {
	head := sshHeadRE.FindStringIndex(msg)
	if head == nil {
		return "", "", false
	}
	rest := msg[head[1]:]
	for end := len(rest); ; {
		i := strings.LastIndex(rest[:end], " from ")
		if i < 0 {
			return "", "", false
		}
		if m := sshTailRE.FindStringSubmatch(rest[i:]); m != nil {
			return rest[:i], m[1], true
		}
		end = i
	}
}

// spopFailed recognises spop3d's failure lines by their words.
func spopFailed(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "fail") || strings.Contains(m, "bad password") || strings.Contains(m, "invalid")
}

// widen stretches the span first..last to take in t.
func widen(first, last *time.Time, t time.Time) {
	if t.Before(*first) {
		*first = t
	}
	if t.After(*last) {
		*last = t
	}
}
