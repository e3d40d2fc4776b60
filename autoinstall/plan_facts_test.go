package autoinstall

import (
	"strings"
	"testing"

	"fugu/hardware"
	"fugu/profiles"
)

// TestMACAgainstMaskedDmesg: an interface named by the inventory's MAC is
// not "not an interface of this machine" when the dmesg masks the MACs
// (address XXX); it is when the dmesg shows every MAC and none matches.
func TestMACAgainstMaskedDmesg(t *testing.T) {
	const mac = "00:00:5e:00:53:10"
	m := gwMachine(t, func(p *profiles.Profile) {
		p.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: mac, IPv4: "dhcp"}}}
		p.Roles = profiles.Roles{} // its egress_interface em0 is no interface here
	})
	masked := &hardware.Facts{Interfaces: []hardware.Interface{{Name: "re0", Driver: "re"}, {Name: "iwx0", Driver: "iwx", Wireless: true}}}
	p, err := NewPlan(m, masked, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) > 0 {
		t.Errorf("warnings with a masked dmesg: %q", p.Warnings)
	}
	shown := &hardware.Facts{Interfaces: []hardware.Interface{{Name: "re0", Driver: "re", MAC: "00:00:5e:00:53:99"}}}
	p, err = NewPlan(m, shown, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], mac+`" is not an interface of this machine's dmesg`) {
		t.Errorf("warnings with a dmesg that shows another MAC: %q, want one that %s is not there", p.Warnings, mac)
	}
}

// TestDiskIsOldCryptoVolume: a dmesg of an encrypted install shows the
// CRYPTO volume (sd1, "OPENBSD SR CRYPTO") beside its chunk disk (sd0).
// The install kernel attaches the volume only when bsd.rd was booted
// from it, never after a network boot, so a profile that names it as the
// root disk or an extra disk may name a disk the installer and
// install.site do not have: the plan warns.
func TestDiskIsOldCryptoVolume(t *testing.T) {
	const g = profiles.GiB
	facts := &hardware.Facts{
		Disks: []hardware.Disk{{Name: "sd0", SizeBytes: 160 * g, Model: "Hitachi HTS54501"}, {Name: "sd1", SizeBytes: 160 * g, Model: "OPENBSD SR CRYPTO"}, {Name: "sd2", SizeBytes: 500 * g, Model: "WDC"}, {Name: "sd3", SizeBytes: 500 * g, Model: "OPENBSD SR RAID 1"}},
	}
	for _, tt := range []struct {
		name  string
		disks profiles.Disks
		want  string // a warning's start, "" for none
	}{
		{"root on the volume", profiles.Disks{Root: profiles.RootDisk{Device: "sd1", Table: "gpt"}}, "disks.root.device: sd1 is a softraid CRYPTO volume"},
		{"extra on the volume", profiles.Disks{Root: profiles.RootDisk{Device: "sd2", Table: "gpt"}, Extra: []profiles.ExtraDisk{{Device: "sd1", Partitions: []profiles.Partition{{Mount: "/data", Size: "rest"}}}}}, "disks.extra[0].device: sd1 is a softraid CRYPTO volume"},
		{"root on the chunk disk", profiles.Disks{Root: profiles.RootDisk{Device: "sd0", Table: "gpt"}}, ""},
		// A RAID volume assembles itself at boot, the installer's too.
		{"root on a RAID volume", profiles.Disks{Root: profiles.RootDisk{Device: "sd3", Table: "gpt"}}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(gwMachine(t, func(p *profiles.Profile) { p.Disks = tt.disks }), facts, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(p.Warnings) > 0:
				t.Errorf("warnings: %q", p.Warnings)
			case tt.want != "" && (len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], tt.want)):
				t.Errorf("warnings: %q, want one starting %q", p.Warnings, tt.want)
			}
		})
	}
}

