package sshtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/knownhosts"
)

// SSHDPath is the OpenSSH server the integration tests start.
const SSHDPath = "/usr/sbin/sshd"

// Options configure StartSSHD.
type Options struct {
	// PathPrepend directories come first on the PATH of every session
	// (set with sshd_config SetEnv, OpenSSH 8.7+), so stub pkg_info,
	// pkg_add, doas or pfctl scripts there shadow the real ones.
	PathPrepend []string
	// ExtraConfig lines are appended to sshd_config.
	ExtraConfig []string
	// LoginShell, a program name such as tcsh or fish, stands in for the
	// user's login shell: a ForceCommand wrapper hands each command to
	// `LoginShell -c` as sshd hands it to a login shell, and the SFTP
	// subsystem to sftp-server. The test is skipped without the shell
	// (failed under CI).
	LoginShell string
}

// Server is a running sshd on 127.0.0.1 that accepts the current user
// with ClientKey. It is stopped by t.Cleanup.
type Server struct {
	Addr string // 127.0.0.1:port
	Host string // 127.0.0.1
	Port int
	User string // the current user, who is the only one sshd can log in
	Dir  string // temporary directory with the config, keys and log
	// Home is the HOME of sessions, an empty directory under Dir: the
	// shell then reads no ~/.bashrc or ~/.profile of the real user, which
	// could be slow or put other directories before PathPrepend. SFTP
	// relative paths still start in the user's real home.
	Home      string
	HostKey   *Key // the server's host key
	ClientKey *Key // an unencrypted client key in authorized_keys
	// AuthorizedKeys is the authorized_keys file; append to it to allow
	// more keys (sshd reads it at each login).
	AuthorizedKeys string

	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
}

