package autoinstall

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fugu/hardware"
	"fugu/profiles"
)

// installCase is one machine replayed through the simulated installer.
type installCase struct {
	name  string
	base  string                    // example machine to start from
	edit  func(p *profiles.Profile) // changes to its profile
	opts  func(o *Options)          // changes to the options
	model machine                   // what the installer finds
	// fromDmesg derives the model from the machine's dmesg instead.
	fromDmesg bool
	// allowDefaults are questions deliberately left to the installer's
	// default; any other default is a failure.
	allowDefaults []string
}

func laptopModel() machine {
	return machine{
		Ifaces:    []simIf{{Name: "re0", MAC: "80:fa:5b:01:02:03"}, {Name: "iwm0", MAC: "80:fa:5b:01:02:04", Wireless: true}},
		DHCPRoute: true, DHCPDNS: true,
		Wsdisplay: true, Aperture: true, Softraid: true,
		Disks: []string{"sd0", "sd1"},
	}
}

func gatewayModel() machine {
	return machine{
		Serial:   true,
		Ifaces:   []simIf{{Name: "em0", MAC: "00:00:5e:00:53:01"}, {Name: "em1", MAC: "00:00:5e:00:53:02"}},
		Softraid: true,
		Disks:    []string{"sd0"},
	}
}

// gatewayDefaults: the serial console questions keep the installer's
// context-dependent defaults, and with device: auto and no dmesg the
// installer picks the root disk.
var gatewayDefaults = []string{"Terminal type?", "Change the default console to com0?", "Which speed should com0 use?", "Which disk is the root disk? ('?' for details)"}

var installCases = []installCase{
	{name: "delilah", base: "delilah", model: laptopModel()},
	{
		// probook's set: fits the laptop profile to its dmesg (an HP
		// laptop with re0, iwx0 and one NVMe SSD; device: auto); the
		// installer's questions follow the facts of that dmesg.
		name: "dmesg-facts", base: "probook", fromDmesg: true,
	},
	{name: "mx1", base: "mx1", model: gatewayModel(), allowDefaults: gatewayDefaults},
	{
		name: "static-ipv4-ipv6", base: "mx1", model: gatewayModel(), allowDefaults: gatewayDefaults,
		edit: func(p *profiles.Profile) {
			p.Network = profiles.Network{
				Interfaces:  []profiles.Interface{{Name: "em0", IPv4: "192.0.2.25/24", IPv6: "2001:db8::25/64"}},
				Gateway:     "192.0.2.1",
				Gateway6:    "2001:db8::1",
				Nameservers: []string{"192.0.2.53"},
			}
		},
	},
	{
		name: "two-wired", base: "mx1", model: func() machine { m := gatewayModel(); m.DHCPRoute, m.DHCPDNS = true, true; return m }(),
		allowDefaults: gatewayDefaults,
		edit: func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: []profiles.Interface{
				{Name: "em0", IPv4: "dhcp", IPv6: "autoconf"},
				{Name: "em1", IPv4: "10.0.0.1/24", IPv6: "none"},
			}}
		},
	},
	{
		name: "wireless-by-mac", base: "delilah",
		model: func() machine {
			m := laptopModel()
			m.Ifaces = m.Ifaces[1:]
			return m
		}(),
		edit: func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: []profiles.Interface{{
				Name: "80:fa:5b:01:02:04", IPv4: "dhcp", IPv6: "autoconf",
				Wireless: &profiles.Wireless{Networks: []profiles.WirelessNetwork{
					{SSID: "Bob's Net", WPAKey: "correct horse battery"},
					{SSID: "cafe"},
				}},
			}}}
		},
		opts: func(o *Options) { o.FirmwareURL = testServer + "/fugu/firmware/7.8/" },
	},
	{name: "no-user", base: "delilah", model: laptopModel(), edit: func(p *profiles.Profile) { p.User = nil }},
	{
		// A provisioning network whose DHCP server gives no router: the
		// installer asks "Default IPv4 route?" after an autoconf address
		// too, with no default.
		name: "dhcp-without-route", base: "delilah",
		model: func() machine { m := laptopModel(); m.DHCPRoute = false; return m }(),
	},
	{
		name: "firmware-mirror", base: "delilah", model: laptopModel(),
		opts: func(o *Options) { o.FirmwareURL = testServer + "/fugu/firmware/7.8/" },
	},
	{
		name: "mbr-reinstall", base: "delilah",
		model: func() machine { m := laptopModel(); m.HasOpenBSD = true; return m }(),
		edit: func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Table = "mbr"
			p.Disks = d
		},
	},
	{
		name: "encrypted", base: "delilah", model: laptopModel(),
		edit: func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Encrypt = &profiles.Encryption{Passphrase: "a long passphrase, with = and #"}
			p.Disks = d
		},
	},
	{
		// A desktop with a serial port but its console on the screen: the
		// installer offers to move the console there, and its default no
		// is the intended answer.
		name: "com-port", base: "delilah",
		model:         func() machine { m := laptopModel(); m.ComPort = true; return m }(),
		allowDefaults: []string{"Change the default console to com0?"},
	},
	{
		name: "efi", base: "delilah", model: func() machine { m := laptopModel(); m.EFI = true; return m }(),
	},
	{
		name: "other-mirror", base: "mx1", model: gatewayModel(), allowDefaults: gatewayDefaults,
		opts: func(o *Options) { o.MirrorFiles = nil },
		edit: func(p *profiles.Profile) {
			p.Sets = profiles.Sets{Server: testMirror, Directory: "pub/OpenBSD/7.8/amd64", Select: []string{"-game*", "-x*"}}
		},
	},
	{
		name: "swap-auto-layout", base: "mx1", model: gatewayModel(), allowDefaults: gatewayDefaults,
		edit: func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Swap = "1x"
			p.Disks = d
		},
	},
}

