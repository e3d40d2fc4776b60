package etcfiles

import (
	"io"
	"slices"
	"strconv"
	"strings"
)

// DoasRule is one rule of doas.conf.
type DoasRule struct {
	Line     int      `json:"line"`
	Action   string   `json:"action"`            // permit or deny
	Options  []string `json:"options,omitempty"` // nopass nolog persist keepenv, in file order
	Setenv   []string `json:"setenv,omitempty"`  // items of the setenv { } block
	HasEnv   bool     `json:"has_setenv,omitempty"`
	Identity string   `json:"identity"` // user, uid, :group or :gid
	As       string   `json:"as,omitempty"`
	Cmd      string   `json:"cmd,omitempty"`
	Args     []string `json:"args,omitempty"`
	HasArgs  bool     `json:"has_args,omitempty"` // "args" given: the arguments must match exactly
}

// Group reports whether the rule names a group (":wheel").
func (r DoasRule) Group() (string, bool) { return strings.CutPrefix(r.Identity, ":") }

// DoasConf is a parsed doas.conf.
type DoasConf struct {
	Rules []DoasRule
	// Warnings are lines doas accepts that do not do what they seem to:
	// a carriage return glued to the last word (CRLF files), so the rule
	// never matches.
	Warnings Errors
}

// ParseDoasConf parses a doas.conf the way doas -C does and reports every
// error as "line N: message" (doas prints "doas: message at line N"), or
// "line N, column C: message" at a word; a syntax error also says what
// the grammar expected there and what it found.
// Like doas, it goes on after an error at the next line. The line is the
// one where the offending token starts; doas may name the following line
// for an error it only sees at a line's end. The rules that parsed are
// returned with the error.
func ParseDoasConf(r io.Reader) (*DoasConf, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	p := &doasParser{lx: &doasLexer{src: string(data), line: 1}}
	p.advance()
	conf := &DoasConf{}
	for p.tok.kind != tokEOF {
		if p.tok.kind == tokNewline {
			p.advance()
			continue
		}
		rule, ok := p.rule()
		if ok {
			conf.Rules = append(conf.Rules, rule)
			if last := lastWord(rule); strings.HasSuffix(last, "\r") {
				conf.Warnings = append(conf.Warnings, &LineError{Line: rule.Line, Msg: "carriage return at the end of the rule: it sticks to " + strconv.Quote(last) + " and the rule never matches (CRLF line ends?)"})
			}
			continue
		}
		// Recover like the yacc grammar's "error '\n'": drop the rest of
		// the line.
		for p.tok.kind != tokNewline && p.tok.kind != tokEOF {
			p.advance()
		}
	}
	errs := append(Errors(nil), p.lx.errs...)
	errs = append(errs, p.errs...)
	slices.SortStableFunc(errs, func(a, b *LineError) int { return a.Line - b.Line })
	return conf, errs.err()
}

type doasParser struct {
	lx   *doasLexer
	tok  token
	errs Errors
}

func (p *doasParser) advance() { p.tok = p.lx.lex() }

func (p *doasParser) fail(msg string) bool {
	p.errs = append(p.errs, &LineError{Line: p.tok.line, Col: p.tok.col, Msg: msg})
	return false
}

// unexpected reports the current token where the grammar wanted what
// expected names, as doas's "syntax error" with the details.
func (p *doasParser) unexpected(expected string) bool {
	if p.tok.kind == tokEOF && expected != "permit or deny" {
		return p.fail("syntax error: the last line has no newline (doas needs one after every rule)")
	}
	return p.fail("syntax error: expected " + expected + ", found " + p.tok.describe())
}

func (p *doasParser) isKeyword(w string) bool {
	return p.tok.kind == tokWord && p.tok.keyword && p.tok.text == w
}

// str accepts a TSTRING: a word that is not a keyword; expected names
// it for the error.
func (p *doasParser) str(expected string) (string, bool) {
	if p.tok.kind != tokWord || p.tok.keyword {
		return "", p.unexpected(expected)
	}
	s := p.tok.text
	p.advance()
	return s, true
}

func (p *doasParser) strlist() []string {
	var l []string
	for p.tok.kind == tokWord && !p.tok.keyword {
		l = append(l, p.tok.text)
		p.advance()
	}
	return l
}

