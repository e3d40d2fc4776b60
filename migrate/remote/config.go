package remote

import (
	"io"
	"time"

	"github.com/pkg/sftp"
)

// Config says how Dial connects. The zero value is usable and behaves
// like ssh(1) with the user's ~/.ssh/config and ~/.ssh/known_hosts.
type Config struct {
	// KnownHostsFile is the known_hosts file that host keys are checked
	// against and that AcceptNewHostKey appends to. Default: the
	// ssh_config UserKnownHostsFile, else ~/.ssh/known_hosts (and
	// ~/.ssh/known_hosts2, read only), and then /etc/ssh/ssh_known_hosts
	// is read as well.
	KnownHostsFile string
	// AcceptNewHostKey adds the key of a host that is not in
	// KnownHostsFile and prints what it added to Notice, which must then
	// be set. A changed key is always refused.
	AcceptNewHostKey bool
	// IdentityFiles are private keys tried after the agent's and before
	// the ssh_config IdentityFile entries. ~/.ssh/id_ed25519, id_ecdsa and
	// id_rsa are tried only when neither names a key, as ssh does.
	IdentityFiles []string
	// SSHConfigFile is the ssh_config to read. Default ~/.ssh/config (a
	// missing file is fine); "none" reads none, like ssh -F none.
	SSHConfigFile string
	// User overrides the login user of the target and of ssh_config.
	User string
	// NoAgent skips ssh-agent even when SSH_AUTH_SOCK is set (tests).
	NoAgent bool
	// Timeout bounds the TCP connect and the SSH handshake, not counting
	// the time a key's passphrase is asked and the key decrypted.
	// Default 15s.
	Timeout time.Duration
	// KeepAlive is the interval between keepalive@openssh.com requests;
	// after KeepAliveMax unanswered ones in a row the connection is
	// closed, so a dead link fails the running operation instead of
	// hanging it. Default 15s and 3; a negative KeepAlive disables them.
	KeepAlive    time.Duration
	KeepAliveMax int
	// Passphrase is asked for the passphrase of an encrypted key, only
	// when the server accepts that key. Nil: encrypted keys are skipped
	// (with a note on Notice) unless the agent holds them.
	Passphrase func(keyFile string) ([]byte, error)
	// Notice receives what the user must know: added host keys, skipped
	// keys, ignored ssh_config directives. Nil discards.
	Notice io.Writer
	// DoasPath is the doas(1) used for Command.AsRoot. Default "doas",
	// found on the remote PATH.
	DoasPath string
	// AlwaysDoas uses doas for AsRoot even when logged in as root, where
	// fugu otherwise runs the command directly (doas.conf needs an
	// explicit rule even for root). Tests use it with a stub doas.
	AlwaysDoas bool
	// Ciphers overrides the cipher preference (see DefaultCiphers).
	Ciphers []string
	// SFTPOptions are added after fugu's defaults (concurrent reads and
	// writes) when the SFTP client is opened.
	SFTPOptions []sftp.ClientOption
	// LoginShell is the login shell of the user on the host, when known
	// (tests). "": read from the host's /etc/passwd over SFTP, else asked
	// with a command.
	LoginShell string
}

const (
	defaultTimeout      = 15 * time.Second
	defaultKeepAlive    = 15 * time.Second
	defaultKeepAliveMax = 3
)
