package remote

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		want Target
		err  bool
	}{
		{"oldbox", Target{Host: "oldbox"}, false},
		{"peter@oldbox", Target{User: "peter", Host: "oldbox"}, false},
		{"peter@oldbox:2222", Target{User: "peter", Host: "oldbox", Port: 2222}, false},
		{"192.0.2.1:22", Target{Host: "192.0.2.1", Port: 22}, false},
		{"[2001:db8::1]:2222", Target{Host: "2001:db8::1", Port: 2222}, false},
		{"root@[2001:db8::1]", Target{User: "root", Host: "2001:db8::1"}, false},
		{"2001:db8::1", Target{Host: "2001:db8::1"}, false},
		{"a@b@host", Target{User: "a@b", Host: "host"}, false},
		{"", Target{}, true},
		{"@host", Target{}, true},
		{"host:", Target{}, true},
		{"host:0", Target{}, true},
		{"host:99999", Target{}, true},
		{"-oProxyCommand=x", Target{}, true},
		{"host name", Target{}, true},
		{"[::1", Target{}, true},
		{"[::1]x", Target{}, true},
		{"user@", Target{}, true},
		{"[fe80::1%em0]:22", Target{Host: "fe80::1%em0", Port: 22}, false},
		{"[fe80::1%em0]]", Target{}, true},
		{"[fe80::1%em 0]", Target{}, true},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.err)
		}
		if err == nil {
			if back, err := ParseTarget(got.String()); err != nil || back != got {
				t.Errorf("ParseTarget(%q.String() = %q) = %+v, %v", tt.in, got.String(), back, err)
			}
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"peter@oldbox:2222", "[2001:db8::1]:22", "2001:db8::1", "a@b@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTarget(s)
		if err != nil {
			return
		}
		if strings.HasPrefix(got.Host, "-") || got.Port < 0 || got.Port > 65535 {
			t.Fatalf("ParseTarget(%q) = %+v", s, got)
		}
		if back, err := ParseTarget(got.String()); err != nil || back != got {
			t.Errorf("ParseTarget(%q.String() = %q) = %+v, %v; want %+v", s, got.String(), back, err, got)
		}
	})
}

func TestCipherOrder(t *testing.T) {
	if got := cipherOrder(true)[0]; got != "aes128-gcm@openssh.com" {
		t.Errorf("first cipher with AES hardware = %s", got)
	}
	if got := cipherOrder(false)[0]; got != "chacha20-poly1305@openssh.com" {
		t.Errorf("first cipher without AES hardware = %s", got)
	}
	a, b := cipherOrder(true), cipherOrder(false)
	if len(a) != len(b) {
		t.Errorf("cipher lists differ in length: %v, %v", a, b)
	}
}

func TestRootLine(t *testing.T) {
	tests := []struct {
		cmd    Command
		direct bool
		doas   string
		want   string
	}{
		{Command{Line: "pkg_add -l list"}, false, "", "pkg_add -l list"},
		{Command{Line: "pkg_add -l list", AsRoot: true}, false, "", "doas -n /bin/sh -c 'pkg_add -l list'"},
		{Command{Line: "a && b 'c'", AsRoot: true}, false, "/usr/bin/doas", `/usr/bin/doas -n /bin/sh -c 'a && b '\''c'\'''`},
		{Command{Line: "id", AsRoot: true}, true, "", "id"},
	}
	for _, tt := range tests {
		if got := rootLine(tt.cmd, tt.direct, tt.doas); got != tt.want {
			t.Errorf("rootLine(%+v, %v, %q) = %q, want %q", tt.cmd, tt.direct, tt.doas, got, tt.want)
		}
	}
}

// TestNoInsecureHostKey checks that no code outside tests can skip host
// key verification.
func TestNoInsecureHostKey(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	var bad []string
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "InsecureIgnoreHostKey") {
			bad = append(bad, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(bad, []string(nil)) {
		t.Errorf("ssh.InsecureIgnoreHostKey used outside tests in %v", bad)
	}
}

func TestFileMode(t *testing.T) {
	tests := []struct{ in, want fs.FileMode }{
		{0o644, 0o644},
		{0o4755, fs.ModeSetuid | 0o755},
		{0o2750, fs.ModeSetgid | 0o750},
		{0o1777, fs.ModeSticky | 0o777},
		{fs.ModeSetgid | 0o640, fs.ModeSetgid | 0o640},
		{fs.ModeDir | 0o755, 0o755},
	}
	for _, tt := range tests {
		if got := fileMode(tt.in); got != tt.want {
			t.Errorf("fileMode(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTerminalPassphraseWithoutTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	_, err = TerminalPassphrase(r, io.Discard)("/home/peter/.ssh/id_ed25519")
	if err == nil || !strings.Contains(err.Error(), "ssh-add") {
		t.Errorf("passphrase without a terminal = %v, want advice to use ssh-add", err)
	}
}

// TestWriteAsRootScriptSyntax checks the generated script with mksh -n,
// the closest to OpenBSD's ksh available on Linux.
func TestWriteAsRootScriptSyntax(t *testing.T) {
	mksh, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mksh is required under CI")
		}
		t.Skip("mksh not installed")
	}
	for _, p := range []string{"/etc/doas.conf", "/etc/it's $(x)/a b\nc"} {
		script := writeAsRootScript(p, 10, 0o4755, "root", "wheel")
		cmd := exec.Command(mksh, "-n")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("mksh -n on the script for %q: %v\n%s\n%s", p, err, out, script)
		}
		if !strings.Contains(script, "chmod 4755 ") || !strings.Contains(script, "mv -f \"$t\" "+Quote(p)) {
			t.Errorf("script for %q:\n%s", p, script)
		}
	}
}
