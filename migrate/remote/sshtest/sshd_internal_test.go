package sshtest

import (
	"net"
	"os"
	"testing"
)

// TestStartOnTakenPort: when another program listens on the port chosen
// for sshd (taken between freePort and sshd's bind), start must fail, so
// that StartSSHD tries another port, and not hand the test a server that
// is that other program.
func TestStartOnTakenPort(t *testing.T) {
	if _, err := os.Stat(SSHDPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v", SSHDPath, err)
		}
		t.Skipf("%s not found", SSHDPath)
	}
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	u := currentUser(t)
	if u.Uid == "0" {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := newServer(t, u)
	if err := s.start(t, other.Addr().(*net.TCPAddr).Port, Options{}); err == nil {
		t.Errorf("start on %s, where another program listens, succeeded", s.Addr)
	}
}
