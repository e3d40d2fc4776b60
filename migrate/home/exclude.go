package home

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// CVSExcludes is rsync's --cvs-exclude (-C) list, in rsync's order.
var CVSExcludes = []string{
	"RCS", "SCCS", "CVS", "CVS.adm", "RCSLOG", "cvslog.*", "tags", "TAGS",
	".make.state", ".nse_depinfo", "*~", "#*", ".#*", ",*", "_$*", "*$",
	"*.old", "*.bak", "*.BAK", "*.orig", "*.rej", ".del-*", "*.a", "*.olb",
	"*.o", "*.obj", "*.so", "*.exe", "*.Z", "*.elc", "*.ln", "core",
	".svn/", ".git/", ".hg/", ".bzr/",
}

// Pattern is one exclusion rule with rsync's glob semantics: "*" matches
// within a path component, "**" across components, "?" one character,
// "[...]" a class; a trailing "/" matches directories only; a leading "/"
// anchors at the tree root; a pattern with a "/" elsewhere matches the
// end of the path on component boundaries; one without matches the
// last component.
type Pattern struct {
	Text    string // as the user wrote it
	dirOnly bool
	re      *regexp.Regexp
}

// ParsePattern compiles an rsync-like exclude pattern.
func ParsePattern(s string) (Pattern, error) {
	p := Pattern{Text: s}
	body := s
	if strings.HasSuffix(body, "/") {
		p.dirOnly = true
		body = strings.TrimRight(body, "/")
	}
	if body == "" {
		return Pattern{}, fmt.Errorf("exclude pattern %q: empty", s)
	}
	anchored := strings.HasPrefix(body, "/")
	body = strings.TrimPrefix(body, "/")
	glob, err := globRegexp(validUTF8(body))
	if err != nil {
		return Pattern{}, fmt.Errorf("exclude pattern %q: %w", s, err)
	}
	// Unanchored patterns match the end of the path on a component
	// boundary; without a "/" that is the last component.
	re := "(^|/)" + glob + "$"
	if anchored {
		re = "^" + glob + "$"
	}
	p.re, err = regexp.Compile(re)
	if err != nil {
		return Pattern{}, fmt.Errorf("exclude pattern %q: %w", s, err)
	}
	return p, nil
}

// globRegexp translates a glob to a regular expression body.
func globRegexp(g string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(g); i++ {
		c := g[i]
		switch c {
		case '*':
			if i+1 < len(g) && g[i+1] == '*' {
				b.WriteString(".*")
				i++
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			j := i + 1
			if j < len(g) && (g[j] == '!' || g[j] == '^') {
				j++
			}
			if j < len(g) && g[j] == ']' {
				j++
			}
			for j < len(g) && g[j] != ']' {
				j++
			}
			if j >= len(g) {
				return "", fmt.Errorf("unterminated [ at byte %d", i)
			}
			class := g[i+1 : j]
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			class = strings.ReplaceAll(class, `\`, `\\`)
			class = strings.ReplaceAll(class, `[`, `\[`)
			if neg {
				b.WriteString("[^/" + class + "]")
			} else {
				b.WriteString("[" + class + "]")
			}
			i = j
		case '\\':
			if i+1 < len(g) {
				i++
			}
			fallthrough
		default:
			// The whole character: string(c) of one byte of a
			// multibyte one would be another character.
			_, n := utf8.DecodeRuneInString(g[i:])
			b.WriteString(regexp.QuoteMeta(g[i : i+n]))
			i += n - 1
		}
	}
	return b.String(), nil
}

// validUTF8 returns s with each byte that is not part of valid UTF-8 (a
// Latin-1 name) turned into a character of its own from a private-use
// plane, so patterns and names match byte for byte where Go's regexp,
// which reads UTF-8, would see only U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(0x10ff00 + rune(s[i]))
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Match reports whether the pattern excludes the entry at rel
// (slash-separated, relative to the tree root).
func (p Pattern) Match(rel string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	return p.re.MatchString(validUTF8(rel))
}

// Excludes is an ordered list of patterns; the first match wins.
type Excludes []Pattern

// Match returns the first pattern that excludes rel.
func (x Excludes) Match(rel string, isDir bool) (Pattern, bool) {
	for _, p := range x {
		if p.Match(rel, isDir) {
			return p, true
		}
	}
	return Pattern{}, false
}

// ParseExcludeFile reads one pattern per line, as rsync's --exclude-from
// does: blank lines and lines starting with ';' or '#' are ignored.
// name is used in error messages, with the line number.
func ParseExcludeFile(r io.Reader, name string) (Excludes, error) {
	var x Excludes
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		p, err := ParsePattern(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		x = append(x, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return x, nil
}
