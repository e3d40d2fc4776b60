package firewall

import (
	"bufio"
	"io"
	"strings"
)

// token is one word of a pf.conf statement. Table references <name>,
// punctuation and quoted strings are single tokens.
type token struct {
	s      string
	quoted bool
}

// statement is one logical pf.conf statement: a line, joined with the
// following lines when it ends in a backslash or has an open { or (.
type statement struct {
	line int // first physical line, 1-based
	toks []token
}

// lexError is a lexical problem: an unterminated string or a bad byte.
type lexError struct {
	line int
	msg  string
}

// splitStatements reads r and returns its statements. It handles
// comments, quoted strings, line continuations and multi-line lists.
func splitStatements(r io.Reader) ([]statement, []lexError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var (
		stmts   []statement
		errs    []lexError
		cur     []token
		start   int
		depth   int
		lineN   int
		anchors []int // the lines of open anchor "name" { ... } blocks
	)
	flush := func() {
		if len(cur) > 0 {
			stmts = append(stmts, statement{line: start, toks: cur})
		}
		cur, depth = nil, 0
	}
	// logical handles one line after backslash-newlines were removed.
	logical := func(phys int, line string) {
		toks, d, msg := lexLine(line)
		if msg != "" {
			errs = append(errs, lexError{line: phys, msg: msg})
		}
		if len(cur) == 0 && len(toks) > 0 {
			start = phys
		}
		// An inline anchor's rules are statements of their own, checked
		// like the main ruleset's with their own line numbers: the
		// header is flushed at its {, the block ends at a lone }.
		if len(cur) == 0 && len(anchors) > 0 && len(toks) == 1 && toks[0].s == "}" {
			anchors = anchors[:len(anchors)-1]
			return
		}
		cur = append(cur, toks...)
		depth += d
		if depth == 1 && cur[0].s == "anchor" && !cur[0].quoted && cur[len(cur)-1].s == "{" {
			cur = cur[:len(cur)-1]
			anchors = append(anchors, start)
			flush()
			return
		}
		if depth <= 0 {
			flush()
		}
	}
	var (
		joined    strings.Builder // physical lines ending in \
		joining   bool
		joinStart int
	)
	for sc.Scan() {
		lineN++
		line := sc.Text()
		// Like pfctl's lexer, drop backslash-newline before anything
		// else, so a continued quoted string or comment stays one.
		if strings.HasSuffix(line, "\\") {
			if !joining {
				joining, joinStart = true, lineN
			}
			joined.WriteString(strings.TrimSuffix(line, "\\"))
			continue
		}
		if joining {
			joined.WriteString(line)
			logical(joinStart, joined.String())
			joined.Reset()
			joining = false
			continue
		}
		logical(lineN, line)
	}
	if joining {
		logical(joinStart, joined.String())
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	switch {
	case depth > 0:
		errs = append(errs, lexError{line: start, msg: "syntax error: unclosed { or ( at end of file"})
	case len(anchors) > 0:
		// The anchor's line, not its last rule's: that is where the
		// } is missing.
		errs = append(errs, lexError{line: anchors[len(anchors)-1], msg: "syntax error: unclosed { or ( at end of file"})
	}
	flush()
	return stmts, errs, nil
}

// lexLine splits one physical line into tokens and returns the change in
// bracket depth. A # outside quotes starts a comment.
func lexLine(line string) ([]token, int, string) {
	var (
		toks  []token
		depth int
		word  strings.Builder
	)
	emit := func() {
		if word.Len() > 0 {
			toks = append(toks, token{s: word.String()})
			word.Reset()
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '#':
			emit()
			return toks, depth, ""
		case c == ' ' || c == '\t' || c == '\r':
			emit()
		case c == '"':
			emit()
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				return toks, depth, "syntax error: unterminated quoted string"
			}
			toks = append(toks, token{s: line[i+1 : i+1+j], quoted: true})
			i += j + 1
		case c == '<':
			emit()
			if j := strings.IndexByte(line[i+1:], '>'); j > 0 && isTableWord(line[i+1:i+1+j]) {
				toks = append(toks, token{s: line[i : i+j+2]})
				i += j + 1
				continue
			}
			op := "<"
			if i+1 < len(line) && (line[i+1] == '=' || line[i+1] == '>') {
				op += string(line[i+1])
				i++
			}
			toks = append(toks, token{s: op})
		case strings.IndexByte("{}(),=!>", c) >= 0:
			emit()
			op := string(c)
			if (c == '!' || c == '>') && i+1 < len(line) && (line[i+1] == '=' || line[i+1] == '<') {
				op += string(line[i+1])
				i++
			}
			switch c {
			case '{', '(':
				depth++
			case '}', ')':
				depth--
			}
			toks = append(toks, token{s: op})
		case c < 0x20 || c == 0x7f:
			emit()
			return toks, depth, "syntax error: control character in line"
		default:
			word.WriteByte(c)
		}
	}
	emit()
	return toks, depth, ""
}

func isTableWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '<' || c == '"' || c == '{' || c == '}' {
			return false
		}
	}
	return true
}

// tableName returns the name in a <name> token.
func tableName(t token) (string, bool) {
	if t.quoted || len(t.s) < 3 || t.s[0] != '<' || t.s[len(t.s)-1] != '>' {
		return "", false
	}
	return t.s[1 : len(t.s)-1], true
}