// planCase builds the plan and files of a case.
func planCase(t *testing.T, c installCase) (*Plan, *Files, *hardware.Facts) {
	t.Helper()
	m, facts := exampleMachine(t, c.base)
	mc := *m
	if c.edit != nil {
		c.edit(&mc.Profile)
	}
	opts := testOptions()
	if c.opts != nil {
		c.opts(&opts)
	}
	p, err := NewPlan(&mc, facts, opts)
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	f, err := Render(p)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return p, f, facts
}

// serve fills in what the servers hold for this plan.
func serve(m machine, p *Plan, f *Files) machine {
	m.Release, m.Arch = p.Release, p.Arch
	m.Servers = map[string]string{testServer + "/" + f.SetsDir: string(f.IndexTxt)}
	m.Servers[testMirror+"/pub/OpenBSD/7.8/amd64"] = string(renderIndex("SHA256.sig", 0, mirror78))
	m.Templates = map[string][]byte{}
	if p.TemplateURL != "" {
		m.Templates[p.TemplateURL] = f.DiskTemplate
	}
	return m
}

func TestInstallConfReplay(t *testing.T) {
	for _, c := range installCases {
		t.Run(c.name, func(t *testing.T) {
			p, f, facts := planCase(t, c)
			model := c.model
			if c.fromDmesg {
				mc, _ := exampleMachine(t, c.base)
				model = modelFromDmesg(facts, mc.Dmesg)
			}
			m := serve(model, p, f)
			o := simulateInstall(f.InstallConf, m)
			if o.Err != nil {
				t.Fatalf("install stopped: %v\ndialogue so far:\n%s\ninstall.conf:\n%s", o.Err, o.transcript(), f.InstallConf)
			}
			// assert that: nothing fell back to a default by accident
			for _, q := range o.defaults() {
				if !slices.Contains(c.allowDefaults, q) {
					t.Errorf("%q was answered with the installer's default", q)
				}
			}
			checkOutcome(t, p, f, o)
			golden(t, "replay/"+c.name+".install.txt", []byte(o.transcript()))

			u := simulateUpgrade(f.UpgradeConf, m, p.Hostname)
			if u.Err != nil {
				t.Fatalf("upgrade stopped: %v\n%s", u.Err, u.transcript())
			}
			for _, q := range u.defaults() {
				if !slices.Contains(c.allowDefaults, q) && !((p.RootDisk == "" || p.Passphrase != "") && strings.HasPrefix(q, "Which disk is the root disk")) {
					t.Errorf("upgrade: %q was answered with the installer's default", q)
				}
			}
			if slices.ContainsFunc(u.Sets, func(s string) bool { return strings.HasPrefix(s, "site") }) {
				t.Errorf("upgrade installed a site set: %v", u.Sets)
			}
			if !slices.Contains(u.Sets, "base78.tgz") {
				t.Errorf("upgrade did not install base78.tgz: %v", u.Sets)
			}
			golden(t, "replay/"+c.name+".upgrade.txt", []byte(u.transcript()))
		})
	}
}

