package profiles

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// syntaxErrorLine returns the line of a YAML syntax error in data, given
// the line yaml.v3 names (0 for none). For most errors yaml.v3 counts
// lines from 0 there, and names none on the first line, so the line
// names is one too small; the error is on the line whose addition makes
// the text stop parsing. For some errors (a key inside a list) it names
// the line the enclosing block starts on: then the error is the first of
// the next lines whose addition makes the text fail with problem. If no
// line is found, hint stays.
func syntaxErrorLine(data []byte, hint int, problem string) int {
	// prefix(n) is data's first n lines.
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	parses := func(n int) bool {
		if n == 0 {
			return true
		}
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[n-1]]))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); err != nil {
				return errors.Is(err, io.EOF)
			}
		}
	}
	for _, n := range []int{hint + 1, hint} {
		if n >= 1 && n <= len(ends) && !parses(n) && parses(n-1) {
			return n
		}
	}
	// Each try parses the text up to it again: only a few lines are
	// tried, and not in a large file.
	if len(data) > maxColScan {
		return hint
	}
	for n := hint + 2; n <= len(ends) && n <= hint+maxLineScan; n++ {
		if p, failed := decodeProblem(data[:ends[n-1]]); failed {
			if p == problem {
				return n
			}
			break
		}
	}
	return hint
}

// maxLineScan bounds the lines after the one yaml.v3 names that are tried
// as the line of a syntax error.
const maxLineScan = 64

// syntaxErrorCol returns the column (1-based, in characters) of a YAML
// syntax error on line of data, or 0. yaml.v3 names no column, so this
// finds the shortest prefix of the line that, after the lines before it,
// already fails with the same problem: the character that ends it is
// where the parser could first tell (the tab, the colon, the opening
// quote that is never closed). Long lines are not searched.
//
// Each try parses everything before the line again, so the prefixes are
// bisected when the whole line fails, rather than tried one by one. This
// also skips a colon that fails only because the prefix ends after it (as
// in 09:00).
func syntaxErrorCol(data []byte, line int, problem string) int {
	start, end, ok := lineBounds(data, line)
	if !ok || end-start > maxColSearch {
		return 0
	}
	fails := func(k int) bool {
		p, failed := decodeProblem(data[:k])
		return failed && p == problem
	}
	if end > start && fails(end) {
		lo, hi := start+1, end // fails(hi)
		for lo < hi {
			if mid := lo + (hi-lo)/2; fails(mid) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return utf8.RuneCount(data[start:lo])
	}
	// Some problems (a flow mapping never closed) show only in a part of
	// the line; try each prefix, unless that means parsing a large file
	// again for each of them.
	if start > maxColScan {
		return 0
	}
	for k := start + 1; k < end; k++ {
		if fails(k) {
			return utf8.RuneCount(data[start:k])
		}
	}
	return 0
}

const maxColSearch = 400

// noTokenProblem is yaml.v3's error for a character that no YAML token
// starts with, which it does not name.
const noTokenProblem = "found character that cannot start any token"

// mappingValueProblem is yaml.v3's error for a ": " where no key may
// start: inside a plain value (full_name: Peter: the admin), or after a
// key indented deeper than the keys before it.
const mappingValueProblem = "mapping values are not allowed in this context"

// escapeProblem is yaml.v3's error for a backslash in a double-quoted
// value that starts no escape (a Windows path, a regular expression).
const escapeProblem = "found unknown escape character"

// noAnchorNameProblem is yaml.v3's error for a * or & that no alias or
// anchor name follows (schedule: * * * * *, password_hash: *************).
const noAnchorNameProblem = "did not find expected alphabetic or numeric character"

// unknownAnchor is yaml.v3's error for an alias (*name) to no anchor. It
// names no line, and its name is the rest of a value that starts with *.
var unknownAnchor = regexp.MustCompile(`^unknown anchor '[A-Za-z0-9_-]*' referenced$`)

// aliasAt returns the line and column (1-based, in characters) in data of
// the alias that problem, yaml.v3's unknownAnchor error, is about, or 0
// and 0. The line is the first whose addition makes the text fail with
// problem; an alias with the same name in a comment or a quoted value
// before it on that line would be taken instead.
func aliasAt(data []byte, problem string) (line, col int) {
	name := problem[strings.IndexByte(problem, '\'')+1 : strings.LastIndexByte(problem, '\'')]
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	fails := func(n int) bool {
		p, failed := decodeProblem(data[:ends[n-1]])
		return failed && p == problem
	}
	if len(ends) == 0 || !fails(len(ends)) {
		return 0, 0
	}
	lo, hi := 1, len(ends) // fails(hi)
	for lo < hi {
		if mid := lo + (hi-lo)/2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	start, end, _ := lineBounds(data, lo)
	text := string(data[start:end])
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "*"+name)
		if j < 0 {
			break
		}
		k := i + j + 1 + len(name)
		if k == len(text) || !anchorChar(text[k]) {
			return lo, utf8.RuneCountInString(text[:i+j]) + 1
		}
		i = k
	}
	return lo, 0
}

