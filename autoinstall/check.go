package autoinstall

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// Validators for values that end up in a response file, a shell script or
// a hostname.if file. Each returns an error that says what was expected.

var (
	hostnameRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	domainRE    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
	machineRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	loginRE     = regexp.MustCompile(`^[a-z][-a-z0-9_]{0,30}$`)
	bcryptRE    = regexp.MustCompile(`^\$2[ab]\$[0-9]{2}\$[./A-Za-z0-9]{53}$`) // what OpenBSD's bcrypt.c reads
	diskRE      = regexp.MustCompile(`^[a-z]+[0-9]+$`)
	duidRE      = regexp.MustCompile(`^[0-9a-f]{16}$`)
	ifNameRE    = regexp.MustCompile(`^[a-z]+[0-9]+$`)
	macRE       = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2}){5}$`)
	tzRE        = regexp.MustCompile(`^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$`)
	setNameRE   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`)
	setTokenRE  = regexp.MustCompile(`^[-+]?[A-Za-z0-9*?.\[\]!_-]+$`)
	pkgRE       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+%-]*$`)
	ownerRE     = regexp.MustCompile(`^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$`)
	filePathRE  = regexp.MustCompile(`^(/[A-Za-z0-9._+@,=-]+)+$`)
	mountRE     = regexp.MustCompile(`^/([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?$`)
	keyboardRE  = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	sshKeyRE    = regexp.MustCompile(`^[a-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\x00-\x1f\x7f]*)?$`)
	hexWPAKeyRE = regexp.MustCompile(`^0x[0-9a-fA-F]{64}$`)
)

// reservedLogins are the names the installer refuses at "Setup a user?".
var reservedLogins = []string{"root", "daemon", "operator", "bin", "build", "sshd", "www", "nobody", "ftp"}

// answerLogins are what "Setup a user?" reads as an answer, not a login:
// n and no set up no user, y and yes ask again with the default no.
var answerLogins = []string{"n", "no", "y", "yes"}

// zoneDirs are the zoneinfo directories: naming one makes the installer
// ask a sub-timezone question that has no default. The installer lists
// nested directories too (ls -1dF over every name in the tree).
var zoneDirs = []string{"Africa", "America", "America/Argentina", "America/Indiana", "America/Kentucky", "America/North_Dakota", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Brazil", "Canada", "Chile", "Etc", "Europe", "Indian", "Mexico", "Pacific", "US", "posix", "right"}

// checkAnswer checks a value for a response file line: the installer
// trims blanks and reads one line, so a value must be one line without
// CR and without blanks at either end, and must not be empty.
func checkAnswer(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("empty (the installer would ignore the line and use its default)")
	case strings.ContainsAny(v, "\n\r"):
		return fmt.Errorf("contains a line break (it would end the answer and start another line)")
	case strings.TrimSpace(v) != v:
		return fmt.Errorf("starts or ends with a blank (the installer trims it)")
	case hasControl(v):
		return fmt.Errorf("contains a control character")
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return true
		}
	}
	return false
}

func checkPasswordHash(h string) error {
	if h == "*************" || bcryptRE.MatchString(h) {
		return nil
	}
	if h == "" {
		return fmt.Errorf("required (a bcrypt hash from `fugu passwd`, or 13 asterisks to disable password login)")
	}
	return fmt.Errorf("not a bcrypt hash ($2b$NN$ and 53 characters; the installer would hash anything else again as if it were the password)")
}

func checkSSHKey(k string) error {
	if err := checkAnswer(k); err != nil {
		return err
	}
	if !sshKeyRE.MatchString(k) {
		return fmt.Errorf("not an authorized_keys line (expected TYPE BASE64 [COMMENT], like ssh-ed25519 AAAA... admin@example.org)")
	}
	return nil
}

// checkNetstartWord checks an ESSID or WPA key for a double-quoted word in
// hostname.if: netstart reads the line with read (no -r) and evals it, so
// " \ $ ` and line breaks change the command, and runs of blanks collapse.
func checkNetstartWord(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty")
	case strings.ContainsAny(s, "\n\r"):
		return fmt.Errorf("contains a line break")
	case strings.ContainsAny(s, "\"\\$`"):
		return fmt.Errorf("contains one of \" \\ $ ` (netstart would interpret it)")
	case strings.Contains(s, "  ") || strings.Contains(s, "\t"):
		return fmt.Errorf("contains a tab or a run of blanks (netstart collapses them)")
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("starts or ends with a blank (the installer trims it)")
	case hasControl(s):
		return fmt.Errorf("contains a control character")
	}
	for _, r := range s {
		if r > 0x7e {
			return fmt.Errorf("contains a non-ASCII character (expected printable ASCII)")
		}
	}
	return nil
}

func checkWPAKey(k string) error {
	if err := checkNetstartWord(k); err != nil {
		return err
	}
	if hexWPAKeyRE.MatchString(k) || len(k) >= 8 && len(k) <= 63 {
		return nil
	}
	return fmt.Errorf("%d characters (a WPA passphrase has 8 to 63 characters, or 0x and 64 hex digits)", len(k))
}

func checkTimezone(tz string) error {
	if !tzRE.MatchString(tz) || strings.Contains(tz, "..") {
		return fmt.Errorf("%q is not a zoneinfo name (expected like Europe/Oslo or UTC)", tz)
	}
	if contains(zoneDirs, tz) {
		return fmt.Errorf("%q is a zoneinfo directory; the installer would ask for a sub-timezone (expected like %s/...)", tz, tz)
	}
	return nil
}

// parseAddr parses ADDRESS/PREFIX of the given family (4 or 6).
func parseAddr(s string, family int) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || (family == 4) != p.Addr().Is4() || p.Addr().Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q: expected an IPv%d ADDRESS/PREFIX", s, family)
	}
	return p, nil
}

// netmask renders an IPv4 prefix length as a dotted netmask.
func netmask(bits int) string {
	m := ^uint32(0) << (32 - bits)
	if bits == 0 {
		m = 0
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// setGlob turns a set pattern, which select_sets matches with ksh's
// [[ $_f == $resp ]], into path.Match's form: ksh negates a bracket
// expression with [!...], path.Match with [^...].
func setGlob(g string) string { return strings.ReplaceAll(g, "[!", "[^") }

// shellQuote single-quotes a value that has already been checked to hold
// no single quote.
func shellQuote(s string) string { return "'" + s + "'" }
