package spamdlog

import (
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// probeRE matches an SMTP callback probe recipient: Exim's random local
// part $primary_hostname-$tod_epoch-testing, at the probed domain.
var probeRE = regexp.MustCompile(`^<?([A-Za-z0-9.-]+)-([0-9]{9,11})-testing@([^>\s]+)>?$`)

// ParseProbe splits a callback probe recipient into the probing host,
// the epoch in its local part and the domain.
func ParseProbe(rcpt string) (host string, epoch int64, domain string, ok bool) {
	m := probeRE.FindStringSubmatch(rcpt)
	if m == nil {
		return "", 0, "", false
	}
	epoch, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil {
		return "", 0, "", false
	}
	return strings.ToLower(m[1]), epoch, strings.ToLower(m[3]), true
}

// Probe is one SMTP callback probe seen by spamd.
type Probe struct {
	Time      time.Time     `json:"time"`      // when spamd saw it
	IP        string        `json:"ip"`        // the probing MTA
	Helo      string        `json:"helo"`      // its HELO, when logged
	Prober    string        `json:"prober"`    // host name in the local part
	Epoch     int64         `json:"epoch"`     // epoch in the local part
	Skew      time.Duration `json:"skew_ns"`   // Time minus the epoch
	ZoneGuess time.Duration `json:"zone_ns"`   // offset inferred for local timestamps
	Domain    string        `json:"domain"`    // the probed domain
	Recipient string        `json:"recipient"` // as logged
	// Trigger is the greylisted sender in Domain seen last before the
	// probe: a forged address of yours that made the prober check it.
	Trigger     string    `json:"trigger,omitempty"`
	TriggerTime time.Time `json:"trigger_time,omitzero"`
	FromSpamdb  bool      `json:"from_spamdb"`

	yearShift int // years added to the log's timestamps to match the epoch
}

// greyTuple is one greylisted (ip, helo, from, to) with when it was seen.
type greyTuple struct {
	t                  time.Time
	ip, helo, from, to string
	spamdb             bool
	exact              bool // t is an instant (spamdb, syslogd -Z), not inferred wall clock
}

// readGrey collects greylist tuples from spamd log lines ((GREY) and
// "new [greytrap ]entry") and spamdb GREY lines, and the trap addresses:
// spamdb's SPAMTRAP lines and the recipients of spamd's "Trapping" lines.
func readGrey(r io.Reader, opts Options) ([]greyTuple, map[string]bool, error) {
	y := &years{opts: opts}
	var ts []greyTuple
	traps := map[string]bool{}
	err := eachLine(r, func(s string) {
		if strings.HasPrefix(s, "GREY|") {
			if g, ok := parseSpamdbGrey(s); ok {
				ts = append(ts, g)
			}
			return
		}
		if rest, ok := strings.CutPrefix(s, "SPAMTRAP|"); ok {
			traps[normAddr(rest)] = true
			return
		}
		l, ok := y.parseSyslog(s)
		if !ok || l.Prog != "spamd" {
			return
		}
		if to, ok := parseTrapping(l.Msg); ok {
			traps[normAddr(to)] = true
			return
		}
		if g, ok := parseGreyMsg(l.Msg); ok {
			g.t, g.exact = l.Time, l.Exact
			ts = append(ts, g)
		}
	})
	return ts, traps, err
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

// FindCallbacks returns the callback probes in a spamd log or spamdb
// output, one per (IP, recipient), in the order first seen.
func FindCallbacks(r io.Reader, opts Options) ([]Probe, error) {
	ts, _, err := readGrey(r, opts)
	if err != nil {
		return nil, err
	}
	var probes []Probe
	index := map[string]int{}
	for _, g := range ts {
		prober, epoch, domain, ok := ParseProbe(g.to)
		if !ok {
			continue
		}
		key := g.ip + " " + strings.ToLower(g.to)
		if i, seen := index[key]; seen {
			if probes[i].Helo == "" {
				probes[i].Helo = g.helo
			}
			continue
		}
		index[key] = len(probes)
		p := Probe{Time: g.t, IP: g.ip, Helo: g.helo, Prober: prober, Epoch: epoch, Domain: domain, Recipient: g.to, FromSpamdb: g.spamdb}
		p.Time, p.Skew, p.ZoneGuess = skew(g, epoch, opts)
		p.yearShift = p.Time.Year() - g.t.Year()
		probes = append(probes, p)
	}
	for i := range probes {
		probes[i].Trigger, probes[i].TriggerTime = trigger(ts, probes[i])
	}
	return probes, nil
}

// skew is the time between the probe's epoch and when spamd saw it.
// spamdb times are epochs and syslogd -Z times are UTC; other log times
// are local wall clock: unless a
// zone was given, the year is taken from the epoch and the zone offset
// is guessed as the whole quarter hour nearest to the difference.
func skew(g greyTuple, epoch int64, opts Options) (time.Time, time.Duration, time.Duration) {
	at := time.Unix(epoch, 0).UTC()
	if g.exact || opts.Location != nil {
		return g.t, g.t.Sub(at), 0
	}
	seen := g.t
	if opts.Year == 0 {
		best := seen
		for _, yr := range []int{at.Year() - 1, at.Year(), at.Year() + 1} {
			c := time.Date(yr, seen.Month(), seen.Day(), seen.Hour(), seen.Minute(), seen.Second(), 0, time.UTC)
			if absDur(c.Sub(at)) < absDur(best.Sub(at)) {
				best = c
			}
		}
		seen = best
	}
	raw := seen.Sub(at)
	zone := (raw + 450*time.Second).Truncate(15 * time.Minute)
	if raw < 0 {
		zone = -(-raw + 450*time.Second).Truncate(15 * time.Minute)
	}
	if zone > 14*time.Hour || zone < -12*time.Hour {
		zone = 0
	}
	return seen, raw - zone, zone
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// trigger finds the last greylisted sender in the probe's domain seen
// before the probe (and not later than a minute after its epoch).
func trigger(ts []greyTuple, p Probe) (string, time.Time) {
	limit := time.Unix(p.Epoch, 0).Add(time.Minute)
	var best greyTuple
	for _, g := range ts {
		from := normAddr(g.from)
		_, dom, ok := strings.Cut(from, "@")
		if !ok || dom != p.Domain || slices.Contains([]string{"", "<>"}, g.from) {
			continue
		}
		if _, _, _, probe := ParseProbe(from); probe {
			continue
		}
		t := g.t
		if !g.exact {
			t = t.AddDate(p.yearShift, 0, 0).Add(-p.ZoneGuess)
		}
		if t.After(limit) || (!best.t.IsZero() && t.Before(best.t)) {
			continue
		}
		best = g
		best.t = t
	}
	return normAddr(best.from), best.t
}

// normAddr strips one pair of <> and lowercases, as spamd does.
func normAddr(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	return strings.ToLower(s)
}
