package profiles

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // zone names are checked the same way on every machine, with or without /usr/share/zoneinfo
	"unicode/utf8"
)

var hostnameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// checkHostname accepts a short host name: one RFC 1123 label, lowercase.
func checkHostname(s string) error {
	if strings.Contains(s, ".") {
		return fmt.Errorf("%q is not a short host name (expected one label like puffy; put the rest in system.domain)", s)
	}
	if !hostnameRE.MatchString(s) {
		return fmt.Errorf("%q is not a host name (expected lowercase letters, digits and inner dashes, at most 63)", s)
	}
	return nil
}

// checkDomain accepts a DNS domain such as example.org.
func checkDomain(s string) error {
	if len(s) > 253 {
		return fmt.Errorf("domain is longer than 253 characters")
	}
	if strings.HasSuffix(s, ".") && len(s) > 1 && checkDomain(strings.TrimSuffix(s, ".")) == nil {
		return fmt.Errorf("%q is not a domain name (expected it without the trailing dot, like %s)", s, strings.TrimSuffix(s, "."))
	}
	for _, label := range strings.Split(s, ".") {
		if !hostnameRE.MatchString(label) {
			return fmt.Errorf("%q is not a domain name (expected dot-separated labels of lowercase letters, digits and inner dashes, like example.org)", s)
		}
	}
	return nil
}

var (
	loginRE        = regexp.MustCompile(`^[a-z][-a-z0-9_]*$`)
	reservedLogins = []string{"root", "daemon", "operator", "bin", "build", "sshd", "www", "nobody", "ftp"}
	// answerLogins are what install.sub's user_setup reads as answers to
	// "Setup a user?" (no user; yes: ask again), never as logins.
	answerLogins = []string{"n", "no", "y", "yes"}
)

// checkLogin applies the installer's rule for the first user's login name
// (install.sub): a lowercase letter, then [-a-z0-9_], at most 31
// characters, not a system account nor one of the words the installer
// takes for an answer (n, no, y, yes). The installer silently skips the user
// otherwise.
func checkLogin(s string) error {
	switch {
	case len(s) > 31:
		return fmt.Errorf("login %q is longer than 31 characters", s)
	case !loginRE.MatchString(s):
		return fmt.Errorf("%q is not a login name (expected a lowercase letter, then lowercase letters, digits, - or _)", s)
	case slices.Contains(reservedLogins, s):
		return fmt.Errorf("%q is a system account (expected a name other than %s)", s, strings.Join(reservedLogins, ", "))
	case slices.Contains(answerLogins, s):
		return fmt.Errorf("%q is an answer to the installer's \"Setup a user?\", not a login (expected a name other than %s)", s, strings.Join(answerLogins, ", "))
	}
	return nil
}

// checkFullName applies the installer's rule (at most 100 characters, no
// colon, ampersand or comma, which passwd(5) gives meaning) and keeps shell
// quoting characters out.
// CheckFullName checks a user's full name as Load does; autoinstall asks
// it too, for plans made without Load.
func CheckFullName(s string) error { return checkFullName(s) }

func checkFullName(s string) error {
	switch {
	case utf8.RuneCountInString(s) > 100:
		return fmt.Errorf("full name is longer than 100 characters")
	case strings.ContainsAny(s, ":&,"):
		return fmt.Errorf("full name %q contains one of : & , (the passwd file gives them meaning)", s)
	case strings.ContainsAny(s, "\"\\$`"):
		return fmt.Errorf("full name %q contains one of \" \\ $ ` (they would be read by the shell)", s)
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("full name %q starts or ends with a blank (the installer would drop it)", s)
	case strings.Contains(s, " #") || strings.Contains(s, "\t#"):
		// The installer keeps it as part of the name (its response file
		// has no inline comments), but to a reader it is a comment.
		return fmt.Errorf("full name %q has a blank before # (it reads as a comment in install.conf; write it without the blank)", s)
	}
	return nil
}

// zoneNameRE is the shape of a tz database name: every part starts with
// an uppercase letter (Europe/Oslo, Etc/GMT+5, EST5EDT). The other files
// of a zoneinfo directory (localtime, posixrules, posix/..., right/...),
// which time.LoadLocation reads from the host's /usr/share/zoneinfo
// before its embedded copy, are not in the installer's list.
var zoneNameRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9_+-]*(/[A-Z][A-Za-z0-9_+-]*)*$`)

// checkTimezone accepts a zoneinfo name known to Go's time zone database.
func checkTimezone(s string) error {
	if s == "Local" || !zoneNameRE.MatchString(s) {
		return fmt.Errorf("%q is not a zoneinfo name (expected like Europe/Oslo or UTC)", s)
	}
	if _, err := time.LoadLocation(s); err != nil {
		return fmt.Errorf("%q is not a zoneinfo name (expected like Europe/Oslo or UTC)", s)
	}
	return nil
}

var keyboardRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)

// checkKeyboard accepts a kbd(8) layout name such as no, us.dvorak or
// de.nodead.
func checkKeyboard(s string) error {
	if !keyboardRE.MatchString(s) || len(s) > 32 {
		return fmt.Errorf("%q is not a kbd(8) layout name (expected like us, no or us.dvorak)", s)
	}
	return nil
}

// checkLine rejects characters that would start a new line or end a
// string early in any file fugu writes.
func checkLine(s string) error {
	if i := strings.IndexAny(s, "\n\r\x00"); i >= 0 {
		names := map[byte]string{'\n': "a newline", '\r': "a carriage return", 0: "a NUL byte"}
		return fmt.Errorf("contains %s (it would start a new line in a generated file; expected a single line)", names[s[i]])
	}
	return nil
}
