package sshtest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// StartInProcess starts an SSH server inside the test process on a free
// port of 127.0.0.1: x/crypto/ssh with pkg/sftp's server for the sftp
// subsystem, and exec requests run with /bin/sh -c as the current user
// with opts.PathPrepend first on PATH and HOME set to Server.Home, as
// StartSSHD does (opts.ExtraConfig is ignored). It
// accepts the keys in AuthorizedKeys (ClientKey at first) and answers
// keepalives. Unlike sshd it kills a command's process group when its
// session is closed. It is stopped by t.Cleanup.
func StartInProcess(t testing.TB, opts Options) *Server {
	t.Helper()
	s := newServer(t, currentUser(t))
	s.log = &syncBuffer{}
	if err := os.Mkdir(s.Home, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.AuthorizedKeys, []byte(s.ClientKey.AuthorizedKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if meta.User() == s.User && s.authorized(key) {
				return &ssh.Permissions{}, nil
			}
			return nil, errors.New("key not authorized")
		},
	}
	cfg.AddHostKey(s.HostKey.Signer)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	s.Port = l.Addr().(*net.TCPAddr).Port
	path := strings.Join(append(append([]string{}, opts.PathPrepend...), os.Getenv("PATH")), ":")
	srv := &inProcess{cfg: cfg, env: []string{"PATH=" + path, "HOME=" + s.Home}, log: s.log}
	go srv.serve(l)
	t.Cleanup(func() {
		l.Close()
		srv.closeAll()
	})
	return s
}

// authorized reports whether key is in the AuthorizedKeys file.
func (s *Server) authorized(key ssh.PublicKey) bool {
	b, err := os.ReadFile(s.AuthorizedKeys)
	if err != nil {
		return false
	}
	for len(b) > 0 {
		k, _, _, rest, err := ssh.ParseAuthorizedKey(b)
		if err != nil {
			return false
		}
		if bytes.Equal(k.Marshal(), key.Marshal()) {
			return true
		}
		b = rest
	}
	return false
}

type inProcess struct {
	cfg *ssh.ServerConfig
	env []string
	log *syncBuffer

	mu    sync.Mutex
	conns []net.Conn
}

func (p *inProcess) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		go p.handleConn(c)
	}
}

func (p *inProcess) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func (p *inProcess) handleConn(c net.Conn) {
	conn, chans, reqs, err := ssh.NewServerConn(c, p.cfg)
	if err != nil {
		p.log.Write([]byte("handshake: " + err.Error() + "\n"))
		c.Close()
		return
	}
	defer conn.Close()
	go ssh.DiscardRequests(reqs) // keepalives get a "failure" reply, as from sshd
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, reqs, err := nc.Accept()
		if err != nil {
			continue
		}
		go p.session(ch, reqs)
	}
}

// session serves one session channel: env, exec, subsystem sftp, signal.
func (p *inProcess) session(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var cmd *exec.Cmd
	exited := make(chan uint32, 1)
	for {
		select {
		case status := <-exited:
			ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
			return
		case req, ok := <-reqs:
			if !ok {
				if cmd != nil && cmd.Process != nil {
					syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				}
				return
			}
			switch req.Type {
			case "env":
				req.Reply(true, nil)
			case "exec":
				var payload struct{ Command string }
				if cmd != nil || ssh.Unmarshal(req.Payload, &payload) != nil {
					req.Reply(false, nil)
					continue
				}
				cmd = p.start(ch, payload.Command, exited)
				req.Reply(cmd != nil, nil)
				if cmd == nil {
					return
				}
			case "subsystem":
				var payload struct{ Name string }
				if cmd != nil || ssh.Unmarshal(req.Payload, &payload) != nil || payload.Name != "sftp" {
					req.Reply(false, nil)
					continue
				}
				req.Reply(true, nil)
				go serveSFTP(ch, reqs)
				srv, err := sftp.NewServer(ch)
				if err != nil {
					return
				}
				if err := srv.Serve(); err != nil && !errors.Is(err, io.EOF) {
					p.log.Write([]byte("sftp: " + err.Error() + "\n"))
				}
				srv.Close()
				return
			case "signal":
				if cmd != nil && cmd.Process != nil {
					syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				}
				req.Reply(true, nil)
			default:
				req.Reply(false, nil)
			}
		}
	}
}

// serveSFTP answers requests that arrive while the sftp server owns the
// channel.
func serveSFTP(ch ssh.Channel, reqs <-chan *ssh.Request) {
	for req := range reqs {
		req.Reply(false, nil)
	}
}

// start runs line with /bin/sh -c, its output going to the channel, and
// sends its exit status to exited.
func (p *inProcess) start(ch ssh.Channel, line string, exited chan<- uint32) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = ch, ch.Stderr()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil
	}
	if err := cmd.Start(); err != nil {
		p.log.Write([]byte("exec: " + err.Error() + "\n"))
		return nil
	}
	go func() {
		io.Copy(stdin, ch)
		stdin.Close()
	}()
	go func() {
		err := cmd.Wait()
		var status uint32
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				status = 128 + uint32(ws.Signal())
			} else {
				status = uint32(ee.ExitCode())
			}
		} else if err != nil {
			status = 255
		}
		ch.CloseWrite()
		exited <- status
	}()
	return cmd
}
