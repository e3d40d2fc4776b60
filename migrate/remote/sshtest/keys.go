package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/ssh"
)

// Key is a generated ed25519 key pair written in OpenSSH format.
type Key struct {
	Signer  ssh.Signer
	Public  ssh.PublicKey
	Path    string // private key file (mode 0600); Path+".pub" holds the public key
	private ed25519.PrivateKey
}

// NewKey generates an ed25519 key and writes it to dir/name and
// dir/name.pub. A non-empty passphrase encrypts the private key file.
func NewKey(t testing.TB, dir, name string, passphrase []byte) *Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	var block *pem.Block
	if len(passphrase) > 0 {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "fugu test key", passphrase)
	} else {
		block, err = ssh.MarshalPrivateKey(priv, "fugu test key")
	}
	if err != nil {
		t.Fatal(err)
	}
	k := &Key{Signer: signer, Public: signer.PublicKey(), Path: filepath.Join(dir, name), private: priv}
	if err := os.WriteFile(k.Path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(k.Path+".pub", ssh.MarshalAuthorizedKey(k.Public), 0o644); err != nil {
		t.Fatal(err)
	}
	return k
}

// AuthorizedKey is the key as an authorized_keys line (with newline).
func (k *Key) AuthorizedKey() string { return string(ssh.MarshalAuthorizedKey(k.Public)) }

// PrivateKey is the private key, e.g. to load into an ssh-agent.
func (k *Key) PrivateKey() ed25519.PrivateKey { return k.private }
