package serve

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"unicode"

	"fugu/profiles"
)

// DHCPDFormat is the dialect WriteDHCPD writes.
type DHCPDFormat string

// The dhcpd.conf dialects: OpenBSD's dhcpd(8) and ISC dhcpd.
const (
	FormatOpenBSD DHCPDFormat = "openbsd"
	FormatISC     DHCPDFormat = "isc"
)

// DHCPDConfig says what WriteDHCPD writes besides the machines.
type DHCPDConfig struct {
	Server netip.Addr  // next-server: fugu's IPv4 address, reached on port 80
	Format DHCPDFormat // openbsd (default) or isc
	Prefix string      // "" or a directory, "fugu": filename "fugu/auto_install"
	Source string      // named in the header comment
}

// CheckNextServer accepts what the installer can use as next-server: a
// unicast IPv4 address (dhcpleased takes it from the BOOTP siaddr field).
func CheckNextServer(a netip.Addr) error {
	switch {
	case !a.Is4():
		return fmt.Errorf("next-server %s: expected an IPv4 address (the installer reads BOOTP siaddr)", a)
	case a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return fmt.Errorf("next-server %s: expected a unicast address", a)
	}
	return nil
}

// WriteDHCPD writes a host stanza per MAC of every machine in site, so the
// installer finds fugu (next-server, BOOTP siaddr), knows it should install
// (filename ending in auto_install, BOOTP file) and asks for the machine's
// own answers (option host-name). A machine with several MACs gets one
// stanza per MAC, named NAME, NAME-2 and so on.
func WriteDHCPD(w io.Writer, site *profiles.Site, cfg DHCPDConfig) error {
	if err := CheckNextServer(cfg.Server); err != nil {
		return err
	}
	if cfg.Prefix != "" && !prefixRE.MatchString(cfg.Prefix) {
		return fmt.Errorf("prefix %q: expected one directory name (lowercase letters, digits, _ and -)", cfg.Prefix)
	}
	if reserved[cfg.Prefix] {
		return fmt.Errorf("prefix %q: fugu serve uses that name itself; pick another directory name", cfg.Prefix)
	}
	filename := "auto_install"
	if cfg.Prefix != "" {
		filename = cfg.Prefix + "/auto_install"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# dhcpd.conf host stanzas for fugu serve at %s, written by fugu dhcpd-conf", cfg.Server)
	if cfg.Source != "" {
		// A newline in the site's path must not end the comment.
		fmt.Fprintf(&b, " from %s", strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return '?'
			}
			return r
		}, cfg.Source))
	}
	b.WriteString(".\n# Add them to dhcpd.conf, at the top level or in the installing network's subnet block.\n" +
		"# They give no fixed-address: each machine leases one from its subnet's range.\n")
	indent := "\t"
	switch cfg.Format {
	case FormatOpenBSD, "":
	case FormatISC:
		fmt.Fprintf(&b, "group {\n\tnext-server %s;\n\tfilename \"%s\";\n", cfg.Server, filename)
		indent = "\t\t"
	default:
		return fmt.Errorf("format %q: expected openbsd or isc", cfg.Format)
	}
	for _, m := range site.Machines {
		host := strings.ToLower(m.Profile.System.Hostname)
		if host == "" {
			host = m.Name
		}
		if !nameRE.MatchString(m.Name) || !hostRE.MatchString(host) {
			return fmt.Errorf("machine %q: name or host name %q cannot be written to dhcpd.conf", m.Name, host)
		}
		for i, mac := range m.MACs {
			if !isMAC(mac) {
				return fmt.Errorf("machine %s: %q is not a MAC address", m.Name, mac)
			}
			name := m.Name
			if i > 0 {
				name = fmt.Sprintf("%s-%d", m.Name, i+1)
			}
			in := indent[1:]
			fmt.Fprintf(&b, "\n%shost %s {\n%shardware ethernet %s;\n", in, name, indent, strings.ToLower(mac))
			if cfg.Format != FormatISC {
				fmt.Fprintf(&b, "%sfilename \"%s\";\n%snext-server %s;\n", indent, filename, indent, cfg.Server)
			}
			fmt.Fprintf(&b, "%soption host-name \"%s\";\n%s}\n", indent, host, in)
		}
	}
	if cfg.Format == FormatISC {
		b.WriteString("}\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
