package profiles

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// HintPasswd is the hint shown when a password is not a bcrypt hash.
const HintPasswd = "run `fugu passwd` to make a bcrypt hash"

// DisabledPassword is the installer's value for "no password login".
const DisabledPassword = "*************"

var bcryptRE = regexp.MustCompile(`^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$`)

// checkPasswordHash accepts what the installer stores as given: a bcrypt
// hash ($2a$, $2b$ or $2y$, two-digit cost, 53 characters of salt and
// hash) or exactly 13 asterisks. Anything else the installer would hash
// again as if it were the password, so it is refused. The value is never
// repeated in the message: it may be a password.
func checkPasswordHash(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("required (a bcrypt hash, or %q to disable password login; %s)", DisabledPassword, HintPasswd)
	case s == DisabledPassword || bcryptRE.MatchString(s):
		if s != DisabledPassword && (s[4:6] < "04" || s[4:6] > "31") {
			return fmt.Errorf("bcrypt cost %s is out of range (expected 04 to 31)", s[4:6])
		}
		return nil
	case strings.HasPrefix(s, "$2"):
		return fmt.Errorf("not a complete bcrypt hash (expected $2b$NN$ and 53 characters, 60 in all; %s)", HintPasswd)
	case strings.HasPrefix(s, "$"):
		return fmt.Errorf("not a bcrypt hash: other hash formats would be hashed again by the installer (%s)", HintPasswd)
	case strings.Trim(s, "*") == "":
		return fmt.Errorf("disabled login is exactly 13 asterisks (found %d)", len(s))
	}
	return fmt.Errorf("looks like a plaintext password, which must never be stored in a profile (%s)", HintPasswd)
}

// openBSDHash returns a $2y$ bcrypt hash (PHP's, htpasswd's) as $2b$, the
// same algorithm under the name OpenBSD's bcrypt reads: it refuses $2y$,
// and the installer stores a hash as given, so the account would have no
// password that works. Anything else is returned as is.
func openBSDHash(s string) string {
	if strings.HasPrefix(s, "$2y$") && bcryptRE.MatchString(s) {
		return "$2b$" + s[len("$2y$"):]
	}
	return s
}

// SSHKeyTypes are the public key types fugu accepts in authorized_keys
// lines.
var SSHKeyTypes = []string{
	"ssh-ed25519", "ssh-rsa",
	"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
}

// checkSSHKey accepts one authorized_keys line without options: a known
// type, a base64 blob that decodes and names the same type, and an
// optional comment.
func checkSSHKey(s string) error {
	if err := checkLine(s); err != nil {
		return err
	}
	fields := strings.Fields(s)
	if len(fields) < 2 {
		return fmt.Errorf("not an ssh public key line (expected TYPE BASE64 [COMMENT], like ssh-ed25519 AAAA... you@host)")
	}
	typ, blob := fields[0], fields[1]
	if !slices.Contains(SSHKeyTypes, typ) {
		return fmt.Errorf("unknown ssh key type %q (expected one of: %s; key options are not supported)", typ, strings.Join(SSHKeyTypes, ", "))
	}
	raw, err := base64.StdEncoding.DecodeString(blob)
	if err != nil {
		return fmt.Errorf("ssh key data is not valid base64")
	}
	parts, ok := wireStrings(raw)
	if !ok || len(parts) == 0 || !bytes.Equal(parts[0], []byte(typ)) || !keyShapeOK(typ, parts) {
		return fmt.Errorf("ssh key data does not match its type %s (a truncated or pasted-together key?)", typ)
	}
	if strings.ContainsAny(s, "\"'\\$`") {
		return fmt.Errorf("ssh key line contains one of \" ' \\ $ ` (expected TYPE BASE64 [COMMENT] with a plain comment)")
	}
	return nil
}

// wireStrings splits an SSH wire-format blob into its length-prefixed
// strings; the blob must end exactly after the last one.
func wireStrings(b []byte) ([][]byte, bool) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, false
		}
		out = append(out, b[4:4+n])
		b = b[4+n:]
	}
	return out, true
}

// keyShapeOK checks the number and sizes of a public key's fields
// (RFC 4253, 5656, 8709 and OpenSSH's PROTOCOL.u2f).
func keyShapeOK(typ string, parts [][]byte) bool {
	switch typ {
	case "ssh-ed25519":
		return len(parts) == 2 && len(parts[1]) == 32
	case "sk-ssh-ed25519@openssh.com":
		return len(parts) == 3 && len(parts[1]) == 32
	case "ssh-rsa":
		return len(parts) == 3 && len(parts[2]) >= 128
	case "sk-ecdsa-sha2-nistp256@openssh.com":
		return len(parts) == 4 && string(parts[1]) == "nistp256"
	default: // ecdsa-sha2-nistpNNN
		return len(parts) == 3 && string(parts[1]) == strings.TrimPrefix(typ, "ecdsa-sha2-")
	}
}