// checkOutcome checks that every answer the installer took is the one the
// plan intended.
func checkOutcome(t *testing.T, p *Plan, f *Files, o *outcome) {
	t.Helper()
	if o.Hostname != p.Hostname {
		t.Errorf("hostname = %q, want %q", o.Hostname, p.Hostname)
	}
	if len(o.Interfaces) != len(p.Interfaces) {
		t.Fatalf("configured %d interfaces, want %d: %+v", len(o.Interfaces), len(p.Interfaces), o.Interfaces)
	}
	for i, in := range p.Interfaces {
		got := o.Interfaces[i]
		if got.IPv4 != in.IPv4 || got.IPv6 != in.IPv6 {
			t.Errorf("interface %d (%s): addresses %s %s, want %s %s", i, in.Name, got.IPv4, got.IPv6, in.IPv4, in.IPv6)
		}
		if in.Wireless {
			nw := in.Networks[0]
			wantProto := "open"
			if nw.WPAKey != "" {
				wantProto = "wpa"
			}
			if got.AP != nw.SSID || got.Proto != wantProto || got.Key != nw.WPAKey {
				t.Errorf("interface %d: joined %q (%s), want %q (%s) with the profile's key", i, got.AP, got.Proto, nw.SSID, wantProto)
			}
		}
	}
	if p.RootDisk != "" && o.RootDisk != p.RootDisk {
		t.Errorf("root disk = %s, want %s", o.RootDisk, p.RootDisk)
	}
	if o.Encrypted != (p.Passphrase != "") {
		t.Errorf("encrypted = %v, want %v", o.Encrypted, p.Passphrase != "")
	}
	wantTables := 1
	if p.Passphrase != "" {
		wantTables = 2
	}
	if len(o.Table) != wantTables {
		t.Errorf("%d disks prepared, want %d", len(o.Table), wantTables)
	}
	for i, tb := range o.Table {
		want := map[string]string{"gpt": "gpt", "mbr": "mbr"}[p.Table]
		if want != "" && tb != want {
			t.Errorf("table %d = %s, want %s", i, tb, want)
		}
	}
	if string(o.Template) != string(f.DiskTemplate) {
		t.Errorf("template fetched = %q, want %q", o.Template, f.DiskTemplate)
	}
	for _, need := range []string{"bsd", "base78.tgz", p.SiteSetName} {
		if !slices.Contains(o.Sets, need) {
			t.Errorf("sets installed %v lack %s", o.Sets, need)
		}
	}
	if slices.Contains(o.Sets, "game78.tgz") {
		t.Errorf("game78.tgz installed although the profile deselects it")
	}
	if o.Timezone != p.Timezone {
		t.Errorf("timezone = %q, want %q", o.Timezone, p.Timezone)
	}
	wantUser := ""
	if p.User != nil {
		wantUser = p.User.Login
	}
	if o.User != wantUser {
		t.Errorf("user = %q, want %q", o.User, wantUser)
	}

	// The answers that leave no other trace in the outcome: each question
	// that was asked took the plan's value.
	want := map[string]string{
		"Password for root account?":                                  p.RootPasswordHash,
		"Public ssh key for root account?":                            firstOr(p.RootSSHKeys, "none"),
		"Start sshd(8) by default?":                                   yesno(p.SSHD),
		"Allow root ssh login? (yes, no, prohibit-password)":          p.RootLogin,
		"Do you expect to run the X Window System?":                   yesno(p.X11),
		"Do you want the X Window System to be started by xenodm(1)?": yesno(p.Xenodm),
		"Which disk do you wish to initialize?":                       "done",
	}
	if p.Keyboard != "default" {
		want["Choose your keyboard layout ('?' or 'L' for list)"] = p.Keyboard
	}
	if p.Passphrase != "" {
		want["New passphrase?"] = p.Passphrase
	}
	if u := p.User; u != nil {
		want["Full name for user "+u.Login+"?"] = u.FullName
		want["Password for user "+u.Login+"?"] = u.PasswordHash
		want["Public ssh key for user "+u.Login] = firstOr(u.SSHKeys, "none")
	}
	for _, a := range o.log {
		if w, ok := want[a.Question]; ok && a.Value != w {
			t.Errorf("%q was answered %q, want %q", a.Question, a.Value, w)
		}
	}
}

