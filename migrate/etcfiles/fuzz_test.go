package etcfiles

import (
	"bytes"
	"os"
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
			for _, e := range err.(Errors) {
				if e.Line < 1 || e.Line > bytes.Count(data, []byte("\n"))+1 {
					t.Fatalf("error on line %d of a %d-line file: %v", e.Line, bytes.Count(data, []byte("\n"))+1, e)
				}
				// A column is on its line, or just past its end.
				if l := bytes.Split(data, []byte("\n"))[e.Line-1]; e.Col < 0 || e.Col > len(l)+1 {
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
	})
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
		// Redaction and renaming keep the line structure.
		if strings.Count(red, "\n") != strings.Count(text, "\n") {
			t.Fatalf("RedactHostnameIf changed the number of lines")
		}
		if got := RenameInterfaces(text, map[string]string{"em0": "igc0"}); strings.Count(got, "\n") != strings.Count(text, "\n") {
			t.Fatalf("RenameInterfaces changed the number of lines")
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
