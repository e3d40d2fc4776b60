package profiles

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

var filePathRE = regexp.MustCompile(`^/[A-Za-z0-9._+@%,:~/-]+$`)

// generatedFiles are written by fugu itself from other keys; a files:
// entry would silently fight with them. /etc/installurl is not among them:
// the installer points it at the set server, and a site may well want a
// real mirror there after the install.
var generatedFiles = map[string]string{
	"/etc/doas.conf":             "the doas key",
	"/install.site":              "fugu's own install.site",
	"/etc/rc.firsttime":          "fugu's first-boot script (packages, firmware)",
	"/etc/hostname.*":            "the network key",
	"/upgrade.site":              "fugu's own upgrade.site",
	"/root/.ssh/authorized_keys": "the root.ssh_keys key",
}

// baseDirs are directories every OpenBSD install has (etc/mtree/4.4BSD.dist,
// and what the sets and the installer make): install.site cannot put a
// file there, and stops, leaving the rest of the files out.
var baseDirs = map[string]bool{
	"/altroot": true, "/bin": true, "/dev": true, "/etc": true, "/home": true, "/mnt": true,
	"/root": true, "/sbin": true, "/tmp": true, "/usr": true, "/var": true,
	"/etc/examples": true, "/etc/firmware": true, "/etc/iked": true, "/etc/isakmpd": true,
	"/etc/ldap": true, "/etc/mail": true, "/etc/mtree": true, "/etc/npppd": true, "/etc/ppp": true,
	"/etc/rc.d": true, "/etc/signify": true, "/etc/skel": true, "/etc/ssh": true, "/etc/ssl": true,
	"/etc/ssl/private": true, "/usr/X11R6": true, "/usr/bin": true, "/usr/include": true,
	"/usr/lib": true, "/usr/libdata": true, "/usr/libexec": true, "/usr/local": true,
	"/usr/local/bin": true, "/usr/local/include": true, "/usr/local/lib": true,
	"/usr/local/libexec": true, "/usr/local/sbin": true, "/usr/local/share": true,
	"/usr/mdec": true, "/usr/obj": true, "/usr/sbin": true, "/usr/share": true, "/usr/src": true,
	"/var/backups": true, "/var/cron": true, "/var/cron/tabs": true, "/var/db": true,
	"/var/empty": true, "/var/log": true, "/var/mail": true, "/var/nsd": true, "/var/run": true,
	"/var/spool": true, "/var/tmp": true, "/var/unbound": true, "/var/www": true,
	"/var/www/cgi-bin": true, "/var/www/conf": true, "/var/www/htdocs": true, "/var/www/logs": true,
}

// kernels are the installer's: a file put over one leaves the machine
// unable to boot.
var kernels = map[string]bool{"/bsd": true, "/bsd.mp": true, "/bsd.rd": true, "/bsd.sp": true}

// checkFilePath accepts an absolute, clean path to a file, made of
// characters that need no quoting in a shell script, and not one of the
// files fugu generates from other keys, a directory of the base system
// or a kernel.
func checkFilePath(p string) error {
	if !filePathRE.MatchString(p) {
		return fmt.Errorf("%q is not a file path (expected an absolute path of letters, digits and . _ + @ %% , : ~ - /)", p)
	}
	if path.Clean(p) != p || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
		return fmt.Errorf("%q is not a clean path (expected %s: no .., no // and no trailing /)", p, path.Clean(p))
	}
	if strings.HasPrefix(path.Base(p), "hostname.") && path.Dir(p) == "/etc" {
		return fmt.Errorf("%s is written by fugu from %s", p, generatedFiles["/etc/hostname.*"])
	}
	if from, ok := generatedFiles[p]; ok {
		return fmt.Errorf("%s is written by fugu from %s", p, from)
	}
	if baseDirs[p] {
		return fmt.Errorf("%s is a directory of the base system (expected the path of a file in it, like %s/NAME)", p, p)
	}
	if kernels[p] {
		return fmt.Errorf("%s is a kernel the installer writes (expected the path of another file)", p)
	}
	return nil
}

// BaseSystemPath says why p cannot be a file a profile installs: it is a
// directory of the base system or a kernel. It is "" for any other path.
// autoinstall asks it too, for plans made without Load.
func BaseSystemPath(p string) string {
	switch {
	case baseDirs[p]:
		return "a directory of the base system"
	case kernels[p]:
		return "a kernel the installer writes"
	}
	return ""
}

var modeRE = regexp.MustCompile(`^0?[0-7]{3}$|^[0-7]{4}$`)

// checkMode accepts an octal mode from 0000 to 7777 (quote it in YAML:
// "0644").
func checkMode(s string) error {
	if !modeRE.MatchString(s) {
		return fmt.Errorf("%q is not an octal mode (expected like \"0644\", 0000 to 7777)", s)
	}
	return nil
}

var ownerNameRE = regexp.MustCompile(`^([a-z_][a-z0-9_-]{0,31}|[0-9]{1,10})$`)

// checkOwner accepts user or user:group (names or numeric ids).
func checkOwner(s string) error {
	user, group, hasGroup := strings.Cut(s, ":")
	if !ownerNameRE.MatchString(user) || hasGroup && !ownerNameRE.MatchString(group) {
		return fmt.Errorf("%q is not an owner (expected user or user:group, like root:wheel)", s)
	}
	return nil
}
