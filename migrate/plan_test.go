package migrate_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"fugu/hardware"
	"fugu/migrate"
	"fugu/migrate/migratetest"
	"fugu/packages"
)

var update = flag.Bool("update", false, "rewrite golden files")

const oldDoas = `permit persist keepenv :wheel
permit nopass alice cmd /sbin/reboot
permit nopass backup as root cmd /usr/local/bin/rsnapshot
`

// oldMachine and newMachine are a laptop and its successor. The old one
// has a wireless card iwn0 and wired em0, the new one iwm0 and re0.
func oldMachine() *migratetest.Machine {
	m := migratetest.New("old", map[string]string{
		"/etc/doas.conf":                oldDoas,
		"/etc/hostname.iwn0":            "join \"Home Net\" wpakey \"correct horse battery\"\njoin work wpakey worksecret99\ninet autoconf\n!route add -inet 10.9.0.0/16 -ifp iwn0 192.0.2.1\n",
		"/etc/hostname.em0":             "inet autoconf\ninet6 autoconf\n",
		"/etc/hostname.vlan5":           "vnetid 5 parent em0\ninet 10.5.0.2 255.255.255.0\n",
		"/etc/hostname.em0~":            "inet 10.0.0.1\n",
		"/etc/rc.conf.local":            "apmd_flags=-A\npkg_scripts=postgresql\nxenodm_flags=\n",
		"/etc/sysctl.conf":              "machdep.allowaperture=2\nkern.maxfiles = 20000\n",
		"/etc/mygate":                   "192.0.2.1\n",
		"/etc/resolv.conf":              "nameserver 192.0.2.53\n",
		"/etc/installurl":               "https://cdn.openbsd.org/pub/OpenBSD\n",
		"/etc/X11/xenodm/Xsetup_0":      "#!/bin/sh\nxsetroot -solid black\n",
		"/etc/passwd":                   "root:*:0:0::/root:/bin/ksh\nalice:*:1000:1000::/home/alice:/bin/ksh\nbob:*:1001:1001::/home/bob:/bin/ksh\n",
		"/etc/group":                    "wheel:*:0:root,alice,bob\n",
		"/etc/fstab":                    "5b27c2761a9b0b06.a / ffs rw 1 1\n",
		"/etc/ssh/ssh_host_ed25519_key": "secret",
		"/etc/soii.key":                 "secret",
		"/etc/myname":                   "old.example.org\n",
		"/etc/pf.conf":                  "pass\n",
		"/etc/ntpd.conf":                "servers pool.ntp.org\n",
	}, "firefox--", "letsencrypt--", "vim--no_x11", "python--%3.11", "tmux--", "mutt--gpgme")
	m.SetCrontab("alice", "PGPASSWORD=cronsecret77\n0 * * * * /home/alice/bin/sync\n30 3 * * * mysqldump -ualice -pcronsecret88 mail > /home/alice/mail.sql\n")
	m.SetCrontab("bob", "@reboot /home/bob/bin/start\n")
	return m
}

func newMachine() *migratetest.Machine {
	return migratetest.New("new", map[string]string{
		"/etc/doas.conf":     "permit :wheel\n",
		"/etc/hostname.iwm0": "inet autoconf\n",
		"/etc/installurl":    "https://cdn.openbsd.org/pub/OpenBSD\n",
		"/etc/passwd":        "root:*:0:0::/root:/bin/ksh\nalice:*:1000:1000::/home/alice:/bin/ksh\n",
		"/etc/group":         "wheel:*:0:root\n",
		"/etc/myname":        "new.example.org\n",
	}, "firefox--")
}

var (
	oldFacts = &hardware.Facts{Interfaces: []hardware.Interface{
		{Name: "em0", Driver: "em", MAC: "00:11:22:33:44:55"},
		{Name: "iwn0", Driver: "iwn", MAC: "00:11:22:33:44:66", Wireless: true},
	}}
	newFacts = &hardware.Facts{Interfaces: []hardware.Interface{
		{Name: "re0", Driver: "re", MAC: "00:aa:bb:cc:dd:01"},
		{Name: "iwm0", Driver: "iwm", MAC: "00:aa:bb:cc:dd:02", Wireless: true},
	}}
)

