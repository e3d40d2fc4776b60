package profiles

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMachineLocate(t *testing.T) {
	fsys := fstest.MapFS{
		"machines.yaml": {Data: []byte(`machines:
  - name: web1
    profile: web
    dmesg: dmesg/web1.txt
    set:
      network:
        gateway: 192.0.2.1
  - { name: web2, profile: web }
`)},
		"dmesg/web1.txt": {Data: []byte("real mem = 8589934592 (8192MB)\n")},
		"profiles/base.yaml": {Data: []byte(`root:
  password_hash: "*************"
files:
  /etc/motd: { content: "hi\n" }
`)},
		"profiles/web.yaml": {Data: []byte(`extends: base
network:
  interfaces:
    - { name: em0, ipv4: 192.0.2.5/24 }
  gateway: 192.0.2.254
`)},
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	web1, web2 := site.Machines[0], site.Machines[1]
	for _, tc := range []struct {
		m    *Machine
		path string
		want Problem
	}{
		// Set in the profile itself, and in the profile it extends.
		{web1, "network.interfaces[0].name", Problem{File: "profiles/web.yaml", Line: 4, Col: 15, Path: "network.interfaces[0].name"}},
		{web1, "root.password_hash", Problem{File: "profiles/base.yaml", Line: 2, Col: 18, Path: "root.password_hash"}},
		// A files: path is located at its key.
		{web1, `files["/etc/motd"]`, Problem{File: "profiles/base.yaml", Line: 4, Col: 3, Path: `files["/etc/motd"]`}},
		// Overridden by the machine's set: in machines.yaml.
		{web1, "network.gateway", Problem{File: "machines.yaml", Line: 7, Col: 18, Path: "machines[0].set.network.gateway"}},
		{web2, "network.gateway", Problem{File: "profiles/web.yaml", Line: 5, Col: 12, Path: "network.gateway"}},
		// Missing everywhere: the nearest parent in the profile, even when
		// set: has a mapping on the way.
		{web1, "network.nameservers", Problem{File: "profiles/web.yaml", Line: 3, Col: 3, Path: "network.nameservers"}},
		{web1, "disks.root.swap", Problem{File: "profiles/web.yaml", Line: 1, Col: 1, Path: "disks.root.swap"}},
		// The entry itself.
		{web2, "", Problem{File: "machines.yaml", Line: 8, Col: 5, Path: "machines[1]"}},
		// A machine not made by Load.
		{&Machine{Name: "x"}, "network", Problem{File: "machines.yaml", Path: "network"}},
	} {
		if got := tc.m.Locate(tc.path); got != tc.want {
			t.Errorf("%s.Locate(%q) = %+v, want %+v", tc.m.Name, tc.path, got, tc.want)
		}
	}
	if got, want := web1.LocateEntry("dmesg"), (Problem{File: "machines.yaml", Line: 4, Col: 12, Path: "machines[0].dmesg"}); got != want {
		t.Errorf("LocateEntry(dmesg) = %+v, want %+v", got, want)
	}
	if got, want := web2.LocateEntry("dmesg"), (Problem{File: "machines.yaml", Line: 8, Col: 5, Path: "machines[1].dmesg"}); got != want {
		t.Errorf("LocateEntry(dmesg) of an entry without = %+v, want %+v", got, want)
	}
}

// TestProfileMachineLocate: the machine made of a single profile file
// (fugu render --profile) locates its values in that file, and what it
// lacks at the nearest parent there, as a site's machines do.
func TestProfileMachineLocate(t *testing.T) {
	data := []byte(`root: {password_hash: "*************"}
system:
  hostname: web
disks:
  root:
    partitions:
      - {mount: /, size: 1G}
`)
	m, err := LoadProfileMachine("dir/web.yaml", data, "web1")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "web1" || m.ProfileName != "web1" || m.Profile.System.Hostname != "web" {
		t.Errorf("machine = %+v", m)
	}
	for _, tc := range []struct {
		path string
		want Problem
	}{
		{"system.hostname", Problem{File: "dir/web.yaml", Line: 3, Col: 13, Path: "system.hostname"}},
		{"disks.root.partitions[0].size", Problem{File: "dir/web.yaml", Line: 7, Col: 26, Path: "disks.root.partitions[0].size"}},
		{"disks.root.swap", Problem{File: "dir/web.yaml", Line: 6, Col: 5, Path: "disks.root.swap"}},
		{"network.interfaces", Problem{File: "dir/web.yaml", Line: 1, Col: 1, Path: "network.interfaces"}},
		{"", Problem{File: "dir/web.yaml", Line: 1, Col: 1}},
	} {
		if got := m.Locate(tc.path); got != tc.want {
			t.Errorf("Locate(%q) = %+v, want %+v", tc.path, got, tc.want)
		}
	}
	if got, want := m.LocateEntry("dmesg"), (Problem{File: "dir/web.yaml", Line: 1, Col: 1}); got != want {
		t.Errorf("LocateEntry(dmesg) = %+v, want %+v", got, want)
	}
	// assert that: a file with problems gives them, as LoadProfileFile does
	if _, err := LoadProfileMachine("bad.yaml", []byte("root: {password_hash: x}\n"), "bad"); err == nil || !strings.Contains(err.Error(), "bad.yaml:1:23: root.password_hash") {
		t.Errorf("LoadProfileMachine(bad) = %v", err)
	}
}
