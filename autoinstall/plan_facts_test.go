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