func testIndex(t *testing.T) *packages.Index {
	t.Helper()
	f, err := os.Open("../packages/testdata/index.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ix, err := packages.ParseIndex(f)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func makePlan(t *testing.T, old, cur migrate.Machine, withIndex bool) *migrate.Plan {
	t.Helper()
	ctx := context.Background()
	include := []string{"/etc/ntpd.conf", "/etc/fstab", "/etc/nonexistent"}
	oi, err := migrate.Collect(ctx, old, include)
	if err != nil {
		t.Fatal(err)
	}
	ni, err := migrate.Collect(ctx, cur, include)
	if err != nil {
		t.Fatal(err)
	}
	ifmap, notes := migrate.MapInterfaces(oldFacts, newFacts, nil, nil)
	opts := migrate.Options{IfMap: ifmap, IfNotes: notes, OldFacts: oldFacts, NewFacts: newFacts, Include: include}
	if withIndex {
		opts.Index = testIndex(t)
	}
	return migrate.NewPlan(oi, ni, opts)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := "testdata/" + name
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("output differs from %s (go test ./migrate -update, then review the diff):\n%s", file, got)
	}
}

func TestPlanGolden(t *testing.T) {
	p := makePlan(t, oldMachine(), newMachine(), true)
	var b strings.Builder
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.golden", []byte(b.String()))
	js, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.json.golden", append(js, '\n'))

	// assert that: no secret reaches the printed plan.
	for _, secret := range []string{"horse", "worksecret99", "ssh_host_ed25519_key\": \"secret", "cronsecret77", "cronsecret88"} {
		if strings.Contains(b.String(), secret) || strings.Contains(string(js), secret) {
			t.Errorf("the plan shows the secret %q", secret)
		}
	}
}

func TestPlanDecisions(t *testing.T) {
	p := makePlan(t, oldMachine(), newMachine(), true)
	files := map[string]migrate.FileChange{}
	for _, f := range p.Files {
		files[f.Path] = f
	}
	// assert that: hostname files follow the interfaces, pseudo-interface
	// files keep their names and get the renamed parent.
	if f, ok := files["/etc/hostname.iwm0"]; !ok || f.From != "/etc/hostname.iwn0" || f.Action != migrate.Replace || !strings.Contains(string(f.Data), "-ifp iwm0") || f.Mode.Perm != 0o640 {
		t.Errorf("hostname.iwm0 = %+v", f)
	}
	if f, ok := files["/etc/hostname.re0"]; !ok || f.Action != migrate.Create {
		t.Errorf("hostname.re0 = %+v", f)
	}
	if f := files["/etc/hostname.vlan5"]; !strings.Contains(string(f.Data), "parent re0") {
		t.Errorf("hostname.vlan5 = %q, want parent re0", f.Data)
	}
	// assert that: doas.conf is written 0600 last, checked, with a note
	// on the user the new machine lacks.
	last := p.Files[len(p.Files)-1]
	if last.Path != "/etc/doas.conf" || !last.CheckDoas || last.Mode.Perm != 0o600 || !strings.Contains(strings.Join(last.Notes, "\n"), "user backup does not exist") {
		t.Errorf("last file = %+v, want doas.conf 0600 checked with a note on backup", last)
	}
	// assert that: autoconf means no mygate and no resolv.conf.
	for _, p := range []string{"/etc/mygate", "/etc/resolv.conf", "/etc/fstab", "/etc/pf.conf"} {
		if _, ok := files[p]; ok {
			t.Errorf("%s is written", p)
		}
	}
	skipped := map[string]string{}
	for _, s := range p.Skipped {
		skipped[s.Path] = s.Reason
	}
	for path, reason := range map[string]string{
		"/etc/mygate": "autoconf", "/etc/resolv.conf": "resolvd", "/etc/fstab": "DUIDs",
		"/etc/ssh/ssh_host_ed25519_key": "identity", "/etc/soii.key": "SLAAC", "/etc/myname": "name",
		"/etc/hostname.em0~": "ignores", "/var/cron/tabs/bob": "bob does not exist", "/etc/nonexistent": "not found",
	} {
		if !strings.Contains(skipped[path], reason) {
			t.Errorf("skip reason for %s = %q, want it to mention %q", path, skipped[path], reason)
		}
	}
	if _, ok := files["/etc/ntpd.conf"]; !ok {
		t.Error("--include /etc/ntpd.conf is not written")
	}
	// assert that: a crontab is installed as it is, secrets and all; only
	// its printed diff is redacted.
	for _, c := range p.Crontabs {
		if c.User == "alice" && (!strings.Contains(string(c.Data), "-pcronsecret88") || !strings.Contains(c.Diff, "-p<redacted>")) {
			t.Errorf("alice's crontab: data %q, diff %q", c.Data, c.Diff)
		}
	}
	// assert that: packages are rewritten for the release.
	var add []string
	for _, n := range p.Packages.Add {
		add = append(add, n.String())
	}
	if got := strings.Join(add, " "); got != "certbot-- vim--no_x11 python--%3.13" {
		t.Errorf("packages to add = %s", got)
	}
	if len(p.Packages.Missing) != 2 {
		t.Errorf("missing = %+v, want tmux (base) and mutt--gpgme (no such flavor)", p.Packages.Missing)
	}
}

