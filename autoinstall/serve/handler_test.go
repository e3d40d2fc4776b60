package serve

import (
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAnswers(t *testing.T) {
	f := newFixture(t, "", nil)
	tests := []struct {
		name, target string
		code         int
		want         string // in the body
	}{
		{"mac", "/" + laptopMAC + "-install.conf?path=7.8/amd64", 200, "System hostname = delilah\n"},
		{"mac upper", "/80:FA:5B:01:02:03-install.conf?path=7.8/amd64", 200, "System hostname = delilah\n"},
		{"mac encoded colons", "/80%3afa%3A5b%3a01%3a02%3a03-install.conf", 200, "delilah"},
		{"second mac", "/80:fa:5b:01:02:04-install.conf", 200, "delilah"},
		{"hostname", "/mx1-install.conf?path=7.8/amd64", 200, "System hostname = mx1\n"},
		{"full hostname", "/mx1.example.org-install.conf?path=7.8/amd64", 200, "System hostname = mx1\n"},
		{"upgrade", "/" + mailMAC + "-upgrade.conf?path=7.8/amd64", 200, "upgrade System hostname = mx1"},
		{"prefix", "/fugu/" + laptopMAC + "-install.conf?path=7.8/amd64", 200, "/fugu/template/delilah.disklabel"},
		// DHCP filename /auto_install and /pxe/auto_install.
		{"leading slash", "//" + laptopMAC + "-install.conf?path=7.8/amd64", 200, "http://192.0.2.10/template/delilah.disklabel"},
		{"leading slash and prefix", "//pxe/" + laptopMAC + "-install.conf?path=7.8/amd64", 200, "/pxe/template/delilah.disklabel"},
		{"server dir", "/" + laptopMAC + "-install.conf?path=7.8/amd64", 200, "Server directory = sets/delilah/7.8/amd64\n"},
		{"server url from Host", "/" + laptopMAC + "-install.conf", 200, "HTTP Server = http://192.0.2.10\n"},
		{"unknown mac", "/" + unknownMAC + "-install.conf?path=7.8/amd64", 404, "no such machine"},
		{"unknown host", "/nosuch-install.conf", 404, "no such machine"},
		{"install.conf without defaults", "/install.conf?path=7.8/amd64", 404, "no such machine"},
		{"upgrade.conf generic", "/upgrade.conf", 404, "no such machine"},
		{"bad path param", "/" + laptopMAC + "-install.conf?path=../../etc", 400, "bad path"},
		{"not an answers file", "/delilah.conf", 400, "bad request name"},
		{"a prefix fugu does not take says why", "/OpenBSD/" + laptopMAC + "-install.conf", 400, `bad prefix "OpenBSD" (directories before auto_install take lowercase letters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(tt.target, "192.0.2.50")
			// assert that: the status and body are as the installer needs them
			if w.Code != tt.code || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("GET %s = %d %q, want %d containing %q", tt.target, w.Code, w.Body, tt.code, tt.want)
			}
			if w.Code == 200 && w.Body.Len() == 0 {
				t.Errorf("GET %s: empty 200", tt.target)
			}
		})
	}
}

// TestAnswersFullHostname: DHCP option host-name may be a full name, and
// the installer asks for NAME.DOMAIN-install.conf with it as given.
func TestAnswersFullHostname(t *testing.T) {
	f := newFixture(t, "", nil)
	f.get("/"+unknownMAC+"-install.conf?path=7.8/amd64", "192.0.2.60")
	if w := f.get("/newbox.example.org-install.conf?path=7.8/amd64", "192.0.2.60"); w.Code != 404 {
		t.Errorf("unknown full host name = %d, want 404", w.Code)
	}
	// assert that: the unknown MAC is listed with the short name to enrol it as
	if p := f.store.Pending(); len(p) != 1 || p[0].Host != "newbox" {
		t.Errorf("pending = %+v, want %s with host newbox", p, unknownMAC)
	}
}

func TestAnswersDefaultProfile(t *testing.T) {
	inv := "defaults:\n  profile: mailgw\nmachines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n"
	f := newFixture(t, inv, nil)
	w := f.get("/install.conf?path=7.8/amd64", "192.0.2.50")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "sets/default/7.8/amd64") {
		t.Fatalf("install.conf with defaults.profile = %d %q, want the default profile's answers", w.Code, w.Body)
	}
	if w := f.get("/default-install.conf", "192.0.2.50"); w.Code != 404 {
		t.Errorf("default-install.conf = %d, want 404 (default is not a host name)", w.Code)
	}
	if w := f.get("/sets/default/7.8/amd64/index.txt", "192.0.2.50"); w.Code != 200 {
		t.Errorf("default profile's index.txt = %d, want 200", w.Code)
	}
}

// TestDefaultProfileNotForInstalled: the installer of an installed
// machine is refused its own answers and then asks for install.conf; with
// defaults.profile that must be refused too, or the machine reinstalls
// itself with the default profile on every network boot.
func TestDefaultProfileNotForInstalled(t *testing.T) {
	inv := "defaults:\n  profile: mailgw\nmachines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n"
	f := newFixture(t, inv, nil)
	tk := f.store.Lookup(mailName)
	if _, err := f.store.Callback(StepInstallSite, tk.InstallToken, "192.0.2.50"); err != nil {
		t.Fatal(err)
	}
	// assert that: each candidate the installer tries, in its order, is refused
	for _, target := range []string{"/" + mailMAC + "-install.conf?path=7.8/amd64", "/mx1-install.conf?path=7.8/amd64", "/install.conf?path=7.8/amd64"} {
		if w := f.get(target, "192.0.2.50"); w.Code != 404 || !strings.Contains(w.Body.String(), "re-arm") {
			t.Errorf("installed mx1: GET %s = %d %q, want 404 (installed)", target, w.Code, w.Body)
		}
	}
	if last := f.srv.Status().Machines[0].Last; last == nil || last.Step != StepRefused || last.Count != 3 {
		t.Errorf("mx1's last step = %+v, want refused three times", last)
	}
	// An unknown machine elsewhere still gets the default profile.
	if w := f.get("/"+unknownMAC+"-install.conf?path=7.8/amd64", "192.0.2.51"); w.Code != 404 {
		t.Errorf("unknown MAC = %d, want 404", w.Code)
	}
	if w := f.get("/install.conf?path=7.8/amd64", "192.0.2.51"); w.Code != 200 || !strings.Contains(w.Body.String(), "sets/default/") {
		t.Errorf("install.conf for an unknown machine = %d %q, want the default profile", w.Code, w.Body)
	}
	// After a re-arm, mx1 installs with its own answers again.
	if err := f.store.Rearm(mailName, "test"); err != nil {
		t.Fatal(err)
	}
	if w := f.get("/"+mailMAC+"-install.conf?path=7.8/amd64", "192.0.2.50"); w.Code != 200 || !strings.Contains(w.Body.String(), "sets/mx1/") {
		t.Errorf("re-armed mx1 = %d %q, want its own answers", w.Code, w.Body)
	}
}

// TestDefaultProfileNotForInstalledUnderFlood: refusals from more
// addresses than the server remembers must not let an installed machine's
// installer fall through to defaults.profile's install.conf.
func TestDefaultProfileNotForInstalledUnderFlood(t *testing.T) {
	inv := "defaults:\n  profile: mailgw\nmachines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n"
	f := newFixture(t, inv, nil)
	tk := f.store.Lookup(mailName)
	if _, err := f.store.Callback(StepInstallSite, tk.InstallToken, "192.0.2.50"); err != nil {
		t.Fatal(err)
	}
	for i := range maxRefusals {
		from := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 14: byte(i >> 8), 15: byte(i)}).String()
		if w := f.get("/mx1-install.conf?path=7.8/amd64", from); w.Code != 404 {
			t.Fatalf("installed mx1 from %s = %d, want 404", from, w.Code)
		}
	}
	// assert that: the installed machine's own installer is still refused
	// at each candidate, the generic install.conf too
	for _, target := range []string{"/" + mailMAC + "-install.conf?path=7.8/amd64", "/install.conf?path=7.8/amd64"} {
		if w := f.get(target, "192.0.2.50"); w.Code != 404 {
			t.Errorf("installed mx1 after a flood: GET %s = %d %.60q, want 404", target, w.Code, w.Body)
		}
	}
}

// TestDefaultProfileNotForFailedMachine: when a known machine's own
// answers fail to render, the generic install.conf its installer asks
// for next must not install it with defaults.profile.
func TestDefaultProfileNotForFailedMachine(t *testing.T) {
	inv := "defaults:\n  profile: mailgw\nmachines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n"
	f := newFixture(t, inv, func(c *Config) { c.Renderer = &fakeRenderer{failFor: mailName} })
	if w := f.get("/"+mailMAC+"-install.conf?path=7.8/amd64", "192.0.2.50"); w.Code != 500 {
		t.Fatalf("mx1 with a failing render = %d, want 500", w.Code)
	}
	if w := f.get("/install.conf?path=7.8/amd64", "192.0.2.50"); w.Code != 404 || !strings.Contains(w.Body.String(), "failed to render") {
		t.Errorf("install.conf after mx1's failure = %d %q, want 404 (its answers failed)", w.Code, w.Body)
	}
	if w := f.get("/install.conf?path=7.8/amd64", "192.0.2.51"); w.Code != 200 || !strings.Contains(w.Body.String(), "sets/default/") {
		t.Errorf("install.conf for an unknown machine = %d %q, want the default profile", w.Code, w.Body)
	}
}

func TestReleaseMismatch(t *testing.T) {
	f := newFixture(t, "", nil)
	w := f.get("/"+laptopMAC+"-install.conf?path=7.7/amd64", "192.0.2.50")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "sets/delilah/7.7/amd64") {
		t.Fatalf("mismatching path = %d %q, want answers for the installer's release", w.Code, w.Body)
	}
	st := f.srv.Status()
	found := false
	for _, m := range st.Machines {
		if m.Name == laptopName {
			for _, p := range m.Problems {
				found = found || strings.Contains(p, "installer runs 7.7/amd64")
			}
		}
	}
	if !found {
		t.Errorf("status shows no release mismatch for %s: %+v", laptopName, st.Machines)
	}
}

func TestRenderFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *fakeRenderer
	}{{"broken", &fakeRenderer{fail: true}}, {"empty", &fakeRenderer{empty: true}}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "", func(c *Config) { c.Renderer = tc.r })
			// assert that: a render problem is the server's fault (500), never an empty 200 or a 404
			if w := f.get("/"+laptopMAC+"-install.conf", "192.0.2.50"); w.Code != 500 {
				t.Errorf("install.conf with a %s renderer = %d, want 500", tc.name, w.Code)
			}
		})
	}
}

func TestTemplateSetsFirmware(t *testing.T) {
	f := newFixture(t, "", nil)
	tests := []struct {
		target string
		code   int
		want   string
	}{
		{"/template/delilah.disklabel", 200, "/ 1G\nswap 2G\n"},
		{"/fugu/template/delilah.disklabel", 200, "/ 1G"},
		{"/template/nosuch.disklabel", 404, ""},
		{"/sets/delilah/7.8/amd64/index.txt", 200, " site78-delilah.tgz\n"},
		{"/sets/delilah/7.8/amd64/index.txt", 200, " base78.tgz\n"},
		{"/sets/delilah/7.8/amd64/site78-delilah.tgz", 200, "\x1f\x8b"},
		{"/sets/delilah/7.8/amd64/site78-mx1.tgz", 404, ""},
		{"/sets/delilah/7.8/amd64/base78.tgz", 200, "base78 set bytes"},
		{"/sets/delilah/7.8/amd64/SHA256.sig", 200, "untrusted comment"},
		{"/sets/delilah/7.8/amd64/nosuch.tgz", 404, ""},
		{"/sets/nosuch/7.8/amd64/base78.tgz", 404, ""},
		{"/sets/delilah/7.8/amd64/evil.tgz", 404, ""},
		{"/sets/delilah/7.8/amd64/rel.tgz", 404, ""},
		{"/sets/delilah/7.8/amd64/bsd.rd", 200, "ramdisk kernel"},
		{"/firmware/7.8/iwm-firmware-20250101.tgz", 200, "firmware bytes"},
		{"/firmware/7.8/SHA256.sig", 200, "firmware sig"},
		{"/firmware/7.8", 404, ""},
		{"/sets/delilah/7.8/amd64/..", 400, ""},
	}
	for _, tt := range tests {
		w := f.get(tt.target, "192.0.2.50")
		if w.Code != tt.code || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("GET %s = %d %.40q, want %d containing %q", tt.target, w.Code, w.Body, tt.code, tt.want)
		}
		if strings.Contains(w.Body.String(), "SECRET") {
			t.Errorf("GET %s leaked the file outside the mirror", tt.target)
		}
	}
}

// TestIndexListsMirror: index.txt lists what the mirror serves (links
// inside it too) and nothing it refuses (links out of it).
func TestIndexListsMirror(t *testing.T) {
	f := newFixture(t, "", nil)
	index := f.get("/sets/delilah/7.8/amd64/index.txt", "192.0.2.50").Body.String()
	for name, listed := range map[string]bool{"base78.tgz": true, "SHA256.sig": true, "INSTALL.amd64": true,
		"bsd.rd": true, "bsd.rd.new": true, "site78-delilah.tgz": true, "evil.tgz": false, "rel.tgz": false} {
		if got := strings.Contains(index, " "+name+"\n"); got != listed {
			t.Errorf("index.txt lists %s: %v, want %v\n%s", name, got, listed, index)
		}
	}
}

// TestIndexFollowsMirror: index.txt lists what the sets mirror holds when
// the installer asks, not what it held at the first request: an admin who
// copies in a missing set and retries must not get the stale listing
// (which the status page, reading the mirror afresh, would not explain).
func TestIndexFollowsMirror(t *testing.T) {
	f := newFixture(t, "", nil)
	index := func() string {
		t.Helper()
		w := f.get("/sets/delilah/7.8/amd64/index.txt", "192.0.2.50")
		if w.Code != 200 {
			t.Fatalf("index.txt = %d %q", w.Code, w.Body)
		}
		return w.Body.String()
	}
	if got := index(); strings.Contains(got, " comp78.tgz\n") {
		t.Fatalf("index.txt lists comp78.tgz before it is in the mirror:\n%s", got)
	}
	f.get("/"+laptopMAC+"-install.conf?path=7.8/amd64", "192.0.2.50")
	if err := os.WriteFile(filepath.Join(f.sets, "7.8/amd64/comp78.tgz"), []byte("comp\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// assert that: the set copied in is listed at the next request
	if got := index(); !strings.Contains(got, " comp78.tgz\n") || !strings.Contains(got, " site78-delilah.tgz\n") {
		t.Errorf("index.txt after comp78.tgz was copied into the mirror:\n%s", got)
	}
	if err := os.Remove(filepath.Join(f.sets, "7.8/amd64/comp78.tgz")); err != nil {
		t.Fatal(err)
	}
	if got := index(); strings.Contains(got, " comp78.tgz\n") {
		t.Errorf("index.txt still lists comp78.tgz after it was removed:\n%s", got)
	}
}

// TestMirrorNamesIndexCannotList: a file in the sets mirror whose name
// the installer would not take from index.txt (a digit first, a +) is
// left out of the listing; it must not make every machine's answers fail.
func TestMirrorNamesIndexCannotList(t *testing.T) {
	f := newFixture(t, "", func(c *Config) { c.Renderer = Autoinstall{} })
	for _, name := range []string{"0README", "notes+old.txt"} {
		if err := os.WriteFile(filepath.Join(f.sets, "7.8/amd64", name), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// assert that: the answers and index.txt are served, without those names
	if w := f.get("/"+laptopMAC+"-install.conf?path=7.8/amd64", "192.0.2.50"); w.Code != 200 {
		t.Fatalf("install.conf with odd names in the mirror = %d %q, want 200", w.Code, w.Body)
	}
	w := f.get("/sets/delilah/7.8/amd64/index.txt", "192.0.2.50")
	if index := w.Body.String(); w.Code != 200 || !strings.Contains(index, " base78.tgz\n") ||
		strings.Contains(index, "0README") || strings.Contains(index, "notes+old.txt") {
		t.Errorf("index.txt = %d %q, want base78.tgz listed and neither odd name", w.Code, index)
	}
}

func TestSetRange(t *testing.T) {
	f := newFixture(t, "", nil)
	req := newRequest("GET", "/sets/delilah/7.8/amd64/base78.tgz", "192.0.2.50")
	req.Header.Set("Range", "bytes=7-9")
	w := newRecorder()
	f.srv.ServeHTTP(w, req)
	if w.Code != http.StatusPartialContent || w.Body.String() != "set" {
		t.Errorf("range request = %d %q, want 206 \"set\"", w.Code, w.Body)
	}
}

func TestAllow(t *testing.T) {
	f := newFixture(t, "", func(c *Config) {
		c.Allow = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	})
	for _, target := range []string{"/" + laptopMAC + "-install.conf", "/sets/delilah/7.8/amd64/site78-delilah.tgz",
		"/template/delilah.disklabel"} {
		if w := f.get(target, "198.51.100.7"); w.Code != 403 {
			t.Errorf("GET %s from outside --allow = %d, want 403", target, w.Code)
		}
		if w := f.get(target, "192.0.2.7"); w.Code != 200 {
			t.Errorf("GET %s from inside --allow = %d, want 200", target, w.Code)
		}
	}
	// fw_update runs at first boot, from the installed address; firmware
	// is public anyway.
	if w := f.get("/firmware/7.8/SHA256.sig", "198.51.100.7"); w.Code != 200 {
		t.Errorf("firmware from outside --allow = %d, want 200", w.Code)
	}
	// The first boot calls back from the installed address: the token, not
	// the address, authorises it.
	tk := f.store.Lookup(laptopName)
	if w := f.get("/callback/first-boot/"+tk.FirstBootToken, "198.51.100.7"); w.Code != 200 {
		t.Errorf("first-boot callback from outside --allow = %d, want 200", w.Code)
	}
}

func TestAdminOnlyFromLoopback(t *testing.T) {
	f := newFixture(t, "", nil)
	for _, target := range []string{"/", "/api/machines"} {
		if w := f.get(target, "192.0.2.50"); w.Code != 403 {
			t.Errorf("GET %s from the network = %d, want 403 without --admin", target, w.Code)
		}
		if w := f.get(target, "127.0.0.1"); w.Code != 200 {
			t.Errorf("GET %s from loopback = %d, want 200", target, w.Code)
		}
	}
	// assert that: --admin adds its networks to loopback, whose URLs
	// the banner prints, and admits nothing else
	g := newFixture(t, "", func(c *Config) { c.Admin = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")} })
	for ip, want := range map[string]int{"127.0.0.1": 200, "::1": 200, "192.0.2.50": 200, "198.51.100.7": 403} {
		if w := g.get("/api/machines", ip); w.Code != want {
			t.Errorf("GET /api/machines from %s with --admin 192.0.2.0/24 = %d, want %d", ip, w.Code, want)
		}
	}
}

func TestMethods(t *testing.T) {
	f := newFixture(t, "", nil)
	for _, tc := range []struct{ method, target string }{
		{"POST", "/" + laptopMAC + "-install.conf"}, {"PUT", "/sets/delilah/7.8/amd64/base78.tgz"},
		{"DELETE", "/"}, {"POST", "/api/machines"}, {"GET", "/rearm"}, {"HEAD", "/callback/install-site/" + strings.Repeat("a", 32)},
	} {
		req := newRequest(tc.method, tc.target, "127.0.0.1")
		w := newRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s = %d, want 405", tc.method, tc.target, w.Code)
		}
		// assert that: a 405 says which methods are allowed (RFC 9110 15.5.6)
		if w.Header().Get("Allow") == "" {
			t.Errorf("%s %s = 405 without an Allow header", tc.method, tc.target)
		}
	}
}

func TestCheckRenders(t *testing.T) {
	f := newFixture(t, "", func(c *Config) { c.Renderer = Autoinstall{} })
	errs := f.srv.CheckRenders()
	st := f.srv.Status()
	for _, m := range st.Machines {
		t.Logf("%s: %v", m.Name, m.Problems)
	}
	if len(errs) > len(st.Machines) {
		t.Fatalf("%d errors for %d machines", len(errs), len(st.Machines))
	}
	g := newFixture(t, "", func(c *Config) { c.Renderer = &fakeRenderer{fail: true} })
	if errs, want := g.srv.CheckRenders(), len(st.Machines); len(errs) != want {
		t.Fatalf("CheckRenders with a broken renderer = %v, want %d errors", errs, want)
	}
	for _, m := range g.srv.Status().Machines {
		if len(m.Problems) == 0 || !strings.Contains(m.Problems[0], "cannot render") {
			t.Errorf("status of %s shows no render problem: %v", m.Name, m.Problems)
		}
	}
}

// TestHeadLeavesNoTrace: the installer only GETs; a HEAD (curl -I, a
// monitor) is answered but neither enters a machine's trail, nor lists
// an unknown MAC, nor counts as an installed machine's refusal.
func TestHeadLeavesNoTrace(t *testing.T) {
	inv := "defaults:\n  profile: mailgw\nmachines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n"
	f := newFixture(t, inv, nil)
	head := func(target, from string) int {
		req := newRequest(http.MethodHead, target, from)
		w := newRecorder()
		f.srv.ServeHTTP(w, req)
		return w.Code
	}
	trail := func() int {
		for _, m := range f.store.Machines() {
			if m.Name == mailName {
				return len(m.Trail)
			}
		}
		return 0
	}
	if code := head("/"+mailMAC+"-install.conf?path=7.8/amd64", "192.0.2.50"); code != 200 {
		t.Fatalf("HEAD of mx1's install.conf = %d, want 200", code)
	}
	head("/"+unknownMAC+"-install.conf?path=7.8/amd64", "192.0.2.51")
	// assert that: nothing was recorded
	if n := trail(); n != 0 {
		t.Errorf("mx1's trail has %d events after a HEAD, want none", n)
	}
	if p := f.store.Pending(); len(p) != 0 {
		t.Errorf("pending = %+v after a HEAD, want none", p)
	}
	// An installed machine: HEAD is refused, but the address is not
	// taken for its installer falling back to the generic install.conf.
	tk := f.store.Lookup(mailName)
	if _, err := f.store.Callback(StepInstallSite, tk.InstallToken, "192.0.2.50"); err != nil {
		t.Fatal(err)
	}
	before := trail()
	if code := head("/"+mailMAC+"-install.conf?path=7.8/amd64", "192.0.2.60"); code != 404 {
		t.Errorf("HEAD of installed mx1's install.conf = %d, want 404", code)
	}
	if n := trail(); n != before {
		t.Errorf("a HEAD added %d events to installed mx1's trail", n-before)
	}
	if w := f.get("/install.conf?path=7.8/amd64", "192.0.2.60"); w.Code != 200 {
		t.Errorf("generic install.conf after a HEAD from the same address = %d, want 200", w.Code)
	}
}
