package profiles

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExampleSiteLoads(t *testing.T) {
	site, err := Load(ExampleSite())
	if err != nil {
		t.Fatalf("Load(ExampleSite()) = %v", err)
	}
	// assert that: every machine resolved, with hostnames and memory
	if len(site.Machines) != 3 || len(site.Profiles) != 3 {
		t.Fatalf("got %d machines, %d profiles; want 3, 3", len(site.Machines), len(site.Profiles))
	}
	d := site.Machines[0]
	if d.Name != "delilah" || d.Profile.System.Hostname != "delilah" || d.MemoryBytes != 32*GiB || len(d.Dmesg) != 0 {
		t.Errorf("delilah = %+v", d)
	}
	if d.Profile.Root.PasswordHash == "" || d.Profile.System.Timezone != "Europe/Oslo" || d.Profile.User.Login != "peter" {
		t.Errorf("delilah's profile did not inherit base: %+v", d.Profile)
	}
	if got := strings.Join(d.MACs, ","); got != "80:fa:5b:01:02:03,80:fa:5b:01:02:04" {
		t.Errorf("delilah MACs = %s", got)
	}
	pb := site.Machines[1]
	if pb.Name != "probook" || len(pb.Dmesg) == 0 || pb.MemoryBytes != 0 || pb.Profile.Disks.Root.Device != "auto" ||
		len(pb.Profile.Disks.Extra) != 0 || pb.Profile.Network.Interfaces[1].Name != "iwx0" {
		t.Errorf("probook = %+v: want its dmesg and its set: overrides (device auto, no extra disk, iwx0)", pb)
	}
	mx := site.Machines[2]
	if mx.Profile.Roles.MailGW == nil || mx.Profile.Roles.MailGW.EgressInterface != "em0" {
		t.Errorf("mx1 has no mailgw role: %+v", mx.Profile.Roles)
	}
	if mx.Profile.SSHD.RootLogin != "prohibit-password" || mx.Profile.SSHD.Enabled == nil || !*mx.Profile.SSHD.Enabled {
		t.Errorf("mx1 sshd = %+v: want the override merged over base", mx.Profile.SSHD)
	}
}

// loadProblems loads a site made of files and returns the problems.
func loadProblems(t *testing.T, files map[string]string) Problems {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	_, err := Load(fsys)
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error %v is not Problems", err)
	}
	return ps
}

const goodHash = "$2b$10$kYpZJJkh6uDi/Kog0hCxr..Xccto21m4Uzvqxtw/sVoYWBGQ0wRwS"

