package remote_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func TestUnknownHostKeyRefused(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	cfg := srv.Config(t)
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts") // does not exist
	_, err := remote.Dial(context.Background(), srv.Target(), cfg)
	var he *remote.HostKeyError
	if !errors.As(err, &he) || !he.Unknown || he.Changed {
		t.Fatalf("Dial with empty known_hosts: error = %v, want an unknown *HostKeyError", err)
	}
	fp := ssh.FingerprintSHA256(srv.HostKey.Public)
	// assert that: the message shows the key and how to trust it.
	for _, want := range []string{"ssh-ed25519", fp, "ssh-keyscan -p " + strconv.Itoa(srv.Port) + " 127.0.0.1", "--accept-new-host-key"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := os.Stat(cfg.KnownHostsFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("known_hosts was created without AcceptNewHostKey: %v", err)
	}
}

func TestAcceptNewHostKey(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	cfg := srv.Config(t)
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "ssh", "known_hosts")
	cfg.AcceptNewHostKey = true
	if _, err := remote.Dial(context.Background(), srv.Target(), cfg); err == nil {
		t.Fatal("Dial with AcceptNewHostKey and no Notice writer succeeded: the key would be added silently")
	}
	var notice bytes.Buffer
	cfg.Notice = &notice
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial with AcceptNewHostKey: %v", err)
	}
	h.Close()
	got, err := os.ReadFile(cfg.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != srv.KnownHostsLine()+"\n" {
		t.Errorf("known_hosts = %q, want %q", got, srv.KnownHostsLine()+"\n")
	}
	if fp := ssh.FingerprintSHA256(srv.HostKey.Public); !strings.Contains(notice.String(), fp) {
		t.Errorf("notice %q does not show the added fingerprint %s", notice.String(), fp)
	}
	// The added key is now trusted without AcceptNewHostKey.
	cfg.AcceptNewHostKey = false
	h, err = remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("second Dial: %v", err)
	}
	h.Close()
}

func TestChangedHostKeyRefused(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	other := sshtest.NewKey(t, t.TempDir(), "other", nil)
	cfg := srv.Config(t)
	// known_hosts has a comment, another host, then a different key for this one.
	line := strings.Replace(srv.KnownHostsLine(), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(srv.HostKey.Public))), strings.TrimSpace(other.AuthorizedKey()), 1)
	content := "# fugu test\nexample.org " + strings.TrimSpace(other.AuthorizedKey()) + "\n" + line + "\n"
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Notice = io.Discard
	for _, accept := range []bool{false, true} {
		cfg.AcceptNewHostKey = accept
		_, err := remote.Dial(context.Background(), srv.Target(), cfg)
		var he *remote.HostKeyError
		if !errors.As(err, &he) || !he.Changed {
			t.Fatalf("Dial (accept=%v) with a changed key: error = %v, want a changed *HostKeyError", accept, err)
		}
		for _, want := range []string{"HOST KEY CHANGED", cfg.KnownHostsFile + ":3", ssh.FingerprintSHA256(srv.HostKey.Public), ssh.FingerprintSHA256(other.Public)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	}
	if got, _ := os.ReadFile(cfg.KnownHostsFile); string(got) != content {
		t.Errorf("known_hosts changed to %q", got)
	}
}

// A host known only by a key of another type is refused as changed: the
// server cannot show a key that known_hosts could vouch for.
func TestOtherKeyTypeRefused(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	cfg := srv.Config(t)
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	line := knownhosts.Line([]string{knownhosts.Normalize(srv.Addr)}, pub)
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = remote.Dial(context.Background(), srv.Target(), cfg)
	var he *remote.HostKeyError
	if !errors.As(err, &he) || !he.Changed || !strings.Contains(err.Error(), "ecdsa-sha2-nistp256") {
		t.Fatalf("Dial = %v, want a changed *HostKeyError naming the known ecdsa key", err)
	}
}

// known_hosts files written with HashKnownHosts (ssh-keygen -H) work.
func TestHashedKnownHosts(t *testing.T) {
	srv := sshtest.StartInProcess(t, sshtest.Options{})
	cfg := srv.Config(t)
	line := knownhosts.Line([]string{knownhosts.HashHostname(knownhosts.Normalize(srv.Addr))}, srv.HostKey.Public)
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial with a hashed known_hosts entry: %v", err)
	}
	h.Close()
}

