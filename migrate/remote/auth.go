package remote

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// keySource is one private key file to offer, and whether the user named
// it (a missing named key is an error; a missing default key is not).
type keySource struct {
	path     string
	explicit bool
}

// identityFiles orders key files as ssh does: the ones given to fugu,
// then ssh_config's IdentityFile lines; the default names only when
// neither named any, so that a server's MaxAuthTries is not spent on
// keys the user did not ask for.
func identityFiles(cfg []string, fromSSHConfig []string, home string) []keySource {
	var out []keySource
	for _, f := range cfg {
		out = append(out, keySource{f, true})
	}
	for _, f := range fromSSHConfig {
		out = append(out, keySource{f, false})
	}
	if len(out) == 0 {
		for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			out = append(out, keySource{filepath.Join(home, ".ssh", n), false})
		}
	}
	return out
}

// loadFileSigners reads the key files. Encrypted keys become lazy
// signers that ask for the passphrase only when the server accepts the
// public key, as ssh does. configured are the public keys of the files,
// in order, including encrypted ones it cannot use for want of a way to
// ask for the passphrase: the agent's copies of all of them are offered
// first, and they are what IdentitiesOnly allows.
//
// hold, called while an encrypted key is asked for and decrypted during
// the login, stops the handshake's timeout until its result is called.
func loadFileSigners(files []keySource, prompt func(string) ([]byte, error), hold func() func(), notice io.Writer) (signers []ssh.Signer, configured []ssh.PublicKey, err error) {
	for _, ks := range files {
		data, err := os.ReadFile(ks.path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && !ks.explicit {
				continue
			}
			return nil, nil, fmt.Errorf("identity file: %w", err)
		}
		s, err := ssh.ParsePrivateKey(data)
		if err == nil {
			signers = append(signers, withPath(s, ks.path))
			configured = append(configured, s.PublicKey())
			continue
		}
		var missing *ssh.PassphraseMissingError
		if !errors.As(err, &missing) {
			return nil, nil, fmt.Errorf("identity file %s: %w", ks.path, err)
		}
		pub := missing.PublicKey
		if pub == nil { // old PEM format: the public half is only in .pub
			if b, err := os.ReadFile(ks.path + ".pub"); err == nil {
				pub, _, _, _, _ = ssh.ParseAuthorizedKey(b)
			}
		}
		switch {
		case prompt == nil:
			notef(notice, "skipping encrypted key %s: no way to ask for its passphrase\n", ks.path)
			if pub != nil {
				configured = append(configured, pub)
			}
		case pub == nil:
			// Without the public key we cannot wait for the server's
			// consent, so ask now.
			s, err := decryptKey(ks.path, data, prompt)
			if err != nil {
				return nil, nil, err
			}
			signers = append(signers, withPath(s, ks.path))
			configured = append(configured, s.PublicKey())
		default:
			signers = append(signers, &lazySigner{path: ks.path, pem: data, pub: pub, prompt: prompt, hold: hold})
			configured = append(configured, pub)
		}
	}
	return signers, configured, nil
}

func decryptKey(path string, pem []byte, prompt func(string) ([]byte, error)) (ssh.Signer, error) {
	const attempts = 3
	var err error
	for range attempts {
		var pass []byte
		pass, err = prompt(path)
		if err != nil {
			return nil, fmt.Errorf("passphrase for %s: %w", path, err)
		}
		var s ssh.Signer
		s, err = ssh.ParsePrivateKeyWithPassphrase(pem, pass)
		clear(pass)
		if err == nil {
			return s, nil
		}
	}
	return nil, fmt.Errorf("decrypt %s: %w", path, err)
}

// fileSigner is a key read from a file, remembering which, so that a
// refused login can name the files it tried.
type fileSigner struct {
	ssh.AlgorithmSigner
	path string
}

