package profiles

import "testing"

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
