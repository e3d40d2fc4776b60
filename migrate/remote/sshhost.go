package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// SSHHost is a Host reached over SSH. Commands run in their own session;
// file access goes through one shared SFTP client on the same connection.
// It is safe for concurrent use, but OpenSSH allows 10 sessions per
// connection (sshd_config MaxSessions), the SFTP client being one of them:
// run at most 9 commands at once, or Dial more connections.
type SSHHost struct {
	name   string
	user   string
	client *ssh.Client
	cfg    Config

	mu   sync.Mutex
	sftp *sftp.Client

	// shellOnce finds the login shell once; anyShell says lines must go
	// through AnyShell (see loginshell.go).
	shellOnce sync.Once
	anyShell  bool

	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

var _ Host = (*SSHHost)(nil)

func newSSHHost(name, user string, c *ssh.Client, cfg Config) *SSHHost {
	h := &SSHHost{name: name, user: user, client: c, cfg: cfg, done: make(chan struct{})}
	interval, max := cfg.KeepAlive, cfg.KeepAliveMax
	if interval == 0 {
		interval = defaultKeepAlive
	}
	if max <= 0 {
		max = defaultKeepAliveMax
	}
	if interval > 0 {
		go h.keepAlive(interval, max)
	}
	return h
}

// Name is the target as given to Dial.
func (h *SSHHost) Name() string { return h.name }

// User is the login user.
func (h *SSHHost) User() string { return h.user }

// Client is the underlying SSH connection, for callers that open their
// own sessions or channels. Closing it closes the host.
func (h *SSHHost) Client() *ssh.Client { return h.client }

// Run runs cmd.Line in a new session: sshd hands the line to the login
// user's shell with -c (ksh on OpenBSD), so it has sh syntax. With AsRoot
// the line becomes `doas -n /bin/sh -c 'LINE'`, so that all of it,
// pipes and && included, runs as root; -n makes doas fail instead of
// prompting, so doas.conf must permit the user with nopass, or with
// persist and a recent authentication. When the login user is root the
// line runs directly unless Config.AlwaysDoas is set.
//
// cmd.Stdin must reach EOF (a bytes.Reader, a file): Run returns only
// once it has been copied. Output is kept in memory.
//
// When ctx is done the session gets SIGKILL and is closed, and ctx.Err()
// is returned with an empty Result. sshd refuses signals for root logins
// (they have no privilege separation child); the command then ends when it
// next writes to its closed output, or, if it never writes, runs on.
func (h *SSHHost) Run(ctx context.Context, cmd Command) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	line := h.CommandLine(rootLine(cmd, h.user == "root" && !h.cfg.AlwaysDoas, h.cfg.DoasPath))
	sess, err := h.client.NewSession()
	if err != nil {
		return Result{}, fmt.Errorf("run on %s: new session: %w", h.name, err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = cmd.Stdin, &stdout, &stderr
	if err := sess.Start(line); err != nil {
		return Result{}, fmt.Errorf("run on %s: %w", h.name, err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err = <-waited:
	case <-ctx.Done():
		_ = sess.Signal(ssh.SIGKILL) // OpenSSH 7.9+ delivers it; closing the session ends the rest
		sess.Close()
		// The output buffers may still be written to until Wait returns,
		// so they are not returned.
		return Result{}, ctx.Err()
	}
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exitErr *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
	case err == io.EOF:
		// x/crypto/ssh's Wait gives the exit status first: a bare EOF
		// means status 0, and that cmd.Stdin could not all be sent
		// because the command ended without reading it.
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitStatus()
	case errors.As(err, &missing):
		return res, fmt.Errorf("run on %s: command ended without an exit status (connection lost?)", h.name)
	default:
		return res, fmt.Errorf("run on %s: %w", h.name, err)
	}
	return res, nil
}

// CommandLine returns line (sh syntax) as the login shell of the user on
// the host must receive it to run it as sh would: unchanged for ksh, bash
// and the other Bourne shells, through AnyShell for csh, tcsh, fish, zsh
// and shells it does not know. The first call finds the login shell:
// Config.LoginShell, else the user's /etc/passwd entry read over SFTP
// (no shell starts for it), else a command that prints sshd's SHELL.
// When all fail, lines go through AnyShell, which every shell reads alike.
func (h *SSHHost) CommandLine(line string) string {
	h.shellOnce.Do(func() {
		h.anyShell = !isBourneShell(h.loginShell())
	})
	if h.anyShell {
		return AnyShell(line)
	}
	return line
}

// loginShell finds the login shell of the user, or "".
func (h *SSHHost) loginShell() string {
	if h.cfg.LoginShell != "" {
		return h.cfg.LoginShell
	}
	if c, err := h.SFTP(); err == nil {
		if f, err := c.Open("/etc/passwd"); err == nil {
			data, err := io.ReadAll(io.LimitReader(f, 16<<20))
			f.Close()
			if shell, ok := passwdShell(data, h.user); err == nil && ok {
				return shell
			}
		}
	}
	// Not in /etc/passwd (YP, LDAP): ask the shell itself.
	sess, err := h.client.NewSession()
	if err != nil {
		return ""
	}
	defer sess.Close()
	out, err := sess.Output(shellProbe)
	if err != nil {
		return ""
	}
	return parseShellProbe(out)
}

// rootLine returns the line to execute for cmd.
func rootLine(cmd Command, direct bool, doas string) string {
	if !cmd.AsRoot || direct {
		return cmd.Line
	}
	if doas == "" {
		doas = "doas"
	}
	return Quote(doas) + " -n /bin/sh -c " + Quote(cmd.Line)
}

// keepAlive sends keepalive@openssh.com requests and closes the
// connection when none was answered for max intervals. Any reply counts,
// as OpenSSH answers unknown global requests with a failure.
func (h *SSHHost) keepAlive(interval time.Duration, max int) {
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, last.Load())) > time.Duration(max)*interval {
			notef(h.cfg.Notice, "%s: no answer to %d keepalives, closing the connection\n", h.name, max)
			h.client.Close()
			return
		}
		go func() {
			if _, _, err := h.client.SendRequest("keepalive@openssh.com", true, nil); err == nil {
				last.Store(time.Now().UnixNano())
			}
		}()
	}
}

// Close closes the SFTP client and the connection.
func (h *SSHHost) Close() error {
	h.closeOnce.Do(func() {
		close(h.done)
		h.mu.Lock()
		if h.sftp != nil {
			h.sftp.Close()
		}
		h.mu.Unlock()
		h.closeErr = h.client.Close()
	})
	return h.closeErr
}