// TestPartitionsFitTheOpenBSDArea: the template's minimums must fit in
// what the installer leaves to disklabel, the disk less its EFI (or boot)
// partition and tables; a root disk only a little larger than the sum
// stops the install with "Autopartitioning failed", so the plan refuses it.
func TestPartitionsFitTheOpenBSDArea(t *testing.T) {
	const g = profiles.GiB
	parts := []profiles.Partition{{Mount: "/", Size: "1G"}, {Mount: "/usr", Size: "10G"}, {Mount: "/home", Size: "rest"}}
	m := gwMachine(t, func(p *profiles.Profile) {
		p.Disks = profiles.Disks{Root: profiles.RootDisk{Device: "sd0", Table: "gpt", Swap: "4G", Partitions: parts}}
	})
	for _, tt := range []struct {
		size int64
		fits bool
	}{
		{15*g + 100*profiles.MiB, false}, // the minimums (15G) fit the disk, not its OpenBSD area
		{16 * g, true},
	} {
		facts := &hardware.Facts{Disks: []hardware.Disk{{Name: "sd0", SizeBytes: tt.size}}}
		_, err := NewPlan(m, facts, testOptions())
		if tt.fits && err != nil {
			t.Errorf("%s disk: %v", formatSize(tt.size), err)
		}
		if !tt.fits && (err == nil || !strings.Contains(err.Error(), "disks.root.partitions: the minimum sizes add up to 15G")) {
			t.Errorf("%s disk: err = %v, want the minimum sizes refused", formatSize(tt.size), err)
		}
	}
}

// TestExtraPartitionsFitTheirDisk: an extra disk's minimums that do not
// fit the disk of the dmesg are refused, as the root disk's are: at
// install time disklabel would fail and install.site skip the disk.
func TestExtraPartitionsFitTheirDisk(t *testing.T) {
	const g = profiles.GiB
	facts := &hardware.Facts{Disks: []hardware.Disk{{Name: "sd0", SizeBytes: 500 * g, SSD: true}, {Name: "sd1", SizeBytes: 100 * g}}}
	for _, tt := range []struct {
		size string
		fits bool
	}{
		{"100G-*", false}, // the disk's whole size: nothing left for the GPT
		{"99G-*", true},
	} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Disks = profiles.Disks{
				Root:  profiles.RootDisk{Device: "sd0", Table: "gpt"},
				Extra: []profiles.ExtraDisk{{Device: "sd1", Partitions: []profiles.Partition{{Mount: "/data", Size: tt.size}}}},
			}
		})
		_, err := NewPlan(m, facts, testOptions())
		if tt.fits && err != nil {
			t.Errorf("%s: %v", tt.size, err)
		}
		if !tt.fits && (err == nil || !strings.Contains(err.Error(), "disks.extra[0].partitions: the minimum sizes add up to 100G but sd1 has 100G")) {
			t.Errorf("%s: err = %v, want the minimum sizes refused", tt.size, err)
		}
	}
}

// TestRootOnUSBBesideFixedDisks: a profile whose root disk name is, on
// this machine, a USB stick (a laptop with its NVMe SSD as sd0 and the
// install stick as sd1) would put the system on the stick: the plan
// warns. A machine with only USB disks is no contradiction.
func TestRootOnUSBBesideFixedDisks(t *testing.T) {
	const g = profiles.GiB
	stick := hardware.Disk{Name: "sd1", SizeBytes: 61 * g, Model: "SanDisk 3.2Gen1", USB: true}
	for _, tt := range []struct {
		name  string
		disks []hardware.Disk
		warn  bool
	}{
		{"beside an SSD", []hardware.Disk{{Name: "sd0", SizeBytes: 256 * g, SSD: true, Model: "WDC PC SN530"}, stick}, true},
		{"alone", []hardware.Disk{stick}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := gwMachine(t, func(p *profiles.Profile) {
				p.Disks = profiles.Disks{Root: profiles.RootDisk{Device: "sd1", Table: "gpt"}}
			})
			p, err := NewPlan(m, &hardware.Facts{Disks: tt.disks}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			got := len(p.Warnings) == 1 && strings.HasPrefix(p.Warnings[0], "disks.root.device: sd1 is a USB disk in this machine's dmesg (SanDisk 3.2Gen1)")
			if got != tt.warn || !tt.warn && len(p.Warnings) > 0 {
				t.Errorf("warnings: %q, want a USB warning: %v", p.Warnings, tt.warn)
			}
		})
	}
}

