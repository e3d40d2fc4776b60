package remote

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var testEnv = LookupEnv{Home: "/home/peter", LocalUser: "peter"}

func TestSSHConfigLookup(t *testing.T) {
	f, err := os.Open("testdata/ssh_config")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := ParseSSHConfig(f, "testdata/ssh_config")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want HostSettings
	}{
		{"oldbox", HostSettings{HostName: "192.0.2.10", User: "peter", Port: 2222, IdentitiesOnly: true,
			IdentityFiles: []string{"/home/peter/.ssh/id_oldbox", "/home/peter/.ssh/id_ed25519"},
			Unsupported:   []string{"line 11: ProxyJump"}}},
		{"OLD", HostSettings{HostName: "192.0.2.10", User: "peter", Port: 2222, IdentitiesOnly: true,
			IdentityFiles: []string{"/home/peter/.ssh/id_oldbox", "/home/peter/.ssh/id_ed25519"},
			Unsupported:   []string{"line 11: ProxyJump"}}},
		{"nas.lan", HostSettings{User: "admin",
			IdentityFiles:       []string{"/home/peter/.ssh/lan key", "/home/peter/.ssh/id_ed25519"},
			UserKnownHostsFiles: []string{"/home/peter/.ssh/known_hosts.lan"}}},
		{"printer.lan", HostSettings{User: "fallback", IdentityFiles: []string{"/home/peter/.ssh/id_ed25519"}}},
		{"bastion-1", HostSettings{HostName: "bastion-1.example.org", User: "fallback", Port: 22,
			IdentityFiles: []string{"/home/peter/.ssh/id_ed25519"}}},
		{"bastion-12", HostSettings{User: "fallback", IdentityFiles: []string{"/home/peter/.ssh/id_ed25519"}}},
		{"foo", HostSettings{User: "fallback", IdentityFiles: []string{"/home/peter/.ssh/id_ed25519"}}},
	}
	for _, tt := range tests {
		if got := cfg.Lookup(tt.host, testEnv); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lookup(%q) = %+v, want %+v", tt.host, got, tt.want)
		}
	}
	wantIgnored := []string{
		"testdata/ssh_config:3: Include is not supported; ~/.ssh/config.d/* not read",
		"testdata/ssh_config:22: Match blocks are not supported; their options are ignored",
	}
	if !reflect.DeepEqual(cfg.Ignored, wantIgnored) {
		t.Errorf("Ignored = %q, want %q", cfg.Ignored, wantIgnored)
	}
}

func TestSSHConfigGlobalBeforeHost(t *testing.T) {
	cfg, err := ParseSSHConfig(strings.NewReader("User early\nHost x\n User late\n"), "c")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Lookup("x", testEnv).User; got != "early" {
		t.Errorf("User for x = %q, want early (options before any Host apply to all, first wins)", got)
	}
}

func TestSplitConfigLine(t *testing.T) {
	tests := []struct {
		line string
		key  string
		args []string
		err  string
	}{
		{"", "", nil, ""},
		{"   # comment", "", nil, ""},
		{"HostName example.org", "hostname", []string{"example.org"}, ""},
		{"  User\tpeter  ", "user", []string{"peter"}, ""},
		{"Port=22", "port", []string{"22"}, ""},
		{"Port = 22", "port", []string{"22"}, ""},
		{"Port =22", "port", []string{"22"}, ""},
		{"IdentityFile \"~/my key\"", "identityfile", []string{"~/my key"}, ""},
		{"IdentityFile '~/my key'", "identityfile", []string{"~/my key"}, ""},
		{"Host a b !c # the rest is a comment", "host", []string{"a", "b", "!c"}, ""},
		{"Host a#b", "host", []string{"a#b"}, ""},
		{"User \"x", "", nil, "6: user: unterminated \" quote"},
		{"User \"\"", "user", []string{""}, ""},
		{"Host\r", "host", nil, ""},
		// Backslash escapes, as ssh's argv_split reads them: \\, \", \'
		// anywhere, \<blank> outside quotes; any other backslash stays.
		{`IdentityFile ~/.ssh/my\ key`, "identityfile", []string{"~/.ssh/my key"}, ""},
		{`IdentityFile "C:\\keys\\id \"x\""`, "identityfile", []string{`C:\keys\id "x"`}, ""},
		{`User it\'s`, "user", []string{"it's"}, ""},
		{`IdentityFile ~/.ssh/id\_x "a\ b"`, "identityfile", []string{`~/.ssh/id\_x`, `a\ b`}, ""},
		{`HostName a"b c"d'e f'`, "hostname", []string{"ab cde f"}, ""},
		{`User "x\"`, "", nil, "6: user: unterminated \" quote"},
	}
	for _, tt := range tests {
		key, args, err := splitConfigLine(tt.line)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if key != tt.key || !reflect.DeepEqual(args, tt.args) || gotErr != tt.err {
			t.Errorf("splitConfigLine(%q) = %q, %q, %q; want %q, %q, %q", tt.line, key, args, gotErr, tt.key, tt.args, tt.err)
		}
	}
}

func TestParseSSHConfigErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Host\n", "c:1: Host: expected at least one pattern, found none"},
		{"Host x\n  Port 0\n", `c:2: keyword Port: expected a port number 1-65535, found "0"`},
		{"Port http\n", `c:1: keyword Port: expected a port number 1-65535, found "http"`},
		{"IdentitiesOnly maybe\n", `c:1: keyword IdentitiesOnly: expected yes or no, found "maybe"`},
		{"HostName a b\n", "c:1: keyword hostname: expected one value, found 2"},
		{"\n\nUser 'x\n", "c:3:6: user: unterminated ' quote"},
	}
	for _, tt := range tests {
		_, err := ParseSSHConfig(strings.NewReader(tt.in), "c")
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseSSHConfig(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

func TestMatchHost(t *testing.T) {
	tests := []struct {
		patterns []string
		host     string
		want     bool
	}{
		{[]string{"*"}, "anything", true},
		{[]string{"web?"}, "web1", true},
		{[]string{"web?"}, "web10", false},
		{[]string{"*.lan", "!nas.lan"}, "nas.lan", false},
		{[]string{"!nas.lan", "*.lan"}, "nas.lan", false},
		{[]string{"!nas.lan"}, "other", false}, // a negation alone matches nothing
		{[]string{"a*b*c"}, "aXXbYYc", true},
		{[]string{"a*b*c"}, "aXXbYY", false},
		{[]string{"Web1"}, "WEB1", true},
		{[]string{"*a*a*a*a*a*a*b"}, strings.Repeat("a", 200), false},
	}
	for _, tt := range tests {
		if got := matchHost(tt.patterns, tt.host); got != tt.want {
			t.Errorf("matchHost(%q, %q) = %v, want %v", tt.patterns, tt.host, got, tt.want)
		}
	}
}

func TestExpandTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{"~/.ssh/id_%h", "/home/peter/.ssh/id_box"},
		{"%d/keys/%u-%r", "/home/peter/keys/peter-root"},
		{"100%%", "100%"},
		{"%x%", "%x%"},
		{"~", "/home/peter"},
		{"~other/x", "~other/x"},
	}
	for _, tt := range tests {
		if got := expandPath(tt.in, "box", "root", testEnv); got != tt.want {
			t.Errorf("expandPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseSSHConfig(f *testing.F) {
	seed, err := os.ReadFile("testdata/ssh_config")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed), "oldbox")
	f.Add("Host a*b?\n HostName %h.%%\nPort=1\n", "axb1")
	f.Add("Host x\n IdentityFile \"a\n", "x")
	f.Add("Host X !y\nPort 0\n", "X")
	f.Fuzz(func(t *testing.T, text, host string) {
		cfg, err := ParseSSHConfig(strings.NewReader(text), "fuzz")
		if err != nil {
			if cfg != nil {
				t.Errorf("ParseSSHConfig returned a config and the error %v", err)
			}
			if strings.HasPrefix(err.Error(), "read fuzz") {
				return
			}
			// fuzz:LINE: or fuzz:LINE:COLUMN:, within the input.
			m := sshErrRE.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("error %q does not name the file and line", err)
			}
			lines := strings.Split(text, "\n")
			n, _ := strconv.Atoi(m[1])
			if n < 1 || n > len(lines) {
				t.Fatalf("error %q names line %d of %d", err, n, len(lines))
			}
			if m[2] != "" {
				if c, _ := strconv.Atoi(m[2]); c < 1 || c > len(lines[n-1]) {
					t.Fatalf("error %q names column %d of a %d-byte line", err, c, len(lines[n-1]))
				}
			}
			return
		}
		s := cfg.Lookup(host, testEnv)
		if s.Port < 0 || s.Port > 65535 {
			t.Errorf("Lookup(%q).Port = %d", host, s.Port)
		}
		if again := cfg.Lookup(host, testEnv); !reflect.DeepEqual(again, s) {
			t.Errorf("Lookup(%q) is not deterministic: %+v, %+v", host, s, again)
		}
		// ssh matches Host patterns without regard to (ASCII) case.
		b := []byte(host)
		for i, c := range b {
			if c >= 'a' && c <= 'z' {
				b[i] = c - 'a' + 'A'
			}
		}
		upper := string(b)
		up := cfg.Lookup(upper, testEnv)
		if up.Port != s.Port || up.User != s.User || up.IdentitiesOnly != s.IdentitiesOnly || !slices.Equal(up.Unsupported, s.Unsupported) || len(up.IdentityFiles) != len(s.IdentityFiles) {
			t.Errorf("Lookup(%q) = %+v, but for %q %+v", host, s, upper, up)
		}
	})
}

