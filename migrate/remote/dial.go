package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// ErrLoginRefused is returned (wrapped) by Dial when the server accepted
// none of the keys offered.
var ErrLoginRefused = errors.New("login refused")

// globalKnownHosts is ssh's GlobalKnownHostsFile default.
const globalKnownHosts = "/etc/ssh/ssh_known_hosts"

// Dial connects to target ([user@]host[:port] or an ssh_config Host
// alias), verifies the host key against known_hosts and logs in with the
// agent's keys, then the identity files. The login user is, first found:
// cfg.User, the target's user@, ssh_config User, the local user. The
// port: the target's, ssh_config Port, 22.
//
// A refused host key is returned as a *HostKeyError. ctx bounds the
// connection set-up only; cfg.Timeout bounds it too.
func Dial(ctx context.Context, target string, cfg Config) (*SSHHost, error) {
	t, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	if cfg.AcceptNewHostKey && cfg.Notice == nil {
		// An added key must be shown to the user, never taken silently.
		return nil, errors.New("dial: AcceptNewHostKey needs a Notice writer to report the key it adds")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", target, err)
	}
	localUser := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		localUser = u.Username
	}
	sc, err := loadSSHConfig(cfg.SSHConfigFile, home)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", target, err)
	}
	for _, ig := range sc.Ignored {
		notef(cfg.Notice, "%s\n", ig)
	}
	hs := sc.Lookup(t.Host, LookupEnv{Home: home, LocalUser: localUser, RemoteUser: firstNonEmpty(cfg.User, t.User)})
	for _, u := range hs.Unsupported {
		notef(cfg.Notice, "ssh config %s: %s is not supported by fugu and is ignored for %s\n", sc.Name, u, t.Host)
	}

	hostName := t.Host
	if hs.HostName != "" {
		hostName = hs.HostName
	}
	port := firstNonZero(t.Port, hs.Port, 22)
	login := firstNonEmpty(cfg.User, t.User, hs.User, localUser)
	// ssh's default UserKnownHostsFile: both are read, the first is
	// written.
	known := []string{filepath.Join(home, ".ssh", "known_hosts"), filepath.Join(home, ".ssh", "known_hosts2")}
	if cfg.KnownHostsFile != "" {
		known = []string{cfg.KnownHostsFile}
	} else {
		if len(hs.UserKnownHostsFiles) > 0 {
			known = hs.UserKnownHostsFiles
		}
		// Read, never written, as by ssh; an explicit KnownHostsFile
		// (tests, --known-hosts) is the only source.
		known = append(known, globalKnownHosts)
	}

	checker, err := newHostKeyChecker(known, hostName, port, cfg.AcceptNewHostKey, cfg.Notice)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", target, err)
	}
	sources := identityFiles(cfg.IdentityFiles, hs.IdentityFiles, home)
	clock := &handshakeClock{}
	fileKeys, configured, err := loadFileSigners(sources, cfg.Passphrase, clock.hold, cfg.Notice)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", target, err)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	var agentKeys []ssh.Signer
	closeAgent := func() {}
	if !cfg.NoAgent {
		agentKeys, closeAgent = agentSigners(cfg.Notice, timeout)
	}
	defer closeAgent() // agent keys are only needed to log in
	signers := mergeSigners(agentKeys, fileKeys, configured, hs.IdentitiesOnly)
	if len(signers) == 0 {
		return nil, fmt.Errorf("dial %s: no SSH keys: %s", target, noKeysReason(len(agentKeys), sources, hs.IdentitiesOnly))
	}

	ciphers := cfg.Ciphers
	if len(ciphers) == 0 {
		ciphers = DefaultCiphers()
	}
	keys := &keyAuth{signers: signers}
	cc := &ssh.ClientConfig{
		User:              login,
		AuthCallback:      keys.next,
		HostKeyCallback:   checker.check,
		HostKeyAlgorithms: checker.algorithms(),
		Config:            ssh.Config{Ciphers: ciphers},
	}
	addr := net.JoinHostPort(hostName, strconv.Itoa(port))
	client, err := connect(ctx, addr, cc, timeout, clock)
	if err != nil {
		if he := checker.refusal(); he != nil {
			return nil, he
		}
		if keys.refused(err) {
			return nil, fmt.Errorf("dial %s (%s): %w: the server accepted none of the keys offered for %s (%s)%s",
				target, addr, ErrLoginRefused, login, describeSigners(signers), keys.failures())
		}
		return nil, fmt.Errorf("dial %s (%s as %s): %w", target, addr, login, err)
	}
	return newSSHHost(target, login, client, cfg), nil
}

// keyAuth offers the keys one publickey attempt each, as ssh does, so a
// key that cannot sign (an agent that refuses it: ssh-add -c unconfirmed,
// a FIDO token unplugged; a passphrase asked in vain) is skipped and the
// next one offered. Offered all in one attempt, x/crypto would end the
// login at the first such key.
type keyAuth struct {
	signers []ssh.Signer
	i       int
	mu      sync.Mutex
	failed  []string // "key: error" of each key that could not sign
	lastErr error    // the last of these errors
}

