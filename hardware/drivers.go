package hardware

import (
	"slices"
	"strings"
)

// wirelessDrivers are OpenBSD's 802.11 network drivers, from the
// "Wireless network interfaces" list of intro(4) and the 802.11 drivers of
// recent releases (qwx, qwz, mtw, mwx), plus a few removed drivers old
// dmesgs still show (an, atu, atw, rtw, wi). A network interface whose
// driver is here is wireless.
var wirelessDrivers = map[string]bool{
	"acx": true, "an": true, "ath": true, "athn": true, "atu": true, "atw": true,
	"bwfm": true, "bwi": true, "ipw": true, "iwi": true, "iwm": true, "iwn": true,
	"iwx": true, "malo": true, "mtw": true, "mwx": true, "otus": true, "pgt": true,
	"qwx": true, "qwz": true, "ral": true, "rsu": true, "rtw": true, "rtwn": true,
	"rum": true, "run": true, "uath": true, "upgt": true, "ural": true, "urtw": true,
	"urtwn": true, "wi": true, "wpi": true, "zyd": true,
}

// drmDrivers are OpenBSD's DRM graphics drivers (there is no nouveau).
var drmDrivers = map[string]bool{"inteldrm": true, "amdgpu": true, "radeondrm": true}

// diskDrivers attach the disks the installer can use.
var diskDrivers = map[string]bool{"sd": true, "wd": true}

// pvbusHypervisor names the hypervisor pvbus(4) reports on its attach
// line ("pvbus0 at mainbus0: KVM").
func pvbusHypervisor(text string) string {
	for _, h := range []struct{ word, name string }{
		{"OpenBSD", "OpenBSD vmm"}, {"KVM", "KVM"}, {"VMware", "VMware"}, {"Xen", "Xen"},
		{"Hyper-V", "Hyper-V"}, {"bhyve", "bhyve"}, {"BHYVE", "bhyve"}, {"VirtualBox", "VirtualBox"},
	} {
		if strings.HasPrefix(text, h.word) {
			return h.name
		}
	}
	if f := strings.Fields(strings.TrimRight(text, ",")); len(f) > 0 {
		return strings.TrimRight(f[0], ",")
	}
	return ""
}

// firmwareHypervisor names the hypervisor a virtual machine's BIOS or
// host bridge reveals (bios0: innotek GmbH VirtualBox, "OpenBSD VMM Host").
func firmwareHypervisor(text string) string {
	for _, h := range []struct{ word, name string }{
		{"VirtualBox", "VirtualBox"}, {"VMware", "VMware"}, {"Xen", "Xen"},
		{"OpenBSD VMM", "OpenBSD vmm"}, {"BHYVE", "bhyve"}, {"bhyve", "bhyve"},
		{"Microsoft Corporation Virtual Machine", "Hyper-V"}, {"QEMU", "QEMU"},
	} {
		if strings.Contains(text, h.word) {
			return h.name
		}
	}
	return ""
}

// machineName is the bios0 line's system vendor and product without the
// vendor said twice: many firmwares start the product with the vendor
// too, so OpenBSD prints "HP HP ProBook 430 G7". Words repeated at once
// ("HP HP", "Dell Inc. Dell Inc.") are kept once.
func machineName(text string) string {
	w := strings.Fields(text)
	for n := len(w) / 2; n >= 1; n-- {
		if slices.EqualFunc(w[:n], w[n:2*n], strings.EqualFold) {
			return strings.Join(w[n:], " ")
		}
	}
	return text
}
