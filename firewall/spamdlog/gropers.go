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

// ParseAttempts reads failed logins from syslog text: sshd (and
// sshd-session) "Failed ... for USER from IP", dovecot pop3/imap-login
// "auth failed" lines, and spop3d failures and "autologout time elapsed"
// (a session that never authenticated: what a groper held in a slow
// queue leaves). Other lines are ignored.
func ParseAttempts(r io.Reader, opts Options) ([]Attempt, error) {
	y := &years{opts: opts}
	var out []Attempt
	// prev is the attempt on the line before, which syslogd's "last
	// message repeated N times" (from the same host) multiplies.
	var prev *Attempt
	var prevHost string
	err := eachLine(r, func(s string) {
		l, ok := y.parseSyslog(s)
		if !ok {
			prev = nil
			return
		}
		if l.Repeat > 0 {
			if prev != nil && l.Host == prevHost {
				a := *prev
				a.Time = l.Time
				a.Count *= l.Repeat
				out = append(out, a)
			}
			return // a longer run is flushed as several repeat lines
		}
		prev, prevHost = nil, l.Host
		if a, ok := parseAttempt(l); ok {
			out = append(out, a)
			prev = &a
		}
	})
	return out, err
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

// Summarise groups attempts by address and/or user ("pair", "address",
// "user"), most attempts first.
func Summarise(as []Attempt, by string) []Groper {
	groups := map[[2]string]*Groper{}
	for _, a := range as {
		k := [2]string{a.Address, a.User}
		switch by {
		case "address":
			k[1] = "*"
		case "user":
			k[0] = "*"
		}
		g := groups[k]
		if g == nil {
			g = &Groper{Address: k[0], User: k[1], First: a.Time, Last: a.Time}
			groups[k] = g
		}
		g.Attempts += a.Count
		if a.Time.Before(g.First) {
			g.First = a.Time
		}
		if a.Time.After(g.Last) {
			g.Last = a.Time
		}
	}
	out := make([]Groper, 0, len(groups))
	for _, g := range groups {
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

// PerDay counts attempts per day, in date order, so a campaign's start
// stands out.
func PerDay(as []Attempt) []Day {
	days := map[string]*Day{}
	addrs := map[string]map[string]bool{}
	for _, a := range as {
		d := a.Time.Format("2006-01-02")
		if days[d] == nil {
			days[d] = &Day{Date: d}
			addrs[d] = map[string]bool{}
		}
		days[d].Attempts += a.Count
		addrs[d][a.Address] = true
	}
	out := make([]Day, 0, len(days))
	for d, v := range days {
		v.Addresses = len(addrs[d])
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b Day) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// spopFailed recognises spop3d's failure lines by their words.
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

func spopFailed(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "fail") || strings.Contains(m, "bad password") || strings.Contains(m, "invalid")
}
