package sshtest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

// Both servers put PathPrepend first on PATH and give sessions the empty
// Server.Home, so a stub shadows the real program.
func TestSessionEnvironment(t *testing.T) {
	bin := t.TempDir()
	stub := "#!/bin/sh\necho stub pkg_info \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "pkg_info"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	opts := sshtest.Options{PathPrepend: []string{bin}}
	for name, srv := range map[string]*sshtest.Server{
		"sshd":      sshtest.StartSSHD(t, opts),
		"inprocess": sshtest.StartInProcess(t, opts),
	} {
		h := srv.Dial(t)
		res, err := h.Run(context.Background(), remote.Command{Line: `pkg_info -mz; echo "$HOME"; echo "$PATH"`})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lines := strings.Split(string(res.Stdout), "\n")
		if len(lines) < 3 || lines[0] != "stub pkg_info -mz" || lines[1] != srv.Home || !strings.HasPrefix(lines[2], bin+":") {
			t.Errorf("%s: output %q, want the stub's line, HOME %s and PATH starting with %s", name, res.Stdout, srv.Home, bin)
		}
	}
}

func TestKnownHostsLine(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	want := "[127.0.0.1]:" + strings.TrimPrefix(srv.Addr, "127.0.0.1:") + " ssh-ed25519 "
	if got := srv.KnownHostsLine(); !strings.HasPrefix(got, want) {
		t.Errorf("KnownHostsLine() = %q, want prefix %q", got, want)
	}
}

// A test that ends with a connection still open (one that failed before
// closing its host) must not hang in the server's cleanup: the session
// process sshd forked keeps the log pipe open.
func TestStopWithOpenConnection(t *testing.T) {
	t.Run("left open", func(t *testing.T) {
		var h *remote.SSHHost
		// Cleanups run last first: this one after the server's.
		t.Cleanup(func() {
			if h != nil {
				h.Close()
			}
		})
		srv := sshtest.StartSSHD(t, sshtest.Options{})
		var err error
		if h, err = remote.Dial(context.Background(), srv.Target(), srv.Config(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Run(context.Background(), remote.Command{Line: "true"}); err != nil {
			t.Fatal(err)
		}
	})
}