// StartSSHD starts /usr/sbin/sshd -D on a free port of 127.0.0.1 with
// a generated host key, public key authentication only, and
// `Subsystem sftp internal-sftp`. Without sshd the test is skipped,
// unless CI=true, where it fails.
func StartSSHD(t testing.TB, opts Options) *Server {
	t.Helper()
	if _, err := os.Stat(SSHDPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v (install openssh-server)", SSHDPath, err)
		}
		t.Skipf("%s not found; install openssh-server to run this test", SSHDPath)
	}
	u := currentUser(t)
	if u.Uid == "0" {
		// sshd refuses to start as root without its privilege separation
		// directory, which Debian creates only when the service runs.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := newServer(t, u)
	if err := os.Mkdir(s.Home, 0o700); err != nil {
		t.Fatal(err)
	}
	if opts.LoginShell != "" {
		opts.ExtraConfig = append(slices.Clone(opts.ExtraConfig), "ForceCommand "+loginShellWrapper(t, s.Dir, opts.LoginShell))
	}
	if err := os.WriteFile(s.AuthorizedKeys, []byte(s.ClientKey.AuthorizedKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	// Another process may take the port between choosing and binding it;
	// then sshd exits at once and we try another.
	var lastErr error
	for range 5 {
		port := freePort(t)
		if lastErr = s.start(t, port, opts); lastErr == nil {
			return s
		}
	}
	t.Fatalf("start sshd: %v", lastErr)
	return nil
}

func (s *Server) start(t testing.TB, port int, opts Options) error {
	t.Helper()
	s.Port = port
	s.Addr = net.JoinHostPort(s.Host, strconv.Itoa(port))
	conf := filepath.Join(s.Dir, "sshd_config")
	if err := os.WriteFile(conf, []byte(s.config(opts)), 0o600); err != nil {
		t.Fatal(err)
	}
	s.log = &syncBuffer{}
	s.done = make(chan struct{})
	s.cmd = exec.Command(SSHDPath, "-D", "-e", "-f", conf)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	// A connection's session process (in its own session, from setsid)
	// outlives a killed sshd and holds the log pipe while the client
	// keeps the connection: Wait must not wait for it.
	s.cmd.WaitDelay = time.Second
	if err := s.cmd.Start(); err != nil {
		return err
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	// Ready when sshd says it listens, not when a connection to the port
	// succeeds: if another program took the port, a dial reaches that
	// program while this sshd is still on its way to failing its bind.
	listening := fmt.Sprintf("Server listening on %s port %d.", s.Host, port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-s.done:
			return fmt.Errorf("sshd exited: %s", s.log.String())
		default:
		}
		if strings.Contains(s.log.String(), listening) {
			break
		}
		if time.Now().After(deadline) {
			s.stop()
			return fmt.Errorf("sshd did not listen on %s within 10s: %s", s.Addr, s.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("sshd log:\n%s", s.log.String())
		}
	})
	return nil
}

func (s *Server) config(opts Options) string {
	path := strings.Join(append(append([]string{}, opts.PathPrepend...), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"), ":")
	lines := []string{
		"Port " + strconv.Itoa(s.Port),
		"ListenAddress 127.0.0.1",
		"HostKey " + s.HostKey.Path,
		"PidFile " + filepath.Join(s.Dir, "sshd.pid"),
		"AuthorizedKeysFile " + s.AuthorizedKeys,
		"StrictModes no", // the temp dir's modes are not sshd's business
		"PermitRootLogin prohibit-password",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM no",
		"AllowTcpForwarding no",
		"X11Forwarding no",
		"PrintMotd no",
		"Subsystem sftp internal-sftp",
		"LogLevel VERBOSE",
		"SetEnv " + quoteSetEnv("PATH="+path) + " " + quoteSetEnv("HOME="+s.Home),
	}
	lines = append(lines, opts.ExtraConfig...)
	return strings.Join(lines, "\n") + "\n"
}

// loginShellWrapper writes the ForceCommand script of Options.LoginShell
// into dir and returns its path.
func loginShellWrapper(t testing.TB, dir, shell string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	sftpServer := ""
	for _, p := range []string{"/usr/lib/openssh/sftp-server", "/usr/libexec/sftp-server", "/usr/lib/ssh/sftp-server"} {
		if _, err := os.Stat(p); err == nil {
			sftpServer = p
			break
		}
	}
	if err != nil || sftpServer == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s or sftp-server is missing under CI (.ci/deps installs them)", shell)
		}
		t.Skipf("needs %s and sftp-server", shell)
	}
	// With ForceCommand the subsystem's command (internal-sftp) comes in
	// SSH_ORIGINAL_COMMAND too; internal-sftp exists only inside sshd.
	script := "#!/bin/sh\ncase $SSH_ORIGINAL_COMMAND in\ninternal-sftp) exec " + sftpServer + " ;;\nesac\n" +
		"SHELL=" + path + "; export SHELL\nexec " + path + " -c \"$SSH_ORIGINAL_COMMAND\"\n"
	w := filepath.Join(dir, "login-"+shell)
	if err := os.WriteFile(w, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

// quoteSetEnv quotes an sshd_config argument that may contain blanks.
func quoteSetEnv(s string) string {
	if !strings.ContainsAny(s, " \t\"") {
		return s
	}
	return `"` + s + `"`
}

func (s *Server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
		<-s.done
	}
}

// Log returns what sshd logged so far.
func (s *Server) Log() string { return s.log.String() }

// Target is user@127.0.0.1:port, for remote.Dial.
func (s *Server) Target() string { return s.User + "@" + s.Addr }

// KnownHostsLine is the known_hosts line for the server's host key.
func (s *Server) KnownHostsLine() string {
	return knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, s.HostKey.Public)
}

// WriteKnownHosts writes a known_hosts file in a new temporary directory
// that trusts this server, and returns its path.
func (s *Server) WriteKnownHosts(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(p, []byte(s.KnownHostsLine()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func currentUser(t testing.TB) *user.User {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// newServer lays out what both kinds of test server have: a directory
// with a host key, a client key, the authorized_keys path and a HOME
// path, for user u on 127.0.0.1.
func newServer(t testing.TB, u *user.User) *Server {
	dir := t.TempDir()
	return &Server{
		Host:           "127.0.0.1",
		User:           u.Username,
		Dir:            dir,
		HostKey:        NewKey(t, dir, "ssh_host_ed25519_key", nil),
		ClientKey:      NewKey(t, dir, "id_ed25519", nil),
		AuthorizedKeys: filepath.Join(dir, "authorized_keys"),
		Home:           filepath.Join(dir, "home"),
	}
}
