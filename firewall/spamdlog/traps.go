package spamdlog

import (
	"crypto/sha256"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fugu/firewall"
)

// safeAddrRE is what a trap address may look like: plain enough to be a
// spamdb argument and a line of the trap list. It starts with a letter or
// digit: spamdb's getopt would take a leading dash for options.
var safeAddrRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._+-]*@[a-z0-9.-]+$`)

// Candidate is a greylist recipient that could become a spamtrap.
type Candidate struct {
	Address string    `json:"address"`
	Count   int       `json:"count"` // greylist tuples naming it
	IPs     int       `json:"ips"`   // distinct sending addresses
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
}

// TrapOptions select the candidates.
type TrapOptions struct {
	Options
	Domains []string        // recipient domains of the site (subdomains included)
	Valid   map[string]bool // real mailboxes: full addresses, or bare local parts for every domain
	Traps   map[string]bool // addresses that are already traps
}

// FindTrapCandidates lists greylist recipients in opts.Domains that are
// neither real mailboxes (opts.Valid, and the role accounts such as
// postmaster that every site must accept), nor traps already (including
// SPAMTRAP lines of spamdb input and recipients spamd logged as trapping
// a host), nor callback probes, most frequent first. It reads r as a
// stream and keeps only per-recipient tallies (see trapFinder).
func FindTrapCandidates(r io.Reader, opts TrapOptions) ([]Candidate, error) {
	f := newTrapFinder(opts)
	if err := eachGrey(r, opts.Options, f.add, f.trap); err != nil {
		return nil, err
	}
	return f.candidates(), nil
}

// trapFinder tallies greylist tuples per candidate recipient as they are
// read. Whether a recipient is a trap already is known only at the end
// (a Trapping line can follow the tuple), so that check waits for it.
type trapFinder struct {
	opts    TrapOptions
	domains []string // normalised opts.Domains
	byAddr  map[string]*tally
	traps   map[string]bool // traps in the input, in opts.Domains
}

// tally is a candidate being counted. spamd logs one tuple twice ((GREY)
// and "new entry"), and again on each retry, and spamdb output may list
// it too: each (ip, from) is counted once, remembered by a 128-bit hash
// rather than by its text.
type tally struct {
	Candidate
	tuples map[[16]byte]struct{}
	ips    map[string]struct{}
}

func newTrapFinder(opts TrapOptions) *trapFinder {
	f := &trapFinder{opts: opts, byAddr: map[string]*tally{}, traps: map[string]bool{}}
	for _, d := range opts.Domains {
		f.domains = append(f.domains, strings.ToLower(strings.TrimPrefix(d, "@")))
	}
	return f
}

// trap notes an address the input says is a trap.
func (f *trapFinder) trap(a string) {
	if _, dom, ok := strings.Cut(a, "@"); ok && inDomains(dom, f.domains) && !f.traps[a] {
		f.traps[strings.Clone(a)] = true
	}
}

// add counts the next tuple when its recipient can be a candidate.
func (f *trapFinder) add(g greyTuple) {
	a := normAddr(g.to)
	local, dom, ok := strings.Cut(a, "@")
	if !ok || !safeAddrRE.MatchString(a) || !inDomains(dom, f.domains) {
		return
	}
	if f.opts.Valid[a] || f.opts.Valid[local] || f.opts.Traps[a] || slices.Contains(firewall.RoleMailboxes, local) {
		return
	}
	if _, _, _, probe := ParseProbe(a); probe {
		return
	}
	c := f.byAddr[a]
	if c == nil {
		a = strings.Clone(a)
		c = &tally{Candidate: Candidate{Address: a, First: g.t, Last: g.t}, tuples: map[[16]byte]struct{}{}, ips: map[string]struct{}{}}
		f.byAddr[a] = c
	}
	// The length prefix keeps ("a b", "c") apart from ("a", "b c").
	h := sha256.Sum256([]byte(strconv.Itoa(len(g.ip)) + ":" + g.ip + normAddr(g.from)))
	if _, seen := c.tuples[[16]byte(h[:16])]; seen {
		return
	}
	c.tuples[[16]byte(h[:16])] = struct{}{}
	c.Count++
	if _, seen := c.ips[g.ip]; !seen {
		c.ips[strings.Clone(g.ip)] = struct{}{}
	}
	widen(&c.First, &c.Last, g.t)
}

// candidates are the tallies of recipients that are not traps, most
// tuples first.
func (f *trapFinder) candidates() []Candidate {
	out := make([]Candidate, 0, len(f.byAddr))
	for a, c := range f.byAddr {
		if f.traps[a] {
			continue
		}
		c.IPs = len(c.ips)
		out = append(out, c.Candidate)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Address, b.Address)
	})
	return out
}

// inDomains reports whether dom is one of domains (normalised: lower
// case, no @) or under one.
func inDomains(dom string, domains []string) bool {
	for _, d := range domains {
		if dom == d || strings.HasSuffix(dom, "."+d) {
			return true
		}
	}
	return false
}

// ReadAddressSet reads a list of addresses or local parts, one a line,
// with # comments, normalised like spamd (brackets stripped, lowercase).
func ReadAddressSet(r io.Reader) (map[string]bool, error) {
	set := map[string]bool{}
	err := eachLine(r, func(s string) {
		s, _, _ = strings.Cut(s, "#")
		if a := normAddr(s); a != "" && !set[a] {
			set[strings.Clone(a)] = true
		}
	})
	return set, err
}
