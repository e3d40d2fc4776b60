package migratetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

// SSHMachine is a directory standing in for an OpenBSD machine's root,
// reached through a real OpenSSH sshd whose sessions find stub OpenBSD
// programs (pkg_info, pkg_add, doas, ... from a stubs directory such as
// migrate/testdata/stubs, described in its README) first on PATH.
type SSHMachine struct {
	Root   string // the machine's "/"
	Stubs  string // the installed stubs, and their logs
	Server *sshtest.Server
}

// StartSSHMachine lays out files (path on the machine -> content) under a
// fresh root, records pkgs as the manually installed packages, installs
// the stubs of stubDir with @ROOT@ and @STUBDIR@ replaced, and starts
// sshd. Everything is removed when the test ends.
func StartSSHMachine(t testing.TB, stubDir string, files map[string]string, pkgs []string) *SSHMachine {
	t.Helper()
	dir := t.TempDir()
	m := &SSHMachine{Root: filepath.Join(dir, "root"), Stubs: filepath.Join(dir, "stubs")}
	for _, d := range []string{m.Root, m.Stubs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stubFiles, err := filepath.Glob(filepath.Join(stubDir, "*"))
	if err != nil || len(stubFiles) == 0 {
		t.Fatalf("stubs in %s: %v %q", stubDir, err, stubFiles)
	}
	for _, f := range stubFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.NewReplacer("@ROOT@", remote.Quote(m.Root), "@STUBDIR@", remote.Quote(m.Stubs)).Replace(string(data))
		if err := os.WriteFile(filepath.Join(m.Stubs, filepath.Base(f)), []byte(s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for p, c := range files {
		m.Write(t, p, c)
	}
	m.Write(t, "/var/db/fugu-stub-packages", strings.Join(pkgs, "\n")+"\n")
	m.Server = sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{m.Stubs}})
	return m
}

// Write puts content at path p of the machine (mode 0644).
func (m *SSHMachine) Write(t testing.TB, p, content string) {
	t.Helper()
	full := filepath.Join(m.Root, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Read returns the content at path p of the machine.
func (m *SSHMachine) Read(t testing.TB, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(m.Root, p))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// StubLog returns what a stub recorded in its log file (empty if none).
func (m *SSHMachine) StubLog(name string) string {
	data, _ := os.ReadFile(filepath.Join(m.Stubs, name))
	return string(data)
}
