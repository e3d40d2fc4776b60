package hardware

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadPattern is returned for a firmware pattern with more than two `*`,
// which fw_update refuses ("Bad pattern ... in firmware_patterns").
var ErrBadPattern = errors.New("hardware: bad firmware pattern")

// How fw_update.sh (1.65, devices_in_dmesg) turns a pattern into a match,
// read from the source and reproduced here exactly:
//
//	_dmesgtail="$( echo ; sed -n 'H;/^OpenBSD/h;${g;p;}' "$DMESG" )"
//	... while read -r _d _m; do
//	[ "$_d" = "$_last" ]  && continue
//	[ "$_m" ]             || _m="${_nl}${_d}[0-9] at "
//	[ "$_m" = "${_m#^}" ] || _m="${_nl}${_m#^}"
//	IFS='*'; set -- $_m; unset IFS
//	case $# in
//	1|2|3) [[ $_dmesgtail = *$1*([!$_nl])${2-}*([!$_nl])${3-}* ]] || continue;;
//	*) warn "Bad pattern"; exit 1 ;;
//
// So it is neither grep nor a regular expression but a ksh [[ = ]] glob
// over the whole last boot as one string:
//   - the pattern is the rest of the firmware_patterns line after the
//     driver (read -r with the default IFS: blanks around it dropped); for
//     the lines patterns.c generates per device, `inteldrm "Intel UHD
//     Graphics 620"`, it is the quoted name, quotes included, with no `^`,
//     so it may occur anywhere (fwdevices.go);
//   - the text is a newline, then the last boot: from the last line that
//     starts with "OpenBSD" (that line included) to the end, with trailing
//     newlines removed; with no such line, a newline and the whole file;
//   - a leading `^` becomes a newline, which anchors at a line start;
//   - the pattern is split into fields at each `*` (shell field splitting
//     with IFS='*': a trailing `*` makes no extra field); at most three
//     fields, else "Bad pattern";
//   - the fields are joined by *([!\n]) (any run of characters other than
//     newline), with `*` (anything, newlines included) around the whole;
//   - the fields come from an unquoted expansion, so inside them `?` (any
//     one character, a newline too) and [...] bracket expressions (with `!`
//     for negation and a-z ranges; `]` first is literal) keep their glob
//     meaning, while `"` and every other character are literal.
//
// Not reproduced, because no pattern uses them: ksh's extended patterns such
// as @(a|b), [:class:] names inside brackets, and backslash escapes (taken
// literally here). Matching is by bytes.

// globElem matches one byte.
type globElem struct {
	any bool       // `?`
	set *[4]uint64 // a bracket expression (already negated if `!`)
	lit byte
}

func (e globElem) match(c byte) bool {
	switch {
	case e.any:
		return true
	case e.set != nil:
		return e.set[c>>6]&(1<<(c&63)) != 0
	}
	return c == e.lit
}

func (e globElem) canMatchNewline() bool { return e.match('\n') }

// fwMatcher is a compiled firmware pattern: 1 to 3 fixed-length segments.
type fwMatcher struct {
	segs [][]globElem
	// prefix is the literal start of the first segment ("\niwm" for the
	// default rule of iwm): find jumps between its occurrences.
	prefix string
	// quoted is the whole pattern when it is one literal string that
	// starts and ends with a double quote and has none inside, like the
	// generated `"Intel UHD Graphics 620"`; fwText.find then looks it up
	// instead of scanning.
	quoted string
}

// compileFWPattern compiles the pattern of one firmware_patterns line for
// driver, applying fw_update's default rule when pattern is empty.
func compileFWPattern(driver, pattern string) (*fwMatcher, error) {
	m := pattern
	if m == "" {
		m = "\n" + driver + "[0-9] at "
	}
	if strings.HasPrefix(m, "^") {
		m = "\n" + m[1:]
	}
	fields := strings.Split(m, "*")
	if len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	if len(fields) > 3 {
		return nil, fmt.Errorf("%w: %q for %s has %d fields between `*` (at most 3)", ErrBadPattern, pattern, driver, len(fields))
	}
	fm := &fwMatcher{}
	for _, f := range fields {
		fm.segs = append(fm.segs, compileSegment(f))
	}
	var prefix []byte
	for _, e := range fm.segs[0] {
		if e.any || e.set != nil {
			break
		}
		prefix = append(prefix, e.lit)
	}
	fm.prefix = string(prefix)
	if len(fm.segs) == 1 && len(prefix) == len(fm.segs[0]) && len(prefix) >= 2 &&
		prefix[0] == '"' && prefix[len(prefix)-1] == '"' &&
		!strings.Contains(fm.prefix[1:len(prefix)-1], `"`) {
		fm.quoted = fm.prefix
	}
	return fm, nil
}

