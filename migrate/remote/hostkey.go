package remote

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError is a host key that fugu refused: unknown (not in
// known_hosts), changed (known_hosts has another key for the host) or
// revoked. Its message shows the offered key's type and SHA256
// fingerprint and says how to proceed; Hint has the second part alone.
type HostKeyError struct {
	Host        string // host name or address that was checked
	Port        int
	KeyType     string // of the key the server offered
	Fingerprint string // ssh.FingerprintSHA256 of that key
	Unknown     bool
	Changed     bool
	Revoked     bool
	// Known are the known_hosts lines that name the host, as
	// "file:line: key-type fingerprint" (set when Changed or Revoked).
	Known          []string
	KnownHostsFile string // the file checked, and appended to on accept
	// knownFiles are the files of the Known lines, for the hint: the
	// old entry may be in another file than KnownHostsFile.
	knownFiles []string
}

func (e *HostKeyError) Error() string {
	var msg string
	switch {
	case e.Revoked:
		msg = fmt.Sprintf("host key of %s is REVOKED: %s %s is marked @revoked in %s", e.addr(), e.KeyType, e.Fingerprint, strings.Join(e.Known, ", "))
	case e.Changed:
		msg = fmt.Sprintf("HOST KEY CHANGED for %s: the server offered %s %s but known_hosts has %s; someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled",
			e.addr(), e.KeyType, e.Fingerprint, strings.Join(e.Known, ", "))
	default:
		msg = fmt.Sprintf("unknown host key for %s: %s %s is not in %s", e.addr(), e.KeyType, e.Fingerprint, e.KnownHostsFile)
	}
	return msg + "\n" + e.Hint()
}

// Hint says how to go on; it is part of Error too.
func (e *HostKeyError) Hint() string {
	keyscan := "ssh-keyscan "
	if e.Port != 22 {
		keyscan += "-p " + strconv.Itoa(e.Port) + " "
	}
	keyscan += e.Host
	onHost := "ssh-keygen -lf /etc/ssh/ssh_host_" + keyFileType(e.KeyType) + "_key.pub"
	if e.Unknown {
		return fmt.Sprintf("check the fingerprint on the host (`%s`), then trust it with `%s >> %s`, or rerun with --accept-new-host-key", onHost, keyscan, e.KnownHostsFile)
	}
	if e.Revoked {
		// Trusting the key again would not help: the @revoked line
		// refuses it whatever else known_hosts says.
		return fmt.Sprintf("fugu will not connect to a host whose key is revoked; give the host a new key (on the host: remove /etc/ssh/ssh_host_%s_key* and run `ssh-keygen -A`), or, if the revocation is a mistake, delete the @revoked line %s",
			keyFileType(e.KeyType), strings.Join(e.Known, ", "))
	}
	files := e.knownFiles
	if len(files) == 0 {
		files = []string{e.KnownHostsFile}
	}
	var remove []string
	for _, f := range files {
		remove = append(remove, fmt.Sprintf("`ssh-keygen -R %s -f %s`", knownhosts.Normalize(net.JoinHostPort(e.Host, strconv.Itoa(e.Port))), f))
	}
	return fmt.Sprintf("fugu will not connect (--accept-new-host-key does not apply to a changed key); if the change is expected, check the new fingerprint on the host (`%s`), remove the old entry with %s, and add the new one with `%s >> %s`",
		onHost, strings.Join(remove, " and "), keyscan, e.KnownHostsFile)
}

func (e *HostKeyError) addr() string {
	return knownhosts.Normalize(net.JoinHostPort(e.Host, strconv.Itoa(e.Port)))
}

// keyFileType maps a key type to the name OpenSSH gives its host key file.
func keyFileType(t string) string {
	switch {
	case t == ssh.KeyAlgoRSA:
		return "rsa"
	case strings.HasPrefix(t, "ecdsa-"):
		return "ecdsa"
	default:
		return "ed25519"
	}
}

// hostKeyChecker verifies host keys against known_hosts files and,
// if allowed, appends the key of an unknown host to the first file.
type hostKeyChecker struct {
	files  []string
	host   string
	port   int
	accept bool
	notice io.Writer
	db     ssh.HostKeyCallback // nil when no file exists yet

	mu  sync.Mutex
	err *HostKeyError // the refusal, kept because ssh wraps it in text
}

func newHostKeyChecker(files []string, host string, port int, accept bool, notice io.Writer) (*hostKeyChecker, error) {
	if len(files) == 0 {
		return nil, errors.New("no known_hosts file")
	}
	c := &hostKeyChecker{files: files, host: host, port: port, accept: accept, notice: notice}
	var exist []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			exist = append(exist, f)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("known hosts: %w", err)
		}
	}
	if len(exist) > 0 {
		db, err := knownhosts.New(exist...)
		if err != nil {
			return nil, fmt.Errorf("known hosts: %w", err)
		}
		c.db = db
	}
	return c, nil
}

func (c *hostKeyChecker) address() string {
	return net.JoinHostPort(c.host, strconv.Itoa(c.port))
}

