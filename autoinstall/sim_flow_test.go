package autoinstall

import (
	"net/netip"
	"regexp"
	"strings"
)

// The question sequence of an install and an upgrade, from the reference's
// sections 4 and 5, with each question's "when asked" condition driven by
// a machine model.

// machine is what the simulated installer finds on the machine.
type machine struct {
	Serial       bool // console on com0
	ComPort      bool // a com0 port exists (the console may be elsewhere)
	DHCPHostname string
	Ifaces       []simIf
	DHCPRoute    bool // a DHCP lease gives a default route
	DHCPDNS      bool // a DHCP lease gives nameservers (resolvd)
	Wsdisplay    bool
	Aperture     bool // dmesg has "aperture needed"
	Disks        []string
	EFI          bool
	HasOpenBSD   bool // the root disk already has an OpenBSD partition
	Softraid     bool // the arch boots from softraid (amd64)
	Release      string
	Arch         string
	// Servers maps "<HTTP Server answer>/<Server directory>" to the
	// index.txt there; "SHA256.sig" in it means the official signed list.
	Servers map[string]string
	// BadSig names the Servers keys whose SHA256.sig fails signify's
	// check (a wrong release's list, a damaged or altered file).
	BadSig map[string]bool
	// NoPrefetch: no file system of the new system has room for the
	// installer's prefetch area (a small disk).
	NoPrefetch bool
	// Templates maps template URLs to their content.
	Templates map[string][]byte
}

type simIf struct {
	Name, MAC string
	Wireless  bool
}

// outcome is what an install did.
type outcome struct {
	*reader
	Hostname   string
	Interfaces []simConfigured
	RootDisk   string
	Table      []string // the MBR/GPT answers, in order
	Encrypted  bool
	Template   []byte
	Sets       []string // installed, in order
	Timezone   string
	User       string
	Err        error
}

type simConfigured struct {
	Name, AP, Proto, Key, IPv4, IPv6 string
}

var officialSets = []string{"bsd", "bsd.mp", "bsd.rd", "base%s.tgz", "comp%s.tgz", "man%s.tgz", "game%s.tgz", "xbase%s.tgz", "xshare%s.tgz", "xfont%s.tgz", "xserv%s.tgz"}

func version(rel string) string { return strings.ReplaceAll(rel, ".", "") }

// askConsole asks what install and upgrade both ask first: the terminal
// type on a serial console, else the keyboard layout.
func askConsole(r *reader, m machine) {
	if m.Serial {
		r.ask("Terminal type?", "vt220")
	} else {
		r.ask("Choose your keyboard layout ('?' or 'L' for list)", "default")
	}
}

