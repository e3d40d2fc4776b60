package remote_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"

	"golang.org/x/crypto/ssh"
)

func TestDialEncryptedKey(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	pass := []byte("correct horse")
	key := sshtest.NewKey(t, t.TempDir(), "id_ed25519", pass)
	appendFile(t, srv.AuthorizedKeys, key.AuthorizedKey())
	// The .pub file is not needed: OpenSSH-format keys carry the public half.
	if err := os.Remove(key.Path + ".pub"); err != nil {
		t.Fatal(err)
	}

	cfg := srv.Config(t)
	cfg.IdentityFiles = []string{key.Path}
	var asked []string
	cfg.Passphrase = func(file string) ([]byte, error) {
		asked = append(asked, file)
		return append([]byte(nil), pass...), nil
	}
	h := srv.DialConfig(t, cfg)
	if res, err := h.Run(context.Background(), remote.Command{Line: "true"}); err != nil || res.ExitCode != 0 {
		t.Fatalf("Run after login with an encrypted key: %v %+v", err, res)
	}
	if len(asked) != 1 || asked[0] != key.Path {
		t.Errorf("passphrase asked for %v, want once for %s", asked, key.Path)
	}

	// A wrong passphrase fails the login and names the key.
	cfg.Passphrase = func(string) ([]byte, error) { return []byte("wrong"), nil }
	if _, err := remote.Dial(context.Background(), srv.Target(), cfg); err == nil || !strings.Contains(err.Error(), key.Path) {
		t.Errorf("Dial with a wrong passphrase = %v, want an error naming %s", err, key.Path)
	}
}

// The passphrase is asked during the login, once the server accepts the
// key: the time the user takes to type it (here longer than the whole
// Timeout) and the key's decryption (bcrypt rounds, slow on a loaded
// machine) do not count against Config.Timeout.
func TestPassphraseTimeNotInTimeout(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	pass := []byte("correct horse")
	key := sshtest.NewKey(t, t.TempDir(), "id_ed25519", pass)
	appendFile(t, srv.AuthorizedKeys, key.AuthorizedKey())
	cfg := srv.Config(t)
	cfg.IdentityFiles = []string{key.Path}
	cfg.Timeout = 2 * time.Second
	cfg.Passphrase = func(string) ([]byte, error) {
		time.Sleep(cfg.Timeout + 100*time.Millisecond) // the user looks for it
		return append([]byte(nil), pass...), nil
	}
	h := srv.DialConfig(t, cfg)
	if res, err := h.Run(context.Background(), remote.Command{Line: "true"}); err != nil || res.ExitCode != 0 {
		t.Fatalf("Run after a slow passphrase: %v %+v", err, res)
	}
}

// An encrypted key the server does not accept is never decrypted.
func TestEncryptedKeyNotAskedWhenRefused(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	key := sshtest.NewKey(t, t.TempDir(), "id_other", []byte("secret"))
	cfg := srv.Config(t)
	cfg.IdentityFiles = []string{key.Path, srv.ClientKey.Path}
	cfg.Passphrase = func(file string) ([]byte, error) {
		t.Errorf("passphrase asked for %s, which the server does not accept", file)
		return nil, errors.New("no")
	}
	srv.DialConfig(t, cfg)
}

func TestDialSSHConfigAlias(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	dir := t.TempDir()
	// The key is copied so that only the ssh_config can name it.
	keyPath := filepath.Join(dir, "alias_key")
	data, err := os.ReadFile(srv.ClientKey.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "config")
	writeFile(t, conf, fmt.Sprintf(`# ssh_config for the test
Host other
	HostName example.invalid

Host oldbox !nothere
	HostName %s
	User %s
	Port %d
	IdentityFile %s
	ProxyJump nowhere.invalid

Host *
	User nobody-should-win
	Port 1
`, srv.Host, srv.User, srv.Port, keyPath))
	cfg := srv.Config(t)
	cfg.SSHConfigFile = conf
	cfg.IdentityFiles = nil
	var notice strings.Builder
	cfg.Notice = &notice
	h, err := remote.Dial(context.Background(), "oldbox", cfg)
	if err != nil {
		t.Fatalf("Dial(oldbox) through ssh_config: %v", err)
	}
	defer h.Close()
	if !strings.Contains(notice.String(), "ProxyJump is not supported") {
		t.Errorf("notice %q does not warn that ProxyJump is ignored", notice.String())
	}
	if h.Name() != "oldbox" || h.User() != srv.User {
		t.Errorf("host = %s as %s, want oldbox as %s", h.Name(), h.User(), srv.User)
	}
	res, err := h.Run(context.Background(), remote.Command{Line: "id -un"})
	if err != nil || strings.TrimSpace(string(res.Stdout)) != srv.User {
		t.Errorf("id -un = %q, %v; want %s", res.Stdout, err, srv.User)
	}
}

func TestRunAsRootWithStubDoas(t *testing.T) {
	bin := t.TempDir()
	log := sshtest.WriteStubDoas(t, bin)
	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{bin}})
	cfg := srv.Config(t)
	cfg.AlwaysDoas = true
	h := srv.DialConfig(t, cfg)
	line := "echo one | tr a-z A-Z && echo 'two words'"
	res, err := h.Run(context.Background(), remote.Command{Line: line, AsRoot: true})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("Run AsRoot: %v %+v (stderr %q)", err, res, res.Stderr)
	}
	if string(res.Stdout) != "ONE\ntwo words\n" {
		t.Errorf("stdout = %q, want the whole line's output", res.Stdout)
	}
	got, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("the stub doas on PathPrepend did not run: %v", err)
	}
	if want := "/bin/sh -c " + line + "\n"; string(got) != want {
		t.Errorf("doas ran %q, want %q", got, want)
	}
	// Without AsRoot doas is not involved.
	if _, err := h.Run(context.Background(), remote.Command{Line: "true"}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(log); string(again) != string(got) {
		t.Errorf("doas ran for a command without AsRoot: %q", again)
	}
}

