package remote_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// startAgent serves an in-memory ssh-agent holding keys on a socket and
// points SSH_AUTH_SOCK at it.
func startAgent(t *testing.T, keys ...*sshtest.Key) {
	t.Helper()
	ring := agent.NewKeyring()
	for _, k := range keys {
		if err := ring.Add(agent.AddedKey{PrivateKey: k.PrivateKey()}); err != nil {
			t.Fatal(err)
		}
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); agent.ServeAgent(ring, c) }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
}

func TestDialWithAgent(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	startAgent(t, srv.ClientKey)
	t.Setenv("HOME", t.TempDir()) // no default key files to fall back on
	cfg := srv.Config(t)
	cfg.IdentityFiles = nil
	cfg.NoAgent = false
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial with the key only in the agent: %v", err)
	}
	h.Close()

	cfg.NoAgent = true
	if _, err := remote.Dial(context.Background(), srv.Target(), cfg); err == nil {
		t.Error("Dial with NoAgent and no key files succeeded")
	}
}

// With IdentitiesOnly the agent's other keys are not offered: the server
// here would accept the agent's key, but ssh_config says to use only the
// named file, which it does not accept.
func TestIdentitiesOnlySkipsOtherAgentKeys(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	startAgent(t, srv.ClientKey)
	home := t.TempDir()
	t.Setenv("HOME", home)
	other := sshtest.NewKey(t, home, "id_other", nil)
	conf := filepath.Join(home, "config")
	writeFile(t, conf, "Host box\n HostName 127.0.0.1\n Port "+strconv.Itoa(srv.Port)+"\n IdentityFile "+other.Path+"\n IdentitiesOnly yes\n")
	cfg := srv.Config(t)
	cfg.IdentityFiles = nil
	cfg.NoAgent = false
	cfg.SSHConfigFile = conf
	if _, err := remote.Dial(context.Background(), "box", cfg); err == nil {
		t.Error("Dial offered an agent key despite IdentitiesOnly")
	}
	writeFile(t, conf, "Host box\n HostName 127.0.0.1\n Port "+strconv.Itoa(srv.Port)+"\n IdentityFile "+other.Path+"\n")
	h, err := remote.Dial(context.Background(), "box", cfg)
	if err != nil {
		t.Fatalf("Dial without IdentitiesOnly (agent key allowed): %v", err)
	}
	h.Close()
}

// With IdentitiesOnly, an encrypted IdentityFile whose key the agent
// holds is used through the agent, as ssh does, even when no passphrase
// can be asked (no terminal): its .pub says which agent key it is.
func TestIdentitiesOnlyEncryptedKeyInAgent(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	home := t.TempDir()
	t.Setenv("HOME", home)
	enc := sshtest.NewKey(t, home, "id_enc", []byte("a passphrase"))
	startAgent(t, enc)
	f, err := os.OpenFile(srv.AuthorizedKeys, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(enc.AuthorizedKey()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	conf := filepath.Join(home, "config")
	writeFile(t, conf, "Host box\n HostName 127.0.0.1\n Port "+strconv.Itoa(srv.Port)+"\n IdentityFile "+enc.Path+"\n IdentitiesOnly yes\n")
	cfg := srv.Config(t)
	cfg.IdentityFiles, cfg.NoAgent, cfg.SSHConfigFile, cfg.Passphrase = nil, false, conf, nil
	cfg.Notice = io.Discard
	h, err := remote.Dial(context.Background(), "box", cfg)
	if err != nil {
		t.Fatalf("Dial with IdentitiesOnly and the encrypted key in the agent: %v", err)
	}
	h.Close()
}

// The agent's copy of a configured key is offered before its other keys,
// as ssh orders them: with more keys in the agent than the server's
// MaxAuthTries, the configured one must not come too late.
func TestAgentKeyOfIdentityFileFirst(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{ExtraConfig: []string{"MaxAuthTries 2"}})
	home := t.TempDir()
	t.Setenv("HOME", home)
	var keys []*sshtest.Key
	for _, n := range []string{"id_a", "id_b", "id_c"} {
		keys = append(keys, sshtest.NewKey(t, home, n, nil))
	}
	startAgent(t, append(keys, srv.ClientKey)...)
	cfg := srv.Config(t)
	cfg.NoAgent = false // IdentityFiles: the server's client key, last in the agent
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial with the identity file's key last of four in the agent: %v", err)
	}
	h.Close()
}

