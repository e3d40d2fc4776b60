package autoinstall

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"fugu/hardware"
	"fugu/profiles"
)

// pseudoIfs are interface drivers the installer does not offer (it offers
// one new vlan, which needs answers fugu's profile has no keys for).
var pseudoIfs = []string{"aggr", "bridge", "carp", "egre", "enc", "eoip", "etherip", "gif", "gre", "lo", "mpe", "mpip", "mpw", "nvgre", "pflog", "pflow", "pfsync", "ppp", "pppoe", "sec", "svlan", "tap", "tpmr", "trunk", "tun", "veb", "vether", "vlan", "vport", "vxlan", "wg"}

// network decides the interfaces in the order the installer configures
// them, and the route and DNS answers.
func (b *builder) network() {
	p, n := b.p, &b.prof.Network
	ifs := n.Interfaces
	if len(ifs) == 0 {
		// Sets come over HTTP, so some interface must be up: with known
		// hardware take the first wired one, with DHCP.
		switch w := b.firstWired(); {
		case w != "":
			ifs = []profiles.Interface{{Name: w}}
		case b.opts.Unknown:
			// A machine fugu knows nothing of: the installer's own choice,
			// the interface its answers came over, with autoconf (so
			// "Default IPv4 route?" may be asked, see below).
			p.NetDefault = true
			p.Gateway = "none"
			return
		default:
			b.fail("network.interfaces", "none given (at least one is needed to fetch the sets over HTTP)")
			return
		}
	}
	seen := map[string]bool{}
	// usable: some interface can carry the sets during the install;
	// fwOnly names the wireless ones that cannot, for want of firmware.
	usable, fwOnly := false, []string(nil)
	var static4, static6, dhcp4 bool
	var nets4, nets6 []netip.Prefix // the networks of the static addresses
	auto6 := false
	for i, in := range ifs {
		key := fmt.Sprintf("network.interfaces[%d]", i)
		ni := NetIf{Name: in.Name}
		var fact *hardware.Interface
		switch {
		case ifNameRE.MatchString(in.Name) && contains(pseudoIfs, strings.TrimRight(in.Name, "0123456789")):
			b.fail(key+".name", "%q is a pseudo-interface, which the installer cannot configure (ship /etc/hostname.%s in files)", in.Name, in.Name)
			continue
		case ifNameRE.MatchString(in.Name):
			fact = b.factIf(func(f hardware.Interface) bool { return f.Name == in.Name })
		default:
			mac, err := profiles.NormalizeMAC(in.Name)
			if err != nil {
				b.fail(key+".name", "%q: expected an interface name like em0 or a MAC like 80:fa:5b:01:02:03", in.Name)
				continue
			}
			ni.Name, ni.ByMAC = mac, true
			fact = b.factIf(func(f hardware.Interface) bool { return f.MAC == mac })
		}
		if seen[ni.Name] {
			b.fail(key+".name", "%q is configured twice", ni.Name)
		}
		seen[ni.Name] = true
		if b.facts != nil && len(b.facts.Interfaces) > 0 && fact == nil && !(ni.ByMAC && b.masksMACs()) {
			b.warn(key+".name", "%q is not an interface of this machine's dmesg (it shows %s)", ni.Name, b.ifList())
		}

		if w := in.Wireless; w != nil {
			ni.Wireless = true
			if len(w.Networks) == 0 {
				b.fail(key+".wireless.networks", "none given (the installer joins the first)")
			}
			for j, net := range w.Networks {
				nk := fmt.Sprintf("%s.wireless.networks[%d]", key, j)
				if err := checkNetstartWord(net.SSID); err != nil {
					b.fail(nk+".ssid", "%v", err)
				} else if len(net.SSID) > 32 || net.SSID == "any" {
					b.fail(nk+".ssid", "%q: expected an ESSID of at most 32 characters other than \"any\"", net.SSID)
				} else if net.SSID == "?" || strings.Trim(net.SSID, "0123456789") == "" {
					// The installer reads digits as a number in its scan list.
					b.fail(nk+".ssid", "%q: the installer reads an answer of only digits as a scan list number (or ? as a request for the list), not as an ESSID", net.SSID)
				}
				if net.WPAKey != "" {
					b.check(nk+".wpa_key", checkWPAKey(net.WPAKey))
				}
			}
			ni.Networks = w.Networks
			if fact != nil && !fact.Wireless {
				b.warn(key+".wireless", "%s is not a wireless interface in the dmesg (driver %s)", ni.Name, fact.Driver)
			}
		} else if fact != nil && fact.Wireless {
			b.fail(key+".wireless", "%s is a wireless interface in the dmesg: give wireless.networks (the installer asks for an access point)", ni.Name)
		}

		ni.IPv4 = b.addrChoice(key+".ipv4", in.IPv4, 4, []string{"dhcp", "autoconf"})
		ni.IPv6 = b.addrChoice(key+".ipv6", in.IPv6, 6, []string{"autoconf"})
		switch ni.IPv4 {
		case "autoconf":
			dhcp4 = true
		case "none":
		default:
			static4 = true
			if pfx, err := parseAddr(ni.IPv4, 4); err == nil {
				nets4 = append(nets4, pfx.Masked())
			}
		}
		switch ni.IPv6 {
		case "autoconf":
			auto6 = true
		case "none":
		default:
			static6 = true
			if pfx, err := parseAddr(ni.IPv6, 6); err == nil {
				nets6 = append(nets6, pfx.Masked())
			}
		}
		if pkg := b.firmwareOf(fact); ni.Wireless && pkg != "" {
			fwOnly = append(fwOnly, fmt.Sprintf("%s (%s)", ni.Name, pkg))
		} else {
			usable = true
		}
		p.Interfaces = append(p.Interfaces, ni)
	}
	if !usable && len(fwOnly) > 0 {
		// The install kernel has no firmware files: fw_update installs
		// them into the new system after the sets, so such an interface
		// stays down while the installer fetches the sets.
		b.warn("network.interfaces", "%s needs firmware, which fw_update installs only after the sets: the installer cannot fetch the sets over it (configure a wired interface too)", strings.Join(fwOnly, ", "))
	}

	// "Default IPv4 route?" is asked after any IPv4 address, autoconf
	// too (v4_defroute greps hostname.* for "inet "), unless DHCP
	// installed a default route; it then has no default. A lease without
	// a router (a provisioning network) would stop the install.
	if static4 || dhcp4 {
		switch {
		case n.Gateway == "none":
			// An isolated network: the installer takes none as no
			// default route.
			p.Gateway = "none"
		case n.Gateway != "":
			a, err := netip.ParseAddr(n.Gateway)
			switch {
			case err != nil || !a.Is4():
				b.fail("network.gateway", "%q: expected an IPv4 address", n.Gateway)
			case !dhcp4 && !slices.ContainsFunc(nets4, func(n netip.Prefix) bool { return n.Contains(a) }):
				// v4_defroute's route add fails for a gateway on no
				// attached network, and asks again with no default.
				b.fail("network.gateway", "%s is on none of the networks of the static ipv4 addresses (%s): the installer cannot add the default route and the install stops", n.Gateway, joinPrefixes(nets4))
			case dhcp4:
				// netstart skips /etc/mygate's IPv4 route while an
				// interface has inet autoconf.
				b.warn("network.gateway", "%s is not the default route after the install: an interface uses DHCP, so the installer asks for a route only when the lease gives none, and netstart ignores /etc/mygate's IPv4 route next to DHCP (the lease's router is used)", n.Gateway)
			}
			p.Gateway = n.Gateway
		case dhcp4:
			p.Gateway = "none"
		default:
			b.fail("network.gateway", "required with a static ipv4 (the installer asks for the default route and has no default)")
		}
	}
	if static6 {
		p.Gateway6 = "none"
		if n.Gateway6 != "" {
			a, err := netip.ParseAddr(n.Gateway6)
			switch {
			case err != nil || !a.Is6() || a.Zone() != "":
				b.fail("network.gateway6", "%q: expected an IPv6 address", n.Gateway6)
			case a.IsLinkLocalUnicast():
				// v6_defroute's route add fails for a link-local router
				// without its interface (fe80::1%em0), and the installer
				// goes on without a default route.
				b.fail("network.gateway6", "%s is link-local: a route through it needs its interface, which network.gateway6 cannot name (expected the router's global address)", n.Gateway6)
			case !auto6 && !slices.ContainsFunc(nets6, func(n netip.Prefix) bool { return n.Contains(a) }):
				b.fail("network.gateway6", "%s is on none of the networks of the static ipv6 addresses (%s): the installer cannot add the default route and goes on without one", n.Gateway6, joinPrefixes(nets6))
			}
			p.Gateway6 = n.Gateway6
		}
	}
	for i, ns := range n.Nameservers {
		if _, err := netip.ParseAddr(ns); err != nil {
			b.fail(fmt.Sprintf("network.nameservers[%d]", i), "%q: expected an IP address", ns)
		}
	}
	if len(n.Nameservers) == 0 && !dhcp4 && !auto6 {
		// Only a lease or a router advertisement (RDNSS, through
		// resolvd) would bring servers.
		b.warn("network.nameservers", "none given, and no interface uses DHCP or IPv6 autoconf: \"DNS nameservers?\" takes its default none and the new system resolves no names (pkg_add and fw_update at first boot fail)")
	}
	if dhcp4 && len(n.Nameservers) > 0 {
		// donetconfig returns before "DNS nameservers?" when resolvd has
		// the lease's servers, and resolvd keeps resolv.conf afterwards.
		b.warn("network.nameservers", "an interface uses DHCP: the installer takes the nameservers its lease offers and does not ask, so these are used only when the lease offers none")
	}
	p.Nameservers = n.Nameservers
}

