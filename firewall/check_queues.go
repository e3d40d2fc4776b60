package firewall

import "strings"

// queueDef is one queue statement.
type queueDef struct {
	line     int
	name     string
	iface    string // root queues
	parent   string // child queues
	isDef    bool
	flows    bool
	children int
}

// queueRef is a rule naming a queue (set queue X, set queue (X, Y)).
type queueRef struct {
	line int
	name string
}

// queue checks: queue NAME (on IF | parent P) bandwidth BW [min BW]
// [max BW] [burst BW for Nms] [qlimit N] [default] | flows N [quantum N].
func (c *checker) queue(line int, toks []token) {
	if len(toks) < 2 {
		c.errorf(line, "syntax error: queue without a name")
		return
	}
	q := &queueDef{line: line, name: toks[1].s}
	hasBW := false
	// pfctl's grammar: on IF only right after the name; min and max only
	// right after bandwidth's value (queue_opt: BANDWIDTH scspec optscs),
	// with an optional comma; the other options in any order.
	afterBW := false
	for i := 2; i < len(toks); i++ {
		if toks[i].s == "," {
			continue
		}
		kw := toks[i].s
		switch kw {
		case "min", "max", "burst":
			if !afterBW {
				c.errorf(line, "syntax error: %s in queue %s must follow its bandwidth value (bandwidth BW [burst BW for Nms] [min BW] [max BW])", kw, q.name)
			}
		case "bandwidth":
			afterBW = true
		case "on":
			if i != 2 {
				c.errorf(line, "syntax error: on in queue %s must follow the queue name (queue NAME on IFNAME ...)", q.name)
			}
			afterBW = false
		default:
			afterBW = false
		}
		arg := func() string {
			if i+1 < len(toks) {
				i++
				return toks[i].s
			}
			c.errorf(line, "syntax error: %s needs a value", toks[i].s)
			return ""
		}
		switch kw := toks[i].s; kw {
		case "on":
			q.iface = arg()
		case "parent":
			q.parent = arg()
		case "bandwidth", "min", "max":
			if v := arg(); v != "" {
				c.bandwidth(line, q.name, kw, v)
				hasBW = hasBW || kw == "bandwidth"
			}
		case "burst":
			if v := arg(); v != "" {
				c.bandwidth(line, q.name, kw, v)
			}
			if i+1 < len(toks) && toks[i+1].s == "for" {
				i += 2
			}
		case "qlimit", "quantum":
			arg()
		case "flows":
			arg()
			q.flows = true
		case "default":
			q.isDef = true
		default:
			c.errorf(line, "syntax error: unexpected %q in queue %s", kw, q.name)
		}
	}
	if prev, dup := c.queues[q.name]; dup {
		c.errorf(line, "queue %s on %s respecified (first defined on line %d)", q.name, prev.iface, prev.line)
		return
	}
	switch {
	case q.iface == "" && q.parent == "":
		c.errorf(line, "root queue without interface: queue %s needs on IFNAME or parent NAME", q.name)
	case q.iface != "" && q.parent != "":
		c.errorf(line, "queue %s has both on and parent", q.name)
	case q.parent != "":
		p := c.queues[q.parent]
		if p == nil {
			c.errorf(line, "queue %s: parent %s not found (define the parent first)", q.name, q.parent)
		} else {
			p.children++
			q.iface = p.iface
		}
	default:
		if !ifaceRe.MatchString(q.iface) {
			c.errorf(line, "queue %s on %s: not an interface; a root queue needs a real interface name such as em0 (groups like egress are rejected)", q.name, q.iface)
		}
	}
	if !hasBW && !q.flows {
		c.errorf(line, "no bandwidth or flow specification for queue %s", q.name)
	}
	c.queues[q.name] = q
	c.queueOrder = append(c.queueOrder, q)
}

func (c *checker) bandwidth(line int, q, kw, v string) {
	if strings.HasSuffix(v, "%") {
		c.errorf(line, "queue %s %s %s: no bandwidth in %% yet (only absolute bandwidths like 95M)", q, kw, v)
		return
	}
	if _, err := ParseBandwidth(v); err != nil {
		c.errorf(line, "queue %s %s: %v", q, kw, err)
	}
}

// useQueue records a rule's queue reference and checks it is defined
// above the rule, as pfctl requires.
func (c *checker) useQueue(line int, name string) {
	c.queueRefs = append(c.queueRefs, queueRef{line: line, name: name})
	if _, ok := c.queues[name]; ok {
		return
	}
	c.errorf(line, "queue %s is not defined (queues must be defined before the rules that name them)", name)
}

// rootOf follows parents up to the root queue.
func (c *checker) rootOf(q *queueDef) *queueDef {
	for i := 0; q.parent != "" && i < len(c.queueOrder); i++ {
		p := c.queues[q.parent]
		if p == nil {
			break
		}
		q = p
	}
	return q
}

func (c *checker) finishQueues() {
	defaults := map[*queueDef][]*queueDef{}
	var roots []*queueDef
	for _, q := range c.queueOrder {
		if q.parent == "" {
			roots = append(roots, q)
			continue
		}
		if q.isDef {
			r := c.rootOf(q)
			defaults[r] = append(defaults[r], q)
		}
	}
	for _, q := range c.queueOrder {
		if q.isDef && q.children > 0 {
			c.errorf(q.line, "default queue %s is not a leaf queue", q.name)
		}
		if q.flows && q.children > 0 {
			c.errorf(q.line, "flow queue %s is not a leaf queue", q.name)
		}
	}
	for _, r := range roots {
		if r.children == 0 {
			continue // a lone flows/bandwidth root is its own leaf
		}
		switch n := len(defaults[r]); {
		case n == 0:
			c.errorf(r.line, "no default queue specified under root queue %s on %s (exactly one leaf needs default)", r.name, r.iface)
		case n > 1:
			c.errorf(defaults[r][1].line, "queue %s: a second default queue under root %s (first: %s)", defaults[r][1].name, r.name, defaults[r][0].name)
		}
	}
	for _, ref := range c.queueRefs {
		if q := c.queues[ref.name]; q != nil && q.children > 0 {
			c.errorf(ref.line, "queue %s is not a leaf queue; rules may only assign leaf queues", ref.name)
		}
	}
}
