package profiles

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestSyntaxErrorLine: a YAML syntax error is reported on the line that
// holds it. yaml.v3 names the line before for most errors, and none for
// the first line; each case says where the mistake is.
func TestSyntaxErrorLine(t *testing.T) {
	root := "root:\n  password_hash: \"*************\"\n"
	for _, c := range []struct {
		name, data string
		line       int
	}{
		{"bad indent", root + "system:\n  hostname: x\n timezone: UTC\n", 5},
		{"unclosed flow list", root + "system:\n  hostname: x\n  timezone: [UTC\n", 5},
		{"tab indent", root + "system:\n  hostname: x\n\ttimezone: UTC\n", 5},
		{"mapping in a value", root + "system:\n  hostname: x: y\n", 4},
		{"list after a mapping", root + "- x\n", 3},
		{"first line", ": : :\n\t- bad\n", 1},
		{"first line, no newline", "a: b: c", 1},
		{"unclosed quote", root + "system:\n  hostname: \"x\n", 4},
		{"second document", root + "---\nsystem: [\n", 0},
		// yaml.v3 names the line the list starts on.
		{"key in a list", root + "packages:\n  - vim\n  - git\n  arch: amd64\n", 6},
		{"key in a list after a comment", root + "packages:\n  - vim\n\n  # more\n  arch: amd64\n", 7},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ps := parseYAML("p.yaml", []byte(c.data), make(origin))
			if len(ps) != 1 {
				t.Fatalf("parseYAML(%q) = %v, want one problem", c.data, ps)
			}
			if c.line != 0 && ps[0].Line != c.line {
				t.Errorf("parseYAML(%q) problem on line %d, want %d: %v", c.data, ps[0].Line, c.line, ps[0])
			}
		})
	}
}

func TestSyntaxErrorColumn(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
	}{
		{"colon after a continued plain scalar", "name: web\nhostname: web\n  timezone: UTC\n", 3, 11},
		{"second colon on a line", "a: b: c\n", 1, 5},
		{"colon in a plain scalar before the error", "time: 09:00 note: x\n", 1, 17},
		{"colon after a non-ASCII character", "x: ü: 1\n", 1, 5},
		{"tab in the indentation", "name: web\n\thostname: web\n", 2, 1},
		{"quote never closed", "name: web\nhostname: \"web\n", 2, 11},
		{"reserved indicator", "name: web\nx: @foo\n", 2, 4},
		{"flow sequence never closed", "root: [\n", 1, 7},
		// yaml.v3's reader names no line for these; the byte is found.
		{"latin-1 byte", "name: web\nfull_name: P\xe5l\n", 2, 13},
		{"latin-1 byte after non-ASCII", "a: é\nb: é\xe9\n", 2, 5},
		{"truncated UTF-8", "name: web\nx: \"a\xc3\"\n", 2, 6},
		{"control character", "name: web\nx: a\x01b\n", 2, 5},
		{"control character after a BOM", "\ufeffx: \x01\n", 1, 4},
		// A byte order mark is no column in an editor.
		{"second colon after a BOM", "\ufeffa: b: c\n", 1, 5},
		{"reserved indicator after a BOM", "\ufeffx: @foo\n", 1, 4},
		{"NUL byte", "name: web\n\nx: a\x00\n", 3, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := parseYAML("p.yaml", []byte(tt.in), origin{})
			if len(ps) != 1 {
				t.Fatalf("problems = %v, want one syntax error", ps)
			}
			if ps[0].Line != tt.line || ps[0].Col != tt.col {
				t.Errorf("%v: at %d:%d, want %d:%d", ps[0], ps[0].Line, ps[0].Col, tt.line, tt.col)
			}
		})
	}
}

func TestSyntaxErrorColumnSkipsLongLines(t *testing.T) {
	in := "x: " + strings.Repeat("a", maxColSearch) + ": b\n"
	_, ps := parseYAML("p.yaml", []byte(in), origin{})
	if len(ps) != 1 || ps[0].Line != 1 || ps[0].Col != 0 {
		t.Errorf("problems = %v, want one at line 1 with no column", ps)
	}
}

// largeFileSyntaxError is a typo on a long line after 100000 list items:
// finding its column once parsed the whole file per character of the
// line, half a minute (BenchmarkSyntaxErrorColumnLargeFile).
func largeFileSyntaxError() string {
	return "packages:\n" + strings.Repeat("  - vim\n", 100000) + "arch: " + strings.Repeat("a", maxColSearch-20) + ": b\n"
}

