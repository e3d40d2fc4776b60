package autoinstall

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"fugu/firewall"
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
