package firewall

import (
	"math"
	"net/netip"
	"strconv"
)

// rule is what the checks need to know about a pass/block/match rule.
type rule struct {
	line       int
	action     string
	dir        string // in, out or ""
	log, quick bool
	on         []string
	proto      []string
	fromTables []string
	fromAny    bool // no from clause, from any or all
	toPorts    []string
	divertPort string
	divertTo   []string // the divert-to address words
	diverts    int
	rdrTo      []string
	rdrPort    string
	stateKeep  bool
	af         string
	queued     bool // set queue: a pass rule can slow its sources down
}

// optionWords end the from and to address parts of a rule.
var optionWords = map[string]bool{
	"flags": true, "keep": true, "modulate": true, "synproxy": true, "no": true,
	"divert-to": true, "divert-reply": true, "divert-packet": true, "rdr-to": true,
	"nat-to": true, "binat-to": true, "af-to": true, "route-to": true, "reply-to": true,
	"dup-to": true, "set": true, "queue": true, "label": true, "tag": true, "tagged": true,
	"scrub": true, "icmp-type": true, "icmp6-type": true, "user": true, "group": true,
	"probability": true, "rtable": true, "prio": true, "tos": true, "allow-opts": true,
	"once": true, "max-pkt-rate": true, "received-on": true, "os": true, "fragment": true,
}

// rule parses a filter rule and checks its options.
func (c *checker) rule(line int, toks []token) {
	c.collectTableRefs(line, toks)
	r := &rule{line: line, action: toks[0].s}
	i := 1
	// Header: [drop|return...] [in|out] [log [(...)]] [quick].
	for ; i < len(toks); i++ {
		switch toks[i].s {
		case "drop", "return", "return-rst", "return-icmp", "return-icmp6":
			if i+1 < len(toks) && toks[i+1].s == "(" {
				i = skipGroup(toks, i+1)
			}
			continue
		case "in", "out":
			if r.dir != "" || r.log || r.quick {
				c.errorf(line, "syntax error: %q out of order (the order is direction, log, quick, on)", toks[i].s)
			}
			r.dir = toks[i].s
			continue
		case "log":
			if r.quick {
				c.errorf(line, "syntax error: log after quick (the order is direction, log, quick, on)")
			}
			r.log = true
			if i+1 < len(toks) && toks[i+1].s == "(" {
				i = skipGroup(toks, i+1)
			}
			continue
		case "quick":
			r.quick = true
			continue
		}
		break
	}
	part := ""
	for ; i < len(toks); i++ {
		t := toks[i]
		if t.quoted {
			continue
		}
		switch t.s {
		case "on":
			i, r.on = wordsAfter(toks, i)
			continue
		case "proto":
			i, r.proto = wordsAfter(toks, i)
			continue
		case "from":
			part = "from"
			continue
		case "to":
			part = "to"
			continue
		case "all":
			part = ""
			continue
		case "inet", "inet6":
			if part == "" {
				r.af = t.s
			}
			continue
		case "port":
			var ps []string
			i, ps = portWords(toks, i)
			if part == "to" {
				r.toPorts = append(r.toPorts, ps...)
			}
			continue
		case "keep", "modulate", "synproxy":
			if i+1 < len(toks) && toks[i+1].s == "state" {
				r.stateKeep = true
				i++
				if i+1 < len(toks) && toks[i+1].s == "(" {
					end := skipGroup(toks, i+1)
					c.stateOptions(r, inside(toks, i+1, end))
					i = end
				}
			}
			part = ""
			continue
		case "divert-to":
			r.diverts++
			i, r.divertTo = wordsAfter(toks, i)
			if i+2 < len(toks) && toks[i+1].s == "port" {
				r.divertPort = toks[i+2].s
				i += 2
			}
			part = ""
			continue
		case "divert-reply", "divert-packet":
			r.diverts++
			part = ""
			continue
		case "rdr-to":
			i, r.rdrTo = wordsAfter(toks, i)
			if i+2 < len(toks) && toks[i+1].s == "port" {
				r.rdrPort = toks[i+2].s
				i += 2
			}
			part = ""
			continue
		case "set":
			if i+1 < len(toks) && toks[i+1].s == "queue" {
				i++
				i = c.queueNames(line, toks, i)
				r.queued = true
			}
			part = ""
			continue
		case "queue":
			i = c.queueNames(line, toks, i)
			r.queued = true
			part = ""
			continue
		case "max-src-conn", "max-src-conn-rate", "overload", "max-src-states", "max-src-nodes", "source-track":
			c.errorf(line, "syntax error: %s is a state option and needs keep state (...)", t.s)
			continue
		case "cbq", "priq", "hfsc":
			continue // reported by obsoleteQueueSyntax
		}
		if optionWords[t.s] {
			part = ""
		}
		if part == "from" {
			if name, ok := tableName(t); ok {
				r.fromTables = append(r.fromTables, name)
			}
		}
	}
	r.fromAny = fromAnyClause(toks)
	c.checkRule(r)
	if r.action == "block" || r.queued {
		for _, t := range r.fromTables {
			c.stoppers[t] = true
		}
	}
	c.rules = append(c.rules, r)
}

