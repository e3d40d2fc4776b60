package etcfiles

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func FuzzParseDoasConf(f *testing.F) {
	data, err := os.ReadFile("testdata/doas.conf")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range []string{"permit nopass persist x\n", "permit \"a\\\nb\n", "permit setenv { A } setenv {} x", "\x00#\\"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseDoasConf(bytes.NewReader(data))
		if c == nil {
			t.Fatal("nil config")
		}
		if err != nil {
			lines := bytes.Split(data, []byte("\n")) // once: a NUL a byte is an error each
			for _, e := range err.(Errors) {
				if e.Line < 1 || e.Line > len(lines) {
					t.Fatalf("error on line %d of a %d-line file: %v", e.Line, len(lines), e)
				}
				// A column is on its line, or just past its end.
				if l := lines[e.Line-1]; e.Col < 0 || e.Col > len(l)+1 {
					t.Fatalf("error at column %d of a %d-byte line: %v", e.Col, len(l), e)
				}
			}
		}
		red := RedactDoasConf(string(data))
		if strings.Count(red, "\n") != bytes.Count(data, []byte("\n")) || RedactDoasConf(red) != red {
			t.Fatalf("RedactDoasConf(%q) = %q: lines changed or not stable", data, red)
		}
		for _, r := range c.Rules {
			if r.Action != "permit" && r.Action != "deny" || r.Identity == "" && !bytes.Contains(data, []byte(`"`)) {
				t.Fatalf("bad rule %+v", r)
			}
		}
		// The redacted text, which plans show, reads as the same rules
		// with the secret values hidden, and with the same errors; a
		// word too long for doas may become short enough.
		if err != nil && strings.Contains(err.Error(), "too long line") {
			return
		}
		rc, rerr := ParseDoasConf(strings.NewReader(red))
		want := slices.Clone(c.Rules)
		for i := range want {
			want[i].Setenv = slices.Clone(want[i].Setenv)
			for j, e := range want[i].Setenv {
				want[i].Setenv[j] = redactAssignment(e)
			}
		}
		if !reflect.DeepEqual(rc.Rules, want) {
			t.Fatalf("RedactDoasConf(%q) = %q, which reads as\n%+v\nnot\n%+v", data, red, rc.Rules, want)
		}
		if errLines(rerr) != errLines(err) {
			t.Fatalf("RedactDoasConf(%q) = %q, errors on lines %s, not %s:\n%v", data, red, errLines(rerr), errLines(err), rerr)
		}
	})
}

// errLines lists the lines of a ParseDoasConf error.
func errLines(err error) string {
	var es Errors
	errors.As(err, &es)
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%d ", e.Line)
	}
	return b.String()
}

