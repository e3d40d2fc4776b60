package packages

import (
	"slices"
	"strings"
	"testing"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		in      string
		stem    string
		version string
		flavors []string
		branch  string
		kind    Kind
		str     string // String(); "" means same as in
	}{
		// Full names (packages-specs(7), reference 1.1).
		{in: "vim-9.1.0707-no_x11", stem: "vim", version: "9.1.0707", flavors: []string{"no_x11"}, kind: Full},
		{in: "python-3.11.10p1", stem: "python", version: "3.11.10p1", kind: Full},
		{in: "postfix-3.9.0-sasl2", stem: "postfix", version: "3.9.0", flavors: []string{"sasl2"}, kind: Full},
		{in: "ja-kterm-6.2.0-xaw3d", stem: "ja-kterm", version: "6.2.0", flavors: []string{"xaw3d"}, kind: Full},
		{in: "screen-4.9.1v0", stem: "screen", version: "4.9.1v0", kind: Full},
		{in: "screen-2.9.8p0", stem: "screen", version: "2.9.8p0", kind: Full},
		{in: "foo-1.0p2v1", stem: "foo", version: "1.0p2v1", kind: Full},
		{in: "p5-Foo-Bar-1.02", stem: "p5-Foo-Bar", version: "1.02", kind: Full},
		{in: "py3-requests-2.32.3", stem: "py3-requests", version: "2.32.3", kind: Full},
		{in: "git-svn-2.46.1", stem: "git-svn", version: "2.46.1", kind: Full},
		{in: "openldap-client-2.6.8", stem: "openldap-client", version: "2.6.8", kind: Full},
		{in: "vim-9.1.0707-perl-gtk3-lua", stem: "vim", version: "9.1.0707", flavors: []string{"gtk3", "lua", "perl"}, kind: Full, str: "vim-9.1.0707-gtk3-lua-perl"},
		{in: "foo-1.0rc2", stem: "foo", version: "1.0rc2", kind: Full},
		{in: "foo-1.0beta-no_x11", stem: "foo", version: "1.0beta", flavors: []string{"no_x11"}, kind: Full},
		{in: "firefox-128.0.3.tgz", stem: "firefox", version: "128.0.3", kind: Full, str: "firefox-128.0.3"},
		// Fuzzy names (pkg_info -z).
		{in: "vim--no_x11", stem: "vim", flavors: []string{"no_x11"}, kind: Fuzzy},
		{in: "vim--gtk3-lua-perl-python3-ruby", stem: "vim", flavors: []string{"gtk3", "lua", "perl", "python3", "ruby"}, kind: Fuzzy},
		{in: "vim--ruby-gtk3", stem: "vim", flavors: []string{"gtk3", "ruby"}, kind: Fuzzy, str: "vim--gtk3-ruby"},
		{in: "firefox--", stem: "firefox", kind: Fuzzy},
		{in: "git--", stem: "git", kind: Fuzzy},
		{in: "python--%3.12", stem: "python", branch: "3.12", kind: Fuzzy},
		{in: "python--%3.11", stem: "python", branch: "3.11", kind: Fuzzy},
		{in: "postfix--sasl2%stable", stem: "postfix", flavors: []string{"sasl2"}, branch: "stable", kind: Fuzzy},
		{in: "p5-Foo-Bar--", stem: "p5-Foo-Bar", kind: Fuzzy},
		// Bare stems.
		{in: "vim", stem: "vim", kind: Bare},
		{in: "python%3.11", stem: "python", branch: "3.11", kind: Bare},
		{in: "postfix%stable", stem: "postfix", branch: "stable", kind: Bare},
		{in: "ja-kterm", stem: "ja-kterm", kind: Bare},
		{in: "gtk+3", stem: "gtk+3", kind: Bare},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := ParseName(tt.in)
			if err != nil {
				t.Fatalf("ParseName(%q) error: %v", tt.in, err)
			}
			want := tt.flavors
			if want == nil {
				want = []string{}
			}
			if n.Stem != tt.stem || n.Version != tt.version || !slices.Equal(n.Flavors, want) || n.Branch != tt.branch || n.Kind != tt.kind {
				t.Errorf("ParseName(%q) = %+v, want stem %q version %q flavors %q branch %q kind %s",
					tt.in, n, tt.stem, tt.version, want, tt.branch, tt.kind)
			}
			str := tt.str
			if str == "" {
				str = tt.in
			}
			if got := n.String(); got != str {
				t.Errorf("ParseName(%q).String() = %q, want %q", tt.in, got, str)
			}
			if err := n.Validate(); err != nil {
				t.Errorf("ParseName(%q).Validate() = %v", tt.in, err)
			}
		})
	}
}

func TestParseNameErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty"},
		{"vim no_x11", "blank"},
		{"vim\tx", "blank"},
		{"# vim", "blank"},
		{"#vim", "no comments"},
		{"vim--no_x11-", "empty flavor"},
		{"vim--no_x11--lua", "empty flavor"},
		{"foo-1.0-2x", "must not start with a digit"},
		{"python--%", "empty branch"},
		{"--no_x11", "empty stem"},
		{"-1.0", "empty stem"},
		{"foo-1.0--bar", "contains a version"},
		{"aalib-*-!no_x11", "patterns"},
		{"foo->=1.3", "patterns"},
		{"foo-*|bar-*", "patterns"},
		{"vim;reboot", "shell"},
		{"http://x/vim.tgz", "URL"},
		{"/tmp/vim.tgz", "path"},
		{"python%3-11", "must not contain"},
		// An invisible character would reach pkg_add and never match.
		{"\ufeffvim--no_x11", "U+FEFF at column 1"},
		{"vim\u200b--no_x11", "U+200B at column 4"},
		{"vím--", "U+00ED at column 2"},
	}
	for _, tt := range tests {
		_, err := ParseName(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseName(%q) error = %v, want it to mention %q", tt.in, err, tt.want)
		}
	}
}

func TestFuzzyForm(t *testing.T) {
	for in, want := range map[string]string{
		"vim-9.1.0707-no_x11": "vim--no_x11",
		"firefox-128.0.3":     "firefox--",
		"vim--no_x11":         "vim--no_x11",
		"vim":                 "vim",
		"python%3.11":         "python%3.11",
	} {
		n, err := ParseName(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Fuzzy().String(); got != want {
			t.Errorf("ParseName(%q).Fuzzy() = %q, want %q", in, got, want)
		}
	}
}

func TestValidateRejectsBuiltNames(t *testing.T) {
	for _, n := range []Name{
		{Stem: "vim x", Kind: Bare},
		{Stem: "vim", Flavors: []string{"a b"}, Kind: Fuzzy},
		{Stem: "vim", Version: "", Kind: Full},
		{Stem: "vim", Flavors: []string{"x"}, Kind: Bare}, // a bare name cannot carry flavors
		{Stem: "", Kind: Bare},
	} {
		if err := n.Validate(); err == nil {
			t.Errorf("%+v.Validate() = nil, want an error", n)
		}
	}
}