// With IdentitiesOnly and an IdentityFile that is missing, the agent's
// keys are not offered: the error says why there is no key, instead of
// claiming the agent had none.
func TestNoKeysErrorNamesIdentitiesOnly(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	startAgent(t, srv.ClientKey)
	home := t.TempDir()
	t.Setenv("HOME", home)
	conf := filepath.Join(home, "config")
	missing := filepath.Join(home, "id_gone")
	writeFile(t, conf, "Host box\n HostName 127.0.0.1\n Port "+strconv.Itoa(srv.Port)+"\n IdentityFile "+missing+"\n IdentitiesOnly yes\n")
	cfg := srv.Config(t)
	cfg.IdentityFiles, cfg.NoAgent, cfg.SSHConfigFile = nil, false, conf
	_, err := remote.Dial(context.Background(), "box", cfg)
	if err == nil || strings.Contains(err.Error(), "no agent keys") || !strings.Contains(err.Error(), "IdentitiesOnly") || !strings.Contains(err.Error(), missing) {
		t.Errorf("Dial = %v, want an error naming IdentitiesOnly and %s", err, missing)
	}
}

// refusingAgent holds keys but refuses every signature, as ssh-agent
// does for a key added with ssh-add -c whose use is not confirmed, or a
// FIDO key whose token is unplugged.
type refusingAgent struct{ agent.ExtendedAgent }

func (refusingAgent) Sign(ssh.PublicKey, []byte) (*ssh.Signature, error) {
	return nil, errors.New("agent refused operation")
}

func (refusingAgent) SignWithFlags(ssh.PublicKey, []byte, agent.SignatureFlags) (*ssh.Signature, error) {
	return nil, errors.New("agent refused operation")
}

// A key the agent refuses to sign with is skipped, as ssh skips it: the
// next key logs in. When no key is left, the error says which key could
// not sign and why.
func TestAgentThatRefusesToSign(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	home := t.TempDir()
	t.Setenv("HOME", home)
	ring := agent.NewKeyring()
	agentKey := sshtest.NewKey(t, home, "id_agent", nil)
	if err := ring.Add(agent.AddedKey{PrivateKey: agentKey.PrivateKey()}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); agent.ServeAgent(refusingAgent{ring.(agent.ExtendedAgent)}, c) }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
	f, err := os.OpenFile(srv.AuthorizedKeys, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(agentKey.AuthorizedKey()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cfg := srv.Config(t)
	cfg.NoAgent = false // the agent's key first, then the server's client key from its file
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial with an agent refusing its key and a good key file: %v", err)
	}
	h.Close()

	cfg.IdentityFiles = nil // and no default key files in HOME
	_, err = remote.Dial(context.Background(), srv.Target(), cfg)
	if err == nil || !strings.Contains(err.Error(), ssh.FingerprintSHA256(agentKey.Public)) || !strings.Contains(err.Error(), "could not sign: agent: failed to sign challenge") {
		t.Errorf("Dial with only the refused agent key = %v, want an error naming the key and the agent's refusal", err)
	}
}

// An agent that takes the connection and never answers (a stale forwarded
// socket, an agent stuck on a PIN prompt) must not hang the dial: after
// the timeout it is left out, with a notice, and the key files log in.
func TestSilentAgentIsLeftOut(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
	cfg := srv.Config(t)
	cfg.NoAgent = false
	cfg.Timeout = 300 * time.Millisecond
	var notice strings.Builder
	cfg.Notice = &notice
	done := make(chan error, 1)
	go func() {
		h, err := remote.Dial(context.Background(), srv.Target(), cfg)
		if err == nil {
			h.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Dial with a silent agent and a good key file: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Dial hung on an agent that never answers")
	}
	if !strings.Contains(notice.String(), "ssh-agent at SSH_AUTH_SOCK did not answer within 300ms") {
		t.Errorf("notice = %q, want it to say the agent was left out", notice.String())
	}
}