func TestPlanWithoutDmesgKeepsNames(t *testing.T) {
	ctx := context.Background()
	oi, _ := migrate.Collect(ctx, oldMachine(), nil)
	ni, _ := migrate.Collect(ctx, newMachine(), nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{})
	// assert that: a plan made without an index says its packages were
	// not checked against the new release.
	if notes := strings.Join(p.Packages.Notes, "\n"); !strings.Contains(notes, "not checked against the new release") {
		t.Errorf("package notes without an index = %q", notes)
	}
	var paths []string
	for _, f := range p.Files {
		paths = append(paths, f.Path)
	}
	got := strings.Join(paths, " ")
	if !strings.Contains(got, "/etc/hostname.iwn0") || !strings.Contains(got, "/etc/hostname.em0") {
		t.Errorf("files = %s, want hostname files under their old names", got)
	}
	// With an explicit --map only that interface moves.
	p = migrate.NewPlan(oi, ni, migrate.Options{IfMap: map[string]string{"iwn0": "iwx0"}})
	paths = nil
	for _, f := range p.Files {
		paths = append(paths, f.Path)
	}
	if got := strings.Join(paths, " "); !strings.Contains(got, "/etc/hostname.iwx0") || strings.Contains(got, "hostname.iwn0") {
		t.Errorf("files with --map iwn0=iwx0 = %s", got)
	}
}

// TestPlanSkipsSymlinksAndUncleanIncludes: a file that is a symlink on the
// old machine is not read through the link (it would land as a regular
// file with the link's 0777), and an --include path that is not clean
// cannot reach a never-copy file by another spelling.
func TestPlanSkipsSymlinksAndUncleanIncludes(t *testing.T) {
	ctx := context.Background()
	old := oldMachine()
	for p, c := range map[string]string{"/etc/X11/xenodm/Xsetup_common": "#!/bin/sh\n", "/etc/master.passwd": "root:$2b$10$secret:0:0::0:0::/root:/bin/ksh\n"} {
		old.SetFile(p, c)
	}
	old.SetSymlink("/etc/X11/xenodm/Xsetup_0", "/etc/X11/xenodm/Xsetup_common")
	old.SetSymlink("/etc/notes", "/etc/master.passwd")
	include := []string{"/etc/./master.passwd", "etc/master.passwd", "/etc//doas.conf", "/etc/notes"}
	oi, err := migrate.Collect(ctx, old, include)
	if err != nil {
		t.Fatal(err)
	}
	ni, err := migrate.Collect(ctx, newMachine(), include)
	if err != nil {
		t.Fatal(err)
	}
	p := migrate.NewPlan(oi, ni, migrate.Options{Include: include})
	skipped := map[string]string{}
	for _, s := range p.Skipped {
		skipped[s.Path] = s.Reason
	}
	// assert that: nothing is written from a link or an unclean path, and each is reported.
	for _, f := range p.Files {
		if strings.Contains(string(f.Data), "$2b$10$secret") || f.Path == "/etc/X11/xenodm/Xsetup_0" || f.Path == "/etc/notes" {
			t.Errorf("plan writes %s (%o): %q", f.Path, f.Mode.Perm, f.Data)
		}
	}
	for path, reason := range map[string]string{
		"/etc/X11/xenodm/Xsetup_0": "symlink", "/etc/notes": "symlink",
		"/etc/./master.passwd": "clean absolute path", "etc/master.passwd": "clean absolute path", "/etc//doas.conf": "clean absolute path",
	} {
		if !strings.Contains(skipped[path], reason) {
			t.Errorf("skip reason for %s = %q, want it to mention %q", path, skipped[path], reason)
		}
	}
}

