package firewall

import (
	"slices"
	"strconv"
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

// portOps are the operators of pf.conf's port expressions (parse.y
// port_item): unary ones before a port, binary ones between two.
var (
	portUnaryOps  = []string{"=", "!=", "<", "<=", ">", ">="}
	portBinaryOps = []string{"<>", "><"}
)

// portWords returns the port expression after toks[i] == "port": the
// words of a { list }, an operator and a port, a port, <> or >< and a
// port, or one port (which may be a range a:b).
func portWords(toks []token, i int) (int, []string) {
	if i+1 >= len(toks) {
		return i, nil
	}
	switch w := toks[i+1].s; {
	case w == "{":
		return wordsAfter(toks, i)
	case slices.Contains(portUnaryOps, w) && i+2 < len(toks):
		return i + 2, []string{w, toks[i+2].s}
	case i+3 < len(toks) && slices.Contains(portBinaryOps, toks[i+2].s):
		return i + 3, []string{w, toks[i+2].s, toks[i+3].s}
	}
	return i + 1, []string{toks[i+1].s}
}

// portsCoverSMTP reports whether a port expression (portWords' words,
// or a list's) matches port 25, as pf.conf(5) reads it: a:b holds a to b,
// a >< b the ports between them, a <> b those outside, and an operator
// compares. A service name other than smtp's is taken not to be 25,
// and an expression with one is not decided.
func portsCoverSMTP(ws []string) bool {
	num := func(w string) (int, bool) {
		if isSMTP(w) {
			return 25, true
		}
		if !isDigits(w) || len(w) > 5 {
			return 0, false
		}
		n, _ := strconv.Atoi(w)
		return n, true
	}
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if slices.Contains(portUnaryOps, w) && i+1 < len(ws) {
			n, ok := num(ws[i+1])
			i++
			if ok && map[string]bool{"=": n == 25, "!=": n != 25, "<": 25 < n, "<=": 25 <= n, ">": 25 > n, ">=": 25 >= n}[w] {
				return true
			}
			continue
		}
		if i+2 < len(ws) && slices.Contains(portBinaryOps, ws[i+1]) {
			a, okA := num(w)
			b, okB := num(ws[i+2])
			op := ws[i+1]
			i += 2
			if okA && okB && (op == "><" && a < 25 && 25 < b || op == "<>" && (25 < a || 25 > b)) {
				return true
			}
			continue
		}
		if lo, hi, ok := strings.Cut(w, ":"); ok {
			a, okA := num(lo)
			b, okB := num(hi)
			if okA && okB && a <= 25 && 25 <= b {
				return true
			}
			continue
		}
		if isSMTP(w) {
			return true
		}
	}
	return false
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
	return portsCoverSMTP(r.toPorts)
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
