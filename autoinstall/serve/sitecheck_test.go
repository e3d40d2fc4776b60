package serve

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"fugu/profiles"
)

// planSite is a site every key of which validates, but whose machines
// cannot all be planned: noif has no interface to fetch the sets over.
func planSite(inventory string) fstest.MapFS {
	return fstest.MapFS{
		"machines.yaml": {Data: []byte(inventory)},
		"profiles/base.yaml": {Data: []byte(`root:
  password_hash: "*************"
`)},
		"profiles/noif.yaml": {Data: []byte(`# Extends base; says nothing of the network.
extends: base
system:
  domain: example.org
`)},
		"profiles/wired.yaml": {Data: []byte(`extends: base
network:
  interfaces:
    - { name: em0, ipv4: dhcp }
`)},
	}
}

const planInventory = `machines:
  - { name: b, mac: "00:00:5e:00:53:02", profile: noif }
  - { name: a, mac: "00:00:5e:00:53:01", profile: noif }
  - name: c
    profile: wired
    set:
      network:
        interfaces: []
  - { name: d, profile: wired }
  - name: e
    profile: noif
    set:
      network: { interfaces: [{ name: em0 }] }
`

func TestCheckSite(t *testing.T) {
	site := loadSite(t, planSite(planInventory))
	got := CheckSite(site, Autoinstall{}, "")
	// assert that: a problem of a profile is reported once, at the nearest
	// place the missing key would go, naming every machine it stops; one in
	// a machine's set: is reported there; machines that plan are silent.
	want := profiles.Problems{
		{File: "profiles/noif.yaml", Line: 2, Col: 1, Path: "network.interfaces",
			Message: "none given (at least one is needed to fetch the sets over HTTP) (machines a, b)"},
		{File: "machines.yaml", Line: 8, Col: 21, Path: "machines[2].set.network.interfaces",
			Message: "none given (at least one is needed to fetch the sets over HTTP)"},
	}
	if len(got) != len(want) {
		t.Fatalf("CheckSite = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("CheckSite[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestCheckSiteNameClashes: machines the server could not tell apart are
// refused, each at the key that makes the clash.
func TestCheckSiteNameClashes(t *testing.T) {
	fsys := planSite(`defaults:
  profile: wired
machines:
  - { name: a, profile: shared }
  - { name: b, profile: shared }
  - { name: c, profile: wired, set: { system: { hostname: e } } }
  - { name: default, profile: wired }
  - { name: e, profile: wired }
`)
	fsys["profiles/shared.yaml"] = &fstest.MapFile{Data: []byte("extends: wired\nsystem:\n  hostname: shared\n")}
	got := CheckSite(loadSite(t, fsys), Autoinstall{}, "")
	want := []string{
		`profiles/shared.yaml:3:13: system.hostname: host name "shared" is machine a's too (machine b)`,
		`machines.yaml:7:13: machines[3].name: "default" is the name fugu serve gives the answers of defaults.profile`,
		`machines.yaml:8:13: machines[4].name: host name "e" is machine c's too (machine e)`,
	}
	if len(got) != len(want) {
		t.Fatalf("CheckSite = %v, want %d problems", got, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i].String(), w) {
			t.Errorf("CheckSite[%d] = %s, want it to start with %s", i, got[i], w)
		}
	}
}

func TestCheckSiteExample(t *testing.T) {
	site := loadSite(t, profiles.ExampleSite())
	for _, url := range []string{"", "http://192.0.2.10:8080"} {
		if ps := CheckSite(site, Autoinstall{}, url); len(ps) > 0 {
			t.Errorf("CheckSite(example, %q) = %v, want none", url, ps)
		}
	}
}

func TestCheckSiteRenderFailure(t *testing.T) {
	site := loadSite(t, planSite(planInventory))
	ps := CheckSite(site, &fakeRenderer{fail: true}, "")
	// assert that: an error that names no key is put at the machine's
	// entry in machines.yaml.
	if len(ps) != len(site.Machines) {
		t.Fatalf("CheckSite with a broken renderer = %v, want one problem per machine", ps)
	}
	if p := ps[0]; p.File != "machines.yaml" || p.Line != 2 || p.Path != "machines[0]" ||
		p.Message != "cannot be rendered: render: broken on purpose" {
		t.Errorf("CheckSite[0] = %+v", p)
	}
}

func TestSplitKeyPath(t *testing.T) {
	for _, tc := range []struct{ in, path, msg string }{
		{"network.interfaces: none given", "network.interfaces", "none given"},
		{"network.interfaces[1].wireless.networks[0].ssid: \"any\": expected", "network.interfaces[1].wireless.networks[0].ssid", "\"any\": expected"},
		{`files["/etc/a: b"].mode: "9": expected`, `files["/etc/a: b"].mode`, `"9": expected`},
		{"server URL: required", "", "server URL: required"},
		{"no key here", "", "no key here"},
		{`files["/etc/x: oops`, "", `files["/etc/x: oops`},
		{"Name: x", "", "Name: x"},
	} {
		path, msg := splitKeyPath(tc.in)
		if path != tc.path || msg != tc.msg {
			t.Errorf("splitKeyPath(%q) = %q, %q, want %q, %q", tc.in, path, msg, tc.path, tc.msg)
		}
	}
}

func TestReloadRefusesUnplannable(t *testing.T) {
	good := planSite(planInventory)
	good["machines.yaml"] = &fstest.MapFile{Data: []byte("machines:\n  - { name: d, profile: wired }\n")}
	store, err := OpenStore(filepath.Join(t.TempDir(), "state"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Renderer: Autoinstall{}, Store: store}, NewSnapshot(loadSite(t, good), time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	before := srv.Snapshot()
	err = srv.Reload(func() (*profiles.Site, error) { return profiles.Load(planSite(planInventory)) })
	// assert that: the site loads, but a machine that cannot be planned
	// refuses the reload with the located problems, and the old site stays.
	var ps profiles.Problems
	if !errors.As(err, &ps) || len(ps) != 2 {
		t.Fatalf("Reload = %v, want 2 problems", err)
	}
	if srv.Snapshot() != before {
		t.Error("Reload swapped in a site that cannot be planned")
	}
	if err := srv.Reload(func() (*profiles.Site, error) { return profiles.Load(good) }); err != nil {
		t.Fatalf("Reload(good) = %v", err)
	}
	if srv.Snapshot() == before {
		t.Error("Reload of a good site kept the old snapshot")
	}
}

// BenchmarkCheckSite is the start-up cost per machine: one full render of
// each (install.conf, template, site set).
func BenchmarkCheckSite(b *testing.B) {
	var inv strings.Builder
	inv.WriteString("machines:\n")
	for i := range 200 {
		fmt.Fprintf(&inv, "  - { name: m%d, mac: \"00:00:5e:00:%02x:%02x\", profile: wired }\n", i, i/256, i%256)
	}
	site := loadSite(b, planSite(inv.String()))
	b.ResetTimer()
	for b.Loop() {
		if ps := CheckSite(site, Autoinstall{}, ""); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/200, "µs/machine")
}

// TestCheckSiteChecksDefaultsProfile: defaults.profile answers machines
// fugu knows nothing of, so what needs a machine's memory or dmesg fails
// for all of them: the check says so at start instead of a 500 at install
// time. A profile naming no interface is fine there (the installer's
// default interface, with autoconf).
func TestCheckSiteChecksDefaultsProfile(t *testing.T) {
	site := planSite("defaults: { profile: twox }\nmachines:\n  - { name: d, profile: wired }\n")
	site["profiles/twox.yaml"] = &fstest.MapFile{Data: []byte("extends: base\ndisks:\n  root:\n    swap: 2x\n")}
	got := CheckSite(loadSite(t, site), Autoinstall{}, "")
	if len(got) != 1 || got[0].Path != "disks.root.swap" || !strings.Contains(got[0].Message, "defaults.profile twox answers machines fugu does not know") {
		t.Fatalf("CheckSite = %v, want one problem with swap: 2x for defaults.profile", got)
	}
	// Located where swap: 2x is written, like a known machine's problems.
	if at := got[0]; at.File != "profiles/twox.yaml" || at.Line != 4 || at.Col != 11 {
		t.Errorf("CheckSite = %v, want it at profiles/twox.yaml:4:11", got)
	}
	site["profiles/twox.yaml"] = &fstest.MapFile{Data: []byte("extends: base\ndisks:\n  root:\n    swap: 8G\n")}
	if got := CheckSite(loadSite(t, site), Autoinstall{}, ""); len(got) != 0 {
		t.Errorf("CheckSite = %v, want none", got)
	}
}

// TestSiteWarnings: a plan's warnings come back located in the profile,
// once for all the machines they hold for.
func TestSiteWarnings(t *testing.T) {
	site := planSite("machines:\n  - { name: a, profile: swap }\n  - { name: b, profile: swap }\n  - { name: c, profile: wired }\n")
	site["profiles/swap.yaml"] = &fstest.MapFile{Data: []byte("extends: wired\ndisks:\n  root:\n    swap: 8G\n")}
	s := loadSite(t, site)
	if ps := CheckSite(s, Autoinstall{}, ""); len(ps) != 0 {
		t.Fatalf("CheckSite = %v, want none", ps)
	}
	got := SiteWarnings(s, Autoinstall{}, "")
	if len(got) != 1 || got[0].File != "profiles/swap.yaml" || got[0].Line != 4 || got[0].Path != "disks.root" ||
		!strings.Contains(got[0].Message, "the size of the root disk is not known") || !strings.HasSuffix(got[0].Message, "(machines a, b)") {
		t.Errorf("SiteWarnings = %v, want one for disks.root in profiles/swap.yaml:4, machines a and b", got)
	}
}
