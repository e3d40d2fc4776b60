package profiles

import (
	"fmt"
	"regexp"
	"strings"

	"fugu/migrate/etcfiles"
)

// doasToken is one word of a doas.conf rule; quoted words are never
// keywords, as in doas's own lexer.
type doasToken struct {
	text       string
	quoted     bool
	escaped    bool // has a backslash escape
	start, end int  // the word's bytes in the rule, quotes and escapes included
}

// lexDoas splits a rule the way doas's parse.y does: blanks separate
// words, double quotes group, a backslash escapes the next character, and
// { } are words of their own. A quoted word is never a keyword; an
// escaped one still is in doas's lexer (\nopass is nopass), so a keyword
// or brace written with a backslash is refused as ambiguous. A # (which
// would start a comment even inside a word), an unclosed quote, a
// trailing backslash, control characters and a word too long for doas's
// buffer are refused too, since the rule must mean exactly what it says.
func lexDoas(rule string) ([]doasToken, error) {
	var toks []doasToken
	var cur strings.Builder
	inWord, quoted, escaped, inQuote := false, false, false, false
	start := 0
	flush := func(end int) {
		if inWord {
			toks = append(toks, doasToken{text: cur.String(), quoted: quoted, escaped: escaped, start: start, end: end})
		}
		cur.Reset()
		inWord, quoted, escaped = false, false, false
	}
	for i := 0; i < len(rule); i++ {
		c := rule[i]
		if !inWord && c != ' ' && c != '\t' && c != '{' && c != '}' {
			start = i
		}
		switch {
		case c < 0x20 && c != '\t' || c == 0x7f:
			return nil, fmt.Errorf("contains a control character at column %d (expected one rule on one line)", i+1)
		case c == '#':
			return nil, fmt.Errorf("contains # at column %d (doas would read the rest as a comment)", i+1)
		case c == '\\':
			if i+1 == len(rule) {
				return nil, fmt.Errorf("ends with a backslash (it would join the next line)")
			}
			i++
			if e := rule[i]; e < 0x20 && e != '\t' || e == 0x7f {
				// An escaped line break joins the next line in doas.
				return nil, fmt.Errorf("contains a control character at column %d (expected one rule on one line)", i+1)
			}
			cur.WriteByte(rule[i])
			inWord, escaped = true, true
		case c == '"':
			inQuote = !inQuote
			inWord, quoted = true, true
		case inQuote:
			cur.WriteByte(c)
		case c == ' ' || c == '\t':
			flush(i)
		case c == '{' || c == '}':
			flush(i)
			toks = append(toks, doasToken{text: string(c), start: i, end: i + 1})
		default:
			cur.WriteByte(c)
			inWord = true
		}
		if cur.Len() >= doasMaxWord {
			return nil, fmt.Errorf("has a word longer than %d bytes at column %d (doas stops with \"too long line\")", doasMaxWord-1, i+1)
		}
	}
	if inQuote {
		return nil, fmt.Errorf("has a quote that does not close")
	}
	flush(len(rule))
	for _, t := range toks {
		if t.escaped && !t.quoted && (doasKeywords[t.text] || t.text == "{" || t.text == "}") {
			return nil, fmt.Errorf("writes %s with a backslash at column %d, which doas's lexer still reads as %s (write it plainly, or in double quotes to mean a word)", t.text, t.start+1, t.text)
		}
	}
	return toks, nil
}

// doasKeywords are the words doas reads as keywords unless quoted.
var doasKeywords = map[string]bool{
	"permit": true, "deny": true, "as": true, "cmd": true, "args": true,
	"nopass": true, "nolog": true, "persist": true, "keepenv": true, "setenv": true,
}

// doasMaxWord is the size of doas's word buffer: a word of this many
// bytes is "too long line".
const doasMaxWord = 1024

var (
	doasNameRE  = regexp.MustCompile(`^([a-z_][a-z0-9._-]{0,31}|[0-9]+)$`)
	doasEnvRE   = regexp.MustCompile(`^-?[A-Za-z_][A-Za-z0-9_]*$`)
	doasSetRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	doasGrammar = "permit [nopass|nolog|persist|keepenv|setenv { ... }] USER|:GROUP [as TARGET] [cmd COMMAND [args ...]]"
)

