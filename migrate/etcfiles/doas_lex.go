package etcfiles

import (
	"fmt"
	"strconv"
	"strings"
)

// doasMaxWord is the size of doas's word buffer (char buf[1024]): the
// lexer says "too long line" when a word fills it, at its 1024th byte.
const doasMaxWord = 1024

type tokKind int

const (
	tokEOF tokKind = iota
	tokNewline
	tokLBrace
	tokRBrace
	tokWord
)

type token struct {
	kind    tokKind
	text    string
	keyword bool // an unquoted, unescaped word that is a doas keyword
	line    int  // 1-based line where the token starts
	col     int  // 1-based column where the token starts
	start   int  // byte offsets of a word in the text, escapes and quotes included
	end     int
	// head is the first doasMaxWord bytes of a word too long for doas,
	// whose text is then what follows them, as doas reads it: the head
	// holds the NAME= that says whether the word is a secret.
	head string
	// valueAt is the offset in the text just past the byte that gave the
	// word its first '=', 0 when it has none: what follows is the value
	// of NAME=value, which redaction hides.
	valueAt int
}

// redacted is the word with a secret's value hidden (see
// redactAssignment), judged by its start when it was too long.
func (t token) redacted() string {
	if t.head != "" {
		if name, _, ok := strings.Cut(t.head, "="); ok && secretName.MatchString(name) {
			return name + "=" + Redacted
		}
	}
	return redactAssignment(t.text)
}

// describe names a token for "found ..." in a message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the file"
	case tokNewline:
		return "the end of the line"
	case tokLBrace:
		return "{"
	case tokRBrace:
		return "}"
	case tokWord:
		if t.keyword {
			return "the keyword " + t.text
		}
	}
	return strconv.Quote(t.redacted())
}

// redactAssignment hides the value of NAME=value when the name says it
// holds a secret (PGPASSWORD=..., API_TOKEN=...).
func redactAssignment(w string) string {
	if name, _, ok := strings.Cut(w, "="); ok && secretName.MatchString(name) {
		return name + "=" + Redacted
	}
	return w
}

var doasKeywords = map[string]bool{
	"permit": true, "deny": true, "as": true, "cmd": true, "args": true,
	"nopass": true, "nolog": true, "persist": true, "keepenv": true, "setenv": true,
}

// doasLexer follows yylex in doas's parse.y: blanks are space and tab
// only; '#' starts a comment anywhere outside quotes and escapes, even
// inside a word; double quotes group; backslash escapes one character;
// backslash-newline continues the line and makes the word it is in a
// non-keyword; NUL is an error; a word of 1024 bytes is too long. A word
// with quotes is never a keyword; one with only an escape still is, as in
// yylex, which sets nonkw for quotes and continuations alone (\nopass is
// nopass; the reference, 2.1, says an escaped word is none).
type doasLexer struct {
	src  string
	pos  int
	line int // 1-based
	col  int // 0-based column of pos
	errs []*LineError
}

func (lx *doasLexer) errorf(line int, format string, args ...any) {
	lx.errs = append(lx.errs, &LineError{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (lx *doasLexer) next() (byte, bool) {
	if lx.pos >= len(lx.src) {
		return 0, false
	}
	c := lx.src[lx.pos]
	lx.pos++
	lx.col++
	return c, true
}

func (lx *doasLexer) newline() {
	lx.line++
	lx.col = 0
}

func (lx *doasLexer) lex() token {
	// carry is doas's nonkw surviving a lone continuation: yylex keeps it
	// across its "goto repeat", so the word after "\<newline><blanks>"
	// is no keyword (until a newline, brace or comment token ends the
	// call).
	carry := false
	for {
		// Skip blanks.
		for lx.pos < len(lx.src) && (lx.src[lx.pos] == ' ' || lx.src[lx.pos] == '\t') {
			lx.next()
		}
		start, col := lx.line, lx.col+1
		if lx.pos >= len(lx.src) {
			return token{kind: tokEOF, line: start, col: col}
		}
		switch lx.src[lx.pos] {
		case '\n':
			lx.next()
			lx.newline()
			return token{kind: tokNewline, line: start, col: col}
		case '{':
			lx.next()
			return token{kind: tokLBrace, line: start, col: col}
		case '}':
			lx.next()
			return token{kind: tokRBrace, line: start, col: col}
		case '#':
			// A comment runs to the newline, which it returns; no
			// continuation, NUL allowed.
			i := strings.IndexByte(lx.src[lx.pos:], '\n')
			if i < 0 {
				lx.col += len(lx.src) - lx.pos
				lx.pos = len(lx.src)
				return token{kind: tokEOF, line: start, col: lx.col + 1}
			}
			lx.pos += i + 1
			lx.newline()
			return token{kind: tokNewline, line: start, col: col}
		}
		at := lx.pos
		t, ok, nonkw := lx.word(carry)
		t.start, t.end = at, lx.pos
		if ok {
			if t.line == 0 { // an empty quoted word
				t.line, t.col = start, col
			}
			return t
		}
		// An empty unquoted word (a lone continuation): lex on.
		carry = nonkw
	}
}

// word reads one word, no keyword if nonkw is set already. ok is false
// for an empty, unquoted word; nonkw then says whether a continuation
// in it makes the next word no keyword either.
func (lx *doasLexer) word(nonkw bool) (t token, ok, carry bool) {
	var (
		buf                    strings.Builder
		quoted, quotes, escape bool
		qerr                   bool
		qcol, qline            int
		first, firstCol        int // where the word's first character or quote is
		head                   string
		valueAt                int
	)
	mark := func() {
		if first == 0 {
			first, firstCol = lx.line, lx.col
		}
	}
	for {
		if lx.pos >= len(lx.src) {
			if escape {
				lx.errorf(lx.line, "unterminated escape in column %d", lx.col)
			}
			if quotes && !qerr {
				lx.errorf(qline, "unterminated quotes in column %d", qcol)
			}
			break
		}
		c := lx.src[lx.pos]
		if !escape && !quotes && (c == '{' || c == '}' || c == '#' || c == ' ' || c == '\t') {
			break
		}
		if c == '\n' {
			if quotes && !qerr {
				lx.errorf(qline, "unterminated quotes in column %d", qcol)
				qerr = true
			}
			if !escape {
				break // the newline is the next token
			}
			lx.next()
			lx.newline()
			escape, nonkw = false, true
			continue
		}
		lx.next()
		switch {
		case c == 0:
			lx.errorf(lx.line, "unallowed character NUL in column %d", lx.col)
			escape = false
			continue
		case c == '\\':
			// An escape alone keeps a keyword (doas reads \nopass as
			// nopass); only a continuation or quotes make a word plain.
			escape = !escape
			if escape {
				continue
			}
		case c == '"' && !escape:
			mark()
			quoted = true
			quotes = !quotes
			if quotes {
				qcol, qline = lx.col, lx.line
			}
			continue
		}
		mark()
		buf.WriteByte(c)
		if c == '=' && valueAt == 0 {
			valueAt = lx.pos
		}
		if buf.Len() >= doasMaxWord {
			lx.errorf(lx.line, "too long line")
			if head == "" {
				head = buf.String()
			}
			buf.Reset()
		}
		escape = false
	}
	if buf.Len() == 0 && !quoted {
		return token{}, false, nonkw
	}
	w := buf.String()
	return token{kind: tokWord, text: w, keyword: !quoted && !nonkw && doasKeywords[w], line: first, col: firstCol, head: head, valueAt: valueAt}, true, false
}
