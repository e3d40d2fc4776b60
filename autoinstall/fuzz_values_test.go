package autoinstall

import (
	"bytes"
	"strings"
	"testing"

	"fugu/profiles"
)

// FuzzProfileValues: whatever text reaches a profile's free-form values,
// NewPlan either refuses it or the rendered files keep their shape: the
// same number of install.conf lines and hostname.if lines as with plain
// values, lint-clean, and install.site free of the file content.
func FuzzProfileValues(f *testing.F) {
	f.Add("delilah", "home", "demo-home-passphrase", "Peter Hansteen", "/etc/motd", "hello\n")
	f.Add("web\nx", "Bob's Net", "pa$$word123", "a:b", "/etc/../x", "$(reboot)")
	f.Add("a", "x\"y", "`halt`12345", "Peter\rx", "/etc/it's", "'\n'")
	f.Add("delilah", "home", "", "Peter Hansteen", "/etc/motd", "hello\n") // an open network
	m, facts := exampleMachine(f, "delilah")
	build := func(host, ssid, key, fullName, path, content string) (*Files, error) {
		p := m.Profile
		p.System.Hostname = host
		p.Network.Interfaces = []profiles.Interface{{Name: "iwm0", Wireless: &profiles.Wireless{Networks: []profiles.WirelessNetwork{{SSID: ssid, WPAKey: key}, {SSID: "office", WPAKey: "demo-office-passphrase"}}}}}
		u := *p.User
		u.FullName = fullName
		p.User = &u
		p.Files = map[string]profiles.File{path: {Content: "FUZZ" + content}}
		mc := *m
		mc.Profile = p
		plan, err := NewPlan(&mc, facts, testOptions())
		if err != nil {
			return nil, nil
		}
		return Render(plan)
	}
	base, err := build("delilah", "home", "demo-home-passphrase", "Peter Hansteen", "/etc/motd", "hello\n")
	if err != nil || base == nil {
		f.Fatalf("plain values: %v", err)
	}
	baseLines := bytes.Count(base.InstallConf, []byte("\n"))
	// An empty WPA key is an open network: no security protocol or
	// passphrase answer, so the file is shorter by design.
	open, err := build("delilah", "home", "", "Peter Hansteen", "/etc/motd", "hello\n")
	if err != nil || open == nil {
		f.Fatalf("open network: %v", err)
	}
	openLines := bytes.Count(open.InstallConf, []byte("\n"))
	f.Fuzz(func(t *testing.T, host, ssid, key, fullName, path, content string) {
		files, err := build(host, ssid, key, fullName, path, content)
		if err != nil {
			t.Fatalf("Render after NewPlan accepted: %v", err)
		}
		if files == nil {
			return // refused
		}
		want := baseLines
		if key == "" {
			want = openLines
		}
		if got := bytes.Count(files.InstallConf, []byte("\n")); got != want {
			t.Fatalf("install.conf has %d lines, want %d:\n%s", got, want, files.InstallConf)
		}
		if fs := Lint(files.InstallConf, ModeInstall); len(fs) > 0 {
			t.Fatalf("lint: %v\n%s", fs, files.InstallConf)
		}
		for _, e := range readSiteSet(t, files.SiteSet) {
			switch {
			case e.h.Name == "./etc/fugu/files/etc/hostname.iwm0":
				if n := strings.Count(string(e.data), "\n"); n != 4 {
					t.Fatalf("hostname.iwm0 has %d lines:\n%s", n, e.data)
				}
			case e.h.Name == "./install.site" && strings.Contains(string(e.data), "FUZZ"):
				t.Fatalf("install.site carries file content")
			}
		}
	})
}