func TestLoadProblems(t *testing.T) {
	base := "root:\n  password_hash: \"" + goodHash + "\"\n"
	inv := "machines:\n  - name: a\n    mac: 00:00:5e:00:53:01\n    profile: p\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string // each problem's String(), in sorted order
	}{
		{"valid", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base}, nil},
		{"no inventory", map[string]string{"profiles/p.yaml": base}, []string{"machines.yaml: missing: a site has a machines.yaml (run `fugu profile init` for a starter site)"}},
		{"missing parent", map[string]string{"machines.yaml": inv, "profiles/p.yaml": "extends: nope\n" + base},
			[]string{`profiles/p.yaml:1:10: extends: no profile "nope" (expected the name of a file in profiles/ without .yaml; have: p)`}},
		{"cycle", map[string]string{"machines.yaml": inv, "profiles/p.yaml": "extends: q\n" + base, "profiles/q.yaml": "extends: p\n" + base},
			[]string{"profiles/q.yaml:1:10: extends: extends goes round in a circle: p -> q -> p"}},
		{"cycle of three without root", map[string]string{"machines.yaml": inv, "profiles/p.yaml": "extends: q\n" + base, "profiles/q.yaml": "extends: r\n", "profiles/r.yaml": "extends: p\nuser: {login: bob}\n"},
			[]string{"profiles/r.yaml:1:10: extends: extends goes round in a circle: p -> q -> r -> p"}},
		{"missing parent of a parent", map[string]string{"machines.yaml": inv, "profiles/p.yaml": "extends: q\n", "profiles/q.yaml": "extends: nope\n"},
			[]string{`profiles/q.yaml:1:10: extends: no profile "nope" (expected the name of a file in profiles/ without .yaml; have: p, q)`}},
		{"no profile loads", map[string]string{"machines.yaml": inv},
			[]string{`machines.yaml:4:14: machines[0].profile: no profile "p" (profiles/ has no profile that loads)`}},
		{"self", map[string]string{"machines.yaml": inv, "profiles/p.yaml": "extends: p\n" + base},
			[]string{"profiles/p.yaml:1:10: extends: extends goes round in a circle: p -> p"}},
		{"syntax", map[string]string{"machines.yaml": inv, "profiles/p.yaml": "root: [\n"},
			[]string{"profiles/p.yaml:1:7: not valid YAML: did not find expected node content"}},
		{"wrong kinds", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "sshd:\n  enabled: yes\npackages: vim\nsystem: [a]\n"},
			[]string{
				"profiles/p.yaml:4:12: sshd.enabled: expected true or false, found \"yes\" (YAML 1.1's word for true, which YAML 1.2 reads as text: write true)",
				"profiles/p.yaml:5:11: packages: expected a list, found \"vim\"",
				"profiles/p.yaml:6:9: system: expected a mapping, found a list",
			}},
		// A quoted true or 8 is text; the message says so rather than
		// that "true" was expected and "true" found.
		{"quoted bool and number", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "sshd:\n  enabled: \"true\"\nx11: {enabled: 'false'}\ndisks:\n  root:\n    partitions: [{mount: /, size: 1G, percent: \"8\"}]\n"},
			[]string{
				"profiles/p.yaml:4:12: sshd.enabled: expected true or false, found the quoted text \"true\" (remove the quotes)",
				"profiles/p.yaml:5:16: x11.enabled: expected true or false, found the quoted text \"false\" (remove the quotes)",
				"profiles/p.yaml:8:48: disks.root.partitions[0].percent: expected a whole number, found the quoted text \"8\" (remove the quotes)",
			}},
		{"duplicate key", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "arch: amd64\narch: i386\n"},
			[]string{"profiles/p.yaml:4:1: arch: key given twice (first at line 3)"}},
		{"alias", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "system: {hostname: &h x}\nsets: {server: *h}\n"},
			[]string{"profiles/p.yaml:4:16: sets.server: YAML aliases are not supported (use extends, or repeat the value)"}},
		{"merge key", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "system: &s {hostname: x}\nuser:\n  <<: *s\n  login: bob\npackages: [a, *s]\n"},
			[]string{
				"profiles/p.yaml:5:3: user[\"<<\"]: YAML merge keys (<<) are not supported (use extends)",
				"profiles/p.yaml:5:7: user[\"<<\"]: YAML aliases are not supported (use extends, or repeat the value)",
				"profiles/p.yaml:7:15: packages[1]: YAML aliases are not supported (use extends, or repeat the value)",
			}},
		{"inventory", map[string]string{"profiles/p.yaml": base, "machines.yaml": `defaults: {profile: nope}
machines:
  - {name: a, mac: 00:00:5E:00:53:01, profile: p, dmesg: dmesg/a.txt, memory: 32}
  - {name: a, macs: ["00-00-5e-00-53-01"], profile: q}
  - {name: B.c, profile: p, dmesg: ../x}
  - {profile: p, set: {extends: p, user: {login: root}}}
`}, []string{
			`machines.yaml:1:21: defaults.profile: no profile "nope" (have: p)`,
			`machines.yaml:3:58: machines[0].dmesg: cannot read dmesg/a.txt in the site (expected a dmesg file like dmesg/NAME.txt)`,
			`machines.yaml:3:79: machines[0].memory: size "32" has no unit (expected K, M, G or T, like 512M or 4G)`,
			`machines.yaml:4:12: machines[1].name: machine a is already listed at machines[0]`,
			`machines.yaml:4:22: machines[1].macs[0]: MAC 00:00:5e:00:53:01 is already given to a (expected each MAC on one machine)`,
			`machines.yaml:4:53: machines[1].profile: no profile "q" (have: p)`,
			`machines.yaml:5:12: machines[2].name: "B.c" is not a short host name (expected one label like puffy; put the rest in system.domain)`,
			`machines.yaml:5:36: machines[2].dmesg: "../x" is not a clean path inside the site (expected like dmesg/NAME.txt)`,
			`machines.yaml:6:5: machines[3].name: required (the machine's name, which becomes its host name)`,
			`machines.yaml:6:33: machines[3].set.extends: extends is not allowed in set: (choose the machine's profile with profile:)`,
			`machines.yaml:6:42: machines[3].set.user.password_hash: required (a bcrypt hash, or "*************" to disable password login; run ` + "`fugu passwd`" + ` to make a bcrypt hash)`,
			`machines.yaml:6:50: machines[3].set.user.login: "root" is a system account (expected a name other than root, daemon, operator, bin, build, sshd, www, nobody, ftp)`,
		}},
		{"empty dmesg", map[string]string{"profiles/p.yaml": base, "dmesg/a.txt": "\n", "machines.yaml": "machines:\n  - {name: a, profile: p, dmesg: dmesg/a.txt}\n"},
			[]string{"machines.yaml:2:34: machines[0].dmesg: dmesg/a.txt is empty (expected the machine's dmesg, from dmesg(8) or /var/run/dmesg.boot)"}},
		{"unknown key in set", map[string]string{"profiles/p.yaml": base, "machines.yaml": inv + "    set: {systen: {hostname: x}}\n"},
			[]string{`machines.yaml:5:11: machines[0].set.systen: unknown key "systen" (expected one of: arch, disks, doas, extends, files, firmware, network, packages, release, roles, root, sets, sshd, system, user, x11)`}},
		// A typo in machines.yaml is one problem among the others, not
		// the only one reported.
		{"unknown key in inventory", map[string]string{"profiles/p.yaml": base, "machines.yaml": "machines:\n  - name: a\n    mac: 00:00:5e:00:53:zz\n    profile: q\n    memroy: 16G\n"},
			[]string{
				`machines.yaml:3:10: machines[0].mac: "00:00:5e:00:53:zz" is not a MAC address (expected six hex bytes like 80:fa:5b:01:02:03)`,
				`machines.yaml:4:14: machines[0].profile: no profile "q" (have: p)`,
				`machines.yaml:5:5: machines[0].memroy: unknown key "memroy" (expected one of: dmesg, mac, macs, memory, name, profile, set)`,
			}},
		// machines.yaml is one document too; it holds no profile.
		{"inventory of two documents", map[string]string{"profiles/p.yaml": base, "machines.yaml": inv + "---\n" + inv},
			[]string{"machines.yaml:5:1: more than one YAML document (expected one document per file; remove the ---)"}},
		{"yml", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base, "profiles/q.yml": base},
			[]string{"profiles/q.yml: profiles end in .yaml (rename it to q.yaml)"}},
		{"swap multiple needs memory", map[string]string{"profiles/p.yaml": base + "disks: {root: {swap: 2x}}\n", "machines.yaml": inv + "  - {name: b, profile: p, memory: 8G}\n"},
			[]string{"machines.yaml:2:5: machines[0]: disks.root.swap is 2x, a multiple of memory, but this machine has neither memory: nor dmesg: (expected one of them, or a swap size like 16G)"}},
		{"static needs gateway", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "network:\n  interfaces:\n    - {name: em0, ipv4: 192.0.2.2/24}\n"},
			[]string{"profiles/p.yaml:4:3: network.gateway: required with a static ipv4 address (the default IPv4 route, or none)"}},
		// The profile is valid alone; what set: changes makes a value of
		// the profile wrong for this machine, and it is reported there.
		{"set makes profile values wrong", map[string]string{
			"profiles/p.yaml": base + "x11: {xenodm: true}\nnetwork:\n  interfaces: [{name: em0, ipv6: 2001:db8::5/64}]\n  gateway6: 2001:db8::1\n" +
				"disks:\n  root:\n    partitions: [{mount: /, size: 1G}, {mount: swap, size: 1G}]\n  extra:\n    - {device: sd1, partitions: [{mount: /home, size: rest}]}\n",
			"machines.yaml": inv + "    memory: 1G\n    set:\n      x11: {enabled: false}\n      network: {interfaces: [{name: em0, ipv6: autoconf}]}\n" +
				"      disks: {root: {device: sd1, swap: 2G, partitions: [{mount: /, size: 1G}, {mount: /home, size: rest}]}}\n",
		}, []string{
			"profiles/p.yaml:3:15: x11.xenodm: xenodm needs X (x11.enabled is false) (machine a)",
			"profiles/p.yaml:6:13: network.gateway6: only used with a static ipv6 address (autoconf learns the router) (machine a)",
			"profiles/p.yaml:11:16: disks.extra[0].device: disk sd1 is already used by disks.root (machine a)",
			"profiles/p.yaml:11:42: disks.extra[0].partitions[0].mount: mount point /home is given twice (expected each mount point once, across all disks) (machine a)",
		}},
		// A null entry is not "no file": it would write an empty one.
		{"file without content", map[string]string{
			"profiles/p.yaml": base + "files:\n  /etc/a: {mode: \"0600\"}\n",
			"profiles/q.yaml": base + "files:\n  /etc/pf.conf: {content: \"block all\\n\"}\n  /etc/motd: {content: \"\"}\n",
			"machines.yaml":   inv + "  - name: b\n    profile: q\n    set: {files: {/etc/pf.conf: ~, /etc/motd: {mode: \"0600\"}}}\n",
		}, []string{
			`machines.yaml:7:33: machines[1].set.files["/etc/pf.conf"].content: required (the file's text, "" for an empty file)`,
			`profiles/p.yaml:4:11: files["/etc/a"].content: required (the file's text, "" for an empty file)`,
		}},
		{"newline in value", map[string]string{"machines.yaml": inv, "profiles/p.yaml": base + "system:\n  keyboard: \"no\\nSetup a user = yes\"\n"},
			[]string{
				"profiles/p.yaml:4:13: system.keyboard: \"no\\nSetup a user = yes\" is not a kbd(8) layout name (expected like us, no or us.dvorak)",
				"profiles/p.yaml:4:13: system.keyboard: contains a newline (it would start a new line in a generated file; expected a single line)",
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := loadProblems(t, c.files)
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("Load problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestSetOverridesMerge(t *testing.T) {
	files := map[string]string{
		"profiles/base.yaml": "root:\n  password_hash: \"" + goodHash + "\"\nsystem: {timezone: UTC, domain: example.org}\npackages: [a, b]\n",
		"profiles/p.yaml":    "extends: base\nsystem: {keyboard: \"no\"}\npackages: [c]\n",
		"machines.yaml":      "machines:\n  - name: m1\n    mac: 00:00:5E:00:53:01\n    profile: p\n    set: {system: {domain: example.net}}\n  - name: m2\n    profile: p\n",
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	// assert that: maps merged key by key, lists replaced, set: applied, name became hostname
	m1 := site.Machines[0].Profile
	if m1.System != (System{Hostname: "m1", Domain: "example.net", Timezone: "UTC", Keyboard: "no"}) {
		t.Errorf("m1 system = %+v", m1.System)
	}
	if strings.Join(m1.Packages, ",") != "c" {
		t.Errorf("m1 packages = %v, want [c] (lists replace)", m1.Packages)
	}
	if site.Inventory.Machines[0].MAC != "00:00:5e:00:53:01" {
		t.Errorf("MAC not normalised: %q", site.Inventory.Machines[0].MAC)
	}
	if m2 := site.Machines[1].Profile; m2.System.Hostname != "m2" || m2.System.Domain != "example.org" {
		t.Errorf("m2 system = %+v", m2.System)
	}
	if p := site.Profiles["p"]; p.System.Hostname != "" || p.Release != DefaultRelease || p.Arch != DefaultArch {
		t.Errorf("profile p = %+v", p)
	}
}

func TestLoadProfileFileDocuments(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"root: {password_hash: \"*************\"}\n---\nsystem: {hostname: x}\n", "p.yaml:2:1: more than one YAML document"},
		// The second document does not parse: the --- is found all the same.
		{"---\nroot: {password_hash: \"*************\"}\n\n--- # old\nsystem: [\n", "p.yaml:4:1: more than one YAML document"},
		{"---\nroot: {password_hash: \"*************\"}\n", ""},
		{"", "p.yaml:1:1: root.password_hash: required"},
		{"- a\n", "p.yaml:1:1: expected a mapping of keys at the top of the file, found a list"},
		{"extends: base\nroot: {password_hash: \"*************\"}\n", "p.yaml:1:10: extends: extends needs a site directory"},
	} {
		_, err := LoadProfileFile("p.yaml", []byte(c.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, c.want) || (c.want == "") != (err == nil) {
			t.Errorf("LoadProfileFile(%q) = %q, want prefix %q", c.in, got, c.want)
		}
	}
}

// TestLoadProfileFileAllProblems: an unknown key or an extends in a single
// profile file is reported with the file's other problems, as in a site;
// keys an extends would have given are not reported missing.
func TestLoadProfileFileAllProblems(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"unknown key", "root:\n  password_hash: hunter22\nsystem:\n  timezone: Europe/Olso\n  colour: blue\n", []string{
			"p.yaml:2:18: root.password_hash: looks like a plaintext password, which must never be stored in a profile (run `fugu passwd` to make a bcrypt hash)",
			`p.yaml:4:13: system.timezone: "Europe/Olso" is not a zoneinfo name (expected like Europe/Oslo or UTC)`,
			`p.yaml:5:3: system.colour: unknown key "colour" (expected one of: domain, hostname, keyboard, timezone)`,
		}},
		{"extends", "extends: base\nsystem: {timezone: Europe/Olso}\n", []string{
			"p.yaml:1:10: extends: extends needs a site directory (render the site's machine with --site DIR --machine NAME, or copy the parent's keys into this file)",
			`p.yaml:2:20: system.timezone: "Europe/Olso" is not a zoneinfo name (expected like Europe/Oslo or UTC)`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadProfileFile("p.yaml", []byte(c.in))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("LoadProfileFile = %v, want Problems", err)
			}
			if got, want := ps.Error(), strings.Join(c.want, "\n"); got != want {
				t.Errorf("LoadProfileFile problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestLoad2yHash: OpenBSD's bcrypt reads $2a$ and $2b$ only, and the
// installer stores a hash as given, so a $2y$ hash (PHP, htpasswd) would
// lock the account. $2y$ is the same algorithm as $2b$: Load writes it
// as $2b$, in profiles, single files and machines' set:.
func TestLoad2yHash(t *testing.T) {
	hash2y := "$2y" + goodHash[3:]
	files := map[string]string{
		"profiles/p.yaml": "root: {password_hash: \"" + hash2y + "\"}\nuser: {login: bob, password_hash: \"" + hash2y + "\"}\n",
		"machines.yaml":   "machines:\n  - {name: a, profile: p, set: {user: {login: eve, password_hash: \"" + hash2y + "\"}}}\n",
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	single, err := LoadProfileFile("p.yaml", []byte(files["profiles/p.yaml"]))
	if err != nil {
		t.Fatal(err)
	}
	for what, p := range map[string]*Profile{"profile": site.Profiles["p"], "machine": &site.Machines[0].Profile, "file": single} {
		if p.Root.PasswordHash != goodHash || p.User.PasswordHash != goodHash {
			t.Errorf("%s: hashes %q, %q, want %q", what, p.Root.PasswordHash, p.User.PasswordHash, goodHash)
		}
	}
}

// TestLeadingZeroNumbers: yaml.v3 reads a whole number with a leading 0
// as YAML 1.1 octal (percent: 010 is 8), where YAML 1.2, and editors
// checking the JSON Schema, read 10. Such a number is refused, not read
// either way; 0o10 and quoted text stay what they are.
func TestLeadingZeroNumbers(t *testing.T) {
	const head = "root: {password_hash: \"*************\"}\nnetwork: {interfaces: [{name: em0}]}\n"
	parts := func(percent string) string {
		return head + "disks:\n  root:\n    swap: 1G\n    partitions:\n      - { mount: /, size: 1G, percent: " + percent + " }\n"
	}
	for _, c := range []struct{ in, want string }{
		{parts("010"), `p.yaml:7:40: disks.root.partitions[0].percent: "010" has a leading 0, which YAML 1.1 reads as octal (8) and YAML 1.2 as 10 (expected a whole number without leading zeros, or 0o10 for octal)`},
		{parts("09"), `p.yaml:7:40: disks.root.partitions[0].percent: "09" has a leading 0 (expected a whole number without leading zeros, like 9)`},
		{parts("0_10"), `p.yaml:7:40: disks.root.partitions[0].percent: "0_10" has a leading 0, which YAML 1.1 reads as octal (8) and YAML 1.2 as 10 (expected a whole number without leading zeros, or 0o10 for octal)`},
		{head + "roles:\n  mailgw:\n    egress_interface: em0\n    spamd: {greylist: {passtime: 025}}\n",
			`p.yaml:6:34: roles.mailgw.spamd.greylist.passtime: "025" has a leading 0, which YAML 1.1 reads as octal (21) and YAML 1.2 as 25 (expected a whole number without leading zeros, or 0o25 for octal)`},
		{parts("0o10"), ""},
		{parts("0"), ""},
		{parts("10"), ""},
	} {
		got := ""
		if _, err := LoadProfileFile("p.yaml", []byte(c.in)); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("LoadProfileFile(%q) =\n%s\nwant\n%s", c.in, got, c.want)
		}
	}
}

// TestNullListItems: yaml.v3 drops a null list item (a - with nothing
// after it, or ~) when it decodes a list, so a stray - vanished, and every
// item after it was reported under the index and at the line of the one
// before. Such an item is a problem of its own.
func TestNullListItems(t *testing.T) {
	const head = "root: {password_hash: \"*************\"}\n"
	for _, c := range []struct{ in, want string }{
		{head + "network:\n  interfaces:\n    -\n    - name: EM0\n",
			`p.yaml:4:6: network.interfaces[0]: empty list item (a - with no value, which YAML reads as null; remove it or give its value)`},
		{head + "packages: [vim, ~, git]\n",
			`p.yaml:2:17: packages[1]: empty list item (a - with no value, which YAML reads as null; remove it or give its value)`},
		{head + "packages: [vim, \"\"]\n",
			`p.yaml:2:17: packages[1]: "" is not a package name (expected like vim, vim--no_x11, python--%3.12 or a full name like vim-9.1.0707-no_x11)`},
	} {
		_, err := LoadProfileFile("p.yaml", []byte(c.in))
		if err == nil || err.Error() != c.want {
			t.Errorf("LoadProfileFile(%q) =\n%v\nwant\n%s", c.in, err, c.want)
		}
	}
	// assert that: machines.yaml is read the same way
	ps := loadProblems(t, map[string]string{
		"machines.yaml":   "machines:\n  -\n  - {name: a, profile: p}\n",
		"profiles/p.yaml": head,
	})
	if len(ps) != 1 || ps[0].String() != `machines.yaml:2:4: machines[0]: empty list item (a - with no value, which YAML reads as null; remove it or give its value)` {
		t.Errorf("machines.yaml with an empty item: %v", ps)
	}
}
