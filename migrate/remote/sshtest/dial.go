package sshtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fugu/migrate/remote"
)

// Config is a remote.Config that reaches the server and nothing else:
// a known_hosts file trusting it, its client key, no ssh_config and no
// agent, so a developer's own SSH setup cannot change the outcome.
func (s *Server) Config(t testing.TB) remote.Config {
	t.Helper()
	return remote.Config{
		KnownHostsFile: s.WriteKnownHosts(t),
		IdentityFiles:  []string{s.ClientKey.Path},
		SSHConfigFile:  "none",
		NoAgent:        true,
		Timeout:        10 * time.Second,
	}
}

// Dial connects to the server with s.Config and closes the host when
// the test ends.
func (s *Server) Dial(t testing.TB) *remote.SSHHost {
	t.Helper()
	return s.DialConfig(t, s.Config(t))
}

// DialConfig connects with cfg and closes the host when the test ends.
func (s *Server) DialConfig(t testing.TB, cfg remote.Config) *remote.SSHHost {
	t.Helper()
	h, err := remote.Dial(context.Background(), s.Target(), cfg)
	if err != nil {
		t.Fatalf("dial %s: %v", s.Target(), err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// WriteStubDoas writes an executable doas into dir for tests that run
// commands AsRoot as an ordinary user. Like OpenBSD's doas it takes
// -n, -s and -u USER before the command; unlike it, it checks no
// doas.conf and runs the command as the calling user. Each command line
// is appended to dir/doas.log, which is returned, so tests can check
// what ran as root.
func WriteStubDoas(t testing.TB, dir string) string {
	t.Helper()
	log := filepath.Join(dir, "doas.log")
	script := `#!/bin/sh
# Stub doas(1) for tests; see sshtest.WriteStubDoas.
while [ $# -gt 0 ]; do
	case $1 in
	-n|-s) shift ;;
	-u) shift 2 ;;
	--) shift; break ;;
	-*) echo "doas: stub does not support $1" >&2; exit 1 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: doas [-n] [-u user] command [arg ...]" >&2; exit 1; }
printf '%s\n' "$*" >>` + remote.Quote(log) + `
exec "$@"
`
	if err := os.WriteFile(filepath.Join(dir, "doas"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return log
}
