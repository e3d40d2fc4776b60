package remote_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

// shellLines are sh command lines with what csh, fish and zsh read
// otherwise: newlines inside quotes, backslashes, !, $, %, quotes of
// both kinds, globs, a byte that is not ASCII, a perl program, an exit
// status and standard input.
var shellLines = []string{
	`echo plain`,
	"printf '%s|%d\\n' 'a\"b' 5; echo \"$HOME\" '!x' \"\\\\\" '\\\\' 'ü' \"`echo tick`\"",
	"cd / && exec perl -e 'print \"multi\\n\";\nprint qq(%s\\n); $_ = q(a\\\\b); print length, \"\\n\"'",
	"for w in one two; do\n\techo \"$w\"\ndone; echo * | wc -w | tr -d ' ' >/dev/null; exit 3",
	"read line; echo \"got $line\"",
	`x='it'\''s'; echo "$x" {a,b} ~`,
	// Longer than a word of csh may be (fugu's perl programs are).
	"echo '" + strings.Repeat(`a%b\"`, 1500) + "' | wc -c",
}

// runShell runs line with shell -c, HOME set, "input" on stdin.
func runShell(t *testing.T, shell, home, line string) (string, int) {
	t.Helper()
	cmd := exec.Command(shell, "-c", line)
	cmd.Env = append(os.Environ(), "HOME="+home)
	cmd.Stdin = strings.NewReader("input\n")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", shell, err)
	}
	return string(out), code
}

// TestAnyShell: every shell runs AnyShell(line) as sh runs line.
// bsd-csh is OpenBSD's csh as Debian packages it (its 1020-byte word
// limit included, from bin/csh/lex.c).
func TestAnyShell(t *testing.T) {
	home := t.TempDir()
	for _, shell := range []string{"sh", "bash", "mksh", "zsh", "bsd-csh", "tcsh", "fish"} {
		path, err := exec.LookPath(shell)
		if err != nil {
			if os.Getenv("CI") == "true" && shell != "zsh" {
				t.Errorf("%s is missing under CI (.ci/deps installs it)", shell)
			}
			continue
		}
		for i, line := range shellLines {
			wantOut, wantCode := runShell(t, "/bin/sh", home, line)
			w := remote.AnyShell(line)
			if strings.ContainsAny(w, "\n!") || strings.Contains(w, `\\`) {
				t.Errorf("AnyShell(%q) = %q: a newline, ! or \\\\ in it", line, w)
			}
			for _, word := range strings.Split(w, "'") {
				if len(word) >= 1000 {
					t.Errorf("AnyShell(line %d) has a word of %d bytes: OpenBSD's csh takes less than 1020", i, len(word))
				}
			}
			out, code := runShell(t, path, home, w)
			if out != wantOut || code != wantCode {
				t.Errorf("%s, line %d: %q exit %d, want %q exit %d", shell, i, out, code, wantOut, wantCode)
			}
		}
	}
}

// TestRunUnderOtherLoginShells runs the lines over SSH for users whose
// login shell is tcsh or fish (see sshtest.Options.LoginShell).
func TestRunUnderOtherLoginShells(t *testing.T) {
	for _, shell := range []string{"tcsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			srv := sshtest.StartSSHD(t, sshtest.Options{LoginShell: shell})
			path, _ := exec.LookPath(shell)
			cfg := srv.Config(t)
			cfg.LoginShell = path
			h := srv.DialConfig(t, cfg)
			for i, line := range shellLines {
				res, err := h.Run(context.Background(), remote.Command{Line: line, Stdin: strings.NewReader("input\n")})
				if err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command("/bin/sh", "-c", line)
				cmd.Env = append(os.Environ(), "HOME="+srv.Home)
				cmd.Stdin = strings.NewReader("input\n")
				var want bytes.Buffer
				cmd.Stdout = &want
				code := 0
				if err := cmd.Run(); err != nil {
					code = err.(*exec.ExitError).ExitCode()
				}
				if string(res.Stdout) != want.String() || res.ExitCode != code {
					t.Errorf("line %d: %q exit %d (stderr %q), want %q exit %d", i, res.Stdout, res.ExitCode, res.Stderr, want.String(), code)
				}
			}
		})
	}
}

// TestCommandLineFindsTheLoginShell: with no LoginShell given, the user's
// /etc/passwd entry decides; a Bourne shell gets lines unchanged.
func TestCommandLineFindsTheLoginShell(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	passwd, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Skip(err)
	}
	shell := ""
	for _, l := range strings.Split(string(passwd), "\n") {
		if f := strings.Split(l, ":"); len(f) == 7 && f[0] == srv.User {
			shell = f[6]
		}
	}
	h := srv.Dial(t)
	line := "echo 'a\nb'"
	got := h.CommandLine(line)
	switch shell {
	case "/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/ksh", "/bin/dash", "/usr/bin/zsh":
		if want := map[bool]string{true: remote.AnyShell(line), false: line}[strings.HasSuffix(shell, "zsh")]; got != want {
			t.Errorf("login shell %s: CommandLine = %q, want %q", shell, got, want)
		}
	default:
		t.Skipf("login shell %s", shell)
	}
}

// TestRunCommandThatIgnoresStdin: a command that exits without reading
// its input succeeds with its status; the unsent rest is no error.
func TestRunCommandThatIgnoresStdin(t *testing.T) {
	h := sshtest.StartSSHD(t, sshtest.Options{}).Dial(t)
	for _, tt := range []struct {
		line string
		code int
	}{{"true", 0}, {"exit 3", 3}} {
		res, err := h.Run(context.Background(), remote.Command{Line: tt.line, Stdin: bytes.NewReader(make([]byte, 8<<20))})
		if err != nil || res.ExitCode != tt.code {
			t.Errorf("%s with 8 MiB of unread input: exit %d, %v; want exit %d", tt.line, res.ExitCode, err, tt.code)
		}
	}
}