func TestGoldenFiles(t *testing.T) {
	for _, c := range installCases {
		t.Run(c.name, func(t *testing.T) {
			p, f, _ := planCase(t, c)
			golden(t, "golden/"+c.name+"/install.conf", f.InstallConf)
			golden(t, "golden/"+c.name+"/upgrade.conf", f.UpgradeConf)
			if f.DiskTemplate != nil {
				golden(t, "golden/"+c.name+"/"+f.TemplateName, f.DiskTemplate)
			}
			// Role files belong to the firewall package and are checked
			// against firewall.Render (TestRoleFiles), not frozen here.
			golden(t, "golden/"+c.name+"/siteset.txt", []byte(listSiteSet(t, f.SiteSet, roleFiles(t, p))))
		})
	}
}

// TestIndex: index.txt lists the site set and the mirror's files, each
// name after other text on its line, as the installer reads it.
func TestIndex(t *testing.T) {
	for _, c := range installCases {
		p, f, _ := planCase(t, c)
		want := append([]string{p.SiteSetName}, p.MirrorFiles...)
		slices.Sort(want)
		got := indexNames(string(f.IndexTxt))
		if !slices.Equal(got, want) {
			t.Errorf("%s: index.txt names %v, want %v", c.name, got, want)
		}
		for _, l := range strings.Split(strings.TrimSuffix(string(f.IndexTxt), "\n"), "\n") {
			if !strings.HasPrefix(l, "-rw-r--r--  1 root  wheel ") {
				t.Errorf("%s: index.txt line %q is not in ls -l form", c.name, l)
			}
		}
		if !strings.Contains(string(f.IndexTxt), fmt.Sprintf(" %d %s", len(f.SiteSet), ModTime.Format("Jan _2 15:04:05 2006"))) {
			t.Errorf("%s: index.txt does not give the site set's size", c.name)
		}
	}
}

func TestRenderDeterministic(t *testing.T) {
	for _, c := range installCases[:2] {
		_, a, _ := planCase(t, c)
		_, b, _ := planCase(t, c)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: two renders differ", c.name)
		}
	}
}