// TestPlanGatewayAndResolverFollowNetstart: netstart ignores the IPv4
// entries of mygate only when an interface uses inet autoconf (dhcp),
// the IPv6 ones only with inet6 autoconf, and always runs its !command
// lines; a static IPv4 set-up keeps its nameservers in resolv.conf
// even when IPv6 comes from SLAAC.
func TestPlanGatewayAndResolverFollowNetstart(t *testing.T) {
	tests := []struct {
		name, hostnameIf, mygate string
		wantMygate, wantResolv   bool
	}{
		{"static v4, slaac v6", "inet 192.0.2.10 255.255.255.0\ninet6 autoconf\n", "192.0.2.1\n", true, true},
		{"dhcp, static v6 gateway", "inet autoconf\n", "2001:db8::1\n", true, false},
		{"dhcp, v4 gateway", "inet autoconf\n", "192.0.2.1\n", false, false},
		{"both autoconf, v4 and v6 gateways", "inet autoconf\ninet6 autoconf\n", "# gw\n192.0.2.1\n2001:db8::1\n", false, false},
		{"both autoconf, a command", "inet autoconf\ninet6 autoconf\n", "!route add 10.0.0.0/8 192.0.2.254\n", true, false},
		{"static", "inet 192.0.2.10 255.255.255.0\n", "192.0.2.1\n", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			old := migratetest.New("old", map[string]string{
				"/etc/hostname.em0": tt.hostnameIf,
				"/etc/mygate":       tt.mygate,
				"/etc/resolv.conf":  "nameserver 192.0.2.53\n",
			})
			oi, err := migrate.Collect(ctx, old, nil)
			if err != nil {
				t.Fatal(err)
			}
			ni, err := migrate.Collect(ctx, migratetest.Empty("new"), nil)
			if err != nil {
				t.Fatal(err)
			}
			p := migrate.NewPlan(oi, ni, migrate.Options{})
			written := map[string]bool{}
			for _, f := range p.Files {
				written[f.Path] = true
			}
			if written["/etc/mygate"] != tt.wantMygate {
				t.Errorf("mygate written = %v, want %v (skipped: %+v)", written["/etc/mygate"], tt.wantMygate, p.Skipped)
			}
			if written["/etc/resolv.conf"] != tt.wantResolv {
				t.Errorf("resolv.conf written = %v, want %v (skipped: %+v)", written["/etc/resolv.conf"], tt.wantResolv, p.Skipped)
			}
		})
	}
}