// TestEFIBootFromEfifb: a dmesg of an amd64 kernel without efi(4) shows
// an EFI boot by efifb0. The installer then defaults to GPT, so an
// encrypted root prepares two GPT disks, each with its EFI partition,
// and the layout must leave room for both.
func TestEFIBootFromEfifb(t *testing.T) {
	const g = profiles.GiB
	m := gwMachine(t, func(p *profiles.Profile) {
		p.Disks = profiles.Disks{Root: profiles.RootDisk{Device: "sd0", Swap: "2G", Encrypt: &profiles.Encryption{Passphrase: "a long passphrase"}}}
	})
	facts := &hardware.Facts{
		Disks:   []hardware.Disk{{Name: "sd0", SizeBytes: 3 * g}},
		Devices: []hardware.Device{{Name: "mainbus0", Parent: "root"}, {Name: "efifb0", Parent: "mainbus0"}},
	}
	p, err := NewPlan(m, facts, testOptions())
	if err == nil {
		t.Fatalf("a 3G disk took the small layout with 2G swap and two EFI partitions:\n%s", renderTemplate(p.Template))
	}
	if !strings.Contains(err.Error(), "(it needs 3348M)") {
		t.Errorf("err = %v, want the layout's need with two EFI partitions", err)
	}
	facts.Disks[0].SizeBytes = 4 * g
	p, err = NewPlan(m, facts, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !p.EFI {
		t.Error("EFI = false for a dmesg with efifb0")
	}
}

// TestWirelessNeedingFirmwareAlone: the installer fetches the sets over
// the interfaces it configures, and the install kernel has no firmware
// files (fw_update installs them into the new system after the sets). A
// profile that configures only a wireless interface whose driver the
// dmesg shows needing firmware gets a warning; with a wired interface
// too, or a driver without firmware, none.
func TestWirelessNeedingFirmwareAlone(t *testing.T) {
	facts := &hardware.Facts{
		Interfaces: []hardware.Interface{{Name: "re0", Driver: "re"}, {Name: "iwx0", Driver: "iwx", Wireless: true}, {Name: "rtwn0", Driver: "rtwn", Wireless: true}},
		Firmware:   []hardware.Firmware{{Driver: "iwx", Package: "iwx-firmware"}},
	}
	wl := func(name string) profiles.Interface {
		return profiles.Interface{Name: name, IPv4: "dhcp", Wireless: &profiles.Wireless{Networks: []profiles.WirelessNetwork{{SSID: "home", WPAKey: "demo-home-passphrase"}}}}
	}
	for _, tt := range []struct {
		name string
		ifs  []profiles.Interface
		want string
	}{
		{"alone", []profiles.Interface{wl("iwx0")}, "network.interfaces: iwx0 (iwx-firmware) needs firmware, which fw_update installs only after the sets"},
		{"after a wired one", []profiles.Interface{{Name: "re0", IPv4: "dhcp"}, wl("iwx0")}, ""},
		{"a driver without firmware", []profiles.Interface{wl("rtwn0")}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := gwMachine(t, func(p *profiles.Profile) { p.Network, p.Roles = profiles.Network{Interfaces: tt.ifs}, profiles.Roles{} })
			p, err := NewPlan(m, facts, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(p.Warnings) > 0:
				t.Errorf("warnings: %q", p.Warnings)
			case tt.want != "" && (len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], tt.want)):
				t.Errorf("warnings: %q, want one starting %q", p.Warnings, tt.want)
			}
		})
	}
}

// TestMailGWInterfacesAgainstDmesg: the mail gateway's egress and inside
// interfaces name real interfaces (pf.conf's queues, spamlogd -i): one
// the dmesg does not show is warned about, a pseudo-interface is not.
func TestMailGWInterfacesAgainstDmesg(t *testing.T) {
	facts := &hardware.Facts{Interfaces: []hardware.Interface{{Name: "re0", Driver: "re"}, {Name: "re1", Driver: "re"}}}
	for _, tt := range []struct {
		egress, inside string
		want           string
	}{
		{"em0", "", "roles.mailgw.egress_interface: em0 is not an interface of this machine's dmesg (it shows re0, re1)"},
		{"re0", "em1", "roles.mailgw.inside_interface: em1 is not an interface of this machine's dmesg (it shows re0, re1)"},
		{"re0", "re1", ""},
		{"pppoe0", "vlan10", ""},
	} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Network.Interfaces = []profiles.Interface{{Name: "re0", IPv4: "192.0.2.25/24", IPv6: "none"}}
			g := *p.Roles.MailGW
			g.EgressInterface, g.InsideInterface = tt.egress, tt.inside
			p.Roles.MailGW = &g
		})
		p, err := NewPlan(m, facts, testOptions())
		if err != nil {
			t.Fatalf("%s %s: %v", tt.egress, tt.inside, err)
		}
		switch {
		case tt.want == "" && len(p.Warnings) > 0:
			t.Errorf("%s %s: warnings %q", tt.egress, tt.inside, p.Warnings)
		case tt.want != "" && (len(p.Warnings) != 1 || p.Warnings[0] != tt.want):
			t.Errorf("%s %s: warnings %q, want %q", tt.egress, tt.inside, p.Warnings, tt.want)
		}
	}
}