// TestVerificationAnswers: install.conf and upgrade.conf say yes to the
// installer's "<issue>. Continue without verification?" only where going
// on is meant: a site set, which is never in SHA256.sig; a directory
// without SHA256.sig when it is fugu's own, or another server's with
// sets.allow_unsigned; a disk too small for the prefetch area. Another
// server's directory without SHA256.sig (stripped by anyone on a plain
// http path to it), and a SHA256.sig that fails signify's check (sets of
// another release, a damaged or altered list) stop the install or
// upgrade instead of being installed unchecked.
func TestVerificationAnswers(t *testing.T) {
	cases := map[string]installCase{}
	for _, ic := range installCases {
		cases[ic.name] = ic
	}
	mirrorDir := testMirror + "/pub/OpenBSD/7.8/amd64"
	unsignedMirror := func(m *machine, _ *Plan, _ *Files) {
		var unsigned []string
		for _, n := range mirror78 {
			if n != "SHA256.sig" && n != "INSTALL.amd64" {
				unsigned = append(unsigned, n)
			}
		}
		m.Servers[mirrorDir] = string(renderIndex("INSTALL.amd64", 0, unsigned))
	}
	allowUnsigned := func(p *profiles.Profile) { p.Sets.AllowUnsigned = true }
	fuguSigned := func(o *Options) { o.MirrorFiles = []string{"SHA256.sig"} }
	tests := []struct {
		name   string
		base   string
		change func(m *machine, p *Plan, f *Files)
		stop   string // "" when the install must go through with the site set
		edit   func(*profiles.Profile)
		opts   func(*Options)
	}{
		{"site set", "mx1", func(*machine, *Plan, *Files) {}, "", nil, nil},
		{"small disk", "mx1", func(m *machine, _ *Plan, _ *Files) { m.NoPrefetch = true }, "", nil, nil},
		{"small disk, two rounds", "other-mirror", func(m *machine, _ *Plan, _ *Files) { m.NoPrefetch = true }, "", nil, nil},
		{"mirror without SHA256.sig", "other-mirror", unsignedMirror, "Directory does not contain SHA256.sig", nil, nil},
		{"mirror without SHA256.sig, fugu's with one", "other-mirror", unsignedMirror, "Directory does not contain SHA256.sig", nil, fuguSigned},
		{"mirror without SHA256.sig, allowed", "other-mirror", unsignedMirror, "", allowUnsigned, nil},
		{"mirror without SHA256.sig, allowed, fugu's with one", "other-mirror", unsignedMirror, "", allowUnsigned, fuguSigned},
		{"signed mirror, fugu's with SHA256.sig", "other-mirror", func(*machine, *Plan, *Files) {}, "", nil, fuguSigned},
		{"bad signature on fugu", "mx1", func(m *machine, p *Plan, f *Files) {
			m.BadSig = map[string]bool{testServer + "/" + f.SetsDir: true}
		}, "Signature check of SHA256.sig failed", nil, nil},
		{"bad signature on the mirror", "other-mirror", func(m *machine, _ *Plan, _ *Files) {
			m.BadSig = map[string]bool{mirrorDir: true}
		}, "Signature check of SHA256.sig failed", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cases[tt.base]
			if edit := c.edit; tt.edit != nil {
				c.edit = func(p *profiles.Profile) { edit(p); tt.edit(p) }
			}
			if opts := c.opts; tt.opts != nil {
				c.opts = func(o *Options) { opts(o); tt.opts(o) }
			}
			p, f, _ := planCase(t, c)
			m := serve(c.model, p, f)
			tt.change(&m, p, f)
			o := simulateInstall(f.InstallConf, m)
			switch {
			case tt.stop == "" && o.Err != nil:
				t.Fatalf("the install stopped: %v\n%s", o.Err, o.transcript())
			case tt.stop == "" && !contains(o.Sets, p.SiteSetName):
				t.Errorf("installed %v, without the site set %s", o.Sets, p.SiteSetName)
			case tt.stop != "" && (o.Err == nil || !strings.Contains(o.Err.Error(), tt.stop)):
				t.Errorf("install ended with %v, want it stopped at %q\n%s", o.Err, tt.stop, o.transcript())
			}
			u := simulateUpgrade(f.UpgradeConf, m, p.Hostname)
			switch base := "base" + p.Version + ".tgz"; {
			case tt.stop == "" && u.Err != nil:
				t.Fatalf("the upgrade stopped: %v\n%s", u.Err, u.transcript())
			case tt.stop == "" && !contains(u.Sets, base):
				t.Errorf("upgraded %v, without %s", u.Sets, base)
			case tt.stop != "" && (u.Err == nil || !strings.Contains(u.Err.Error(), tt.stop)):
				t.Errorf("upgrade ended with %v, want it stopped at %q\n%s", u.Err, tt.stop, u.transcript())
			}
		})
	}
}

