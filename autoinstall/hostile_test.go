package autoinstall

import (
	"bytes"
	"strings"
	"testing"

	"fugu/profiles"
)

// TestHostileValuesRejected: values that would inject a line, an answer or
// a command are refused by NewPlan, naming the profile key.
func TestHostileValuesRejected(t *testing.T) {
	wifi := func(ssid, key string) func(p *profiles.Profile) {
		return func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "iwm0", Wireless: &profiles.Wireless{
				Networks: []profiles.WirelessNetwork{{SSID: ssid, WPAKey: key}},
			}}}}
		}
	}
	file := func(path, content, owner string) func(p *profiles.Profile) {
		return func(p *profiles.Profile) {
			p.Files = map[string]profiles.File{path: {Content: content, Owner: owner}}
		}
	}
	cases := []struct {
		name, key string
		edit      func(p *profiles.Profile)
		opts      func(o *Options)
	}{
		{"newline in hostname", "system.hostname", func(p *profiles.Profile) { p.System.Hostname = "web1\nPassword for root account = x" }, nil},
		{"dotted hostname", "system.hostname", func(p *profiles.Profile) { p.System.Hostname = "web1.example.org" }, nil},
		{"newline in WPA key", "wpa_key", wifi("home", "secretkey\nSetup a user = evil"), nil},
		{"dollar in WPA key", "wpa_key", wifi("home", "pa$$word123"), nil},
		{"command substitution in WPA key", "wpa_key", wifi("home", "x`reboot`yyyy"), nil},
		{"double quote in SSID", "ssid", wifi(`a"b`, "secretkey"), nil},
		{"backslash in SSID", "ssid", wifi(`a\b`, "secretkey"), nil},
		{"run of blanks in SSID", "ssid", wifi("a  b", "secretkey"), nil},
		{"short WPA key", "wpa_key", wifi("home", "short"), nil},
		{"SSID of digits (a scan list number)", "ssid", wifi("1234", "secretkey"), nil},
		{"SSID ?", "ssid", wifi("?", "secretkey"), nil},
		{"dot-dot in file path", "files", file("/etc/../root/.profile", "x", ""), nil},
		{"relative file path", "files", file("etc/x", "x", ""), nil},
		{"quote in file path", "files", file("/etc/it's", "x", ""), nil},
		{"shell in file owner", "owner", file("/etc/x", "x", "root;reboot"), nil},
		{"install.site as a file", "files", file("/install.site", "#!/bin/sh\n", ""), nil},
		{"staging name of the user's keys", `files["/peter.authorized_keys"]: /peter.authorized_keys shares its staging name`, func(p *profiles.Profile) {
			u := *p.User
			u.SSHKeys = []string{u.SSHKeys[0], u.SSHKeys[0]}
			p.User = &u
			p.Files = map[string]profiles.File{"/peter.authorized_keys": {Content: "x"}}
		}, nil},
		{"newline in root password hash", "root.password_hash", func(p *profiles.Profile) { p.Root.PasswordHash += "\nSetup a user = evil" }, nil},
		{"plaintext root password", "root.password_hash", func(p *profiles.Profile) { p.Root.PasswordHash = "hunter2" }, nil},
		{"newline in ssh key", "root.ssh_keys[0]", func(p *profiles.Profile) { p.Root.SSHKeys = []string{"ssh-ed25519 AAAA x\nSetup a user = evil"} }, nil},
		{"newline in full name", "user.full_name", func(p *profiles.Profile) { u := *p.User; u.FullName = "Peter\nSetup a user = evil"; p.User = &u }, nil},
		{"echo escape in full name", "user.full_name", func(p *profiles.Profile) { u := *p.User; u.FullName = `Peter\nevil\0720\0720`; p.User = &u }, nil},
		{"newline in passphrase", "encrypt.passphrase", func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Encrypt = &profiles.Encryption{Passphrase: "one\ntwo"}
			p.Disks = d
		}, nil},
		// A passphrase or full name reaches install.conf checked by
		// checkAnswer alone: the installer trims blanks at the ends of
		// an answer, and a control character would go to bioctl or
		// master.passwd as it is.
		{"blank at the end of the passphrase", "disks.root.encrypt.passphrase: starts or ends with a blank", func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Encrypt = &profiles.Encryption{Passphrase: "correct horse "}
			p.Disks = d
		}, nil},
		{"escape in passphrase", "disks.root.encrypt.passphrase: contains a control character", func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Encrypt = &profiles.Encryption{Passphrase: "correct\x1b[2Jhorse"}
			p.Disks = d
		}, nil},
		{"blank before # in full name", "user.full_name", func(p *profiles.Profile) { u := *p.User; u.FullName = "Peter # admin"; p.User = &u }, nil},
		{"shell dollar in full name", "user.full_name", func(p *profiles.Profile) { u := *p.User; u.FullName = "Peter $HOME"; p.User = &u }, nil},
		{"DEL in full name", "user.full_name", func(p *profiles.Profile) { u := *p.User; u.FullName = "Peter\x7fPan"; p.User = &u }, nil},
		// Past the 63 characters of a DNS label, and the 31 of a login
		// the installer accepts (it asks again and creates no user).
		{"hostname of 64 characters", "system.hostname", func(p *profiles.Profile) { p.System.Hostname = strings.Repeat("h", 64) }, nil},
		{"login of 32 characters", "user.login", func(p *profiles.Profile) { u := *p.User; u.Login = strings.Repeat("p", 32); p.User = &u }, nil},
		{"SSID of 33 characters", "ssid", wifi(strings.Repeat("s", 33), "secretkey"), nil},
		{"interface twice", `network.interfaces[1].name: "em0" is configured twice`, func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "em0"}, {Name: "em0", IPv4: "192.0.2.5/24"}}}
		}, nil},
		{"abort in set selection", "sets.select[0]", func(p *profiles.Profile) { p.Sets.Select = []string{"abort"} }, nil},
		{"mode beyond 07777", `files["/etc/x"].mode`, func(p *profiles.Profile) { p.Files = map[string]profiles.File{"/etc/x": {Content: "x", Mode: "10644"}} }, nil},
		// A file where the base system or another staged file has a
		// directory: install.site could not put it there, and the site
		// set could not even hold both.
		{"base directory as a file", `files["/etc"]: /etc is a directory of the base system`, file("/etc", "x", ""), nil},
		{"kernel as a file", `files["/bsd"]: /bsd is a kernel`, file("/bsd", "x", ""), nil},
		{"file that another file needs as its directory", `files["/opt/app"]: /opt/app is a file here, but /opt/app/conf needs it as a directory`, func(p *profiles.Profile) {
			p.Files = map[string]profiles.File{"/opt/app": {Content: "x"}, "/opt/app/conf": {Content: "y"}}
		}, nil},
		{"file where a hostname.if needs a directory", `files["/etc/hostname.em0"]`, func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "em0", IPv4: "dhcp"}}}
			p.Files = map[string]profiles.File{"/etc/hostname.em0/x": {Content: "y"}}
		}, nil},
		{"file name too long for the site set's tar", "too long for the site set's tar archive", file("/etc/"+strings.Repeat("p", 101), "x", ""), nil},
		{"directory name too long for the site set's tar", "too long for the site set's tar archive", file("/etc/"+strings.Repeat("p", 150)+"/x", "x", ""), nil},
		{"upgrade.site as a file", "/upgrade.site is written by fugu itself", file("/upgrade.site", "#!/bin/sh\n", ""), nil},
		{"doas.conf next to doas rules", "/etc/doas.conf is written by fugu itself", func(p *profiles.Profile) {
			p.Doas = []string{"permit persist :wheel"}
			p.Files = map[string]profiles.File{"/etc/doas.conf": {Content: "permit nopass :wheel\n"}}
		}, nil},
		// doas's lexer refuses a word over 1023 bytes ("too long line"),
		// and then every rule of the file.
		{"doas word of 1024 bytes", "doas[0]: has a word longer than 1023 bytes", func(p *profiles.Profile) {
			p.Doas = []string{"permit nopass " + strings.Repeat("u", 1024)}
		}, nil},
		{"xenodm without X", "x11.xenodm", func(p *profiles.Profile) {
			no, yes := false, true
			p.X11 = profiles.X11{Enabled: &no, Xenodm: &yes}
		}, nil},
		{"domain with a line break", "system.domain", func(p *profiles.Profile) { p.System.Domain = "example.org\nSetup a user = evil" }, nil},
		{"keyboard with a line break", "system.keyboard", func(p *profiles.Profile) { p.System.Keyboard = "us\nSetup a user = evil" }, nil},
		{"root login not a choice", "sshd.root_login", func(p *profiles.Profile) { p.SSHD.RootLogin = "maybe" }, nil},
		{"dot-dot in the sets directory", "sets.directory", func(p *profiles.Profile) {
			p.Sets.Server, p.Sets.Directory = testMirror, "pub/OpenBSD/../../etc"
		}, nil},
		{"doas rule without permit or deny", "doas[0]", func(p *profiles.Profile) { p.Doas = []string{"allow :wheel"} }, nil},
		{"blank in set token", "sets.select", func(p *profiles.Profile) { p.Sets.Select = []string{"-game* +x"} }, nil},
		{"newline in package", "packages", func(p *profiles.Profile) { p.Packages = []string{"vim\nrm -rf /"} }, nil},
		{"newline in doas rule", "doas", func(p *profiles.Profile) { p.Doas = []string{"permit :wheel\npermit nopass :staff"} }, nil},
		{"blank in mount point", "mount", func(p *profiles.Profile) {
			d := p.Disks
			d.Extra = []profiles.ExtraDisk{{Device: "sd0", Partitions: []profiles.Partition{{Mount: "/my data", Size: "rest"}}}}
			p.Disks = d
		}, nil},
		{"extra disk without partitions", "disks.extra[0].partitions: none given", func(p *profiles.Profile) {
			d := p.Disks
			d.Extra = []profiles.ExtraDisk{{Device: "sd0"}}
			p.Disks = d
		}, nil},
		{"server URL with a path", "server URL", nil, func(o *Options) { o.ServerURL = "http://192.0.2.10/fugu" }},
		{"quote in callback", "callback", nil, func(o *Options) { o.InstallSiteCallback = "http://192.0.2.10/x?'$(reboot)'" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, facts := exampleMachine(t, "delilah")
			mc := *m
			if c.edit != nil {
				c.edit(&mc.Profile)
			}
			opts := testOptions()
			if c.opts != nil {
				c.opts(&opts)
			}
			_, err := NewPlan(&mc, facts, opts)
			if err == nil {
				t.Fatalf("NewPlan accepted it")
			}
			if !strings.Contains(err.Error(), c.key) {
				t.Errorf("error does not name %s: %v", c.key, err)
			}
		})
	}
}

