package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote/sshtest"
)

// TestFirewallApplyConfirmCLI runs fugu firewall apply and confirm
// against a real sshd whose PATH starts with a stub pfctl (and a stub
// doas), with --root pointing the host paths into a temporary directory.
func TestFirewallApplyConfirmCLI(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	stubs := t.TempDir()
	pflog := filepath.Join(stubs, "pfctl.log")
	stub := "#!/bin/sh\necho \"pfctl $*\" >> " + pflog + "\n"
	if err := os.WriteFile(filepath.Join(stubs, "pfctl"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	sshtest.WriteStubDoas(t, stubs)
	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{stubs}})
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/pf.conf"), []byte("pass\n"), 0o600)
	ssh := []string{"--host", srv.Target(), "--known-hosts", srv.WriteKnownHosts(t), "-i", srv.ClientKey.Path, "-F", "none", "--root", root}

	run := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := Execute(context.Background(), args, &Streams{In: strings.NewReader(""), Out: &out, Err: &out})
		return code, out.String()
	}
	code, out := run(append([]string{"firewall", "apply", "--machine", "mx1", "--timer", "60s", "--no-setup"}, ssh...)...)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "run 'fugu firewall confirm --host") {
		t.Errorf("apply output lacks the confirm hint:\n%s", out)
	}
	// assert that: the new ruleset waits as the pending file, and
	// /etc/pf.conf, what a reboot loads, becomes it only on confirm
	pending, _ := os.ReadFile(filepath.Join(root, "etc/pf.conf.fugu-pending"))
	if !strings.Contains(string(pending), "divert-to 127.0.0.1 port spamd") {
		t.Fatalf("pending ruleset not installed:\n%s", pending)
	}
	if pf, _ := os.ReadFile(filepath.Join(root, "etc/pf.conf")); string(pf) != "pass\n" {
		t.Fatalf("pf.conf changed before confirm:\n%s", pf)
	}
	code, out = run(append([]string{"firewall", "confirm"}, ssh...)...)
	if code != 0 {
		t.Fatalf("confirm: exit %d\n%s", code, out)
	}
	if pf, _ := os.ReadFile(filepath.Join(root, "etc/pf.conf")); !strings.Contains(string(pf), "divert-to 127.0.0.1 port spamd") {
		t.Fatalf("pf.conf not installed by confirm:\n%s", pf)
	}
	if _, err := os.Stat(filepath.Join(root, "var/db/fugu/pf.pending")); !os.IsNotExist(err) {
		t.Errorf("pending marker after confirm: %v", err)
	}
	code, out = run(append([]string{"firewall", "confirm"}, ssh...)...)
	if code != 1 || !strings.Contains(out, "no load awaits confirmation") {
		t.Errorf("second confirm: exit %d\n%s", code, out)
	}
	log, _ := os.ReadFile(pflog)
	if !strings.Contains(string(log), "pfctl -nf ") || !strings.Contains(string(log), "pfctl -f "+root+"/etc/pf.conf.fugu-pending") {
		t.Errorf("pfctl calls:\n%s", log)
	}
}

// TestFirewallApplyRejectedCLI: a ruleset the host's pfctl -nf refuses
// (an interface the host lacks) is invalid input: exit 2, pfctl's message
// printed once with the hint, and nothing installed or loaded.
func TestFirewallApplyRejectedCLI(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	stubs := t.TempDir()
	pflog := filepath.Join(stubs, "pfctl.log")
	stub := "#!/bin/sh\necho \"pfctl $*\" >> " + pflog + "\ncase \"$*\" in -nf*) echo 'pf.conf:5: no such interface em0' >&2; exit 1;; esac\n"
	if err := os.WriteFile(filepath.Join(stubs, "pfctl"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	sshtest.WriteStubDoas(t, stubs)
	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{stubs}})
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/pf.conf"), []byte("pass\n"), 0o600)
	var out bytes.Buffer
	code := Execute(context.Background(), []string{"firewall", "apply", "--machine", "mx1", "--no-setup",
		"--host", srv.Target(), "--known-hosts", srv.WriteKnownHosts(t), "-i", srv.ClientKey.Path, "-F", "none", "--root", root},
		&Streams{In: strings.NewReader(""), Out: &out, Err: &out})
	if code != 2 {
		t.Errorf("apply of a refused ruleset: exit %d, want 2\n%s", code, out.String())
	}
	if n := strings.Count(out.String(), "no such interface em0"); n != 1 {
		t.Errorf("pfctl's message printed %d times, want once:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "hint: fugu firewall check") {
		t.Errorf("no hint:\n%s", out.String())
	}
	log, _ := os.ReadFile(pflog)
	if strings.Contains(string(log), "pfctl -f ") {
		t.Errorf("a refused ruleset was loaded:\n%s", log)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/pf.conf.fugu-pending")); !os.IsNotExist(err) {
		t.Errorf("pending ruleset installed: %v", err)
	}
}