// check is the ssh.HostKeyCallback.
func (c *hostKeyChecker) check(_ string, remote net.Addr, key ssh.PublicKey) error {
	var err error = &knownhosts.KeyError{}
	if c.db != nil {
		err = c.db(c.address(), remote, key)
	}
	if err == nil {
		return nil
	}
	he := &HostKeyError{Host: c.host, Port: c.port, KeyType: key.Type(), Fingerprint: ssh.FingerprintSHA256(key), KnownHostsFile: c.files[0]}
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	switch {
	case errors.As(err, &re):
		he.Revoked = true
		he.Known = []string{describeKnown(re.Revoked)}
	case errors.As(err, &ke) && len(ke.Want) > 0:
		he.Changed = true
		for _, k := range ke.Want {
			he.Known = append(he.Known, describeKnown(k))
			if !slices.Contains(he.knownFiles, k.Filename) {
				he.knownFiles = append(he.knownFiles, k.Filename)
			}
		}
	case errors.As(err, &ke):
		he.Unknown = true
		if c.accept {
			return c.add(key, he)
		}
	default:
		return fmt.Errorf("check host key: %w", err)
	}
	c.mu.Lock()
	c.err = he
	c.mu.Unlock()
	return he
}

func describeKnown(k knownhosts.KnownKey) string {
	return fmt.Sprintf("%s:%d: %s %s", k.Filename, k.Line, k.Key.Type(), ssh.FingerprintSHA256(k.Key))
}

// add appends the host's key to the first known_hosts file. It is only
// reached for a host with no key at all in known_hosts.
func (c *hostKeyChecker) add(key ssh.PublicKey, he *HostKeyError) error {
	file := c.files[0]
	line := knownhosts.Line([]string{knownhosts.Normalize(c.address())}, key)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return fmt.Errorf("add host key: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("add host key: %w", err)
	}
	if _, err := fmt.Fprintln(f, line); err != nil {
		f.Close()
		return fmt.Errorf("add host key to %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("add host key to %s: %w", file, err)
	}
	if c.notice != nil {
		fmt.Fprintf(c.notice, "added host key %s %s for %s to %s\n", he.KeyType, he.Fingerprint, he.addr(), file)
	}
	return nil
}

// refusal returns the HostKeyError that ended the handshake, if any.
func (c *hostKeyChecker) refusal() *HostKeyError {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// algorithms puts the host key algorithms of the keys known_hosts has
// for the host first, so that the server shows a key we can check. The
// others follow: a server without any known type then shows another key,
// which is refused as changed, a clearer error than "no common
// algorithm". An unknown host is asked for a plain key, never a host
// certificate: no @cert-authority vouches for it, and ssh too falls back
// to the plain key, which is what the user can check and trust.
func (c *hostKeyChecker) algorithms() []string {
	var plain []string
	for _, a := range ssh.SupportedAlgorithms().HostKeys {
		if !strings.Contains(a, "-cert-") {
			plain = append(plain, a)
		}
	}
	if c.db == nil {
		return plain
	}
	// The database has no lookup; asking it about a key it cannot know
	// returns every key it has for the host in KeyError.Want.
	probe, err := ssh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if err := c.db(c.address(), &net.TCPAddr{IP: net.IPv4zero, Port: c.port}, probe); !errors.As(err, &ke) {
		return nil
	}
	if len(ke.Want) == 0 {
		return plain
	}
	var algos []string
	seen := map[string]bool{}
	add := func(as ...string) {
		for _, a := range as {
			if !seen[a] {
				seen[a] = true
				algos = append(algos, a)
			}
		}
	}
	// A @cert-authority line vouches for the host certificates its key
	// signed, whatever their key type. For a host known by such lines
	// alone, certificates come first, as the CA key's own type would get
	// a plain key compared with the CA key. A host with a plain key too
	// is asked for that key, which needs no certificate to be valid. The
	// database gives CA lines among the plain keys; only the file tells
	// them apart.
	ca := certAuthorityLines(ke.Want)
	if !slices.Contains(ca, false) {
		for _, a := range ssh.SupportedAlgorithms().HostKeys {
			if strings.Contains(a, "-cert-") {
				add(a)
			}
		}
	}
	for i, k := range ke.Want {
		if !ca[i] {
			add(algorithmsForKeyType(k.Key.Type())...)
		}
	}
	if len(algos) == 0 {
		return nil
	}
	add(ssh.SupportedAlgorithms().HostKeys...)
	return algos
}

// certAuthorityLines reports which of keys come from @cert-authority
// lines of their known_hosts files.
func certAuthorityLines(keys []knownhosts.KnownKey) []bool {
	out := make([]bool, len(keys))
	files := map[string][]string{}
	for i, k := range keys {
		lines, ok := files[k.Filename]
		if !ok {
			// Split as knownhosts.Read numbers them: one per newline.
			if data, err := os.ReadFile(k.Filename); err == nil {
				lines = strings.Split(string(data), "\n")
			}
			files[k.Filename] = lines
		}
		if k.Line >= 1 && k.Line <= len(lines) {
			f := strings.Fields(lines[k.Line-1])
			out[i] = len(f) > 0 && f[0] == "@cert-authority"
		}
	}
	return out
}

// algorithmsForKeyType lists the signature algorithms a key type can be
// used with, best first.
func algorithmsForKeyType(t string) []string {
	if t == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{t}
}