func FuzzParseHostnameIf(f *testing.F) {
	for _, file := range []string{"testdata/hostname.iwn0", "testdata/hostname.em0"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("!route add -inet6 default fe80::1%em0\n")
	f.Add("join net wpakey 'my secret key'\n!ifconfig $if wpakey hunter2222\nwgkey AAAABBBB= wgpeer X\npuk 12345678 87654321\nwpakey a\\\nbcdefgh\n")
	f.Add("join em0 wpakey em0 em0\ndescription em0 em0\ninet6 fe80::1%em0/64 \\\nem0 'em0' e\\\nm0\n# em0\nwpakey em0\\\n")
	f.Fuzz(func(t *testing.T, text string) {
		h, err := ParseHostnameIf(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		// A driver parameter is never a secret value: none survives
		// redaction of its line.
		for _, dp := range h.DriverParams() {
			if dp.Line < 1 || !strings.Contains(RedactHostnameIf(dp.Text), dp.Text) {
				t.Fatalf("DriverParams gave %+v", dp)
			}
		}
		red := RedactHostnameIf(text)
		// The value after a secret's keyword, as netstart reads it, is
		// gone (when it is nothing else in the file).
		redH, err := ParseHostnameIf(strings.NewReader(red))
		if err != nil {
			t.Fatal(err)
		}
		inWords := func(h *HostnameIf, v string) int {
			n := 0
			for _, l := range h.Lines {
				for _, w := range l.Words {
					if strings.Contains(w, v) {
						n++
					}
				}
			}
			return n
		}
		for _, l := range h.Lines {
			for i := 0; i < len(l.Words); i++ {
				w, n := l.Words[i], secretWords[l.Words[i]]
				for k := 1; k <= n && i+k < len(l.Words); k++ {
					v := l.Words[i+k]
					// Left means still in the text and still read as a
					// word (the same bytes elsewhere, as part of other
					// words, are not the value).
					if len(v) >= 4 && strings.Count(text, v) == 1 && inWords(h, v) == 1 && !strings.Contains(Redacted, v) && strings.Contains(red, v) && inWords(redH, v) > 0 {
						t.Fatalf("RedactHostnameIf(%q) = %q: the value %q of %s is left", text, red, v, w)
					}
				}
				i += n // the values are no key words (wpakey wpakey x)
			}
		}
		// Redaction and renaming keep the line structure.
		if strings.Count(red, "\n") != strings.Count(text, "\n") {
			t.Fatalf("RedactHostnameIf changed the number of lines")
		}
		renamed := RenameInterfaces(text, map[string]string{"em0": "igc0"})
		if strings.Count(renamed, "\n") != strings.Count(text, "\n") {
			t.Fatalf("RenameInterfaces changed the number of lines")
		}
		if !strings.Contains(text, "igc0") {
			checkRenamed(t, text, renamed, h)
		}
		if got := RenameInterfaces(text, nil); got != text {
			t.Fatalf("RenameInterfaces with no renames changed the text")
		}
		// Problems name physical lines (a continuation makes one logical
		// line of several).
		lines := strings.Count(text, "\n") + 1
		for _, p := range h.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem on line %d of %d", p.Line, lines)
			}
		}
		for _, m := range Mentions(text, map[string]bool{"em0": true}) {
			if m.Line < 1 || m.Line > lines || m.Name != "em0" {
				t.Fatalf("Mentions gave %+v in %d lines", m, lines)
			}
		}
	})
}

// checkRenamed checks that the hostname.if text renamed (em0 to igc0; text
// has no igc0) is the file migrate writes on the new machine, and means
// the same: netstart reads the same lines, of the same kinds, with the
// same words but for the interface name, and the same problems.
func checkRenamed(t *testing.T, text, renamed string, h *HostnameIf) {
	t.Helper()
	back := func(s string) string { return strings.ReplaceAll(s, "igc0", "em0") }
	r, err := ParseHostnameIf(strings.NewReader(renamed))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != len(h.Lines) {
		t.Fatalf("renamed %q to %q: %d lines, was %d", text, renamed, len(r.Lines), len(h.Lines))
	}
	for i, l := range r.Lines {
		o := h.Lines[i]
		if l.Line != o.Line || l.Kind != o.Kind || len(l.Words) != len(o.Words) {
			t.Fatalf("renamed %q to %q: line %d is %s %q, was line %d, %s %q", text, renamed, l.Line, l.Kind, l.Words, o.Line, o.Kind, o.Words)
		}
		for j, w := range l.Words {
			if back(w) != o.Words[j] {
				t.Fatalf("renamed %q to %q: word %q became %q", text, renamed, o.Words[j], w)
			}
		}
	}
	if len(r.Problems) != len(h.Problems) {
		t.Fatalf("renamed %q to %q: problems\n%v\nwere\n%v", text, renamed, r.Problems, h.Problems)
	}
	for i, p := range r.Problems {
		if p.Line != h.Problems[i].Line || back(p.Msg) != h.Problems[i].Msg {
			t.Fatalf("renamed %q to %q: problem %v was %v", text, renamed, p, h.Problems[i])
		}
	}
	// Each mention of em0 was renamed or is still there.
	before := len(Mentions(text, map[string]bool{"em0": true}))
	if after := len(Mentions(renamed, map[string]bool{"em0": true, "igc0": true})); after != before {
		t.Fatalf("renamed %q to %q: %d mentions of em0 or igc0, was %d of em0", text, renamed, after, before)
	}
}