// TestPlanSkipsPartialPackages: an installation pkg_add left unfinished
// (partial-NAME in /var/db/pkg) is not a package pkg_add -l can install;
// the plan says so instead of failing at apply.
func TestPlanSkipsPartialPackages(t *testing.T) {
	ctx := context.Background()
	old := migratetest.New("old", nil, "partial-gimp--", "vim--no_x11")
	cur := migratetest.New("new", nil)
	oi, _ := migrate.Collect(ctx, old, nil)
	ni, _ := migrate.Collect(ctx, cur, nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{})
	var add []string
	for _, n := range p.Packages.Add {
		add = append(add, n.String())
	}
	if got := strings.Join(add, " "); got != "vim--no_x11" {
		t.Errorf("packages to add = %q, want only vim--no_x11", got)
	}
	if notes := strings.Join(p.Packages.Notes, "\n"); !strings.Contains(notes, "partial-gimp--: an installation pkg_add left unfinished") || !strings.Contains(notes, "add gimp by hand") {
		t.Errorf("notes = %q, want the partial package explained", notes)
	}
}

// TestPlanKeepsIncludedFilesOwners: an --include file keeps its owner and
// group by name (the uids differ between the machines), or is installed
// as root:wheel with a note when the new machine lacks them.
func TestPlanKeepsIncludedFilesOwners(t *testing.T) {
	ctx := context.Background()
	const conf = "/var/postgresql/data/postgresql.conf"
	old := migratetest.New("old", map[string]string{
		"/etc/passwd": "root:*:0:0::/root:/bin/ksh\n_postgresql:*:503:503::/var/postgresql:/bin/sh\n_gone:*:600:600::/var/empty:/sbin/nologin\n",
		"/etc/group":  "wheel:*:0:root\n_postgresql:*:503:\n_gone:*:600:\n",
		conf:          "listen_addresses = 'localhost'\n",
		"/etc/gone":   "x\n",
		"/etc/ids":    "y\n",
	})
	old.SetOwner(conf, 503, 503)
	old.SetOwner("/etc/gone", 600, 600)
	old.SetOwner("/etc/ids", 777, 0)
	cur := migratetest.New("new", map[string]string{
		"/etc/passwd": "root:*:0:0::/root:/bin/ksh\n_postgresql:*:701:701::/var/postgresql:/bin/sh\n",
		"/etc/group":  "wheel:*:0:root\n_postgresql:*:701:\n",
	})
	include := []string{conf, "/etc/gone", "/etc/ids"}
	oi, _ := migrate.Collect(ctx, old, include)
	ni, _ := migrate.Collect(ctx, cur, include)
	p := migrate.NewPlan(oi, ni, migrate.Options{Include: include})
	got := map[string]migrate.FileChange{}
	for _, f := range p.Files {
		got[f.Path] = f
	}
	for path, want := range map[string]struct{ mode, note string }{
		conf:        {"_postgresql:_postgresql 0644", ""},
		"/etc/gone": {"root:wheel 0644", "owned by _gone:_gone on the old machine, but the new one has no user _gone or group _gone yet"},
		"/etc/ids":  {"root:wheel 0644", "its owner (uid 777) has no name on the old machine"},
	} {
		f, ok := got[path]
		if !ok {
			t.Errorf("%s is not in the plan", path)
			continue
		}
		notes := strings.Join(f.Notes, "\n")
		if f.Mode.String() != want.mode || want.note != "" && !strings.Contains(notes, want.note) || want.note == "" && notes != "" {
			t.Errorf("%s: mode %s, notes %q; want %s, note %q", path, f.Mode, notes, want.mode, want.note)
		}
	}
}

// TestPlanNotesDriverParameters: a hostname.if moved to another driver
// keeps its media, mode and mtu lines, and the plan says to check them.
func TestPlanNotesDriverParameters(t *testing.T) {
	ctx := context.Background()
	old := migratetest.New("old", map[string]string{
		"/etc/hostname.em0":  "media 1000baseT mediaopt full-duplex\ninet autoconf\n",
		"/etc/hostname.iwn0": "join home wpakey mode\nmode 11n\ninet autoconf\n",
	})
	oi, _ := migrate.Collect(ctx, old, nil)
	ni, _ := migrate.Collect(ctx, migratetest.New("new", nil), nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{IfMap: map[string]string{"em0": "re0", "iwn0": "iwn1"}})
	notes := map[string]string{}
	for _, f := range p.Files {
		notes[f.Path] = strings.Join(f.Notes, "\n")
	}
	if n := notes["/etc/hostname.re0"]; !strings.Contains(n, "line 1: media 1000baseT was written for em: check that re(4) takes it") ||
		!strings.Contains(n, "line 1: mediaopt full-duplex was written for em") {
		t.Errorf("hostname.re0 notes = %q", n)
	}
	if n := notes["/etc/hostname.iwn1"]; strings.Contains(n, "written for") {
		t.Errorf("hostname.iwn1 (same driver) notes = %q, want none about the driver", n)
	}
}

