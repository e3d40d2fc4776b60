package autoinstall

import (
	"fmt"
	"strings"
)

// This file is a model of OpenBSD's autoinstall response-file reader,
// written from ../shared/reference/openbsd-installer.md section 3 and
// independent of the package's own code: the file is read with ksh's
// `while read` (a last line without newline is lost), each line trimmed of
// blanks and tabs only (a CR stays), candidates are lines that do not
// start with # or =, contain =, and have a value after it; the key (before
// the first =, trailing blanks removed) matches a question when it occurs,
// lowercased and literal, at a position that starts the question or
// follows a blank, and ends the question or is followed by a blank or ?;
// the first matching line is used and removed.

// simLine is one line of the response file still unread.
type simLine struct {
	n    int // 1-based line number
	text string
}

// simAnswer is one question the simulated installer asked.
type simAnswer struct {
	Question string
	Value    string
	Line     int // 0 when the default was taken
}

// reader is the response-file half of the simulator.
type reader struct {
	lines []simLine
	log   []simAnswer
}

func newReader(conf []byte) *reader {
	text := string(conf)
	parts := strings.Split(text, "\n")
	// `while read` drops an unterminated last line; the empty string after
	// a final newline is not a line either.
	parts = parts[:len(parts)-1]
	r := &reader{}
	for i, p := range parts {
		r.lines = append(r.lines, simLine{n: i + 1, text: p})
	}
	return r
}

// stopError is the installer stopping: no answer, or an answer it refuses.
type stopError struct{ msg string }

func (e *stopError) Error() string { return e.msg }

func stop(format string, args ...any) { panic(&stopError{fmt.Sprintf(format, args...)}) }

// ask answers question (the prompt without its [default] part and without
// a list question's " (or 'done')") from the file, or with def.
func (r *reader) ask(question, def string) string {
	q := strings.ToLower(question)
	for i, l := range r.lines {
		key, value, ok := candidate(l.text)
		if !ok || !simMatch(q, strings.ToLower(key)) {
			continue
		}
		r.lines = append(r.lines[:i:i], r.lines[i+1:]...)
		r.log = append(r.log, simAnswer{Question: question, Value: value, Line: l.n})
		return value
	}
	if def == "" {
		stop("Question has no answer in response file: %q", q)
	}
	r.log = append(r.log, simAnswer{Question: question, Value: def})
	return def
}

func candidate(line string) (key, value string, ok bool) {
	line = strings.Trim(line, " \t")
	if line == "" || line[0] == '#' || line[0] == '=' {
		return "", "", false
	}
	k, v, found := strings.Cut(line, "=")
	v = strings.TrimLeft(v, " \t")
	if !found || v == "" {
		return "", "", false
	}
	return strings.TrimRight(k, " \t"), v, true
}

func simMatch(q, key string) bool {
	if key == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(q[from:], key)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(key)
		startOK := i == 0 || q[i-1] == ' ' || q[i-1] == '\t'
		endOK := end == len(q) || q[end] == ' ' || q[end] == '\t' || q[end] == '?'
		if startOK && endOK {
			return true
		}
		from = i + 1
	}
}

// yn is a yes/no question: y, yes, n, no in any case, else the install stops.
func (r *reader) yn(question, def string) bool {
	switch strings.ToLower(r.ask(question, def)) {
	case "y", "yes":
		return true
	case "n", "no":
		return false
	}
	stop("%s: not yes or no", question)
	return false
}

// letter asks a first-letter question until the answer's first letter is
// one of valid; an invalid line is used up and the question asked again.
func (r *reader) letter(question, def, valid string) byte {
	for range 10 {
		v := strings.ToLower(r.ask(question, def))
		if v != "" && strings.IndexByte(valid, v[0]) >= 0 {
			return v[0]
		}
	}
	stop("%s: no valid answer", question)
	return 0
}

// oneLetter asks a question whose answer is one of valid's letters
// alone, as ieee80211_config's case ??-[Oo], 1?-[Ww], ?1-[Pp]: anything
// else is asked again, until the default (itself valid) is taken.
func (r *reader) oneLetter(question, def, valid string) byte {
	for range 10 {
		v := strings.ToLower(r.ask(question, def))
		if len(v) == 1 && strings.IndexByte(valid, v[0]) >= 0 {
			return v[0]
		}
	}
	stop("%s: no valid answer", question)
	return 0
}

// unused returns the candidate lines no question took.
func (r *reader) unused() []string {
	var out []string
	for _, l := range r.lines {
		if _, _, ok := candidate(l.text); ok {
			out = append(out, fmt.Sprintf("%d: %s", l.n, l.text))
		}
	}
	return out
}

// defaults returns the questions answered with the installer's default.
func (r *reader) defaults() []string {
	var out []string
	for _, a := range r.log {
		if a.Line == 0 {
			out = append(out, a.Question)
		}
	}
	return out
}

// transcript is the dialogue as a golden file shows it.
func (r *reader) transcript() string {
	var b strings.Builder
	for _, a := range r.log {
		src := "default"
		if a.Line > 0 {
			src = fmt.Sprintf("line %d", a.Line)
		}
		v := a.Value
		if strings.HasPrefix(a.Question, "Password for") || strings.Contains(a.Question, "passphrase?") || a.Question == "WEP key?" {
			v = "<secret " + fmt.Sprint(len(v)) + " chars>"
		}
		fmt.Fprintf(&b, "%s [%s] %s\n", a.Question, src, v)
	}
	for _, u := range r.unused() {
		fmt.Fprintf(&b, "unused line %s\n", u)
	}
	return b.String()
}