func TestRunCancel(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	h := srv.Dial(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := h.Run(ctx, remote.Command{Line: "echo $$ > " + remote.Quote(pidFile) + "; while echo tick; do sleep 0.05; done"})
		errc <- err
	}()
	waitFor(t, func() bool { b, _ := os.ReadFile(pidFile); return len(b) > 0 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
	// The connection stays usable.
	if res, err := h.Run(context.Background(), remote.Command{Line: "echo ok"}); err != nil || string(res.Stdout) != "ok\n" {
		t.Errorf("Run after a cancelled Run = %q, %v", res.Stdout, err)
	}
	// assert that: the remote command ended. sshd refuses signals for root
	// logins (no privilege separation child), so as root it is the closed
	// channel that ends a command as soon as it writes.
	pid, _ := os.ReadFile(pidFile)
	waitFor(t, func() bool {
		_, err := os.Stat("/proc/" + strings.TrimSpace(string(pid)))
		return errors.Is(err, os.ErrNotExist)
	})
}

func TestDialClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := remote.Config{SSHConfigFile: "none", NoAgent: true, KnownHostsFile: filepath.Join(t.TempDir(), "kh"), IdentityFiles: []string{sshtest.NewKey(t, t.TempDir(), "k", nil).Path}}
	if _, err := remote.Dial(context.Background(), addr, cfg); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("Dial(closed port) = %v, want connection refused", err)
	}
}

// A server that accepts TCP but never speaks SSH is given up on after
// Config.Timeout.
func TestDialHandshakeTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	cfg := remote.Config{SSHConfigFile: "none", NoAgent: true, KnownHostsFile: filepath.Join(t.TempDir(), "kh"),
		IdentityFiles: []string{sshtest.NewKey(t, t.TempDir(), "k", nil).Path}, Timeout: 200 * time.Millisecond}
	_, err = remote.Dial(context.Background(), l.Addr().String(), cfg)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 200ms") {
		t.Errorf("Dial(silent server) = %v, want a handshake timeout", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, p, s string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func TestRunAsRootStubDoasEveryHost(t *testing.T) {
	bin := t.TempDir()
	log := sshtest.WriteStubDoas(t, bin)
	inproc := sshtest.StartInProcess(t, sshtest.Options{PathPrepend: []string{bin}})
	cfg := inproc.Config(t)
	cfg.AlwaysDoas = true
	local := &remote.LocalHost{AlwaysDoas: true, Env: []string{"PATH=" + bin + ":" + os.Getenv("PATH")}}
	for _, h := range []remote.Host{inproc.DialConfig(t, cfg), local} {
		res, err := h.Run(context.Background(), remote.Command{Line: "echo $0 | wc -l", AsRoot: true})
		if err != nil || res.ExitCode != 0 || strings.TrimSpace(string(res.Stdout)) != "1" {
			t.Errorf("%s: Run AsRoot = %+v, %v", h.Name(), res, err)
		}
	}
	got, err := os.ReadFile(log)
	if want := strings.Repeat("/bin/sh -c echo $0 | wc -l\n", 2); string(got) != want {
		t.Errorf("doas.log = %q, %v; want %q", got, err, want)
	}
}

func TestDialLoginRefused(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	stranger := sshtest.NewKey(t, t.TempDir(), "id_stranger", nil)
	cfg := srv.Config(t)
	cfg.IdentityFiles = []string{stranger.Path}
	_, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if !errors.Is(err, remote.ErrLoginRefused) || !strings.Contains(err.Error(), stranger.Path) {
		t.Errorf("Dial with an unauthorised key = %v, want ErrLoginRefused naming %s", err, stranger.Path)
	}
}

// RSA keys must sign with rsa-sha2-*: OpenSSH 8.8 and later refuse
// ssh-rsa (SHA-1) signatures. Checked for a plain and an encrypted key.
func TestDialRSAKey(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	appendFile(t, srv.AuthorizedKeys, string(ssh.MarshalAuthorizedKey(pub)))
	dir := t.TempDir()
	pass := []byte("rsa pass")
	for name, encrypt := range map[string]bool{"id_rsa": false, "id_rsa_enc": true} {
		var block *pem.Block
		if encrypt {
			block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "", pass)
		} else {
			block, err = ssh.MarshalPrivateKey(priv, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		writeFile(t, p, string(pem.EncodeToMemory(block)))
		cfg := srv.Config(t)
		cfg.IdentityFiles = []string{p}
		cfg.Passphrase = func(string) ([]byte, error) { return append([]byte(nil), pass...), nil }
		h, err := remote.Dial(context.Background(), srv.Target(), cfg)
		if err != nil {
			t.Fatalf("Dial with %s: %v", name, err)
		}
		h.Close()
	}
}

func TestDialCancelled(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := remote.Dial(ctx, srv.Target(), srv.Config(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("Dial(cancelled ctx) = %v, want context.Canceled", err)
	}
}