// fromAnyClause reports a from clause that is exactly "from any".
func fromAnyClause(toks []token) bool {
	for i, t := range toks {
		if t.s == "all" && !t.quoted {
			return true
		}
		if t.s == "from" && !t.quoted {
			return i+1 < len(toks) && toks[i+1].s == "any"
		}
	}
	return true // no from clause
}

func (c *checker) checkRule(r *rule) {
	if r.diverts > 1 {
		c.errorf(r.line, "more than one divert option")
	}
	if r.diverts > 0 {
		switch {
		case r.dir == "out":
			c.errorf(r.line, "divert-to used with outgoing rule")
		case r.action == "match":
			c.errorf(r.line, "divert-to is not allowed on match rules")
		}
		if fam := r.divertFamily(); fam != "" && r.af != "" && fam != r.af {
			c.errorf(r.line, "divert-to address family mismatch: the rule is %s, the divert address %s", r.af, fam)
		}
	}
	if r.stateKeep && r.action == "block" {
		c.errorf(r.line, "keep state is great, but only for pass rules")
	}
}

// stateOptions checks the parenthesised options of keep state.
func (c *checker) stateOptions(r *rule, opts []token) {
	var hasLimit bool
	var overload []string
	for i := 0; i < len(opts); i++ {
		switch opts[i].s {
		case "max-src-conn":
			hasLimit = true
			if i+1 < len(opts) {
				if n, err := strconv.ParseUint(opts[i+1].s, 10, 32); err != nil || n < 1 {
					c.errorf(r.line, "max-src-conn %s: expected a number > 0, at most %d", opts[i+1].s, uint32(math.MaxUint32))
				}
			}
		case "max-src-conn-rate":
			hasLimit = true
			if i+1 < len(opts) {
				if msg := checkRate(opts[i+1].s); msg != "" {
					c.errorf(r.line, "max-src-conn-rate: %s", msg)
				}
			}
		case "overload":
			if i+1 < len(opts) {
				if name, ok := tableName(opts[i+1]); ok {
					overload = append(overload, name)
					c.overloads = append(c.overloads, tableRef{line: r.line, name: name})
				}
			}
		}
	}
	if len(overload) > 0 && !hasLimit {
		c.errorf(r.line, "'overload' requires 'max-src-conn' or 'max-src-conn-rate'")
	}
	for _, t := range overload {
		if t == spamdWhiteTable {
			c.errorf(r.line, "overload <spamd-white>: spamd replaces that table every 60 s; use an overload table of your own")
		}
	}
}

// queueNames reads `queue X` or `queue (X, Y)` after toks[i] == "queue".
func (c *checker) queueNames(line int, toks []token, i int) int {
	if i+1 >= len(toks) {
		c.errorf(line, "syntax error: queue needs a name")
		return i
	}
	if toks[i+1].s != "(" {
		c.useQueue(line, toks[i+1].s)
		return i + 1
	}
	end := skipGroup(toks, i+1)
	for _, t := range inside(toks, i+1, end) {
		if t.s != "," {
			c.useQueue(line, t.s)
		}
	}
	return end
}

// divertFamily is the address family of a divert-to address given as
// one literal address ("inet" or "inet6"), or "" when it cannot tell.
func (r *rule) divertFamily() string {
	if len(r.divertTo) != 1 {
		return ""
	}
	switch a, err := netip.ParseAddr(r.divertTo[0]); {
	case err != nil:
		return ""
	case a.Is4():
		return "inet"
	default:
		return "inet6"
	}
}