// addrChoice normalises an ipv4/ipv6 value: autoconf, none or ADDRESS/PREFIX.
func (b *builder) addrChoice(key, v string, family int, auto []string) string {
	switch {
	case v == "" || contains(auto, v):
		return "autoconf"
	case v == "none":
		return "none"
	}
	pfx, err := parseAddr(v, family)
	if !b.check(key, err) {
		return "none"
	}
	return pfx.String()
}

func (b *builder) factIf(match func(hardware.Interface) bool) *hardware.Interface {
	if b.facts == nil {
		return nil
	}
	for i := range b.facts.Interfaces {
		if match(b.facts.Interfaces[i]) {
			return &b.facts.Interfaces[i]
		}
	}
	return nil
}

// masksMACs reports whether the dmesg leaves out the MAC of some
// interface ("address XXX", as shared dmesgs are often masked): a MAC
// found on none of the others may well be that interface's.
func (b *builder) masksMACs() bool {
	return slices.ContainsFunc(b.facts.Interfaces, func(f hardware.Interface) bool { return f.MAC == "" })
}

// firmwareOf is the firmware package the dmesg says interface f needs,
// or "".
func (b *builder) firmwareOf(f *hardware.Interface) string {
	if f == nil {
		return ""
	}
	for _, fw := range b.facts.Firmware {
		if fw.Driver == f.Driver {
			return fw.Package
		}
	}
	return ""
}

func (b *builder) firstWired() string {
	if b.facts == nil {
		return ""
	}
	for _, f := range b.facts.Interfaces {
		if !f.Wireless && ifNameRE.MatchString(f.Name) {
			return f.Name
		}
	}
	return ""
}

func (b *builder) ifList() string {
	s := ""
	for i, f := range b.facts.Interfaces {
		if i > 0 {
			s += ", "
		}
		s += f.Name
	}
	return s
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}