// TestSyntaxErrorColumnLargeFile: the column is still found in a large file.
func TestSyntaxErrorColumnLargeFile(t *testing.T) {
	_, ps := parseYAML("p.yaml", []byte(largeFileSyntaxError()), origin{})
	if len(ps) != 1 || ps[0].Line != 100002 || ps[0].Col != maxColSearch-13 {
		t.Errorf("problems = %v, want one at 100002:%d", ps, maxColSearch-13)
	}
}

// TestSyntaxErrorNamesCharacter: yaml.v3's "found character that cannot
// start any token" does not say which; a tab, which an editor shows as
// blanks, and a reserved indicator are named, with what to do instead.
func TestSyntaxErrorNamesCharacter(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"system:\n\tdomain: example.org\n", "p.yaml:2:1: not valid YAML: found character that cannot start any token: a tab (YAML indents with blanks, not tabs)"},
		{"packages:\n  -\tvim\n", "p.yaml:2:4: not valid YAML: found character that cannot start any token: a tab (YAML indents with blanks, not tabs)"},
		{"name: web\nx: @foo\n", `p.yaml:2:4: not valid YAML: found character that cannot start any token: "@" (a value cannot start with @ or ` + "`" + `; quote it)`},
		{"x: `ls`\n", `p.yaml:1:4: not valid YAML: found character that cannot start any token: "` + "`" + `" (a value cannot start with @ or ` + "`" + `; quote it)`},
	} {
		_, ps := parseYAML("p.yaml", []byte(c.in), origin{})
		if got := ps.Error(); got != c.want {
			t.Errorf("parseYAML(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestSyntaxErrorUTF16: a UTF-16 file (as Windows PowerShell writes with >)
// gets the same line, column and named character as its UTF-8 text.
func TestSyntaxErrorUTF16(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"system:\n\ttimezone: UTC\n", "p.yaml:2:1: not valid YAML: found character that cannot start any token: a tab (YAML indents with blanks, not tabs)"},
		{"a: b: c\n", "p.yaml:1:5: not valid YAML: mapping values are not allowed in this context: \":\" (quote a value that holds \": \"; else this key is indented unlike the keys before it, or a key above it lacks its colon)"},
	} {
		for name, enc := range map[string]func(string) []byte{"LE": utf16LE, "BE": utf16BE} {
			_, ps := parseYAML("p.yaml", enc(c.in), origin{})
			if got := ps.Error(); got != c.want {
				t.Errorf("parseYAML(UTF-16%s %q) = %s, want %s", name, c.in, got, c.want)
			}
		}
	}
}

func utf16LE(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, r)
	}
	return b
}

func utf16BE(s string) []byte {
	b := []byte{0xfe, 0xff}
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.BigEndian.AppendUint16(b, r)
	}
	return b
}

// TestSyntaxErrorAlias: a value that starts with * or & (a crontab
// schedule, the 13 asterisks of a disabled password, a WPA key) is read
// by YAML as an alias or anchor. The error names where it is and what to
// do, and never repeats the rest of the value, which may be a secret.
func TestSyntaxErrorAlias(t *testing.T) {
	const hint = ` (a value cannot start with * or &, which YAML reads as an alias or anchor; quote it)`
	for _, c := range []struct{ in, want string }{
		{"root:\n  password_hash: *************\n", `p.yaml:2:18: not valid YAML: did not find expected alphabetic or numeric character: "*"` + hint},
		{"roles:\n  mailgw:\n    spamd_setup: {schedule: */10 * * * *}\n", `p.yaml:3:29: not valid YAML: did not find expected alphabetic or numeric character: "*"` + hint},
		{"system:\n  hostname: & x\n", `p.yaml:2:13: not valid YAML: did not find expected alphabetic or numeric character: "&"` + hint},
		{"network:\n  interfaces:\n    - name: iwm0\n      wireless: {networks: [{ssid: home, wpa_key: *Secret-1}]}\n",
			`p.yaml:4:51: not valid YAML: an alias whose anchor is not defined: "*"` + hint},
		{"# *Secret-1 in a comment\nx: \"*Secret-1\"\ny: [a, *Secret-1]\n",
			`p.yaml:3:8: not valid YAML: an alias whose anchor is not defined: "*"` + hint},
		{"\ufeffé: *Secret\n", `p.yaml:1:4: not valid YAML: an alias whose anchor is not defined: "*"` + hint},
	} {
		_, ps := parseYAML("p.yaml", []byte(c.in), origin{})
		if got := ps.Error(); got != c.want {
			t.Errorf("parseYAML(%q) =\n%s\nwant\n%s", c.in, got, c.want)
		}
		if strings.Contains(ps.Error(), "Secret") {
			t.Errorf("parseYAML(%q) = %s: repeats the value", c.in, ps.Error())
		}
	}
}

