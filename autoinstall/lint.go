package autoinstall

import (
	"bytes"
	"fmt"
	"strings"
)

// Severity says whether a finding breaks the install.
type Severity int

const (
	// Warning: the install goes on, perhaps not as meant.
	Warning Severity = iota
	// Error: the install stops, or an answer is lost or silently replaced.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Finding is one problem in a response file. Line 0 concerns the whole
// file (a missing answer).
type Finding struct {
	Line     int
	Severity Severity
	Message  string
}

func (f Finding) String() string {
	if f.Line == 0 {
		return fmt.Sprintf("%s: %s", f.Severity, f.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", f.Line, f.Severity, f.Message)
}

// Mode is the kind of response file: install.conf or upgrade.conf.
type Mode int

const (
	ModeInstall Mode = iota
	ModeUpgrade
)

// answer is one candidate line of a response file.
type answer struct {
	line       int
	key, value string
	fam        string // the question it answers, "" when none
	q          *question
}

// linter collects the findings of one file.
type linter struct {
	mode     Mode
	findings []Finding
	answers  []answer
}

func (l *linter) add(line int, sev Severity, format string, args ...any) {
	l.findings = append(l.findings, Finding{Line: line, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// Lint checks a response file the way OpenBSD's installer reads it
// (reference section 3): lines that match no question, keys that an
// earlier question takes or that fall into a known trap, values the
// installer refuses or silently replaces with its default, missing
// answers to questions without a default, CRLF line ends, inline comments,
// and a missing final newline. Findings come in line order, file-wide ones
// last.
func Lint(data []byte, mode Mode) []Finding {
	l := &linter{mode: mode}
	text := string(data)
	if len(text) > 0 && !strings.HasSuffix(text, "\n") {
		last := strings.Count(text, "\n") + 1
		l.add(last, Error, "the last line has no newline: the installer's read loop drops it, and its answer with it")
	}
	lines := strings.Split(text, "\n")
	if strings.HasSuffix(text, "\n") {
		lines = lines[:len(lines)-1]
	}
	for i, raw := range lines {
		l.line(i+1, raw)
	}
	l.checkMissing()
	sortFindings(l.findings)
	return l.findings
}

// line checks one line: its form, its key and its value.
func (l *linter) line(n int, raw string) {
	if strings.HasSuffix(raw, "\r") {
		l.add(n, Error, "CRLF line end: the installer keeps the CR in the value (yes/no answers then fail); use LF only")
	}
	if bytes.IndexByte([]byte(raw), 0) >= 0 {
		l.add(n, Error, "contains a NUL byte")
		return
	}
	t := strings.Trim(raw, " \t")
	switch {
	case t == "" || t == "\r" || t[0] == '#':
		return
	case t[0] == '=':
		l.add(n, Warning, "starts with =: the installer ignores the line")
		return
	case !strings.Contains(t, "="):
		l.add(n, Error, "no = on the line: the installer ignores it (expected QUESTION = ANSWER)")
		return
	}
	k, v, _ := strings.Cut(t, "=")
	key := strings.TrimRight(k, " \t")
	value := strings.TrimLeft(v, " \t")
	if value == "" {
		l.add(n, Warning, "%q has an empty answer: the installer ignores the line and uses its default", key)
		return
	}
	a := answer{line: n, key: key, value: strings.TrimSuffix(value, "\r")}
	if a.value == "" {
		return // a CR alone: reported above
	}
	l.resolve(&a)
	if a.q != nil {
		if a.q.mode&interactiveOnly != 0 {
			l.add(n, Warning, "%q is only asked interactively; autoinstall never reads this line", a.q.text)
		} else if l.mode == ModeUpgrade && a.q.mode&inUpgrade == 0 {
			l.add(n, Warning, "%q is not asked in an upgrade; the line is ignored", a.q.text)
		}
		// Secrets (passwords, keys, passphrases: kinds password, wpa, free)
		// may hold " #" and are never echoed.
		if strings.Contains(a.value, " #") && !contains([]string{"password", "wpa", "free"}, a.q.kind) {
			l.add(n, Warning, "there are no inline comments: the answer is %q, comment included", a.value)
		}
		l.value(&a)
	}
	l.answers = append(l.answers, a)
}

// resolve finds the question a key answers, and reports keys that match
// none, fall into a trap, or are taken by an earlier question.
func (l *linter) resolve(a *answer) {
	key := strings.ToLower(a.key)
	var fams, texts, startFams []string
	var first, start *question
	for i := range questions {
		q := &questions[i]
		items := parsed[i]
		if !keyMatches(items, key, false, true) {
			continue
		}
		if !contains(fams, q.fam) {
			fams = append(fams, q.fam)
			texts = append(texts, q.text)
		}
		if first == nil {
			first = q
		}
		if keyMatches(items, key, true, true) && !contains(startFams, q.fam) {
			startFams = append(startFams, q.fam)
			if start == nil {
				start = q
			}
		}
	}
	switch {
	case len(fams) == 0:
		for i := range questions {
			q := &questions[i]
			if keyMatches(parsed[i], key, false, false) {
				l.add(a.line, Error, "%q stops inside the question %q, where the next character is not a blank or ?: the installer never matches it (write the question up to the ?)", a.key, q.text)
				return
			}
		}
		if q := closest(key); q != "" {
			l.add(a.line, Error, "%q matches no installer question: the line is ignored (closest question: %q)", a.key, q)
		} else {
			l.add(a.line, Error, "%q matches no installer question: the line is ignored", a.key)
		}
		return
	case len(fams) == 1:
		a.q, a.fam = first, first.fam
		return
	}
	intended := start
	if intended == nil || len(startFams) > 1 {
		l.add(a.line, Error, "%q matches %d questions (%s): the first one asked takes the line (write the full question up to the ?)", a.key, len(fams), strings.Join(quoteAll(texts), ", "))
		a.q, a.fam = first, first.fam
		return
	}
	a.q, a.fam = intended, intended.fam
	if first.fam != intended.fam {
		l.add(a.line, Error, "%q also matches the earlier question %q, which takes the line before %q is asked (write the full question up to the ?)", a.key, first.text, intended.text)
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func sortFindings(fs []Finding) {
	// Stable insertion order within a line; file-wide findings (line 0) last.
	key := func(f Finding) int {
		if f.Line == 0 {
			return int(^uint(0) >> 1)
		}
		return f.Line
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && key(fs[j]) < key(fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// closest returns the question sharing the most words with key, when it
// shares at least two, to point at the question a key was meant for.
func closest(key string) string {
	words := strings.FieldsFunc(key, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') })
	best, bestN := "", 1
	for _, q := range questions {
		if q.mode&interactiveOnly != 0 {
			continue
		}
		text := strings.ToLower(q.text)
		n := 0
		for _, w := range words {
			if len(w) > 2 && strings.Contains(text, w) {
				n++
			}
		}
		if n > bestN {
			best, bestN = q.text, n
		}
	}
	return best
}