// rule parses: action ident [as target] [cmd command [args ...]] '\n'.
func (p *doasParser) rule() (DoasRule, bool) {
	r := DoasRule{Line: p.tok.line}
	switch {
	case p.isKeyword("permit"):
		r.Action = "permit"
		p.advance()
		if !p.options(&r) {
			return r, false
		}
	case p.isKeyword("deny"):
		r.Action = "deny"
		p.advance()
		if p.tok.kind == tokWord && p.tok.keyword && slices.Contains(doasOptions, p.tok.text) {
			return r, p.fail("syntax error: expected a user or :group after deny, found " + p.tok.describe() + " (options go with permit only)")
		}
	default:
		return r, p.unexpected("permit or deny")
	}
	var ok bool
	if r.Identity, ok = p.str("a user or :group after " + r.Action); !ok {
		return r, false
	}
	next := "as, cmd or the end of the rule"
	if p.isKeyword("as") {
		p.advance()
		if r.As, ok = p.str("a user after as"); !ok {
			return r, false
		}
		next = "cmd or the end of the rule"
	}
	if p.isKeyword("cmd") {
		p.advance()
		if r.Cmd, ok = p.str("a command after cmd"); !ok {
			return r, false
		}
		next = "args or the end of the rule"
		if p.isKeyword("args") {
			p.advance()
			r.HasArgs = true
			r.Args = p.strlist()
			next = "an argument or the end of the rule"
		}
	}
	if p.tok.kind != tokNewline {
		// Includes EOF: the last rule must end with a newline.
		return r, p.unexpected(next)
	}
	p.advance()
	return r, true
}

func (p *doasParser) options(r *DoasRule) bool {
	for p.tok.kind == tokWord && p.tok.keyword {
		at := p.tok
		switch w := p.tok.text; w {
		case "nopass", "nolog", "persist", "keepenv":
			p.advance()
			r.Options = append(r.Options, w)
		case "setenv":
			p.advance()
			if p.tok.kind != tokLBrace {
				return p.unexpected("{ after setenv")
			}
			p.advance()
			env := p.strlist()
			if p.tok.kind != tokRBrace {
				return p.unexpected("} to close setenv")
			}
			p.advance()
			if r.HasEnv {
				return p.failAt(at, "can't have two setenv sections")
			}
			r.HasEnv, r.Setenv = true, env
		default:
			return true
		}
		if slices.Contains(r.Options, "nopass") && slices.Contains(r.Options, "persist") {
			return p.failAt(at, "can't combine nopass and persist")
		}
	}
	return true
}

// doasOptions are the keywords that only permit takes.
var doasOptions = []string{"nopass", "nolog", "persist", "keepenv", "setenv"}

// failAt reports an error at token t rather than the current one.
func (p *doasParser) failAt(t token, msg string) bool {
	p.errs = append(p.errs, &LineError{Line: t.line, Col: t.col, Msg: msg})
	return false
}

func lastWord(r DoasRule) string {
	switch {
	case len(r.Args) > 0:
		return r.Args[len(r.Args)-1]
	case r.Cmd != "":
		return r.Cmd
	case r.As != "":
		return r.As
	}
	return r.Identity
}

// Identities returns the users and groups (without ':') the rules name,
// sorted, so a caller can check they exist on a machine. Numeric ids are
// included as written.
func (c *DoasConf) Identities() (users, groups []string) {
	for _, r := range c.Rules {
		if g, ok := r.Group(); ok {
			groups = append(groups, g)
		} else {
			users = append(users, r.Identity)
		}
		if r.As != "" {
			users = append(users, r.As)
		}
	}
	slices.Sort(users)
	slices.Sort(groups)
	return slices.Compact(users), slices.Compact(groups)
}

// valueFrame is what redaction keeps of a word's raw value: not one of
// its characters, but its quotes, line continuations and NUL bytes, so
// that the redacted text reads as the same words with the same errors
// (an unclosed quote, a NUL, a lone backslash at the end).
func valueFrame(raw string) string {
	var b strings.Builder
	escape := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '\n': // only ever escaped inside a word
			b.WriteString("\\\n")
			escape = false
		case c == 0:
			b.WriteByte(0)
			escape = false
		case c == '\\':
			escape = !escape
		case c == '"' && !escape:
			b.WriteByte('"')
		default:
			escape = false
		}
	}
	if escape {
		b.WriteByte('\\')
	}
	// A closed pair of quotes with nothing left between them adds
	// nothing to a NAME=value word, which is never a keyword.
	return strings.ReplaceAll(b.String(), `""`, "")
}

// RedactDoasConf returns a doas.conf text with the value of each setenv
// item NAME=value whose name says it holds a secret (PGPASSWORD,
// API_TOKEN, ...) replaced by <redacted>, for plans and diffs. Comments,
// command arguments and everything else are kept byte for byte, and so
// are the line breaks of a continued item.
func RedactDoasConf(text string) string {
	lx := &doasLexer{src: text, line: 1}
	var b strings.Builder
	last := 0
	afterSetenv, inEnv := false, false
	for {
		t := lx.lex()
		switch {
		case t.kind == tokEOF:
			b.WriteString(text[last:])
			return b.String()
		case t.kind == tokWord && t.keyword && t.text == "setenv":
			afterSetenv = true
			continue
		case t.kind == tokLBrace:
			inEnv = afterSetenv
		case t.kind == tokRBrace || t.kind == tokNewline:
			inEnv = false
		case t.kind == tokWord && inEnv:
			if red := t.redacted(); red != t.text {
				b.WriteString(text[last:t.valueAt])
				b.WriteString(Redacted)
				b.WriteString(valueFrame(text[t.valueAt:t.end]))
				last = t.end
			}
		}
		afterSetenv = false
	}
}