// TestHostileContentEncoded: file content is carried byte for byte inside
// the archive and never reaches a shell script.
func TestHostileContentEncoded(t *testing.T) {
	m, facts := exampleMachine(t, "delilah")
	mc := *m
	content := "it's $(reboot) `halt` \"x\" \\\nEOF\n'\n"
	mc.Profile.Files = map[string]profiles.File{"/etc/motd": {Content: content, Mode: "0644"}}
	p, err := NewPlan(&mc, facts, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	f, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range readSiteSet(t, f.SiteSet) {
		switch e.h.Name {
		case "./etc/fugu/files/etc/motd":
			found = true
			if string(e.data) != content {
				t.Errorf("motd = %q, want %q", e.data, content)
			}
		case "./install.site", "./etc/fugu/rc.firsttime":
			if bytes.Contains(e.data, []byte("reboot")) || bytes.Contains(e.data, []byte("halt")) {
				t.Errorf("%s carries the file's content:\n%s", e.h.Name, e.data)
			}
		}
	}
	if !found {
		t.Fatal("motd is not in the site set")
	}
}

// TestWirelessQuoting: an ESSID with a single quote and blanks is written
// double-quoted, one join line per network with its key.
func TestWirelessQuoting(t *testing.T) {
	in := NetIf{Name: "iwm0", Wireless: true, IPv4: "autoconf", IPv6: "none", Networks: []profiles.WirelessNetwork{
		{SSID: "Bob's Net", WPAKey: "my secret key"}, {SSID: "cafe"},
	}}
	got := string(hostnameIf(in))
	want := "join \"Bob's Net\" wpakey \"my secret key\"\njoin \"cafe\"\ninet autoconf\n"
	if got != want {
		t.Errorf("hostnameIf = %q, want %q", got, want)
	}
}

// TestPseudoInterfaceRejected: the installer offers no vlan10 or wg0.
func TestPseudoInterfaceRejected(t *testing.T) {
	m, _ := exampleMachine(t, "mx1")
	mc := *m
	mc.Profile.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "em0"}, {Name: "vlan10"}}}
	if _, err := NewPlan(&mc, nil, testOptions()); err == nil || !strings.Contains(err.Error(), "pseudo-interface") {
		t.Errorf("NewPlan with vlan10: %v", err)
	}
	// A hand-made plan with a wireless interface and no network is refused
	// by Render, not a panic.
	p, err := NewPlan(m, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	p.Interfaces = append(p.Interfaces, NetIf{Name: "iwm0", Wireless: true, IPv4: "autoconf", IPv6: "autoconf"})
	if _, err := Render(p); err == nil {
		t.Error("Render accepted a wireless interface without a network")
	}
}

