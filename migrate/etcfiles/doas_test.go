package etcfiles

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseDoasConfExample(t *testing.T) {
	f, err := os.Open("testdata/doas.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ParseDoasConf(f)
	if err != nil {
		t.Fatalf("ParseDoasConf: %v", err)
	}
	if len(c.Rules) != 6 {
		t.Fatalf("got %d rules, want 6: %+v", len(c.Rules), c.Rules)
	}
	r := c.Rules[1]
	if r.Line != 3 || r.Action != "permit" || !slices.Equal(r.Options, []string{"nopass"}) || r.Identity != "alice" || r.As != "root" || r.Cmd != "/sbin/reboot" || !r.HasArgs || len(r.Args) != 0 {
		t.Errorf("rule 2 = %+v", r)
	}
	if r := c.Rules[2]; !r.HasEnv || !slices.Equal(r.Setenv, []string{"-ENV", "PS1=$DOAS_PS1", "SSH_AUTH_SOCK"}) || r.Identity != ":wheel" {
		t.Errorf("rule 3 = %+v", r)
	}
	if r := c.Rules[3]; r.Cmd != "/usr/sbin/pkg_add" || r.HasArgs {
		t.Errorf("rule 4 = %+v", r)
	}
	if r := c.Rules[5]; r.Identity != "dave" || r.As != "root" || !slices.Equal(r.Args, []string{"", "with space"}) {
		t.Errorf("rule 6 = %+v", r)
	}
	users, groups := c.Identities()
	if !slices.Equal(users, []string{"alice", "bob", "carol", "dave", "root"}) || !slices.Equal(groups, []string{"wheel"}) {
		t.Errorf("Identities() = %q, %q", users, groups)
	}
}

func TestParseDoasConf(t *testing.T) {
	// Behaviour per the reference, section 2.1 (verified there against
	// doas's own parse.y).
	tests := []struct {
		name, in string
		rules    int
		errs     []string // "line N: message", in order
	}{
		{"empty", "", 0, nil},
		{"blank lines and comments", "\n# x\n\n", 0, nil},
		{"minimal", "permit :wheel\n", 1, nil},
		{"no final newline", "permit :wheel", 0, []string{"line 1, column 14: syntax error: the last line has no newline (doas needs one after every rule)"}},
		{"no final newline after a good rule", "permit a\npermit b", 1, []string{"line 2, column 9: syntax error: the last line has no newline (doas needs one after every rule)"}},
		{"comment without newline ends the file", "permit a # c", 0, []string{"line 1, column 13: syntax error: the last line has no newline (doas needs one after every rule)"}},
		{"nopass and persist", "permit nopass persist bob\n", 0, []string{"line 1, column 15: can't combine nopass and persist"}},
		{"persist then nopass", "permit persist nopass bob\n", 0, []string{"line 1, column 16: can't combine nopass and persist"}},
		{"two setenv", "permit setenv { A } setenv { B } bob\n", 0, []string{"line 1, column 21: can't have two setenv sections"}},
		{"setenv without braces", "permit setenv A bob\n", 0, []string{`line 1, column 15: syntax error: expected { after setenv, found "A"`}},
		{"setenv glued braces", "permit setenv{A}bob\n", 1, nil},
		{"empty setenv", "permit setenv {} bob\n", 1, nil},
		{"deny with options", "deny nopass bob\n", 0, []string{"line 1, column 6: syntax error: expected a user or :group after deny, found the keyword nopass (options go with permit only)"}},
		{"quoted keyword is not a keyword", "permit \"nopass\" bob\n", 0, []string{`line 1, column 17: syntax error: expected as, cmd or the end of the rule, found "bob"`}},
		{"an escape alone keeps a keyword", "permit \\nopass bob\n", 1, nil},
		{"old keepenv block", "permit keepenv { PATH } bob\n", 0, []string{"line 1, column 16: syntax error: expected a user or :group after permit, found {"}},
		{"no identity", "permit\n", 0, []string{"line 1, column 7: syntax error: expected a user or :group after permit, found the end of the line"}},
		{"as without target", "permit bob as\n", 0, []string{"line 1, column 14: syntax error: expected a user after as, found the end of the line"}},
		{"keyword as argument", "permit bob cmd ls args as\n", 0, []string{"line 1, column 24: syntax error: expected an argument or the end of the rule, found the keyword as"}},
		{"unterminated quotes", "permit \"bob\n", 1, []string{"line 1: unterminated quotes in column 8"}},
		{"unterminated escape", "permit bob\\", 0, []string{"line 1: unterminated escape in column 11", "line 1, column 12: syntax error: the last line has no newline (doas needs one after every rule)"}},
		{"NUL", "permit b\x00ob\n", 1, []string{"line 1: unallowed character NUL in column 9"}},
		{"errors on several lines, parsing goes on", "permit\npermit ok\ndeny nopass x\npermit y\n", 2, []string{"line 1, column 7: syntax error: expected a user or :group after permit, found the end of the line", "line 3, column 6: syntax error: expected a user or :group after deny, found the keyword nopass (options go with permit only)"}},
		{"continuation and indentation still break the keyword", "permit bob \\\n cmd ls\n", 0, []string{`line 2, column 2: syntax error: expected as, cmd or the end of the rule, found "cmd"`}},
		{"continuation before an argument", "permit bob cmd \\\n  ls\n", 1, nil},
		{"continuation before a keyword breaks it", "permit bob \\\ncmd ls\n", 0, []string{`line 2, column 1: syntax error: expected as, cmd or the end of the rule, found "cmd"`}},
		{"too long word", "permit " + strings.Repeat("a", 1100) + "\n", 1, []string{"line 1: too long line"}},
		{"word of 1023 bytes fits", "permit bob cmd " + strings.Repeat("a", 1023) + "\n", 1, nil},
		// The 1024th byte fills the buffer: doas starts the word again,
		// empty here, so cmd has no argument either.
		{"word of 1024 bytes is too long", "permit bob cmd " + strings.Repeat("a", 1024) + "\n", 0, []string{"line 1: too long line", "line 1, column 1040: syntax error: expected a command after cmd, found the end of the line"}},
		{"brace outside setenv", "permit { bob\n", 0, []string{"line 1, column 8: syntax error: expected a user or :group after permit, found {"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseDoasConf(strings.NewReader(tt.in))
			var got []string
			if err != nil {
				for _, e := range err.(Errors) {
					got = append(got, e.Error())
				}
			}
			if !slices.Equal(got, tt.errs) {
				t.Errorf("ParseDoasConf(%q) errors = %q, want %q", tt.in, got, tt.errs)
			}
			if len(c.Rules) != tt.rules {
				t.Errorf("ParseDoasConf(%q) = %d rules, want %d", tt.in, len(c.Rules), tt.rules)
			}
		})
	}
}

func TestParseDoasConfCommentInWord(t *testing.T) {
	c, err := ParseDoasConf(strings.NewReader("permit bob cmd ls args a#b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Rules[0].Args; !slices.Equal(got, []string{"a"}) {
		t.Errorf("args a#b = %q, want [a]: # starts a comment even inside a word", got)
	}
	c, err = ParseDoasConf(strings.NewReader("permit bob cmd ls args \"a#b\" c\\#d\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Rules[0].Args; !slices.Equal(got, []string{"a#b", "c#d"}) {
		t.Errorf("quoted and escaped # = %q", got)
	}
}

func TestParseDoasConfCRLF(t *testing.T) {
	c, err := ParseDoasConf(strings.NewReader("permit :wheel\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules[0].Identity != ":wheel\r" || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Error(), "line 1: carriage return") {
		t.Errorf("CRLF: rule %+v, warnings %v", c.Rules[0], c.Warnings)
	}
}

// TestParseDoasConfSaysWhere: a rejected rule names the line and column
// of the offending word, what the grammar expected there and what it
// found, so the admin can fix it without running doas -C.
func TestParseDoasConfSaysWhere(t *testing.T) {
	tests := []struct{ in, want string }{
		{"foo bar\n", `line 1, column 1: syntax error: expected permit or deny, found "foo"`},
		{"permit\n", "line 1, column 7: syntax error: expected a user or :group after permit, found the end of the line"},
		{"deny nopass bob\n", "line 1, column 6: syntax error: expected a user or :group after deny, found the keyword nopass (options go with permit only)"},
		{"permit \"nopass\" bob\n", `line 1, column 17: syntax error: expected as, cmd or the end of the rule, found "bob"`},
		{"permit bob as\n", "line 1, column 14: syntax error: expected a user after as, found the end of the line"},
		{"permit bob as root bob\n", `line 1, column 20: syntax error: expected cmd or the end of the rule, found "bob"`},
		{"permit bob cmd\n", "line 1, column 15: syntax error: expected a command after cmd, found the end of the line"},
		{"permit bob cmd ls foo\n", `line 1, column 19: syntax error: expected args or the end of the rule, found "foo"`},
		{"permit bob cmd ls args as\n", "line 1, column 24: syntax error: expected an argument or the end of the rule, found the keyword as"},
		{"permit :wheel", "line 1, column 14: syntax error: the last line has no newline (doas needs one after every rule)"},
		{"permit setenv A bob\n", `line 1, column 15: syntax error: expected { after setenv, found "A"`},
		{"permit setenv { A bob\n", "line 1, column 22: syntax error: expected } to close setenv, found the end of the line"},
		{"permit { bob\n", "line 1, column 8: syntax error: expected a user or :group after permit, found {"},
		{"permit nopass persist bob\n", "line 1, column 15: can't combine nopass and persist"},
		{"permit setenv { A } setenv {} bob\n", "line 1, column 21: can't have two setenv sections"},
		{"permit bob \\\ncmd ls\n", "line 2, column 1: syntax error: expected as, cmd or the end of the rule, found \"cmd\""},
	}
	for _, tt := range tests {
		_, err := ParseDoasConf(strings.NewReader(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseDoasConf(%q) = %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

// TestRedactDoasConf: a setenv block may set a secret for a command
// (setenv { PGPASSWORD=... }); printed plans show doas.conf's diff, so
// such values are redacted, and everything else is kept byte for byte.
func TestRedactDoasConf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"permit setenv { -ENV PS1=$DOAS_PS1 SSH_AUTH_SOCK } :wheel\n", "permit setenv { -ENV PS1=$DOAS_PS1 SSH_AUTH_SOCK } :wheel\n"},
		{"permit nopass setenv { PGPASSWORD=hunter2 LANG=C } backup as _postgresql\n", "permit nopass setenv { PGPASSWORD=<redacted> LANG=C } backup as _postgresql\n"},
		{"permit setenv{API_TOKEN=\"a b\"}bob # x\n", "permit setenv{API_TOKEN=<redacted>}bob # x\n"},
		{"permit setenv { RESTIC_PASSWORD=abc\\\ndef } bob\n", "permit setenv { RESTIC_PASSWORD=<redacted>\\\n } bob\n"},
		{"# setenv { PASSWORD=x }\npermit bob cmd env args PASSWORD=y\n", "# setenv { PASSWORD=x }\npermit bob cmd env args PASSWORD=y\n"},
		// What makes doas report an error stays, so that the redacted
		// text reads with the same errors: a quote left open, a NUL, a
		// backslash at the very end.
		{"permit setenv { \"API_TOKEN=a b } bob\n", "permit setenv { \"API_TOKEN=<redacted>\n"},
		{"permit setenv { API_TOKEN=a\x00b } bob\n", "permit setenv { API_TOKEN=<redacted>\x00 } bob\n"},
		{"permit setenv { API_TOKEN=ab\\", "permit setenv { API_TOKEN=<redacted>\\"},
		{"permit setenv { \"API_TOKEN\"=\"a\"b\"c\" } bob\n", "permit setenv { \"API_TOKEN\"=<redacted> } bob\n"},
		// A value too long for doas (which says "too long line") is
		// hidden all the same.
		{"permit setenv { PGPASSWORD=" + strings.Repeat("s3cr", 300) + " } bob\n", "permit setenv { PGPASSWORD=<redacted> } bob\n"},
	}
	for _, tt := range tests {
		if got := RedactDoasConf(tt.in); got != tt.want {
			t.Errorf("RedactDoasConf(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
	_, err := ParseDoasConf(strings.NewReader("permit setenv PGPASSWORD=hunter2 bob\n"))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error for a setenv without braces shows the value: %v", err)
	}
	_, err = ParseDoasConf(strings.NewReader("permit setenv PGPASSWORD=" + strings.Repeat("s3cr", 300) + " bob\n"))
	if err == nil || strings.Contains(err.Error(), "s3cr") {
		t.Errorf("error for a setenv without braces shows the long value: %v", err)
	}
}
