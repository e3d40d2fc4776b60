package autoinstall

import (
	"fmt"
	"strings"

	"fugu/profiles"
)

// system decides release, arch, names, keyboard and timezone.
func (b *builder) system() {
	p, prof := b.p, b.prof
	p.Release = firstNonEmpty(prof.Release, b.opts.Release, profiles.DefaultRelease)
	p.Arch = firstNonEmpty(prof.Arch, b.opts.Arch, profiles.DefaultArch)
	p.Version = profiles.SetVersion(p.Release)
	if p.Version == "" {
		b.fail("release", "%q is not an OpenBSD release (expected like 7.8)", p.Release)
	}
	if !contains(profiles.Arches, p.Arch) {
		b.fail("arch", "%q is not an OpenBSD architecture (expected one of %s)", p.Arch, strings.Join(profiles.Arches, ", "))
	}
	if b.facts != nil && b.facts.Arch != "" && b.facts.Arch != p.Arch {
		b.warn("arch", "%s, but the machine's dmesg is of %s", p.Arch, b.facts.Arch)
	}

	p.Hostname = firstNonEmpty(prof.System.Hostname, b.m.Name)
	if !hostnameRE.MatchString(p.Hostname) {
		b.fail("system.hostname", "%q: expected a short lowercase name (letters, digits, -; the domain goes in system.domain)", p.Hostname)
	}
	p.Domain = prof.System.Domain
	if p.Domain != "" && !domainRE.MatchString(p.Domain) {
		b.fail("system.domain", "%q: expected a lowercase DNS domain like example.org", p.Domain)
	}
	p.Keyboard = firstNonEmpty(prof.System.Keyboard, "default")
	if !keyboardRE.MatchString(p.Keyboard) {
		b.fail("system.keyboard", "%q: expected a kbd(8) layout name like no or us.swapctrlcaps", p.Keyboard)
	}
	// Offline, the installer asks the timezone after the sets with no
	// default, so an unset timezone would stop the install: say UTC.
	p.Timezone = firstNonEmpty(prof.System.Timezone, "UTC")
	b.check("system.timezone", checkTimezone(p.Timezone))
}

// accounts decides root, the first user, sshd and X.
func (b *builder) accounts() {
	p, prof := b.p, b.prof
	p.RootPasswordHash = prof.Root.PasswordHash
	b.check("root.password_hash", checkPasswordHash(p.RootPasswordHash))
	for i, k := range prof.Root.SSHKeys {
		b.check(fmt.Sprintf("root.ssh_keys[%d]", i), checkSSHKey(k))
	}
	p.RootSSHKeys = prof.Root.SSHKeys

	if u := prof.User; u != nil {
		up := &UserPlan{Login: u.Login, FullName: firstNonEmpty(u.FullName, u.Login), PasswordHash: u.PasswordHash, SSHKeys: u.SSHKeys}
		switch {
		case !loginRE.MatchString(u.Login):
			b.fail("user.login", "%q: expected a lowercase login (a letter, then letters, digits, - _; at most 31); the installer would silently create no user", u.Login)
		case contains(reservedLogins, u.Login):
			b.fail("user.login", "%q is a system account; the installer refuses it", u.Login)
		case contains(answerLogins, u.Login):
			b.fail("user.login", "%q is an answer to \"Setup a user?\" (no, or yes to be asked again), not a login: the installer would silently create no user", u.Login)
		}
		// The installer refuses : & , and writes the name into
		// master.passwd with ksh's echo, which reads backslash sequences:
		// \072 would become a : and \n a line of its own.
		if len(up.FullName) > 100 || strings.ContainsAny(up.FullName, ":&,\\") || checkAnswer(up.FullName) != nil {
			b.fail("user.full_name", "%q: expected one line of at most 100 characters without : & , \\ or blanks at the ends", up.FullName)
		} else if u.FullName != "" {
			b.check("user.full_name", profiles.CheckFullName(u.FullName))
		}
		b.check("user.password_hash", checkPasswordHash(u.PasswordHash))
		for i, k := range u.SSHKeys {
			b.check(fmt.Sprintf("user.ssh_keys[%d]", i), checkSSHKey(k))
		}
		p.User = up
	}

	p.SSHD = prof.SSHD.Enabled == nil || *prof.SSHD.Enabled
	p.RootLogin = firstNonEmpty(prof.SSHD.RootLogin, "no")
	if !contains([]string{"yes", "no", "prohibit-password"}, p.RootLogin) {
		b.fail("sshd.root_login", "%q: expected yes, no or prohibit-password", p.RootLogin)
	}
	// The installer's defaults: X yes (it only allows the aperture), xenodm no.
	p.X11 = prof.X11.Enabled == nil || *prof.X11.Enabled
	p.Xenodm = prof.X11.Xenodm != nil && *prof.X11.Xenodm
	if p.Xenodm && !p.X11 {
		b.fail("x11.xenodm", "true needs x11.enabled: true (the installer skips the xenodm question otherwise)")
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