// TestSyntaxErrorMappingValue: yaml.v3's "mapping values are not allowed
// in this context" says neither where nor why; the column is the colon,
// and the message says the two usual causes.
func TestSyntaxErrorMappingValue(t *testing.T) {
	const hint = `: ":" (quote a value that holds ": "; else this key is indented unlike the keys before it, or a key above it lacks its colon)`
	for _, c := range []struct{ in, want string }{
		{"user:\n  full_name: Peter: the admin\n", "p.yaml:2:19: not valid YAML: mapping values are not allowed in this context" + hint},
		{"system:\n  hostname: web\n   timezone: UTC\n", "p.yaml:3:12: not valid YAML: mapping values are not allowed in this context" + hint},
		{"system:\n  hostname web\n  domain: example.org\n", "p.yaml:3:9: not valid YAML: mapping values are not allowed in this context" + hint},
	} {
		_, ps := parseYAML("p.yaml", []byte(c.in), origin{})
		if got := ps.Error(); got != c.want {
			t.Errorf("parseYAML(%q) =\n%s\nwant\n%s", c.in, got, c.want)
		}
	}
}

// TestSyntaxErrorEscape: a backslash in a double-quoted value (a Windows
// path, a regular expression) starts an escape; the error says so.
func TestSyntaxErrorEscape(t *testing.T) {
	in := "files:\n  /etc/x:\n    content: \"C:\\temp\\qx\"\n"
	want := `p.yaml:3:22: not valid YAML: found unknown escape character: "\\" (in double quotes a backslash starts an escape: write \\ for one, or use single quotes)`
	_, ps := parseYAML("p.yaml", []byte(in), origin{})
	if got := ps.Error(); got != want {
		t.Errorf("parseYAML(%q) =\n%s\nwant\n%s", in, got, want)
	}
}

// TestHiddenLineBreak: YAML ends a line at a lone carriage return, a NEL
// or a Unicode line or paragraph separator, which editors and `grep -n`
// do not: the file would mean other keys than it shows, and every later
// position would be off. Such a break is reported where the editor
// shows it.
func TestHiddenLineBreak(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		want      string
	}{
		{"lone carriage return", "system:\n  hostname: web\r  timezone: UTC\n", 2, 16, "a carriage return without a newline"},
		{"old Mac line ends", "\r0", 1, 1, "a carriage return without a newline"},
		{"carriage return at the end", "system: \"web\r", 1, 13, "a carriage return without a newline"},
		{"line separator", "system:\n  hostname: x\n  timezone: UTC\u2028packages: [vim]\n", 3, 16, "U+2028"},
		{"next line", "arch: amd64\u0085", 1, 12, "U+0085"},
		{"paragraph separator in a value", "user:\n  full_name: \"A\u2029B\"\n", 2, 16, "U+2029"},
		{"UTF-16", string(utf16LE("system:\n  hostname: web\r  timezone: UTC\n")), 2, 16, "a carriage return without a newline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadProfileFile("p.yaml", []byte(tt.in))
			ps, _ := err.(Problems)
			if len(ps) != 1 || ps[0].Line != tt.line || ps[0].Col != tt.col || !strings.Contains(ps[0].Message, tt.want) {
				t.Fatalf("LoadProfileFile(%q) = %v, want one problem at %d:%d saying %q", tt.in, err, tt.line, tt.col, tt.want)
			}
		})
	}
	// A CRLF file is fine.
	if _, ps := parseYAML("p.yaml", []byte("system:\r\n  hostname: web\r\n"), make(origin)); len(ps) != 0 {
		t.Errorf("CRLF file: %v", ps)
	}
}