// A changed key found in another known_hosts file than the first (ssh
// config UserKnownHostsFile lists two) is to be removed from that file:
// the hint names it, not the first file, where ssh-keygen -R would find
// nothing to remove.
func TestChangedHostKeyHintNamesItsFile(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	other := sshtest.NewKey(t, t.TempDir(), "other", nil)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "known_hosts"), filepath.Join(dir, "known_hosts2")
	line := knownhosts.Line([]string{knownhosts.Normalize(srv.Addr)}, other.Public)
	if err := os.WriteFile(second, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "config")
	if err := os.WriteFile(conf, []byte("Host *\n  UserKnownHostsFile "+first+" "+second+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := srv.Config(t)
	cfg.KnownHostsFile, cfg.SSHConfigFile = "", conf
	_, err := remote.Dial(context.Background(), srv.Target(), cfg)
	var he *remote.HostKeyError
	if !errors.As(err, &he) || !he.Changed {
		t.Fatalf("Dial = %v, want a changed *HostKeyError", err)
	}
	if want := "ssh-keygen -R " + knownhosts.Normalize(srv.Addr) + " -f " + second; !strings.Contains(he.Hint(), want) {
		t.Errorf("hint %q does not say %q", he.Hint(), want)
	}
}

// A server with a host certificate, unknown to known_hosts and with no
// @cert-authority for it, is an unknown host like any other: ssh falls
// back to the plain key, and fugu gives the hint and can accept it.
func TestUnknownHostWithCertificate(t *testing.T) {
	dir := t.TempDir()
	ca := sshtest.NewKey(t, dir, "ca", nil)
	srv := startCertSSHD(t, dir, ca)
	cfg := srv.Config(t)
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts") // does not exist
	_, err := remote.Dial(context.Background(), srv.Target(), cfg)
	var he *remote.HostKeyError
	if !errors.As(err, &he) || !he.Unknown {
		t.Fatalf("Dial = %v, want an unknown *HostKeyError", err)
	}
	// known_hosts that knows other hosts only.
	if err := os.WriteFile(cfg.KnownHostsFile, []byte("example.org "+ca.AuthorizedKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = remote.Dial(context.Background(), srv.Target(), cfg)
	if !errors.As(err, &he) || !he.Unknown || !strings.Contains(err.Error(), "ssh-keyscan") {
		t.Fatalf("Dial with other hosts known = %v, want an unknown *HostKeyError with its hint", err)
	}
	var notice bytes.Buffer
	cfg.AcceptNewHostKey, cfg.Notice = true, &notice
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial with AcceptNewHostKey: %v", err)
	}
	h.Close()
	cfg.AcceptNewHostKey = false
	h, err = remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial after accepting the key: %v", err)
	}
	h.Close()
}

// A host trusted through a @cert-authority line alone is reached with
// its certificate: asking it for a plain key first, whose type is the
// CA key's, made the check compare its plain key with the CA key and
// refuse it as changed.
func TestHostTrustedByCertAuthority(t *testing.T) {
	dir := t.TempDir()
	ca := sshtest.NewKey(t, dir, "ca", nil)
	srv := startCertSSHD(t, dir, ca)
	cfg := srv.Config(t)
	if err := os.WriteFile(cfg.KnownHostsFile, []byte("# the site's host CA\n@cert-authority "+knownhosts.Normalize(srv.Addr)+" "+ca.AuthorizedKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial a host whose certificate known_hosts' CA signed: %v", err)
	}
	h.Close()
}

// A revoked key is refused, and the hint does not send the user to
// trust it again with ssh-keyscan: it names the @revoked line.
func TestRevokedHostKeyRefused(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	cfg := srv.Config(t)
	content := srv.KnownHostsLine() + "\n@revoked * " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(srv.HostKey.Public))) + "\n"
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := remote.Dial(context.Background(), srv.Target(), cfg)
	var he *remote.HostKeyError
	if !errors.As(err, &he) || !he.Revoked {
		t.Fatalf("Dial = %v, want a revoked *HostKeyError", err)
	}
	if hint := he.Hint(); strings.Contains(hint, "ssh-keyscan") || !strings.Contains(hint, cfg.KnownHostsFile+":2") {
		t.Errorf("hint %q: want no ssh-keyscan and the @revoked line named", hint)
	}
}

// ssh reads ~/.ssh/known_hosts2 as well by default: a key for the host
// there that is not the server's is a changed key, not an unknown host
// that --accept-new-host-key may add.
func TestKnownHosts2IsRead(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	other := sshtest.NewKey(t, t.TempDir(), "other", nil)
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	line := knownhosts.Line([]string{knownhosts.Normalize(srv.Addr)}, other.Public)
	if err := os.WriteFile(filepath.Join(home, ".ssh", "known_hosts2"), []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := srv.Config(t)
	cfg.KnownHostsFile = ""
	cfg.AcceptNewHostKey, cfg.Notice = true, io.Discard
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err == nil {
		h.Close()
	}
	var he *remote.HostKeyError
	if !errors.As(err, &he) || !he.Changed {
		t.Fatalf("Dial = %v, want a changed *HostKeyError from known_hosts2", err)
	}
	if _, err := os.Stat(filepath.Join(home, ".ssh", "known_hosts")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("known_hosts was written: %v", err)
	}
}

// A host known by its plain key is asked for it even when a
// @cert-authority line matches it too: a certificate from another CA (or
// an expired one) must not fail a host whose key known_hosts has.
func TestHostWithPlainKeyAndCertAuthority(t *testing.T) {
	dir := t.TempDir()
	ca := sshtest.NewKey(t, dir, "ca", nil)
	otherCA := sshtest.NewKey(t, dir, "other-ca", nil)
	srv := startCertSSHD(t, dir, otherCA)
	cfg := srv.Config(t)
	content := srv.KnownHostsLine() + "\n@cert-authority " + knownhosts.Normalize(srv.Addr) + " " + ca.AuthorizedKey()
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := remote.Dial(context.Background(), srv.Target(), cfg)
	if err != nil {
		t.Fatalf("Dial a host known by its plain key: %v", err)
	}
	h.Close()
}

// startCertSSHD starts sshd with a host key that ca has certified for
// 127.0.0.1 (HostCertificate), its files in dir.
func startCertSSHD(t *testing.T, dir string, ca *sshtest.Key) *sshtest.Server {
	t.Helper()
	certKey := sshtest.NewKey(t, dir, "ssh_host_cert_key", nil)
	cert := &ssh.Certificate{Key: certKey.Public, CertType: ssh.HostCert, ValidPrincipals: []string{"127.0.0.1"}, ValidBefore: ssh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, ca.Signer); err != nil {
		t.Fatal(err)
	}
	certFile := filepath.Join(dir, "ssh_host_cert_key-cert.pub")
	if err := os.WriteFile(certFile, ssh.MarshalAuthorizedKey(cert), 0o644); err != nil {
		t.Fatal(err)
	}
	return sshtest.StartSSHD(t, sshtest.Options{ExtraConfig: []string{"HostKey " + certKey.Path, "HostCertificate " + certFile}})
}