var sshErrRE = regexp.MustCompile(`^fuzz:([0-9]+):(?:([0-9]+):)? `)

// %r is the user ssh logs in as: the one given with the target (or
// --user) over ssh_config's User, and the local user when neither names
// one, never empty.
func TestLookupRemoteUserToken(t *testing.T) {
	cfg, err := ParseSSHConfig(strings.NewReader("Host box\n IdentityFile ~/.ssh/%r@%h\nHost cfguser\n User admin\n IdentityFile ~/.ssh/%r@%h\n"), "c")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host, given, want string
	}{
		{"box", "", "/home/peter/.ssh/peter@box"},
		{"box", "alice", "/home/peter/.ssh/alice@box"},
		{"cfguser", "", "/home/peter/.ssh/admin@cfguser"},
		{"cfguser", "alice", "/home/peter/.ssh/alice@cfguser"},
	}
	for _, tt := range tests {
		env := testEnv
		env.RemoteUser = tt.given
		if got := cfg.Lookup(tt.host, env).IdentityFiles; len(got) != 1 || got[0] != tt.want {
			t.Errorf("Lookup(%s) with user %q: IdentityFiles = %q, want %q", tt.host, tt.given, got, tt.want)
		}
	}
}

// %h is the host ssh connects to in lower case, as ssh lowercases it
// after applying HostName: the key file it names is the one ssh uses.
func TestLookupHostTokenLowercase(t *testing.T) {
	cfg, err := ParseSSHConfig(strings.NewReader("Host box\n HostName OldBox.Example.ORG\n IdentityFile ~/.ssh/id_%h\n UserKnownHostsFile ~/.ssh/known_%h\nHost *\n IdentityFile ~/.ssh/all_%h\n"), "c")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host        string
		ids         []string
		knownHosts  []string
		hostNameGot string
	}{
		{"box", []string{"/home/peter/.ssh/id_oldbox.example.org", "/home/peter/.ssh/all_oldbox.example.org"}, []string{"/home/peter/.ssh/known_oldbox.example.org"}, "OldBox.Example.ORG"},
		{"BOX", []string{"/home/peter/.ssh/id_oldbox.example.org", "/home/peter/.ssh/all_oldbox.example.org"}, []string{"/home/peter/.ssh/known_oldbox.example.org"}, "OldBox.Example.ORG"},
		{"NewBox", []string{"/home/peter/.ssh/all_newbox"}, nil, ""},
	}
	for _, tt := range tests {
		s := cfg.Lookup(tt.host, testEnv)
		if !slices.Equal(s.IdentityFiles, tt.ids) || !slices.Equal(s.UserKnownHostsFiles, tt.knownHosts) || s.HostName != tt.hostNameGot {
			t.Errorf("Lookup(%s) = %+v, want IdentityFiles %q, UserKnownHostsFiles %q, HostName %q", tt.host, s, tt.ids, tt.knownHosts, tt.hostNameGot)
		}
	}
}