// compileSegment compiles a `*`-free glob into single-byte matchers.
func compileSegment(s string) []globElem {
	var out []globElem
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '?':
			out = append(out, globElem{any: true})
		case '[':
			if set, n := parseBracket(s[i:]); set != nil {
				out = append(out, globElem{set: set})
				i += n - 1
				continue
			}
			out = append(out, globElem{lit: '['})
		default:
			out = append(out, globElem{lit: s[i]})
		}
	}
	return out
}

// parseBracket parses a bracket expression at the start of s and returns
// its byte set and length, or nil when there is no closing `]` (then `[`
// is literal, as in ksh).
func parseBracket(s string) (*[4]uint64, int) {
	i := 1
	neg := false
	if i < len(s) && s[i] == '!' {
		neg = true
		i++
	}
	var set [4]uint64
	add := func(c byte) { set[c>>6] |= 1 << (c & 63) }
	first := true
	for ; i < len(s); i++ {
		c := s[i]
		if c == ']' && !first {
			if neg {
				for k := range set {
					set[k] = ^set[k]
				}
			}
			return &set, i + 1
		}
		first = false
		if i+2 < len(s) && s[i+1] == '-' && s[i+2] != ']' {
			for lo, hi := int(c), int(s[i+2]); lo <= hi; lo++ {
				add(byte(lo))
			}
			i += 2
			continue
		}
		add(c)
	}
	return nil, 0
}

func segMatchAt(seg []globElem, text string, at int) bool {
	if at+len(seg) > len(text) {
		return false
	}
	for k, e := range seg {
		if !e.match(text[at+k]) {
			return false
		}
	}
	return true
}

// find reports where the first match begins: the smallest start of the
// first segment from which the rest can follow.
func (m *fwMatcher) find(text string) (int, bool) {
	l1 := len(m.segs[0])
	for s := 0; s+l1 <= len(text); {
		if m.prefix != "" {
			i := strings.Index(text[s:], m.prefix)
			if i < 0 {
				break
			}
			s += i
		}
		if !segMatchAt(m.segs[0], text, s) {
			s++
			continue
		}
		e := s + l1
		if restMatches(m.segs[1:], text, e) {
			return s, true
		}
		// Every later start whose first segment ends on the same line
		// before the next newline sees a subset of what this one saw,
		// so it fails too: jump past them.
		nl := strings.IndexByte(text[e:], '\n')
		if nl < 0 {
			break
		}
		s = e + nl - l1 + 1
	}
	return 0, false
}

// restMatches reports whether segs can follow from p, each preceded by
// characters other than newline.
func restMatches(segs [][]globElem, text string, p int) bool {
	if len(segs) == 0 {
		return true
	}
	seg := segs[0]
	nlAnywhere := false
	for _, e := range seg {
		nlAnywhere = nlAnywhere || e.canMatchNewline()
	}
	for t := p; t <= len(text); t++ {
		if segMatchAt(seg, text, t) {
			if restMatches(segs[1:], text, t+len(seg)) {
				return true
			}
			if !nlAnywhere {
				// The earliest place is the best place for a segment
				// that cannot contain a newline: whatever a later place
				// allows, this one allows too.
				return false
			}
		}
		if t < len(text) && text[t] == '\n' {
			return false
		}
	}
	return false
}

// fwText is a dmesg tail (see fwDmesgTail) about to be matched against
// the whole pattern list. Patterns that are a quoted literal (see
// fwMatcher.quoted), over a thousand of them, are looked up in an index
// of its quoted spans, built once, instead of scanning the text each.
type fwText struct {
	s     string
	spans map[string]int // nil until the first quoted literal
}

// find is m.find(t.s), faster for quoted literals.
func (t *fwText) find(m *fwMatcher) (int, bool) {
	if m.quoted == "" {
		return m.find(t.s)
	}
	if t.spans == nil {
		t.spans = quotedSpans(t.s)
	}
	at, ok := t.spans[m.quoted]
	return at, ok
}

// quotedSpans maps each span of s from a double quote to the next one,
// both included, to where it first starts. A pattern `"x"` with no quote
// inside x occurs at i exactly when s[i] is a quote, the next quote after
// it ends the occurrence, and the span between them is `"x"`: so the
// leftmost occurrence is the first start of that span. Every quote ends
// one span and starts the next.
func quotedSpans(s string) map[string]int {
	spans := map[string]int{}
	i := strings.IndexByte(s, '"')
	for i >= 0 {
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			break
		}
		j += i + 1
		if _, ok := spans[s[i:j+1]]; !ok {
			spans[s[i:j+1]] = i
		}
		i = j
	}
	return spans
}
