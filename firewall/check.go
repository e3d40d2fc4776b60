package firewall

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Severity says whether a Finding makes the ruleset wrong (error) or
// merely suspicious (warning).
type Severity string

// Severities of a Finding.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Finding is one problem Check found in a pf.conf.
type Finding struct {
	Line     int
	Severity Severity
	Message  string
}

// String formats f as LINE: SEVERITY: MESSAGE.
func (f Finding) String() string {
	return fmt.Sprintf("%d: %s: %s", f.Line, f.Severity, f.Message)
}

// Check lints a pf.conf, fugu's or hand-written. It reports what pfctl
// would reject and can be decided without a kernel (macros and queues
// used before definition, queue trees, table names, state options,
// divert-to direction, obsolete syntax), plus what pfctl accepts but
// breaks a spamd gateway: undefined tables, table files under /tmp, and
// the shape of the spamd rule block. Findings are sorted by line.
func Check(r io.Reader) []Finding {
	stmts, lexErrs, err := splitStatements(r)
	c := &checker{
		macros:     map[string]*macroDef{},
		tables:     map[string]*tableDef{},
		queues:     map[string]*queueDef{},
		stateDefOK: true,
		stoppers:   map[string]bool{},
	}
	if err != nil {
		c.errorf(0, "read: %v", err)
		return c.findings
	}
	for _, e := range lexErrs {
		c.errorf(e.line, "%s", e.msg)
	}
	for _, s := range stmts {
		c.statement(s)
	}
	c.finish()
	slices.SortStableFunc(c.findings, func(a, b Finding) int { return a.Line - b.Line })
	return c.findings
}

// HasErrors reports whether fs has a finding of severity error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SevError })
}

// maxMacroTokens bounds macro values: macros built from macros can
// otherwise grow exponentially.
const maxMacroTokens = 4096

type macroDef struct {
	line  int
	value []token
	used  bool
}

type tableDef struct {
	line    int
	isConst bool
}

type checker struct {
	findings   []Finding
	macros     map[string]*macroDef
	tables     map[string]*tableDef
	tableRefs  []tableRef
	queues     map[string]*queueDef
	queueOrder []*queueDef
	queueRefs  []queueRef
	rules      []*rule
	stateDefOK bool
	includes   bool // an include may define tables this file uses
	overloads  []tableRef
	stoppers   map[string]bool // tables some block or set queue rule applies to
}

type tableRef struct {
	line int
	name string
}

func (c *checker) errorf(line int, format string, args ...any) {
	c.findings = append(c.findings, Finding{Line: line, Severity: SevError, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) warnf(line int, format string, args ...any) {
	c.findings = append(c.findings, Finding{Line: line, Severity: SevWarning, Message: fmt.Sprintf(format, args...)})
}

var obsolete = map[string]string{
	"nat":          "standalone nat rules were removed; use nat-to on a match or pass rule",
	"rdr":          "standalone rdr rules were removed; use rdr-to on a pass rule (and divert-to for spamd)",
	"binat":        "standalone binat rules were removed; use binat-to on a pass rule",
	"scrub":        "standalone scrub rules were removed; use match ... scrub (...)",
	"altq":         "ALTQ was removed; use the queue keyword (HFSC with queue ... parent ...)",
	"nat-anchor":   "nat-anchor was removed; use anchor",
	"rdr-anchor":   "rdr-anchor was removed; use anchor",
	"binat-anchor": "binat-anchor was removed; use anchor",
}

func (c *checker) statement(s statement) {
	if len(s.toks) >= 2 && !s.toks[0].quoted && s.toks[1].s == "=" && !s.toks[1].quoted {
		c.macroDef(s)
		return
	}
	toks := c.expand(s)
	if len(toks) == 0 {
		return
	}
	// Obsolete syntax is reported once per statement, and the rest of the
	// statement is not parsed: what follows would only be more errors
	// about the same removed grammar.
	if msg, ok := obsolete[toks[0].s]; ok {
		c.errorf(s.line, "syntax error: %s", msg)
		return
	}
	if c.obsoleteQueueSyntax(s.line, toks) {
		return
	}
	switch head := toks[0].s; head {
	case "table":
		c.table(s.line, toks)
	case "set":
		c.set(s.line, toks)
	case "queue":
		c.queue(s.line, toks)
	case "pass", "block", "match":
		c.rule(s.line, toks)
	case "include":
		c.includes = true
		c.collectTableRefs(s.line, toks)
	case "antispoof", "anchor", "load", "}":
		c.collectTableRefs(s.line, toks)
	default:
		c.errorf(s.line, "syntax error: unknown statement %q", head)
	}
}

// macroDef records name = value. The value is the concatenation of the
// strings and macros after =, as pfctl's lexer builds it.
func (c *checker) macroDef(s statement) {
	name := s.toks[0].s
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			c.errorf(s.line, "syntax error: macro name %q has characters other than letters, digits and _", name)
			return
		}
	}
	val := c.expand(statement{line: s.line, toks: s.toks[2:]})
	var words []string
	for _, t := range val {
		words = append(words, t.s)
	}
	joined, _, _ := lexLine(strings.Join(words, " "))
	if len(joined) > maxMacroTokens {
		c.errorf(s.line, "macro '%s' expands to more than %d words", name, maxMacroTokens)
		joined = joined[:maxMacroTokens]
	}
	c.macros[name] = &macroDef{line: s.line, value: joined}
}