// next is the ClientConfig's AuthCallback: the next key while the
// server still takes publickey, then none (the login is refused).
func (k *keyAuth) next(ctx *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
	if k.i >= len(k.signers) || !slices.Contains(ctx.AllowedMethods, "publickey") {
		return nil, nil
	}
	s := k.signers[k.i]
	k.i++
	return ssh.PublicKeys(noteFailure(s, func(err error) {
		k.mu.Lock()
		k.failed = append(k.failed, describeSigners([]ssh.Signer{s})+" could not sign: "+err.Error())
		k.lastErr = err
		k.mu.Unlock()
	})), nil
}

// refused reports whether err ended a login in which the server took
// none of the keys: x/crypto says so only as text, or, when the last key
// could not sign, returns that key's error.
func (k *keyAuth) refused(err error) bool {
	if strings.Contains(err.Error(), "unable to authenticate") {
		return true
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.i == len(k.signers) && k.lastErr != nil && errors.Is(err, k.lastErr)
}

// failures says which keys could not sign, for a refused login's error.
func (k *keyAuth) failures() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.failed) == 0 {
		return ""
	}
	return "; " + strings.Join(k.failed, "; ")
}

// noteFailure wraps s so that a failed signature is passed to note. The
// wrapper keeps what s offers of AlgorithmSigner and
// MultiAlgorithmSigner, which choose the rsa-sha2 signatures.
func noteFailure(s ssh.Signer, note func(error)) ssh.Signer {
	n := noter{note}
	switch s := s.(type) {
	case ssh.MultiAlgorithmSigner:
		return &multiNoter{s, n}
	case ssh.AlgorithmSigner:
		return &algNoter{s, n}
	}
	return &plainNoter{s, n}
}

type noter struct{ note func(error) }

func (n noter) check(sig *ssh.Signature, err error) (*ssh.Signature, error) {
	if err != nil {
		n.note(err)
	}
	return sig, err
}

type plainNoter struct {
	ssh.Signer
	n noter
}

func (p *plainNoter) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	return p.n.check(p.Signer.Sign(rand, data))
}

type algNoter struct {
	ssh.AlgorithmSigner
	n noter
}

func (a *algNoter) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	return a.n.check(a.AlgorithmSigner.Sign(rand, data))
}

func (a *algNoter) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	return a.n.check(a.AlgorithmSigner.SignWithAlgorithm(rand, data, algorithm))
}

type multiNoter struct {
	ssh.MultiAlgorithmSigner
	n noter
}

func (m *multiNoter) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	return m.n.check(m.MultiAlgorithmSigner.Sign(rand, data))
}

func (m *multiNoter) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	return m.n.check(m.MultiAlgorithmSigner.SignWithAlgorithm(rand, data, algorithm))
}

// connect dials and runs the handshake, giving up when timeout has run
// on clock (which passphrase prompts hold) or when ctx is done.
func connect(ctx context.Context, addr string, cc *ssh.ClientConfig, timeout time.Duration, clock *handshakeClock) (*ssh.Client, error) {
	start := time.Now()
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		if errors.Is(dctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("connect timed out after %v: %w", timeout, context.DeadlineExceeded)
		}
		return nil, err
	}
	clock.start(timeout-time.Since(start), func() { conn.Close() })
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cc)
	fired := clock.stop()
	if !stop() || fired || err != nil {
		conn.Close()
		if fired {
			return nil, fmt.Errorf("ssh handshake timed out after %v: %w", timeout, context.DeadlineExceeded)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, err
	}
	return ssh.NewClient(c, chans, reqs), nil
}

// loadSSHConfig reads the ssh_config at path (default ~/.ssh/config; a
// missing default is an empty config, "none" reads nothing).
func loadSSHConfig(path, home string) (*SSHConfig, error) {
	if path == "none" {
		return &SSHConfig{}, nil
	}
	explicit := path != ""
	if !explicit {
		path = filepath.Join(home, ".ssh", "config")
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !explicit {
			return &SSHConfig{}, nil
		}
		return nil, fmt.Errorf("ssh config: %w", err)
	}
	defer f.Close()
	return ParseSSHConfig(f, path)
}

// noKeysReason says why no key is left to offer: what the agent had,
// and which identity files were looked for.
func noKeysReason(agentKeys int, files []keySource, identitiesOnly bool) string {
	agent := "no agent keys"
	if agentKeys > 0 && identitiesOnly {
		agent = fmt.Sprintf("the agent's %d keys are not offered, as ssh_config says IdentitiesOnly and none of them is an identity file's", agentKeys)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.path)
	}
	return fmt.Sprintf("%s, and no usable identity file (looked for %s)", agent, strings.Join(paths, ", "))
}

func firstNonZero(v ...int) int {
	for _, x := range v {
		if x != 0 {
			return x
		}
	}
	return 0
}

func firstNonEmpty(v ...string) string {
	for _, x := range v {
		if x != "" {
			return x
		}
	}
	return ""
}

// describeSigners names the keys offered, for a refused login: by file
// for key files, by fingerprint for agent keys. Never any secret.
func describeSigners(signers []ssh.Signer) string {
	var parts []string
	for _, s := range signers {
		switch k := s.(type) {
		case *fileSigner:
			parts = append(parts, k.path)
		case *lazySigner:
			parts = append(parts, k.path)
		default:
			parts = append(parts, "agent key "+ssh.FingerprintSHA256(s.PublicKey()))
		}
	}
	return strings.Join(parts, ", ")
}