// CheckDoasRule checks one doas.conf rule as Load does: against the
// doas.conf(5) grammar, read as doas's own lexer reads it. autoinstall
// asks it too, for plans made without Load.
func CheckDoasRule(rule string) error { return checkDoas(rule) }

// checkDoas checks one rule against the doas.conf(5) grammar.
func checkDoas(rule string) error {
	toks, err := lexDoas(rule)
	if err != nil {
		return err
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf(format+" (expected "+doasGrammar+")", args...)
	}
	kw := func(i int, w string) bool { return i < len(toks) && !toks[i].quoted && toks[i].text == w }
	// word is doas's TSTRING: a word that is no keyword and no brace.
	word := func(i int) bool {
		return i < len(toks) && (toks[i].quoted || !doasKeywords[toks[i].text] && toks[i].text != "{" && toks[i].text != "}")
	}
	if len(toks) == 0 {
		return bad("empty rule")
	}
	i := 1
	switch {
	case kw(0, "permit"):
		var nopass, persist, setenv bool
	options:
		for i < len(toks) && !toks[i].quoted {
			switch toks[i].text {
			case "nopass":
				nopass = true
			case "persist":
				persist = true
			case "nolog", "keepenv":
			case "setenv":
				if setenv {
					return bad("two setenv sections")
				}
				setenv = true
				if !kw(i+1, "{") {
					return bad("setenv without {")
				}
				i += 2
				for ; !kw(i, "}"); i++ {
					if i >= len(toks) {
						return bad("setenv { is not closed")
					}
					t := toks[i].text
					if !word(i) {
						// doas's envlist takes only TSTRINGs: a bare
						// keyword there is a syntax error.
						return bad("%q is a keyword, not a setenv item (quote it to mean the variable)", t)
					}
					if !doasEnvRE.MatchString(t) && !doasSetRE.MatchString(t) {
						return bad("%q is not a setenv item (VAR, VAR=value or -VAR)", doasShown(t))
					}
				}
			default:
				break options
			}
			i++
		}
		if nopass && persist {
			return bad("nopass and persist cannot be combined")
		}
	case kw(0, "deny"):
	default:
		return bad("a rule starts with permit or deny, found %q", doasShown(toks[0].text))
	}
	if i >= len(toks) {
		return bad("no user or :group")
	}
	if !word(i) {
		return bad("%q where a user or :group belongs (options only follow permit)", toks[i].text)
	}
	if id := strings.TrimPrefix(toks[i].text, ":"); !doasNameRE.MatchString(id) {
		return bad("%q is not a user or :group", doasShown(toks[i].text))
	}
	i++
	if kw(i, "as") {
		if !word(i+1) || !doasNameRE.MatchString(toks[i+1].text) {
			return bad("as needs a user name")
		}
		i += 2
	}
	if kw(i, "cmd") {
		if !word(i+1) || toks[i+1].text == "" {
			return bad("cmd needs a command")
		}
		i += 2
		if kw(i, "args") {
			for i++; i < len(toks); i++ {
				if !word(i) {
					return bad("%q after args (quote a keyword or brace meant as an argument)", toks[i].text)
				}
			}
		}
	}
	if i < len(toks) {
		return bad("unexpected %q", doasShown(toks[i].text))
	}
	return nil
}

// doasSecretName says a setenv item holds a secret (PGPASSWORD=...,
// API_TOKEN=...), as migrate's doas.conf redaction reads it.
var doasSecretName = regexp.MustCompile(`(?i)(pass(word|wd)?|pwd|secret|token|api_?key|access_?key|private_?key|credentials?|auth)`)

// doasShown is a word of a rule as an error message shows it: with the
// value hidden when it is NAME=value and the name says it holds a secret
// (a setenv item written out of its braces).
func doasShown(w string) string {
	if name, _, ok := strings.Cut(w, "="); ok && doasSecretName.MatchString(name) {
		return name + "=" + Redacted
	}
	return w
}

// redactDoasRule returns rule with the value of each setenv item whose
// name says it holds a secret replaced by <redacted>, as migrate plans
// show a doas.conf: the rule reads as the same words, with the values
// hidden.
func redactDoasRule(rule string) string {
	return strings.TrimSuffix(etcfiles.RedactDoasConf(rule+"\n"), "\n")
}
