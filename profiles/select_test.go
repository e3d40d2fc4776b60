package profiles

import (
	"errors"
	"testing"
	"testing/fstest"
)

func TestSelect(t *testing.T) {
	site, err := Load(ExampleSite())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ mac, want string }{
		{"80:fa:5b:01:02:03", "delilah"}, {"80-FA-5B-01-02-04", "delilah"}, {"00:00:5e:00:53:01", "mx1"}, {"00:00:5e:00:53:02", ""}, {"bogus", ""},
	} {
		m, err := site.MachineByMAC(c.mac)
		got := ""
		if m != nil {
			got = m.Name
		}
		if got != c.want || (err == nil) != (c.want != "") {
			t.Errorf("MachineByMAC(%q) = %q, %v, want %q", c.mac, got, err, c.want)
		}
	}
	if _, err := site.MachineByMAC("00:00:5e:00:53:02"); !errors.Is(err, ErrNoMatch) {
		t.Errorf("unknown MAC error %v is not ErrNoMatch", err)
	}
	if m, err := site.MachineByName("mx1"); err != nil || m.ProfileName != "mailgw" {
		t.Errorf("MachineByName(mx1) = %v, %v", m, err)
	}
	if _, err := site.MachineByName("nope"); !errors.Is(err, ErrNoMatch) {
		t.Errorf("MachineByName(nope) error %v is not ErrNoMatch", err)
	}
	// The example has no defaults.profile: unknown machines get nothing.
	if _, err := site.DefaultMachine("00:00:5e:00:53:02"); !errors.Is(err, ErrNoMatch) {
		t.Errorf("DefaultMachine without defaults = %v, want ErrNoMatch", err)
	}
}

func TestDefaultMachine(t *testing.T) {
	site, err := Load(fstest.MapFS{
		"machines.yaml":   {Data: []byte("defaults: {profile: p}\nmachines: []\n")},
		"profiles/p.yaml": {Data: []byte("root: {password_hash: \"" + goodHash + "\"}\npackages: [vim]\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := site.DefaultMachine("00-00-5E-00-53-AA")
	if err != nil {
		t.Fatal(err)
	}
	// assert that: a stable valid host name, and a copy that does not share the profile's slices
	if m.Name != "host-00005e0053aa" || m.Profile.System.Hostname != m.Name || checkHostname(m.Name) != nil {
		t.Errorf("DefaultMachine = %+v", m)
	}
	m.Profile.Packages[0] = "changed"
	if site.Profiles["p"].Packages[0] != "vim" {
		t.Errorf("DefaultMachine shares the profile's packages")
	}
}