// simulateInstall replays conf against the install dialogue on m.
func simulateInstall(conf []byte, m machine) (o *outcome) {
	o = &outcome{reader: newReader(conf)}
	defer catchStop(&o.Err)
	r := o.reader
	askConsole(r, m)
	o.Hostname = r.ask("System hostname? (short form, e.g. 'foo')", m.DHCPHostname)
	if strings.ContainsAny(o.Hostname, " \t") || hasCtl(o.Hostname) {
		stop("hostname %q refused", o.Hostname)
	}

	var static4, manual6, dhcp4 bool
	var first string // the first interface that got a hostname.if
	// configure_ifs asks until "done" for as long as the machine has any
	// physical interface: configured ones are offered again.
	for len(m.Ifaces) > 0 {
		def := m.Ifaces[0].Name
		if len(o.Interfaces) > 0 {
			def = "done"
		}
		ans := r.ask("Network interface to configure? (name, lladdr, '?', or 'done')", def)
		if ans == "done" {
			break
		}
		var f *simIf
		for i := range m.Ifaces {
			if m.Ifaces[i].Name == ans || m.Ifaces[i].MAC == ans {
				f = &m.Ifaces[i]
			}
		}
		if f == nil {
			stop("'%s' is not a valid choice.", ans)
		}
		c := simConfigured{Name: f.Name}
		if f.Wireless {
			// Digits pick a line of the scan list (empty here: "There is
			// no line N") and ? prints it; both ask again.
			for range 5 {
				c.AP = r.ask("Access point? (ESSID, 'any', list# or '?')", "any")
				if c.AP != "?" && strings.Trim(c.AP, "0123456789") != "" {
					break
				}
			}
			if c.AP != "any" {
				switch r.oneLetter("Security protocol? (O)pen, (W)EP, WPA-(P)SK", "O", "owp") {
				case 'p':
					c.Proto, c.Key = "wpa", r.ask("WPA passphrase?", "")
				case 'w':
					c.Proto, c.Key = "wep", r.ask("WEP key?", "")
				default:
					c.Proto = "open"
				}
			}
		}
		// configure_ifs asks only once an interface has a hostname.if
		// (_first), and never for that interface itself.
		if first != "" && first != f.Name {
			r.ask("Symbolic (host) name for "+f.Name+"?", o.Hostname)
		}
		c.IPv4 = r.ask("IPv4 address for "+f.Name+"? (or 'autoconf' or 'none')", "autoconf")
		switch c.IPv4 {
		case "autoconf", "a", "dhcp":
			c.IPv4, dhcp4 = "autoconf", true
		case "none":
		default:
			static4 = true
			if !strings.Contains(c.IPv4, "/") {
				c.IPv4 += "/" + r.ask("Netmask for "+f.Name+"?", "255.255.255.0")
			} else if p, err := netip.ParsePrefix(c.IPv4); err != nil || !p.Addr().Is4() {
				stop("IPv4 address %q does not configure", c.IPv4)
			}
		}
		c.IPv6 = r.ask("IPv6 address for "+f.Name+"? (or 'autoconf' or 'none')", "autoconf")
		switch c.IPv6 {
		case "autoconf", "a":
			c.IPv6 = "autoconf"
		case "none":
		default:
			manual6 = true
			if !strings.Contains(c.IPv6, "/") {
				c.IPv6 += "/" + r.ask("IPv6 prefix length for "+f.Name+"?", "64")
			} else if p, err := netip.ParsePrefix(c.IPv6); err != nil || !p.Addr().Is6() {
				stop("IPv6 address %q does not configure", c.IPv6)
			}
		}
		if first == "" && (c.AP != "" && c.AP != "any" || c.IPv4 != "none" || c.IPv6 != "none") {
			first = f.Name // its hostname.if has a line
		}
		o.Interfaces = append(o.Interfaces, c)
	}
	// v4_defroute: asked when any hostname.if has an inet line (autoconf
	// too), unless DHCP installed the default route.
	if (static4 || dhcp4) && !(dhcp4 && m.DHCPRoute) {
		r.ask("Default IPv4 route? (IPv4 address or 'none')", "")
	}
	if manual6 {
		r.ask("IPv6 default router? (IPv6 address or 'none')", "none")
	}
	single := len(o.Interfaces) == 1 && o.Interfaces[0].IPv4 == "autoconf"
	if !single {
		r.ask("DNS domain name? (e.g. 'example.com')", "my.domain")
	}
	if !(dhcp4 && m.DHCPDNS) {
		r.ask("DNS nameservers? (IP address list or 'none')", "none")
	}

	pw := r.ask("Password for root account?", "")
	if !bcryptRE.MatchString(pw) && pw != "*************" {
		stop("root password is not a bcrypt hash: the installer would hash it again")
	}
	r.ask("Public ssh key for root account?", "none")
	sshd := r.yn("Start sshd(8) by default?", "yes")
	x := true
	if m.Wsdisplay && m.Aperture {
		x = r.yn("Do you expect to run the X Window System?", "yes")
	}
	if m.Wsdisplay && x {
		r.yn("Do you want the X Window System to be started by xenodm(1)?", "no")
	}
	// Asked whenever a serial port was found; the default keeps the
	// console where the install runs.
	if m.Serial || m.ComPort {
		def := "no"
		if m.Serial {
			def = "yes"
		}
		if r.yn("Change the default console to com0?", def) {
			r.ask("Which speed should com0 use?", "115200")
		}
	}
	o.User = simUser(r)
	if sshd {
		switch strings.ToLower(r.ask("Allow root ssh login? (yes, no, prohibit-password)", "no")) {
		case "yes", "y", "no", "n", "prohibit-password", "without-password", "p", "w":
		default:
			stop("Allow root ssh login: invalid answer")
		}
	}

	simDisks(r, m, o)
	o.Sets = simSets(r, m, o.Hostname, "install")
	o.Timezone = r.ask("What timezone are you in? ('?' for list)", "")
	if contains(zoneDirs, o.Timezone) {
		r.ask("What sub-timezone of '"+o.Timezone+"' are you in? ('?' for list)", "")
	}
	return o
}

