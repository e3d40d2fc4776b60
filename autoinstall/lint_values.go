package autoinstall

import (
	"net/netip"
	"path"
	"strconv"
	"strings"
)

// value checks an answer against what its question accepts (reference
// section 3: some refusals stop the install, others make the installer
// ask again and silently take its default).
func (l *linter) value(a *answer) {
	v, n := a.value, a.line
	q := a.q.text
	stops := func(what string) { l.add(n, Error, "%q is not %s: the install stops at %q", v, what, q) }
	defaults := func(what, def string) {
		l.add(n, Error, "%q is not %s: the installer asks %q again and silently takes %s", v, what, q, def)
	}
	lower := strings.ToLower(v)
	kind, letters, _ := strings.Cut(a.q.kind, ":")
	switch kind {
	case "yesno":
		if !contains([]string{"y", "yes", "n", "no"}, lower) {
			stops("yes or no")
		}
		if a.fam == "verify" && (lower == "y" || lower == "yes") && keyMatches(signatureQuestion, strings.ToLower(a.key), false, true) {
			l.add(n, Warning, "%q also says yes to \"Signature check of SHA256.sig failed. Continue without verification?\": sets whose signed list fails its check are then installed unchecked (key the yes by its issue, like \"Unverified sets:\" for a site set)", a.key)
		}
	case "letter":
		switch {
		case letters == "owp" && (len(lower) != 1 || strings.IndexByte(letters, lower[0]) < 0):
			// ieee80211_config matches the whole answer, ??-[Oo],
			// 1?-[Ww] and ?1-[Pp]: WPA-PSK or Open are refused.
			defaults("O, W or P (the one letter alone)", "O, an open network")
		case strings.IndexByte(letters, lower[0]) < 0:
			defaults("one of "+letters+" (first letter)", "the default")
		}
	case "table":
		valid := "wge"
		if strings.Contains(q, "(O)penBSD") {
			valid = "wgoe"
		}
		switch {
		case lower[0] == 'e':
			l.add(n, Error, "%q opens the interactive fdisk editor, which cannot run unattended", v)
		case lower[0] == 'o':
			l.add(n, Warning, "%q keeps the existing OpenBSD area; it is offered only when the disk already has one (otherwise the answer is refused and the default taken)", v)
		case strings.IndexByte(valid, lower[0]) < 0:
			defaults("W, G or E (first letter)", "the default (gpt when booted by EFI, else whole)")
		}
	case "layout":
		switch lower[0] {
		case 'a':
		case 'e', 'c':
			l.add(n, Error, "%q opens the disklabel editor, which reads end-of-file in autoinstall: the install stops with '/' must be configured", v)
		default:
			defaults("A, E or C (first letter)", "a")
		}
	case "netif":
		if v != "done" && !ifNameRE.MatchString(v) && !macRE.MatchString(v) && !strings.HasPrefix(v, "vlan") {
			if macRE.MatchString(lower) {
				l.add(n, Error, "%q: a MAC must be lowercase, as ifconfig prints it; the install stops", v)
			} else {
				stops("an interface name, a lowercase MAC or done")
			}
		}
	case "hostname":
		if strings.ContainsAny(v, " \t") || hasControl(v) {
			l.add(n, Error, "%q: a host name has no blanks", v)
		}
	case "ipv4":
		if !contains([]string{"autoconf", "a", "dhcp", "none"}, v) && !validAddr(v, 4) {
			stops("autoconf, dhcp, none, or an IPv4 address[/prefix]")
		}
	case "ipv6":
		if !contains([]string{"autoconf", "a", "none"}, v) && !validAddr(v, 6) {
			stops("autoconf, none, or an IPv6 address[/prefix]")
		}
	case "netmask":
		if a, err := netip.ParseAddr(v); err != nil || !a.Is4() {
			stops("a dotted netmask")
		}
	case "int":
		if _, err := strconv.Atoi(v); err != nil {
			stops("a number")
		}
	case "route4":
		if a, err := netip.ParseAddr(v); v != "none" && (err != nil || !a.Is4()) {
			stops("an IPv4 address or none")
		}
	case "route6":
		if a, err := netip.ParseAddr(v); v != "none" && (err != nil || !a.Is6()) {
			stops("an IPv6 address or none")
		}
	case "dns":
		if v != "none" {
			for _, f := range strings.Fields(v) {
				if _, err := netip.ParseAddr(f); err != nil {
					l.add(n, Error, "%q is not an IP address (expected a blank-separated list or none)", f)
				}
			}
		}
	case "domain":
		if !domainRE.MatchString(lower) {
			l.add(n, Warning, "%q does not look like a DNS domain", v)
		}
	case "password":
		switch {
		case v == "*************" || bcryptRE.MatchString(v):
		case bcryptRE.MatchString("$2b$" + strings.TrimPrefix(v, "$2y$")):
			l.add(n, Error, "a $2y$ hash is stored as given, but OpenBSD's bcrypt reads only $2a$ and $2b$: the account could not log in with a password (write it as $2b$, the same algorithm)")
		case strings.HasPrefix(v, "$"):
			l.add(n, Error, "the password looks like a hash but not bcrypt ($2b$NN$, 60 characters): the installer hashes it again as if it were the password")
		default:
			l.add(n, Warning, "the password is in plain text: it is hashed by the installer, but anyone who reads this file knows it (give a bcrypt hash)")
		}
	case "essid":
		if v == "?" || strings.Trim(v, "0123456789") == "" {
			l.add(n, Error, "%q is read as a scan list number or ?, not as an ESSID: the installer asks again and silently takes any (an open network)", v)
		}
	case "wpa":
		if !hexWPAKeyRE.MatchString(v) && (len(v) < 8 || len(v) > 63) {
			l.add(n, Error, "a WPA passphrase has 8 to 63 characters (or 0x and 64 hex digits); the interface does not configure")
		}
	case "sshkey":
		if v != "none" && !sshKeyRE.MatchString(v) {
			l.add(n, Warning, "%q does not look like one authorized_keys line", v)
		}
	case "login":
		switch {
		case contains(answerLogins, v):
		case !loginRE.MatchString(v) || contains(reservedLogins, v):
			l.add(n, Error, "%q is not a login the installer accepts (a lowercase letter, then letters, digits, - _; not a system account): it asks again and silently creates no user", v)
		}
	case "fullname":
		switch {
		case len(v) > 100 || strings.ContainsAny(v, ":&,"):
			l.add(n, Error, "%q: a full name has at most 100 characters and no : & ,; the installer refuses it", v)
		case strings.Contains(v, "\\"):
			l.add(n, Error, "%q has a backslash: the installer writes the name into master.passwd with echo, which turns \\072 into : and \\n into a new line", v)
		}
	case "rootlogin":
		if !contains([]string{"yes", "y", "no", "n", "prohibit-password", "without-password", "p", "w"}, lower) {
			stops("yes, no or prohibit-password")
		}
	case "tz":
		if err := checkTimezone(v); err != nil {
			l.add(n, Error, "%v", err)
		}
	case "disk":
		if !diskRE.MatchString(v) && !duidRE.MatchString(v) {
			stops("a disk name like sd0 or a DUID")
		}
	case "template":
		switch {
		case v == "none":
		case strings.HasPrefix(v, "http://"):
		case strings.HasPrefix(v, "https://"):
			l.add(n, Warning, "an https template URL works only when the ramdisk has TLS certificates")
		default:
			l.add(n, Error, "%q is not an http:// URL or none: the template fetch fails and the install stops", v)
		}
	case "initdisk":
		switch {
		case lower == "done" && v != "done":
			stops("done in lowercase (ask_which compares it exactly)")
		case v != "done":
			l.add(n, Error, "%q: other disks get the interactive disklabel editor, which cannot run unattended (answer done, and prepare them in install.site)", v)
		}
	case "location":
		switch {
		case lower == "done" && v != "done":
			l.add(n, Error, "%q is read as disk (its first letter): only done in lowercase ends the sets", v)
		case v != "done" && strings.IndexByte("cdhn", lower[0]) < 0:
			stops("cd, disk, http, nfs or done")
		}
	case "proxy":
		if v != "none" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			l.add(n, Warning, "%q is not a URL or none", v)
		}
	case "httpserver":
		host := v
		if h, ok := strings.CutPrefix(v, "http://"); ok {
			host = h
		} else if h, ok := strings.CutPrefix(v, "https://"); ok {
			host = h
		} else if v != "done" {
			l.add(n, Warning, "%q has no http:// prefix: the installer first tries HTTPS and waits for it to fail", v)
		}
		if v != "done" && !hostPortRE.MatchString(host) {
			defaults("a host name or address without a path", "its default")
		}
	case "speed":
		if !contains([]string{"9600", "19200", "38400", "57600", "115200", "done"}, v) {
			stops("a console speed (9600 19200 38400 57600 115200)")
		}
	case "sets":
		for _, t := range strings.Fields(v) {
			if g := strings.TrimLeft(t, "+-"); g != "" && g != "all" {
				if _, err := path.Match(setGlob(g), ""); err != nil {
					l.add(n, Error, "%q is not a valid set pattern", t)
				}
			}
		}
	}
}

func validAddr(v string, family int) bool {
	if strings.Contains(v, "/") {
		_, err := parseAddr(v, family)
		return err == nil
	}
	a, err := netip.ParseAddr(v)
	return err == nil && (family == 4) == a.Is4() && a.Zone() == ""
}

// signatureQuestion is the question a directory whose SHA256.sig fails
// signify's check asks.
var signatureQuestion = parseQuestion("Signature check of SHA256.sig failed. Continue without verification?")
