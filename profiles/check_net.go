package profiles

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

var ifnameRE = regexp.MustCompile(`^[a-z]+[0-9]+$`)

// checkInterfaceName accepts a driver name and unit (re0, iwm0) or a MAC.
func checkInterfaceName(s string) error {
	if looksLikeMAC(s) {
		_, err := NormalizeMAC(s)
		return err
	}
	if !ifnameRE.MatchString(s) || len(s) > 15 {
		return fmt.Errorf("%q is not an interface (expected a driver name and unit like re0, or a MAC like 80:fa:5b:01:02:03)", s)
	}
	return nil
}

// checkIPv4 accepts dhcp, autoconf, none or ADDRESS/PREFIX.
func checkIPv4(s string) error {
	switch s {
	case "dhcp", "autoconf", "none":
		return nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Bits() == 0 {
		return fmt.Errorf("%q is not an IPv4 setting (expected dhcp, autoconf, none or ADDRESS/PREFIX like 192.0.2.10/24)", s)
	}
	return nil
}

// checkIPv6 accepts autoconf, none or ADDRESS/PREFIX.
func checkIPv6(s string) error {
	switch s {
	case "autoconf", "none":
		return nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || p.Addr().Zone() != "" || p.Bits() == 0 {
		return fmt.Errorf("%q is not an IPv6 setting (expected autoconf, none or ADDRESS/PREFIX like 2001:db8::10/64)", s)
	}
	return nil
}

// staticIPv4 reports whether an ipv4 value is a fixed address.
func staticIPv4(s string) bool { return strings.Contains(s, "/") }

// staticIPv6 reports whether an ipv6 value is a fixed address.
func staticIPv6(s string) bool { return strings.Contains(s, "/") }

// checkAddr4 accepts an IPv4 address (a default route).
func checkAddr4(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return fmt.Errorf("%q is not an IPv4 address (expected like 192.0.2.1)", s)
	}
	return nil
}

// checkAddr6 accepts an IPv6 address without zone (a default router).
func checkAddr6(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		return fmt.Errorf("%q is not an IPv6 address (expected like 2001:db8::1)", s)
	}
	return nil
}

// checkNameserver accepts an IPv4 or IPv6 address.
func checkNameserver(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return fmt.Errorf("%q is not an IP address (expected like 192.0.2.53 or 2001:db8::53)", s)
	}
	return nil
}

// unsafeInQuotes are the characters that hostname.if(5) lines cannot carry
// even in double quotes: netstart re-reads and evals them (see the config
// reference, section 3.2).
const unsafeInQuotes = "\"\\$`"

func checkQuotable(what, s string) error {
	if strings.ContainsAny(s, unsafeInQuotes) {
		return fmt.Errorf("%s contains one of \" \\ $ ` (netstart would interpret it)", what)
	}
	if strings.Contains(s, "  ") || strings.Contains(s, "\t") {
		return fmt.Errorf("%s contains a tab or two blanks in a row (netstart would collapse them)", what)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%s starts or ends with a blank (the installer would drop it)", what)
	}
	return nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// checkSSID accepts printable ASCII up to 32 characters, or 0x and up to
// 64 hex digits, as ifconfig(8) does.
func checkSSID(s string) error {
	if s == "" {
		return fmt.Errorf("ssid is empty (expected the network's name)")
	}
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		if len(h) > 64 || len(h)%2 != 0 || !isHex(h) {
			return fmt.Errorf("ssid %q: a hex ssid is 0x and an even number of hex digits, at most 64", s)
		}
		return nil
	}
	if len(s) > 32 || !printableASCII(s) {
		return fmt.Errorf("ssid %q is not up to 32 printable ASCII characters (or 0x and hex digits)", s)
	}
	return checkQuotable("ssid", s)
}

// checkWPAKey accepts a passphrase of 8 to 63 printable ASCII characters,
// or 0x and exactly 64 hex digits, as ifconfig(8) does. The key itself is
// never put in the message.
func checkWPAKey(s string) error {
	if h, ok := strings.CutPrefix(s, "0x"); ok && isHex(h) {
		if len(h) != 64 {
			return fmt.Errorf("a hex WPA key is 0x and exactly 64 hex digits (found %d)", len(h))
		}
		return nil
	}
	if len(s) < 8 || len(s) > 63 {
		return fmt.Errorf("WPA passphrase must be 8 to 63 characters (found %d)", len(s))
	}
	if !printableASCII(s) {
		return fmt.Errorf("WPA passphrase must be printable ASCII")
	}
	return checkQuotable("WPA passphrase", s)
}
