package autoinstall

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"fugu/firewall"
	"fugu/profiles"
)

// roleFiles returns the archive names of the plan's role files.
func roleFiles(t *testing.T, p *Plan) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, f := range p.Files {
		if f.Role != "" {
			out["./"+strings.TrimPrefix(stageDir+f.Path, "/")] = true
		}
	}
	return out
}

// TestRoleFiles: the mail gateway's files are in the site set byte for
// byte as firewall.Render gives them, with their modes; files the
// operator maintains are created only when absent; the setup runs.
func TestRoleFiles(t *testing.T) {
	m, _ := exampleMachine(t, "mx1")
	want, err := firewall.Render(m.Profile.Roles.MailGW, firewall.Options{Hostname: "mx1.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPlan(m, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	f, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]tarEntry{}
	var script []byte
	for _, e := range readSiteSet(t, f.SiteSet) {
		got[e.h.Name] = e
		if e.h.Name == "./install.site" {
			script = e.data
		}
	}
	for _, path := range want.Paths() {
		w := want[path]
		e, ok := got["./"+strings.TrimPrefix(stageDir+path, "/")]
		if !ok {
			t.Errorf("%s is not in the site set", path)
			continue
		}
		if !bytes.Equal(e.data, w.Data) || e.h.Mode != int64(w.Mode.Perm()) {
			t.Errorf("%s: mode %o and content differ from firewall.Render (mode %o)", path, e.h.Mode, w.Mode.Perm())
		}
		line := fmt.Sprintf("put %04o '%s'", w.Mode.Perm(), path)
		if w.IfAbsent {
			line = "[ -e '" + path + "' ] || " + line
		}
		if !bytes.Contains(script, []byte(line+"\n")) {
			t.Errorf("install.site lacks %q", line)
		}
	}
	if !bytes.Contains(script, []byte("'"+firewall.SetupScript+"' || warn")) {
		t.Errorf("install.site does not run %s", firewall.SetupScript)
	}
}

// TestRoleSetupBeforeExtraDisks: an extra disk copies what lies under its
// mount point and the mount hides the rest from the first boot on, so the
// role's setup (root's crontab, pf's table files under /var) runs before.
func TestRoleSetupBeforeExtraDisks(t *testing.T) {
	m := gwMachine(t, func(p *profiles.Profile) {
		d := p.Disks
		d.Root = profiles.RootDisk{Device: "sd0", Swap: "4G"}
		d.Extra = []profiles.ExtraDisk{{Device: "sd1", Partitions: []profiles.Partition{{Mount: "/var", Size: "rest"}}}}
		p.Disks = d
	})
	p, err := NewPlan(m, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	is := string(renderInstallSite(p, stagedFiles(p)))
	setup := strings.Index(is, "\n"+shellQuote(firewall.SetupScript)+" || warn")
	firstBoot := strings.Index(is, "cat "+firstBootFile+" >>/etc/rc.firsttime")
	disk := strings.Index(is, "\ndisk_sd1\n")
	if setup < 0 || firstBoot < 0 || disk < 0 || disk < setup || disk < firstBoot {
		t.Errorf("install.site runs the role setup at %d, appends rc.firsttime at %d and prepares sd1 at %d, want the disk last:\n%s", setup, firstBoot, disk, is)
	}
}

// TestRoleFileAlsoInFiles: a profile file at a path the role writes is
// refused, rather than one of the two silently replacing the other.
func TestRoleFileAlsoInFiles(t *testing.T) {
	m, _ := exampleMachine(t, "mx1")
	mc := *m
	mc.Profile.Files = map[string]profiles.File{firewall.PFConf: {Content: "pass\n"}}
	_, err := NewPlan(&mc, nil, testOptions())
	if want := "roles.mailgw: file /etc/pf.conf is also given in files"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("NewPlan: %v, want %q", err, want)
	}
}