// TestNoSiteSetFromTheMirror: a site set is never in SHA256.sig, so the
// installer installs it unchecked; the installer preselects
// site<NN>-<host>.tgz wherever it is listed, and a profile's +site* takes
// site<NN>.tgz too. With the official sets from another mirror, whatever
// that mirror's index.txt lists (a mirror's operator, or anyone on a
// plain http path to it) must not become the machine's site set: that
// round takes no site set, and the site set comes from fugu alone.
func TestNoSiteSetFromTheMirror(t *testing.T) {
	var c installCase
	for _, ic := range installCases {
		if ic.name == "other-mirror" {
			c = ic
		}
	}
	edit := c.edit
	c.edit = func(p *profiles.Profile) {
		edit(p)
		p.Sets.Select = append(p.Sets.Select, "+site*")
	}
	p, f, _ := planCase(t, c)
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, `sets.select: "+site*" is not used for `+testMirror) {
		t.Errorf("warnings %q: want one that +site* is not used for the mirror", p.Warnings)
	}
	m := serve(c.model, p, f)
	mirrorDir := testMirror + "/pub/OpenBSD/7.8/amd64"
	m.Servers[mirrorDir] = string(renderIndex("SHA256.sig", 0, append(slices.Clone(mirror78), "site78.tgz", p.SiteSetName)))
	o := simulateInstall(f.InstallConf, m)
	if o.Err != nil {
		t.Fatalf("the install stopped: %v\n%s", o.Err, o.transcript())
	}
	server := ""
	for _, a := range o.log {
		if strings.HasPrefix(a.Question, "HTTP Server?") {
			server = a.Value
		}
		if strings.HasPrefix(a.Question, "Unverified sets:") && server != testServer {
			t.Errorf("the round of %s asked %q: a site set from the mirror\n%s", server, a.Question, o.transcript())
		}
	}
	if contains(o.Sets, "site78.tgz") || !contains(o.Sets, p.SiteSetName) {
		t.Errorf("installed %v: want %s (from fugu) and no site78.tgz", o.Sets, p.SiteSetName)
	}
	// An upgrade takes no site set at all.
	u := simulateUpgrade(f.UpgradeConf, m, p.Hostname)
	if u.Err != nil {
		t.Fatalf("the upgrade stopped: %v\n%s", u.Err, u.transcript())
	}
	for _, s := range u.Sets {
		if strings.HasPrefix(s, "site") {
			t.Errorf("the upgrade installed %s from the mirror\n%s", s, u.transcript())
		}
	}
}

// TestMirrorWithoutINSTALL: a sets mirror need not hold INSTALL.<arch>,
// a text file, to install from: without it the installer asks "Use sets
// found here anyway?", whose default no would skip the round, and the
// install would stop for want of bsd and base.
func TestMirrorWithoutINSTALL(t *testing.T) {
	var c installCase
	for _, ic := range installCases {
		if ic.name == "mx1" {
			c = ic
		}
	}
	c.opts = func(o *Options) {
		o.MirrorFiles = slices.DeleteFunc(slices.Clone(o.MirrorFiles), func(n string) bool { return n == "INSTALL.amd64" })
	}
	p, f, _ := planCase(t, c)
	m := serve(c.model, p, f)
	for _, run := range []struct {
		mode string
		o    *outcome
	}{{"install", simulateInstall(f.InstallConf, m)}, {"upgrade", simulateUpgrade(f.UpgradeConf, m, p.Hostname)}} {
		if run.o.Err != nil {
			t.Errorf("%s stopped: %v\n%s", run.mode, run.o.Err, run.o.transcript())
		} else if !contains(run.o.Sets, "base78.tgz") {
			t.Errorf("%s: installed %v, without base78.tgz", run.mode, run.o.Sets)
		}
	}
	// assert that: with INSTALL.amd64 there, no answer is written for it
	_, f, _ = planCase(t, installCase{base: "mx1"})
	if bytes.Contains(f.InstallConf, []byte("INSTALL.amd64 not found")) {
		t.Errorf("install.conf answers for a missing INSTALL.amd64 the mirror has:\n%s", f.InstallConf)
	}
}

