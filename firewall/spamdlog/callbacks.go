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
// part $primary_hostname-$tod_epoch-testing, at the probed domain (a host
// name).
var probeRE = regexp.MustCompile(`^<?([A-Za-z0-9.-]+)-([0-9]{9,11})-testing@([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?)>?$`)

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

// FindCallbacks returns the callback probes in a spamd log or spamdb
// output, one per (IP, recipient), in the order first seen. It reads
// r as a stream: what it keeps grows with the probes and the sender
// domains, not with the lines (see callbackFinder).
func FindCallbacks(r io.Reader, opts Options) ([]Probe, error) {
	f := newCallbackFinder(opts)
	if err := eachGrey(r, opts, f.add, func(string) {}); err != nil {
		return nil, err
	}
	return f.probes, nil
}

// triggerHistory is how many senders callbackFinder keeps per domain, of
// each kind of time (wall clock, exact), for probes not read yet: the
// latest by time, which is where a trigger is.
// A probe read later finds its trigger among these, and among all
// senders read after it.
const triggerHistory = 64

// callbackFinder collects probes from greylist tuples fed in input
// order. A probe's trigger is settled as tuples arrive: those read
// before it come from the bounded per-domain history, those after it
// are offered to it directly.
type callbackFinder struct {
	opts     Options
	probes   []Probe
	index    map[string]int      // IP and lowercased recipient -> probes
	byDomain map[string][]int    // probed domain -> probes
	senders  map[string]*history // sender domain -> its latest senders
	seq      int                 // tuples read
}

// history is the latest senders of a domain, each kind in input order.
type history struct {
	wall, exact []sender
}

// inOrder is both kinds merged into input order.
func (h *history) inOrder() []sender {
	out := slices.Concat(h.wall, h.exact)
	slices.SortFunc(out, func(a, b sender) int { return a.seq - b.seq })
	return out
}

// sender is a greylisted sender that may have triggered a probe.
type sender struct {
	t     time.Time
	exact bool
	from  string // normalised
	seq   int    // input order
}

func newCallbackFinder(opts Options) *callbackFinder {
	return &callbackFinder{opts: opts, index: map[string]int{}, byDomain: map[string][]int{}, senders: map[string]*history{}}
}

// add takes the next tuple: a probe, a possible trigger, or both.
func (f *callbackFinder) add(g greyTuple) {
	f.seq++
	if s, dom, ok := triggerSender(g, f.seq); ok {
		for _, i := range f.byDomain[dom] {
			offer(&f.probes[i], s)
		}
		f.remember(dom, s)
	}
	prober, epoch, domain, ok := ParseProbe(g.to)
	if !ok {
		return
	}
	key := g.ip + " " + strings.ToLower(g.to)
	if i, seen := f.index[key]; seen {
		if f.probes[i].Helo == "" {
			f.probes[i].Helo = strings.Clone(g.helo)
		}
		return
	}
	p := Probe{
		Time: g.t, IP: strings.Clone(g.ip), Helo: strings.Clone(g.helo), Prober: strings.Clone(prober), Epoch: epoch,
		Domain: strings.Clone(domain), Recipient: strings.Clone(g.to), FromSpamdb: g.spamdb,
	}
	p.Time, p.Skew, p.ZoneGuess = skew(g, epoch, f.opts)
	p.yearShift = p.Time.Year() - g.t.Year()
	if h := f.senders[domain]; h != nil {
		// Of equal times the one read last wins, so the two kinds are
		// offered in input order.
		for _, s := range h.inOrder() {
			offer(&p, s)
		}
	}
	f.index[strings.Clone(key)] = len(f.probes)
	f.byDomain[p.Domain] = append(f.byDomain[p.Domain], len(f.probes))
	f.probes = append(f.probes, p)
}

// remember keeps s among the triggerHistory latest senders of dom of
// its kind, dropping the earliest (the first read of equal times, which
// a later one would win against anyway). Wall-clock and exact times are
// kept apart: until a probe gives the log's zone they cannot be
// compared.
func (f *callbackFinder) remember(dom string, s sender) {
	h := f.senders[dom]
	if h == nil {
		h = &history{}
		f.senders[strings.Clone(dom)] = h
	}
	kept := &h.wall
	if s.exact {
		kept = &h.exact
	}
	if len(*kept) < triggerHistory {
		*kept = append(*kept, s)
		return
	}
	oldest := 0
	for i, k := range *kept {
		if k.t.Before((*kept)[oldest].t) {
			oldest = i
		}
	}
	if s.t.Before((*kept)[oldest].t) {
		return
	}
	*kept = append(slices.Delete(*kept, oldest, oldest+1), s)
}

// triggerSender is g's sender when it can be a trigger: an address with
// a domain that is not itself a probe.
func triggerSender(g greyTuple, seq int) (sender, string, bool) {
	from := normAddr(g.from)
	_, dom, ok := strings.Cut(from, "@")
	if !ok || slices.Contains([]string{"", "<>"}, g.from) {
		return sender{}, "", false
	}
	if _, _, _, probe := ParseProbe(from); probe {
		return sender{}, "", false
	}
	return sender{t: g.t, exact: g.exact, from: strings.Clone(from), seq: seq}, dom, true
}

// skew is the time between the probe's epoch and when spamd saw it.
// spamdb times are epochs and syslogd -Z times are UTC; other log times
// are local wall clock: unless a
// zone was given, the year is taken from the epoch and the zone offset
// is guessed as the whole quarter hour nearest to the difference.
func skew(g greyTuple, epoch int64, opts Options) (time.Time, time.Duration, time.Duration) {
	at := time.Unix(epoch, 0).UTC()
	if g.exact {
		return g.t, g.t.Sub(at), 0
	}
	seen := g.t
	if opts.Year == 0 {
		// A syslog line has no year: the probe's epoch gives it.
		loc := time.UTC
		if opts.Location != nil {
			loc = opts.Location
		}
		best := seen
		for _, yr := range []int{at.Year() - 1, at.Year(), at.Year() + 1} {
			c := time.Date(yr, seen.Month(), seen.Day(), seen.Hour(), seen.Minute(), seen.Second(), 0, loc)
			if absDur(c.Sub(at)) < absDur(best.Sub(at)) {
				best = c
			}
		}
		seen = best
	}
	if opts.Location != nil {
		return seen, seen.Sub(at), 0
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

// offer makes s p's trigger when it is the last sender in p's domain
// seen before the probe (and not later than a minute after its epoch);
// of equal times the one read last wins. Log times are moved into the
// probe's year and zone first.
func offer(p *Probe, s sender) {
	limit := time.Unix(p.Epoch, 0).Add(time.Minute)
	t := s.t
	if !s.exact {
		t = t.AddDate(p.yearShift, 0, 0).Add(-p.ZoneGuess)
	}
	if t.After(limit) || (!p.TriggerTime.IsZero() && t.Before(p.TriggerTime)) {
		return
	}
	p.Trigger, p.TriggerTime = s.from, t
}