// withPath wraps s as a fileSigner. x/crypto's signers are all
// AlgorithmSigners (needed for rsa-sha2); any other is kept as is.
func withPath(s ssh.Signer, path string) ssh.Signer {
	if as, ok := s.(ssh.AlgorithmSigner); ok {
		return &fileSigner{as, path}
	}
	return s
}

// lazySigner offers an encrypted key's public half and decrypts the
// private half on the first signature.
type lazySigner struct {
	path   string
	pem    []byte
	pub    ssh.PublicKey
	prompt func(string) ([]byte, error)
	hold   func() (release func()) // stops the handshake's timeout, or nil

	once   sync.Once
	signer ssh.AlgorithmSigner
	err    error
}

func (l *lazySigner) PublicKey() ssh.PublicKey { return l.pub }

func (l *lazySigner) load() error {
	l.once.Do(func() {
		if l.hold != nil {
			defer l.hold()()
		}
		s, err := decryptKey(l.path, l.pem, l.prompt)
		if err != nil {
			l.err = err
			return
		}
		as, ok := s.(ssh.AlgorithmSigner)
		if !ok {
			l.err = fmt.Errorf("key %s cannot choose a signature algorithm", l.path)
			return
		}
		l.signer = as
	})
	return l.err
}

func (l *lazySigner) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	if err := l.load(); err != nil {
		return nil, err
	}
	return l.signer.Sign(rand, data)
}

func (l *lazySigner) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	if err := l.load(); err != nil {
		return nil, err
	}
	return l.signer.SignWithAlgorithm(rand, data, algorithm)
}

func (l *lazySigner) Algorithms() []string { return algorithmsForKeyType(l.pub.Type()) }

// agentSigners returns the agent's keys and a func that closes the agent
// connection, or no keys when there is no agent. An agent that does not
// answer within timeout (a stale forwarded socket, an agent stuck on a
// PIN prompt) is left out; its signatures must come within timeout of
// the listing too, as the login that asks for them must.
func agentSigners(notice io.Writer, timeout time.Duration) ([]ssh.Signer, func()) {
	sock := os.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		return nil, func() {}
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		notef(notice, "ssh-agent at SSH_AUTH_SOCK not reachable, not using it: %v\n", err)
		return nil, func() {}
	}
	deadline := time.Now().Add(timeout)
	_ = conn.SetDeadline(deadline)
	signers, err := agent.NewClient(conn).Signers()
	// x/crypto's agent client keeps only the text of the timeout.
	if err != nil && !time.Now().Before(deadline) {
		conn.Close()
		notef(notice, "ssh-agent at SSH_AUTH_SOCK did not answer within %v, not using it\n", timeout)
		return nil, func() {}
	}
	if err != nil {
		conn.Close()
		notef(notice, "ssh-agent: %v\n", err)
		return nil, func() {}
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	return signers, func() { conn.Close() }
}

// mergeSigners orders the keys to offer as ssh does: the agent's copies
// of the configured keys (in the order of the files, encrypted ones not
// loaded included), then the agent's other keys unless identitiesOnly,
// then the files' keys the agent does not hold. A server's MaxAuthTries
// then is not spent on the agent's other keys before the one configured
// for the host.
func mergeSigners(agentKeys, fileKeys []ssh.Signer, configured []ssh.PublicKey, identitiesOnly bool) []ssh.Signer {
	inAgent := map[string]ssh.Signer{}
	for _, s := range agentKeys {
		if k := string(s.PublicKey().Marshal()); inAgent[k] == nil {
			inAgent[k] = s
		}
	}
	var out []ssh.Signer
	seen := map[string]bool{}
	add := func(s ssh.Signer) {
		if k := string(s.PublicKey().Marshal()); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	for _, pub := range configured {
		if s := inAgent[string(pub.Marshal())]; s != nil {
			add(s)
		}
	}
	if !identitiesOnly {
		for _, s := range agentKeys {
			add(s)
		}
	}
	for _, s := range fileKeys {
		add(s)
	}
	return out
}

func notef(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}