// TestFirstBootRestartsWireless: the installer's own fw_update line in
// rc.firsttime runs at first boot before fugu's lines, after netstart
// found no firmware for a wireless interface; fugu's lines bring the
// wireless interfaces up again, whether or not fugu serves the firmware.
func TestFirstBootRestartsWireless(t *testing.T) {
	tests := []struct {
		name, base string
		edit       func(p *profiles.Profile)
		opts       func(o *Options)
		want       bool
	}{
		{"default firmware source", "delilah", nil, nil, true},
		{"fugu's firmware mirror", "delilah", nil, func(o *Options) { o.FirmwareURL = testServer + "/fugu/firmware/7.8/" }, true},
		{"firmware none", "delilah", func(p *profiles.Profile) { p.Firmware = "none" }, nil, true},
		{"no wireless", "mx1", nil, nil, false},
	}
	for _, tt := range tests {
		p, _, _ := planCase(t, installCase{base: tt.base, edit: tt.edit, opts: tt.opts})
		fb := string(renderFirstBoot(p))
		if got := strings.Contains(fb, "sh /etc/netstart"); got != tt.want {
			t.Errorf("%s: netstart in rc.firsttime = %v, want %v:\n%s", tt.name, got, tt.want, fb)
		}
	}
}

// TestDomainWithOneDHCPInterface: with exactly one interface, configured
// by DHCP, the installer does not ask "DNS domain name?" (donetconfig
// takes the lease's domain-name, else my.domain), so the answer is never
// read; install.site writes /etc/myname with the profile's domain.
func TestDomainWithOneDHCPInterface(t *testing.T) {
	m, _ := exampleMachine(t, "mx1")
	mc := *m
	mc.Profile.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "em0", IPv4: "dhcp"}}}
	p, err := NewPlan(&mc, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p.Domain == "" {
		t.Fatal("the example mx1 has no domain")
	}
	f, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	// assert that: the replay indeed skips the question
	o := simulateInstall(f.InstallConf, serve(gatewayModel(), p, f))
	for _, a := range o.log {
		if strings.HasPrefix(a.Question, "DNS domain name?") {
			t.Fatalf("the simulator asks %q with one DHCP interface", a.Question)
		}
	}
	want := p.Hostname + "." + p.Domain + "\n"
	var got string
	for _, e := range readSiteSet(t, f.SiteSet) {
		if e.h.Name == "./etc/fugu/files/etc/myname" {
			got = string(e.data)
		}
	}
	if got != want {
		t.Errorf("staged /etc/myname = %q, want %q", got, want)
	}
	if is := string(renderInstallSite(p, stagedFiles(p))); !strings.Contains(is, "put 0644 '/etc/myname'\n") {
		t.Errorf("install.site does not put /etc/myname:\n%s", is)
	}
}

// TestFirstBootFirmware: with fugu's firmware mirror, rc.firsttime runs
// fw_update -p from it, unless the profile says firmware: none.
func TestFirstBootFirmware(t *testing.T) {
	mirror := func(o *Options) { o.FirmwareURL = testServer + "/fugu/firmware/7.8/" }
	tests := []struct {
		name string
		edit func(p *profiles.Profile)
		opts func(o *Options)
		want string
	}{
		{"fugu's mirror", nil, mirror, "/usr/sbin/fw_update -p '" + testServer + "/fugu/firmware/7.8/'\n"},
		{"firmware none", func(p *profiles.Profile) { p.Firmware = "none" }, mirror, ""},
		{"default source", nil, nil, ""},
	}
	for _, tt := range tests {
		p, _, _ := planCase(t, installCase{base: "mx1", edit: tt.edit, opts: tt.opts})
		fb := string(renderFirstBoot(p))
		got := ""
		for _, l := range strings.SplitAfter(fb, "\n") {
			if strings.Contains(l, "fw_update") {
				got += l
			}
		}
		if got != tt.want {
			t.Errorf("%s: fw_update lines %q, want %q:\n%s", tt.name, got, tt.want, fb)
		}
	}
}