// TestFileUnderAnotherFile: a file whose path is the directory of another
// site set file cannot be extracted (tar meets a directory where it wrote
// a file, and the installer stops at "Installation of site... failed").
func TestFileUnderAnotherFile(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]profiles.File
	}{
		{"two profile files", map[string]profiles.File{"/etc/foo": {Content: "x"}, "/etc/foo/bar": {Content: "y"}}},
		{"a profile file over fugu's own", map[string]profiles.File{"/etc": {Content: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, facts := exampleMachine(t, "delilah")
			mc := *m
			mc.Profile.Files = tt.files
			p, err := NewPlan(&mc, facts, testOptions())
			if err == nil {
				_, err = Render(p)
			}
			if err == nil {
				t.Fatal("NewPlan and Render accepted it")
			}
		})
	}
}

// TestLongestNamesAccepted: a host name of one full DNS label (63
// characters) and a login of 31 characters, the installer's limits, are
// accepted.
func TestLongestNamesAccepted(t *testing.T) {
	m, facts := exampleMachine(t, "delilah")
	mc := *m
	mc.Profile.System.Hostname = strings.Repeat("h", 63)
	u := *mc.Profile.User
	u.Login = strings.Repeat("p", 31)
	mc.Profile.User = &u
	if _, err := NewPlan(&mc, facts, testOptions()); err != nil {
		t.Fatal(err)
	}
}

// TestMachineNameRefused: the machine name names the sets directory and
// the template's URL: one that leaves them is refused.
func TestMachineNameRefused(t *testing.T) {
	m, facts := exampleMachine(t, "delilah")
	for _, name := range []string{"../etc", "a/b", "x y", ""} {
		mc := *m
		mc.Name = name
		if _, err := NewPlan(&mc, facts, testOptions()); err == nil || !strings.Contains(err.Error(), "name: ") {
			t.Errorf("machine %q: %v, want refused", name, err)
		}
	}
}