// anchorChar reports whether yaml.v3 reads c as part of an anchor name.
func anchorChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// foundChar names the character at line and col (1-based, in characters)
// of data for noTokenProblem, noAnchorNameProblem, mappingValueProblem
// and escapeProblem, and what to write instead; "" when there is none.
func foundChar(data []byte, line, col int) string {
	start, end, ok := lineBounds(data, line)
	if !ok || col < 1 {
		return ""
	}
	for _, r := range string(data[start:end]) {
		if col--; col > 0 {
			continue
		}
		switch r {
		case '\t':
			return ": a tab (YAML indents with blanks, not tabs)"
		case '@', '`':
			return fmt.Sprintf(": %q (a value cannot start with @ or `; quote it)", string(r))
		case '*', '&':
			return fmt.Sprintf(": %q (a value cannot start with * or &, which YAML reads as an alias or anchor; quote it)", string(r))
		case '\\':
			return `: "\\" (in double quotes a backslash starts an escape: write \\ for one, or use single quotes)`
		case ':':
			return `: ":" (quote a value that holds ": "; else this key is indented unlike the keys before it, or a key above it lacks its colon)`
		}
		return fmt.Sprintf(": %q", string(r))
	}
	return ""
}

// maxColScan bounds the text before a line whose prefixes are tried one
// by one.
const maxColScan = 64 << 10

// lineBounds gives the byte offsets of line n (1-based) of data, without
// its newline, and on the first line without a byte order mark (which is
// no column in an editor).
func lineBounds(data []byte, n int) (start, end int, ok bool) {
	if n < 1 {
		return 0, 0, false
	}
	if n == 1 && bytes.HasPrefix(data, []byte("\ufeff")) {
		start = len("\ufeff")
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data[start:], '\n')
		if j < 0 {
			return 0, 0, false
		}
		start += j + 1
	}
	end = len(data)
	if j := bytes.IndexByte(data[start:], '\n'); j >= 0 {
		end = start + j
	}
	return start, end, true
}

// decodeProblem decodes every document of data and returns the problem
// of the first syntax error, without yaml.v3's "yaml: line N: " prefix.
func decodeProblem(data []byte) (string, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return "", false
		}
		if err != nil {
			return yamlProblem(err), true
		}
	}
}

// yamlProblem is err's message without "yaml: " and "line N: ".
func yamlProblem(err error) string {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// utf8Text returns UTF-16 data (with its byte order mark, which yaml.v3
// also reads) as UTF-8 with a UTF-8 byte order mark, so that lines and
// columns are found by the same byte searches as in UTF-8 files; other
// data is returned as is.
func utf8Text(data []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return data
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	return append([]byte("\ufeff"), string(utf16.Decode(units))...)
}

// readerProblems are yaml.v3's errors for bytes that are not YAML text;
// it names no line for them.
var readerProblems = []string{
	"invalid leading UTF-8 octet", "invalid trailing UTF-8 octet",
	"incomplete UTF-8 octet sequence", "invalid length of a UTF-8 sequence",
	"invalid Unicode character", "control characters are not allowed",
}

// unreadableAt returns the line and column (1-based, in characters) of the
// first character of UTF-8 data that YAML does not allow (invalid UTF-8,
// or a control character other than tab and line breaks), when problem is
// yaml.v3's error for one. UTF-16 files are left alone.
func unreadableAt(data []byte, problem string) (line, col int, ok bool) {
	if !slices.Contains(readerProblems, problem) ||
		bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return 0, 0, false
	}
	line, col = 1, 1
	i := len(data) - len(bytes.TrimPrefix(data, []byte("\ufeff"))) // a BOM is no column
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || !yamlChar(r) {
			return line, col, true
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return 0, 0, false
}

// yamlChar reports whether YAML allows r in a file (the YAML 1.2 c-printable
// set, which yaml.v3's reader checks).
func yamlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0x7e || r == 0x85 ||
		0xa0 <= r && r <= 0xd7ff || 0xe000 <= r && r <= 0xfffd || 0x10000 <= r && r <= 0x10ffff
}