var simLoginRE = regexp.MustCompile(`^[a-z][-a-z0-9_]{0,30}$`)

func simUser(r *reader) string {
	q := "Setup a user? (enter a lower-case loginname, or 'no')"
	for range 5 {
		v := r.ask(q, "no")
		switch v {
		case "no", "n":
			return ""
		case "yes", "y":
			q = "No really, what is the lower-case loginname, or 'no'?"
			continue
		}
		if !simLoginRE.MatchString(v) || contains(reservedLogins, v) {
			continue // refused: asked again, the line is used up
		}
		r.ask("Full name for user "+v+"?", v)
		pw := r.ask("Password for user "+v+"?", "")
		if !bcryptRE.MatchString(pw) && pw != "*************" {
			stop("user password is not a bcrypt hash: the installer would hash it again")
		}
		r.ask("Public ssh key for user "+v, "none")
		return v
	}
	return ""
}

func simDisks(r *reader, m machine, o *outcome) {
	if len(m.Disks) == 0 {
		stop("no disks")
	}
	o.RootDisk = r.ask("Which disk is the root disk? ('?' for details)", m.Disks[0])
	if !contains(m.Disks, o.RootDisk) {
		stop("%s is not a disk", o.RootDisk)
	}
	if m.Softraid {
		if r.letter("Encrypt the root disk with a (p)assphrase or (k)eydisk?", "no", "pkn") == 'p' {
			r.ask("New passphrase?", "")
			o.Encrypted = true
			simTable(r, m, o, m.HasOpenBSD) // the chunk disk
			simTable(r, m, o, false)        // the CRYPTO volume, now the root disk
		} else {
			simTable(r, m, o, m.HasOpenBSD)
		}
	} else {
		simTable(r, m, o, m.HasOpenBSD)
	}
	url := r.ask("URL to autopartitioning template for disklabel?", "none")
	if url != "none" {
		t, ok := m.Templates[url]
		if !ok {
			stop("No autopartitioning template found.")
		}
		o.Template = t
	} else if r.letter("Use (A)uto layout, (E)dit auto layout, or create (C)ustom layout?", "a", "aec") != 'a' {
		stop("'/' must be configured! (the editor reads end-of-file in autoinstall)")
	}
	if len(m.Disks) > 1 {
		if d := r.ask("Which disk do you wish to initialize?", "done"); d != "done" {
			stop("disk %s would get the interactive disklabel editor", d)
		}
	}
}

func simTable(r *reader, m machine, o *outcome, existing bool) {
	for range 5 {
		var c byte
		if existing {
			c = r.letter("Use (W)hole disk MBR, whole disk (G)PT, (O)penBSD area or (E)dit?", "OpenBSD", "wgoe")
		} else {
			def := "whole"
			if m.EFI {
				def = "gpt"
			}
			c = r.letter("Use (W)hole disk MBR, whole disk (G)PT or (E)dit?", def, "wge")
		}
		switch c {
		case 'e':
			stop("fdisk editor in autoinstall")
		case 'g':
			if !m.EFI && !r.yn("An EFI/GPT disk may not boot. Proceed?", "no") {
				continue
			}
			o.Table = append(o.Table, "gpt")
		case 'o':
			o.Table = append(o.Table, "openbsd")
		default:
			o.Table = append(o.Table, "mbr")
		}
		return
	}
	stop("no table chosen")
}

// simulateUpgrade replays conf against the upgrade dialogue.
func simulateUpgrade(conf []byte, m machine, host string) (o *outcome) {
	o = &outcome{reader: newReader(conf)}
	defer catchStop(&o.Err)
	r := o.reader
	askConsole(r, m)
	o.RootDisk = r.ask("Which disk is the root disk? ('?' for details)", m.Disks[0])
	if !contains(m.Disks, o.RootDisk) {
		stop("%s is not a valid root disk.", o.RootDisk)
	}
	r.yn("Force checking of clean non-root filesystems?", "no")
	o.Sets = simSets(r, m, host, "upgrade")
	return o
}

func catchStop(err *error) {
	if v := recover(); v != nil {
		se, ok := v.(*stopError)
		if !ok {
			panic(v)
		}
		*err = se
	}
}

func remove1(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func hasCtl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}
