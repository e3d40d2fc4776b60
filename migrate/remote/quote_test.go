package remote

import (
	"os/exec"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "''"},
		{"plain", "plain"},
		{"/etc/doas.conf", "/etc/doas.conf"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"'", `''\'''`},
		{"line1\nline2", "'line1\nline2'"},
		{"$(reboot)", "'$(reboot)'"},
		{"`id`", "'`id`'"},
		{"*.conf", "'*.conf'"},
		{"a;b", "'a;b'"},
		{"x=1", "'x=1'"},
		{"~root", "'~root'"},
		{"-n", "-n"},
		{"tab\there", "'tab\there'"},
		{`back\slash`, `'back\slash'`},
		{"ünïcode", "'ünïcode'"},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestQuoteRoundTrip checks with a real shell that a quoted word comes
// back byte for byte, which is the property every caller relies on.
func TestQuoteRoundTrip(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	words := []string{"", "'", "''", "a'b'c", "$(echo pwned)", "`id`", "a\nb", "\\", "\"", "*", "$HOME", "!", "-e", "x y\tz", "\x01ctl"}
	for _, w := range words {
		out, err := exec.Command(sh, "-c", "printf %s "+Quote(w)).Output()
		if err != nil {
			t.Fatalf("sh -c printf %s: %v", Quote(w), err)
		}
		if string(out) != w {
			t.Errorf("sh printed %q for Quote(%q) = %q", out, w, Quote(w))
		}
	}
}

// FuzzQuote checks that sh reads QuoteArgs(a, b) as exactly the two
// words a and b, whatever they hold: no word is lost (an empty one), split
// or joined, expanded or run.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "'", "$(x)", "a\nb", "plain", "a b", "-e", "~", "x=1", "*"} {
		f.Add(s, "")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		f.Skip("no sh")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a)+len(b) > 200 || strings.ContainsRune(a+b, 0) {
			return // no shell can pass NUL in an argument
		}
		script := "set -- " + QuoteArgs(a, b) + "; printf '%s|%s|%s' \"$#\" \"$1\" \"$2\""
		out, err := exec.Command(sh, "-c", script).Output()
		if err != nil {
			t.Fatalf("sh -c %q: %v", script, err)
		}
		if want := "2|" + a + "|" + b; string(out) != want {
			t.Errorf("sh read QuoteArgs(%q, %q) = %s as %q, want %q", a, b, QuoteArgs(a, b), out, want)
		}
		if q := Quote(a); q != a && (!strings.HasPrefix(q, "'") || !strings.HasSuffix(q, "'")) {
			t.Errorf("Quote(%q) = %s: neither plain nor single-quoted", a, q)
		}
	})
}
