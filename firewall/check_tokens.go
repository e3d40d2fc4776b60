package firewall

import (
	"slices"
	"strings"
)

// wordsAfter returns the value after toks[i]: one word, or a { list }.
func wordsAfter(toks []token, i int) (int, []string) {
	if i+1 >= len(toks) {
		return i, nil
	}
	j := i + 1
	for j < len(toks) && (toks[j].s == "=" || toks[j].s == "!") {
		j++
	}
	if j >= len(toks) {
		return j - 1, nil
	}
	if toks[j].s != "{" {
		return j, []string{toks[j].s}
	}
	end := skipGroup(toks, j)
	var ws []string
	for _, t := range inside(toks, j, end) {
		if t.s != "," {
			ws = append(ws, t.s)
		}
	}
	return end, ws
}

// skipGroup returns the index of the bracket closing the one at toks[i].
func skipGroup(toks []token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j].s {
		case "(", "{":
			depth++
		case ")", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks) - 1
}

// isSMTP reports whether a port word means 25: the services(5) name,
// its alias mail, or the number, which pfctl reads in base 10 with
// leading zeros.
func isSMTP(p string) bool {
	if isDigits(p) {
		return strings.TrimLeft(p, "0") == "25"
	}
	return p == "smtp" || p == "mail"
}

// toSMTP reports whether r's destination ports include smtp, or (when
// any is true) whether r has no port restriction at all.
func (r *rule) toSMTP(any bool) bool {
	if len(r.toPorts) == 0 {
		return any && (len(r.proto) == 0 || slices.Contains(r.proto, "tcp"))
	}
	return slices.ContainsFunc(r.toPorts, isSMTP)
}

func (r *rule) hasFromTable(t string) bool { return slices.Contains(r.fromTables, t) }

func (r *rule) isSpamdPort(p string) bool {
	return p == "spamd" || p == "8025"
}

func (r *rule) onString() string { return strings.Join(r.on, " ") }

// inside returns the tokens between the bracket at open and end.
func inside(toks []token, open, end int) []token {
	if end <= open+1 || end > len(toks) {
		return nil
	}
	return toks[open+1 : end]
}
