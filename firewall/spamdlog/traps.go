package spamdlog

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"fugu/firewall"
)

// safeAddrRE is what a trap address may look like: plain enough to be a
// spamdb argument and a line of the trap list.
var safeAddrRE = regexp.MustCompile(`^[a-z0-9._+-]+@[a-z0-9.-]+$`)

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
// a host), nor callback probes, most frequent first.
func FindTrapCandidates(r io.Reader, opts TrapOptions) ([]Candidate, error) {
	ts, traps, err := readGrey(r, opts.Options)
	if err != nil {
		return nil, err
	}
	byAddr := map[string]*Candidate{}
	ips := map[string]map[string]bool{}
	// spamd logs one tuple twice ((GREY) and "new entry"), and spamdb
	// output may list it again: count each (ip, from, to) once.
	seen := map[[3]string]bool{}
	for _, g := range ts {
		a := normAddr(g.to)
		tuple := [3]string{g.ip, normAddr(g.from), a}
		if seen[tuple] {
			continue
		}
		seen[tuple] = true
		local, dom, ok := strings.Cut(a, "@")
		if !ok || !safeAddrRE.MatchString(a) || !inDomains(dom, opts.Domains) {
			continue
		}
		if opts.Valid[a] || opts.Valid[local] || traps[a] || opts.Traps[a] || slices.Contains(firewall.RoleMailboxes, local) {
			continue
		}
		if _, _, _, probe := ParseProbe(a); probe {
			continue
		}
		c := byAddr[a]
		if c == nil {
			c = &Candidate{Address: a, First: g.t, Last: g.t}
			byAddr[a] = c
			ips[a] = map[string]bool{}
		}
		c.Count++
		ips[a][g.ip] = true
		if g.t.Before(c.First) {
			c.First = g.t
		}
		if g.t.After(c.Last) {
			c.Last = g.t
		}
	}
	out := make([]Candidate, 0, len(byAddr))
	for a, c := range byAddr {
		c.IPs = len(ips[a])
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Address, b.Address)
	})
	return out, nil
}

func inDomains(dom string, domains []string) bool {
	for _, d := range domains {
		d = strings.ToLower(strings.TrimPrefix(d, "@"))
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
		if a := normAddr(s); a != "" {
			set[a] = true
		}
	})
	return set, err
}
