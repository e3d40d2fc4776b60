package profiles

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"fugu/firewall"
	"fugu/packages"
)

var serverHostRE = regexp.MustCompile(`^[A-Za-z0-9._\[\]:-]+$`)

// checkServer accepts http(s)://host[:port] with no path: the installer's
// "HTTP Server?" answer takes a host, the directory is asked separately.
func checkServer(s string) error {
	u, err := url.Parse(s)
	bad := fmt.Errorf("%q is not a set server (expected http://HOST or https://HOST[:PORT] with no path, like http://192.0.2.10)", firewall.RedactURL(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || !serverHostRE.MatchString(u.Host) {
		return bad
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad
		}
	}
	return nil
}

var dirRE = regexp.MustCompile(`^/?[A-Za-z0-9._+~-]+(/[A-Za-z0-9._+~-]+)*$`)

// checkSetsDirectory accepts a relative path on the set server.
func checkSetsDirectory(s string) error {
	if !dirRE.MatchString(s) {
		return fmt.Errorf("%q is not a server directory (expected a path of letters, digits and . _ + ~ - like pub/OpenBSD/7.8/amd64)", s)
	}
	for _, part := range strings.Split(strings.TrimPrefix(s, "/"), "/") {
		if part == ".." || part == "." {
			return fmt.Errorf("%q: . and .. are not allowed in the server directory", s)
		}
	}
	return nil
}

var selectRE = regexp.MustCompile(`^[+-]?[A-Za-z0-9._*?\[\]!-]+$`)

// checkSelect accepts one "Set name(s)?" token: name, +glob or -glob, or
// all. done and abort are fugu's to say.
func checkSelect(s string) error {
	t := s
	if t != "" && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	switch {
	case t == "done" || t == "abort":
		return fmt.Errorf("%q ends set selection early (fugu answers done itself)", s)
	case !selectRE.MatchString(s) || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") || t == "":
		return fmt.Errorf("%q is not a set token (expected a name or glob, optionally with + or -, like -game* or +site*)", s)
	}
	if _, err := path.Match(t, ""); err != nil {
		return fmt.Errorf("%q is not a valid glob", s)
	}
	return nil
}

var pkgRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*(%[A-Za-z0-9._+-]+)?$`)

// checkPackage checks a package name as pkg_add takes it: stem,
// stem--flavors, stem%branch or a full name; no blanks, no leading dash,
// nothing the shell would read, and in the grammar packages.ParseName
// reads (no empty flavor, no stem ending in a dash), which the pkg_add -l
// file is written in.
func checkPackage(s string) error {
	if !pkgRE.MatchString(s) || len(s) > 128 {
		return fmt.Errorf("%q is not a package name (expected like vim, vim--no_x11, python--%%3.12 or a full name like vim-9.1.0707-no_x11)", s)
	}
	if _, err := packages.ParseName(s); err != nil {
		return fmt.Errorf("%w (expected like vim, vim--no_x11, python--%%3.12 or a full name like vim-9.1.0707-no_x11)", err)
	}
	return nil
}

// checkFirmware accepts auto or none.
func checkFirmware(s string) error {
	if s != "auto" && s != "none" {
		return fmt.Errorf("%q is not a firmware setting (expected auto or none)", s)
	}
	return nil
}

// checkRootLogin accepts sshd's root login answers.
func checkRootLogin(s string) error {
	switch s {
	case "yes", "no", "prohibit-password":
		return nil
	}
	return fmt.Errorf("%q is not a root login setting (expected yes, no or prohibit-password)", s)
}

// checkPassphrase accepts a disk encryption passphrase as the installer
// reads it: one line, no leading or trailing blanks. It is a secret and
// never quoted back.
func checkPassphrase(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("required (the passphrase for the encrypted root disk)")
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("passphrase starts or ends with a blank (the installer would drop it)")
	case !printableASCII(s):
		return fmt.Errorf("passphrase must be printable ASCII")
	}
	return nil
}
