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
// The install kernel does not attach the volume, so a profile that names
// it as the root disk or an extra disk names a disk the installer and
// install.site do not have: the plan warns.
func TestDiskIsOldCryptoVolume(t *testing.T) {
	const g = profiles.GiB
	facts := &hardware.Facts{
		Disks: []hardware.Disk{{Name: "sd0", SizeBytes: 160 * g, Model: "Hitachi HTS54501"}, {Name: "sd1", SizeBytes: 160 * g, Model: "OPENBSD SR CRYPTO"}, {Name: "sd2", SizeBytes: 500 * g, Model: "WDC"}},
	}
	for _, tt := range []struct {
		name  string
		disks profiles.Disks
		want  string // a warning's start, "" for none
	}{
		{"root on the volume", profiles.Disks{Root: profiles.RootDisk{Device: "sd1", Table: "gpt"}}, "disks.root.device: sd1 is a softraid CRYPTO volume"},
		{"extra on the volume", profiles.Disks{Root: profiles.RootDisk{Device: "sd2", Table: "gpt"}, Extra: []profiles.ExtraDisk{{Device: "sd1", Partitions: []profiles.Partition{{Mount: "/data", Size: "rest"}}}}}, "disks.extra[0].device: sd1 is a softraid CRYPTO volume"},
		{"root on the chunk disk", profiles.Disks{Root: profiles.RootDisk{Device: "sd0", Table: "gpt"}}, ""},
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
