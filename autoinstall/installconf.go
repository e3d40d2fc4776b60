package autoinstall

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// conf writes response file lines. Keys are the installer's question text
// up to the "?", so that no key can be taken by an earlier question; each
// value is checked once more so that no value can start a new line.
type conf struct {
	buf  bytes.Buffer
	errs []error
}

func (c *conf) comment(s string) { c.buf.WriteString("# " + s + "\n") }

func (c *conf) add(key, value string) {
	if err := checkAnswer(value); err != nil {
		c.errs = append(c.errs, fmt.Errorf("answer to %q: %w", key, err))
		return
	}
	c.buf.WriteString(key + " = " + value + "\n")
}

func (c *conf) bytes() ([]byte, error) {
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return c.buf.Bytes(), nil
}

func yesno(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// renderInstallConf writes the answers in the order the installer asks
// (reference section 4).
func renderInstallConf(p *Plan) ([]byte, error) {
	c := &conf{}
	c.comment("install.conf for " + p.Machine + ", written by fugu: one answer per question, keys as the installer asks them")
	c.add("Choose your keyboard layout", p.Keyboard)
	c.add("System hostname", p.Hostname)
	for i, in := range p.Interfaces {
		c.add("Network interface to configure", in.Name)
		name := " " + in.Name
		if in.ByMAC {
			// The follow-up questions name the driver, which fugu may not
			// know: keys without the name are used in order.
			name = ""
		}
		if in.Wireless && len(in.Networks) == 0 {
			c.errs = append(c.errs, fmt.Errorf("interface %s: wireless without a network", in.Name))
			continue
		}
		if in.Wireless {
			nw := in.Networks[0]
			c.add("Access point", nw.SSID)
			if nw.WPAKey != "" {
				c.add("Security protocol", "P")
				c.add("WPA passphrase", nw.WPAKey)
			} else {
				c.add("Security protocol", "O")
			}
		}
		if i > 0 {
			c.add("Symbolic (host) name for"+name, p.Hostname)
		}
		c.add("IPv4 address for"+name, in.IPv4)
		c.add("IPv6 address for"+name, in.IPv6)
	}
	if !p.NetDefault {
		c.add("Network interface to configure", "done")
	}
	if p.Gateway != "" {
		c.add("Default IPv4 route", p.Gateway)
	}
	if p.Gateway6 != "" {
		c.add("IPv6 default router", p.Gateway6)
	}
	if p.Domain != "" {
		c.add("DNS domain name", p.Domain)
	}
	if len(p.Nameservers) > 0 {
		c.add("DNS nameservers", strings.Join(p.Nameservers, " "))
	}
	c.add("Password for root account", p.RootPasswordHash)
	c.add("Public ssh key for root account", firstOr(p.RootSSHKeys, "none"))
	c.add("Start sshd(8) by default", yesno(p.SSHD))
	c.add("Do you expect to run the X Window System", yesno(p.X11))
	c.add("Do you want the X Window System to be started by xenodm(1)", yesno(p.Xenodm))
	if u := p.User; u != nil {
		c.add("Setup a user", u.Login)
		c.add("Full name for user "+u.Login, u.FullName)
		c.add("Password for user "+u.Login, u.PasswordHash)
		c.add("Public ssh key for user "+u.Login, firstOr(u.SSHKeys, "none"))
	} else {
		c.add("Setup a user", "no")
	}
	c.add("Allow root ssh login", p.RootLogin)
	c.add("What timezone are you in", p.Timezone)
	if p.RootDisk != "" {
		c.add("Which disk is the root disk", p.RootDisk)
	}
	tables := 1
	if p.Passphrase != "" {
		c.add("Encrypt the root disk with a (p)assphrase or (k)eydisk", "p")
		c.add("New passphrase", p.Passphrase)
		// The CRYPTO volume becomes the root disk and is prepared again.
		tables = 2
	} else {
		c.add("Encrypt the root disk with a (p)assphrase or (k)eydisk", "no")
	}
	for range tables {
		switch p.Table {
		case "gpt":
			// "Use (W)hole disk" matches both the fresh-disk question and the
			// one offering the existing (O)penBSD area.
			c.add("Use (W)hole disk", "gpt")
			if !p.EFI {
				c.add("An EFI/GPT disk may not boot. Proceed", "yes")
			}
		case "mbr":
			c.add("Use (W)hole disk", "whole")
		}
	}
	c.add("URL to autopartitioning template for disklabel", firstNonEmpty(p.TemplateURL, "none"))
	c.add("Use (A)uto layout, (E)dit auto layout, or create (C)ustom layout", "a")
	c.add("Which disk do you wish to initialize", "done")
	// Each round of sets may ask "<issue>. Continue without
	// verification?" once (reference 7.4). Lines with the same key form a
	// queue for the whole file, so each round gets one yes for each issue
	// where going on is meant, keyed by the issue: a site set, which is
	// never in the signed list ("Unverified sets: ..."); a directory
	// without SHA256.sig when it is fugu's own, or another server's with
	// sets.allow_unsigned; a disk too small for the prefetch area, where
	// nothing can be checked. A SHA256.sig that is missing from another
	// server, cannot be fetched or fails signify's check (another
	// release's, a damaged or altered one) gets no line: the installer's
	// default no stops the install rather than install unchecked sets.
	for _, r := range p.Rounds {
		setRound(c, p, r, r.Select)
		c.add("Unverified sets:", "yes")
		verifyAnswers(c, r.Unsigned)
	}
	c.add("Location of sets", "done")
	return c.bytes()
}

// verifyAnswers answers yes to the "<issue>. Continue without
// verification?" questions an install and an upgrade both go on from:
// no file system has room for the prefetch area ("prefetch area. ..."
// starts inside both "Cannot determine prefetch area. ..." and "Cannot
// create prefetch area. ..."), and, when unsigned, the directory has no
// SHA256.sig. A site set's "Unverified sets: <sets>" is answered by the
// key "Unverified sets:", which ends before the list.
func verifyAnswers(c *conf, unsigned bool) {
	if unsigned {
		c.add("Directory does not contain SHA256.sig. Continue without verification", "yes")
	}
	c.add("prefetch area. Continue without verification", "yes")
}

func setRound(c *conf, p *Plan, r SetRound, sel string) {
	c.add("Location of sets", "http")
	c.add("HTTP proxy URL", "none")
	c.add("HTTP Server", r.Server)
	c.add("Server directory", r.Directory)
	if r.AllowNoINSTALL {
		c.add("INSTALL."+p.Arch+" not found. Use sets found here anyway", "yes")
	}
	c.add("Set name(s)", sel)
}

// renderUpgradeConf writes the answers of an upgrade (reference section
// 5). The site set is left out: an upgrade replaces the system, and the
// machine's own configuration stays as it is.
func renderUpgradeConf(p *Plan) ([]byte, error) {
	c := &conf{}
	c.comment("upgrade.conf for " + p.Machine + ", written by fugu: the site set is not reinstalled on upgrade")
	c.add("Choose your keyboard layout", p.Keyboard)
	if p.RootDisk != "" && p.Passphrase == "" {
		c.add("Which disk is the root disk", p.RootDisk)
	}
	c.add("Force checking of clean non-root filesystems", "no")
	for _, r := range p.Rounds {
		if r.SiteSet && len(p.Rounds) > 1 {
			continue
		}
		var toks []string
		for _, t := range strings.Fields(r.Select) {
			if !strings.Contains(t, "site") && t != "done" {
				toks = append(toks, t)
			}
		}
		// The installer preselects site<NN>-<host>.tgz wherever it is
		// listed, and installs it unchecked: no round of an upgrade
		// takes one.
		toks = append(toks, "-site*")
		setRound(c, p, r, strings.Join(append(toks, "done"), " "))
		// As install.conf: a small disk, a directory without
		// SHA256.sig where it is fugu's own or allowed. A failed
		// signature stops the upgrade.
		verifyAnswers(c, r.Unsigned)
	}
	c.add("Location of sets", "done")
	return c.bytes()
}

func firstOr(ss []string, def string) string {
	if len(ss) > 0 {
		return ss[0]
	}
	return def
}
