package autoinstall

import (
	"regexp"
	"sort"
	"strings"

	"fugu/hardware"
)

var (
	apertureRE = regexp.MustCompile(`(?m)^[a-z]*[01]: aperture needed`)
	consoleRE  = regexp.MustCompile(`(?m)^([^ ]*).*: console$`)
)

// modelFromDmesg is what the installer finds on a machine, as install.sub
// derives it from the dmesg: the console device (a serial console asks
// "Terminal type?"), a com0 port (asks about moving the console), wsdisplay and "aperture needed" (the X questions),
// the disks (sorted, the first is the default root disk), the interfaces,
// and an EFI boot (the gpt default).
func modelFromDmesg(f *hardware.Facts, dmesg []byte) machine {
	m := machine{DHCPRoute: true, DHCPDNS: true, Softraid: f.Arch == "amd64" || f.Arch == ""}
	for _, in := range f.Interfaces {
		m.Ifaces = append(m.Ifaces, simIf{Name: in.Name, MAC: in.MAC, Wireless: in.Wireless})
	}
	for _, d := range f.Disks {
		m.Disks = append(m.Disks, d.Name)
	}
	sort.Strings(m.Disks)
	for _, d := range f.Devices {
		m.Wsdisplay = m.Wsdisplay || strings.HasPrefix(d.Name, "wsdisplay")
		// An older kernel booted by EFI shows efifb0 only; the install
		// kernel of the release shows efi0 on that machine.
		m.EFI = m.EFI || d.Name == "efi0" || d.Name == "efifb0"
		m.ComPort = m.ComPort || d.Name == "com0"
	}
	m.Aperture = apertureRE.Match(dmesg)
	if c := consoleRE.FindSubmatch(dmesg); c != nil {
		m.Serial = strings.HasPrefix(string(c[1]), "com")
	}
	return m
}
