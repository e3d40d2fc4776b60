package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote/sshtest"

	"golang.org/x/crypto/ssh"
)

// TestPkgListOverSSH runs fugu pkg list --host against a real OpenSSH
// sshd whose PATH starts with a stub pkg_info (it prints a fixed -mz
// list, like OpenBSD's), and checks host key handling end to end: an
// unknown key is refused with its fingerprint and a hint,
// --accept-new-host-key adds it, and a changed key is refused.
func TestPkgListOverSSH(t *testing.T) {
	stubs := t.TempDir()
	script := "#!/bin/sh\n# Stub pkg_info: -mz prints a fixed list.\n[ \"$1\" = -mz ] || exit 1\nprintf 'firefox--\\npostfix--sasl2%%stable\\nvim--no_x11\\n'\n"
	if err := os.WriteFile(filepath.Join(stubs, "pkg_info"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{stubs}})
	known := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(known, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
		base := []string{"pkg", "list", "--host", srv.Target(), "--known-hosts", known, "-i", srv.ClientKey.Path, "-F", "none"}
		code := Execute(context.Background(), append(base, args...), s)
		return code, out.String(), errb.String()
	}
	t.Setenv("SSH_AUTH_SOCK", "")

	code, out, errs := run()
	if code != 1 || out != "" || !strings.Contains(errs, "unknown host key") || !strings.Contains(errs, "SHA256:") || !strings.Contains(errs, "--accept-new-host-key") {
		t.Fatalf("unknown host: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = run("--accept-new-host-key")
	if code != 0 || out != "firefox--\npostfix--sasl2%stable\nvim--no_x11\n" {
		t.Fatalf("--accept-new-host-key: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// assert that: accepting is never silent: the added key's fingerprint
	// is on stderr.
	if fp := ssh.FingerprintSHA256(srv.HostKey.Public); !strings.Contains(errs, "added host key") || !strings.Contains(errs, fp) {
		t.Errorf("--accept-new-host-key said %q, want the added key and its fingerprint", errs)
	}
	if data, _ := os.ReadFile(known); !strings.Contains(string(data), strings.Fields(srv.HostKey.AuthorizedKey())[1]) {
		t.Errorf("known_hosts after accepting: %q", data)
	}
	code, out, _ = run("--json")
	if code != 0 || !strings.Contains(out, `"branch": "stable"`) {
		t.Errorf("--json over SSH: exit %d, %q", code, out)
	}

	// The host changes its key: refused even with --accept-new-host-key.
	other := sshtest.NewKey(t, t.TempDir(), "other", nil)
	line := strings.Replace(srv.KnownHostsLine(), strings.TrimSpace(srv.HostKey.AuthorizedKey()), strings.TrimSpace(other.AuthorizedKey()), 1)
	if err := os.WriteFile(known, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run("--accept-new-host-key")
	if code != 1 || out != "" || !strings.Contains(errs, "HOST KEY CHANGED") {
		t.Errorf("changed host key: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