// TestPlanNotesInterfacesLeftBehind: a file that still names an
// interface of the old machine the new one lacks after the renaming (one
// with no counterpart, or inside a quoted !command) gets a note naming
// the line: netstart would run that line against a missing interface.
func TestPlanNotesInterfacesLeftBehind(t *testing.T) {
	old := migratetest.New("old", map[string]string{
		"/etc/hostname.em0":   "inet autoconf\n",
		"/etc/hostname.em1":   "up\n",
		"/etc/hostname.vlan7": "vnetid 7 parent em1\ninet 10.7.0.2 255.255.255.0\n!route add 10.8.0.0/16 -ifp em1 10.7.0.1\n",
		"/etc/hostname.iwn0":  "join home wpakey em1em1em1\ninet autoconf\n!sh -c \"sleep 2; ifconfig iwn0 -powersave\"\n",
		"/etc/mygate":         "fe80::1%em1\n",
	})
	cur := migratetest.New("new", nil)
	oldHW := &hardware.Facts{Interfaces: []hardware.Interface{
		{Name: "em0", Driver: "em"}, {Name: "em1", Driver: "em"}, {Name: "iwn0", Driver: "iwn", Wireless: true},
	}}
	newHW := &hardware.Facts{Interfaces: []hardware.Interface{
		{Name: "re0", Driver: "re"}, {Name: "iwm0", Driver: "iwm", Wireless: true},
	}}
	ctx := context.Background()
	oi, err := migrate.Collect(ctx, old, nil)
	if err != nil {
		t.Fatal(err)
	}
	ni, err := migrate.Collect(ctx, cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	ifmap, notes := migrate.MapInterfaces(oldHW, newHW, nil, nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{IfMap: ifmap, IfNotes: notes, OldFacts: oldHW, NewFacts: newHW})
	files := map[string]string{}
	for _, f := range p.Files {
		files[f.Path] = strings.Join(f.Notes, "\n")
	}
	for path, want := range map[string][]string{
		"/etc/hostname.vlan7": {"line 1: em1 ", "line 3: em1 "},
		"/etc/hostname.iwm0":  {"line 3: iwn0 "},
		"/etc/mygate":         {"line 1: em1 "},
	} {
		for _, w := range want {
			if !strings.Contains(files[path], w) {
				t.Errorf("%s notes = %q, want one starting %q", path, files[path], w)
			}
		}
	}
	// assert that: a secret that happens to spell an interface is not
	// named, nor the renamed interfaces.
	if n := files["/etc/hostname.iwm0"]; strings.Contains(n, "em1") || strings.Contains(n, "line 1") {
		t.Errorf("hostname.iwm0 notes = %q", n)
	}
	if n := files["/etc/hostname.re0"]; strings.Contains(n, "does not have") {
		t.Errorf("hostname.re0 notes = %q", n)
	}
}

// TestPlanRedactsDoasSetenv: a secret set for a command in doas.conf
// stays out of the plan's diff; the file itself is written as it is.
func TestPlanRedactsDoasSetenv(t *testing.T) {
	old := oldMachine()
	old.SetFile("/etc/doas.conf", "permit nopass setenv { PGPASSWORD=doassecret42 } backup as _postgresql\n")
	p := makePlan(t, old, newMachine(), false)
	var out strings.Builder
	if err := p.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(p)
	if strings.Contains(out.String(), "doassecret42") || strings.Contains(string(js), "doassecret42") {
		t.Errorf("the plan shows the doas.conf secret:\n%s", out.String())
	}
	for _, f := range p.Files {
		if f.Path == "/etc/doas.conf" && !strings.Contains(string(f.Data), "doassecret42") {
			t.Errorf("doas.conf data lost its value: %q", f.Data)
		}
	}
}

// TestPlanNotesInterfacesInDaemonFlags: rc.conf.local and an included
// pf.conf name interfaces too (dhcpd_flags=em1, ext_if = "em0"); they are
// copied as they are, so each line naming an interface the new machine
// lacks gets a note, as hostname.if lines do.
func TestPlanNotesInterfacesInDaemonFlags(t *testing.T) {
	old := migratetest.New("old", map[string]string{
		"/etc/rc.conf.local": "dhcpd_flags=em1\n# was: dhcpd_flags=em0\nntpd_flags=\n",
		"/etc/pf.conf":       "ext_if = \"em0\"\nint_if = \"em1\"\npass on $ext_if\n",
		"/etc/rad.conf":      "interface em1\n",
	})
	oldHW := &hardware.Facts{Interfaces: []hardware.Interface{{Name: "em0", Driver: "em"}, {Name: "em1", Driver: "em"}}}
	newHW := &hardware.Facts{Interfaces: []hardware.Interface{{Name: "re0", Driver: "re"}}}
	ctx := context.Background()
	include := []string{"/etc/pf.conf", "/etc/rad.conf"}
	oi, err := migrate.Collect(ctx, old, include)
	if err != nil {
		t.Fatal(err)
	}
	ni, err := migrate.Collect(ctx, migratetest.New("new", nil), include)
	if err != nil {
		t.Fatal(err)
	}
	ifmap, _ := migrate.MapInterfaces(oldHW, newHW, nil, nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{IfMap: ifmap, OldFacts: oldHW, NewFacts: newHW, Include: include})
	files := map[string]string{}
	for _, f := range p.Files {
		files[f.Path] = strings.Join(f.Notes, "\n")
	}
	for path, want := range map[string][]string{
		"/etc/rc.conf.local": {"line 1: em1 is an interface the new machine does not have"},
		"/etc/pf.conf":       {"line 1: em0 is kept as written", "it is re0 there", "line 2: em1 is an interface the new machine does not have"},
		"/etc/rad.conf":      {"line 1: em1 is an interface the new machine does not have"},
	} {
		for _, w := range want {
			if !strings.Contains(files[path], w) {
				t.Errorf("%s notes = %q, want %q", path, files[path], w)
			}
		}
	}
	if n := files["/etc/rc.conf.local"]; strings.Contains(n, "line 2") {
		t.Errorf("rc.conf.local notes = %q: a comment is no setting", n)
	}
}

// TestPlanHidesPrivateIncludedFiles: an included file others may not read
// on the old machine (smtpd's secrets table, iked.conf with its PSK) may
// hold secrets of any form: the plan shows no line of it.
func TestPlanHidesPrivateIncludedFiles(t *testing.T) {
	ctx := context.Background()
	old := migratetest.New("old", map[string]string{
		"/etc/mail/secrets": "relay peter:smtpsecret55\n",
		"/etc/ntpd.conf":    "servers pool.ntp.org\n",
	})
	old.SetMode("/etc/mail/secrets", 0o640)
	cur := migratetest.New("new", map[string]string{"/etc/mail/secrets": "relay old:oldsecret66\n"})
	include := []string{"/etc/mail/secrets", "/etc/ntpd.conf"}
	oi, _ := migrate.Collect(ctx, old, include)
	ni, _ := migrate.Collect(ctx, cur, include)
	p := migrate.NewPlan(oi, ni, migrate.Options{Include: include})
	var out strings.Builder
	if err := p.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(p)
	for _, s := range []string{"smtpsecret55", "oldsecret66"} {
		if strings.Contains(out.String(), s) || strings.Contains(string(js), s) {
			t.Errorf("the plan shows %s:\n%s", s, out.String())
		}
	}
	if !strings.Contains(out.String(), "+servers pool.ntp.org") {
		t.Errorf("a world-readable included file lost its diff:\n%s", out.String())
	}
	for _, f := range p.Files {
		if f.Path == "/etc/mail/secrets" && (f.Action != migrate.Replace || string(f.Data) != "relay peter:smtpsecret55\n" || f.Mode.Perm != 0o640) {
			t.Errorf("secrets file planned as %s %s %q", f.Action, f.Mode, f.Data)
		}
	}
}

// TestPlanNotesFixedLladdr: "lladdr 00:11:..." in a hostname.if gives the
// new machine's interface the old one's MAC; while the old machine is
// still on the network both answer for it. The plan says so; "lladdr
// random" is no MAC of the old machine.
func TestPlanNotesFixedLladdr(t *testing.T) {
	ctx := context.Background()
	old := migratetest.New("old", map[string]string{
		"/etc/hostname.em0":  "lladdr 00:11:22:33:44:55\ninet autoconf\n",
		"/etc/hostname.iwn0": "lladdr random\njoin home wpakey secretsecret\ninet autoconf\n",
	})
	oi, _ := migrate.Collect(ctx, old, nil)
	ni, _ := migrate.Collect(ctx, migratetest.New("new", nil), nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{IfMap: map[string]string{"em0": "re0", "iwn0": "iwm0"}})
	notes := map[string]string{}
	for _, f := range p.Files {
		notes[f.Path] = strings.Join(f.Notes, "\n")
	}
	if n := notes["/etc/hostname.re0"]; !strings.Contains(n, "line 1: lladdr 00:11:22:33:44:55 gives re0 the MAC address set on the old machine") {
		t.Errorf("hostname.re0 notes = %q", n)
	}
	if n := notes["/etc/hostname.iwm0"]; strings.Contains(n, "lladdr") {
		t.Errorf("hostname.iwm0 notes = %q, want none about lladdr random", n)
	}
}

// TestPlanNotesRootCrontab: root's crontab comes with the base system
// (daily, weekly, monthly, newsyslog) and changes between releases;
// replacing the new one with the old one's needs a look at the diff.
func TestPlanNotesRootCrontab(t *testing.T) {
	ctx := context.Background()
	old := migratetest.New("old", nil)
	old.SetCrontab("root", "30\t1\t*\t*\t*\t/bin/sh /etc/daily\n0 4 * * * /root/bin/backup\n")
	old.SetCrontab("alice", "@daily /home/alice/bin/x\n")
	cur := migratetest.New("new", nil)
	cur.SetCrontab("root", "~\t1\t*\t*\t*\t/bin/sh /etc/daily\n")
	oi, _ := migrate.Collect(ctx, old, nil)
	ni, _ := migrate.Collect(ctx, cur, nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{})
	var out strings.Builder
	if err := p.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "  replace   root\n    note: root's crontab comes with the base system") {
		t.Errorf("no note on root's crontab:\n%s", out.String())
	}
	if strings.Count(out.String(), "base system") != 1 {
		t.Errorf("the note is on another crontab too:\n%s", out.String())
	}
}

// TestPlanNotesMissingNewlineOnce: a hostname.if whose last line has no
// newline gets one note saying so, not two.
func TestPlanNotesMissingNewlineOnce(t *testing.T) {
	ctx := context.Background()
	old := migratetest.New("old", map[string]string{"/etc/hostname.em0": "inet autoconf", "/etc/mygate": "192.0.2.1"})
	oi, _ := migrate.Collect(ctx, old, nil)
	ni, _ := migrate.Collect(ctx, migratetest.New("new", nil), nil)
	p := migrate.NewPlan(oi, ni, migrate.Options{IfMap: map[string]string{"em0": "re0"}})
	for _, f := range p.Files {
		if n := strings.Count(strings.Join(f.Notes, "\n"), "no newline"); n != 1 {
			t.Errorf("%s: %d notes on the missing newline: %q", f.Path, n, f.Notes)
		}
	}
}