// TestNoSSHKeys: without ssh keys for root or the user, the installer's
// "Public ssh key" questions are answered none: a profile without keys
// renders, and no key is installed.
func TestNoSSHKeys(t *testing.T) {
	p, f, _ := planCase(t, installCase{base: "delilah", edit: func(p *profiles.Profile) {
		p.Root.SSHKeys = nil
		u := *p.User
		u.SSHKeys = nil
		p.User = &u
	}})
	ic := string(f.InstallConf)
	for _, want := range []string{"Public ssh key for root account = none\n", "Public ssh key for user " + p.User.Login + " = none\n"} {
		if !strings.Contains(ic, want) {
			t.Errorf("install.conf lacks %q:\n%s", want, ic)
		}
	}
}

// TestProfileOwnsInstallurlAndMyname: a profile's own /etc/installurl or
// /etc/myname replaces the one fugu writes, and is staged once.
func TestProfileOwnsInstallurlAndMyname(t *testing.T) {
	own := map[string]string{"/etc/installurl": "https://mirror.example.org/pub/OpenBSD\n", "/etc/myname": "mx1.internal.example.org\n"}
	p, f, _ := planCase(t, installCase{base: "mx1", edit: func(p *profiles.Profile) {
		p.Files = map[string]profiles.File{}
		for path, c := range own {
			p.Files[path] = profiles.File{Content: c}
		}
	}})
	if p.Domain == "" {
		t.Fatal("the example mx1 has no domain: fugu would write no /etc/myname")
	}
	got := map[string][]string{}
	for _, e := range readSiteSet(t, f.SiteSet) {
		got[e.h.Name] = append(got[e.h.Name], string(e.data))
	}
	for path, c := range own {
		name := "./etc/fugu/files" + path
		if len(got[name]) != 1 || got[name][0] != c {
			t.Errorf("%s in the site set: %q, want %q once", name, got[name], c)
		}
	}
}

// TestRenderRefusesAFileTwice: a hand-made plan that stages one path
// twice is refused, rather than a site set that tar extracts twice.
func TestRenderRefusesAFileTwice(t *testing.T) {
	p, _, _ := planCase(t, installCase{base: "mx1"})
	p.Files = append(p.Files, SiteFile{Path: "/etc/motd", Mode: 0o644, Content: []byte("a\n")}, SiteFile{Path: "/etc/motd", Mode: 0o644, Content: []byte("b\n")})
	if _, err := Render(p); err == nil || !strings.Contains(err.Error(), "etc/fugu/files/etc/motd given twice") {
		t.Errorf("Render: %v, want etc/fugu/files/etc/motd given twice", err)
	}
}

// TestIndexListsTheSiteSetOnce: a mirror file with the site set's name
// does not list it twice, nor hide its size.
func TestIndexListsTheSiteSetOnce(t *testing.T) {
	got := string(renderIndex("site78-mx1.tgz", 1234, []string{"bsd", "site78-mx1.tgz"}))
	stamp := ModTime.Format("Jan _2 15:04:05 2006")
	want := fmt.Sprintf("-rw-r--r--  1 root  wheel  %10d %s bsd\n-rw-r--r--  1 root  wheel  %10d %s site78-mx1.tgz\n", 0, stamp, 1234, stamp)
	if got != want {
		t.Errorf("index.txt:\n%s\nwant:\n%s", got, want)
	}
}

// TestFileOwner: a profile file with an owner other than root is given
// to it by install.site after it is put in place.
func TestFileOwner(t *testing.T) {
	p, _, _ := planCase(t, installCase{base: "delilah", edit: func(p *profiles.Profile) {
		p.Files = map[string]profiles.File{"/home/peter/.profile": {Content: "export PS1='$ '\n", Owner: "peter:peter"}}
	}})
	is := string(renderInstallSite(p, stagedFiles(p)))
	want := "put 0644 '/home/peter/.profile'\nchown 'peter:peter' '/home/peter/.profile' || warn 'cannot give /home/peter/.profile to peter:peter'\n"
	if !strings.Contains(is, want) {
		t.Errorf("install.site lacks\n%s\n%s", want, is)
	}
}