// expand replaces $name tokens (outside quotes) by the macro's tokens.
func (c *checker) expand(s statement) []token {
	var out []token
	for _, t := range s.toks {
		if t.quoted || !strings.HasPrefix(t.s, "$") || len(t.s) < 2 {
			out = append(out, t)
			continue
		}
		name, rest := splitMacroRef(t.s[1:])
		m, ok := c.macros[name]
		if !ok {
			c.errorf(s.line, "macro '%s' not defined", name)
			out = append(out, token{s: "undefined-macro" + rest})
			continue
		}
		m.used = true
		if rest == "" {
			out = append(out, m.value...)
			continue
		}
		// $ext_if:network and similar: glue the suffix to the value.
		words := make([]string, 0, len(m.value))
		for _, v := range m.value {
			words = append(words, v.s)
		}
		out = append(out, token{s: strings.Join(words, " ") + rest})
	}
	return out
}

func splitMacroRef(s string) (name, rest string) {
	i := 0
	for i < len(s) {
		r := s[i]
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			break
		}
		i++
	}
	return s[:i], s[i:]
}

func (c *checker) set(line int, toks []token) {
	if len(toks) < 2 {
		c.errorf(line, "syntax error: set without an option")
		return
	}
	switch toks[1].s {
	case "require-order":
		c.errorf(line, "syntax error: set require-order was removed; pfctl reads statements in any order")
	case "state-defaults":
		if !c.stateDefOK {
			c.errorf(line, "cannot redefine state-defaults")
		}
		c.stateDefOK = false
	}
}

// obsoleteQueueSyntax reports ALTQ scheduler syntax (cbq, priq, hfsc as
// a scheduler) and whether it found any.
func (c *checker) obsoleteQueueSyntax(line int, toks []token) bool {
	for i, t := range toks {
		if t.quoted {
			continue
		}
		switch t.s {
		case "cbq", "priq", "hfsc":
			if i+1 < len(toks) && toks[i+1].s == "(" || toks[0].s == "altq" || toks[0].s == "queue" {
				c.errorf(line, "syntax error: %s is ALTQ syntax, removed from pf; use queue NAME parent ... bandwidth ...", t.s)
				return true
			}
		}
	}
	return false
}

func (c *checker) finish() {
	c.finishQueues()
	c.finishSpamd()
	for _, r := range c.tableRefs {
		switch {
		case r.name == "spamd-greytrap":
			c.errorf(r.line, "<spamd-greytrap> is spamd's internal blacklist, not a pf table")
		case c.tables[r.name] == nil:
			if c.includes {
				c.warnf(r.line, "table <%s> is used but not defined here (an included file may define it; otherwise pfctl silently creates an empty table)", r.name)
			} else {
				c.errorf(r.line, "table <%s> is used but not defined (pfctl silently creates an empty table, so a typo goes unnoticed)", r.name)
			}
		}
	}
	warned := map[string]bool{}
	for _, o := range c.overloads {
		// Here, not at the rule: a table may be defined after its rules.
		if d := c.tables[o.name]; d != nil && d.isConst {
			c.errorf(o.line, "overload <%s>: the table is const, so the kernel cannot add to it", o.name)
		}
		if !c.stoppers[o.name] && !warned[o.name] && !c.includes {
			warned[o.name] = true
			c.warnf(o.line, "overload <%s> fills a table that no block or set queue rule uses: its members are not stopped", o.name)
		}
	}
	names := make([]string, 0, len(c.macros))
	for n := range c.macros {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if m := c.macros[n]; !m.used {
			c.warnf(m.line, "macro '%s' not used", n)
		}
	}
}
