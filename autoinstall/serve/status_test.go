package serve

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatusPage(t *testing.T) {
	f := newFixture(t, "", nil)
	f.get("/"+laptopMAC+"-install.conf?path=7.7/amd64", "192.0.2.50")
	f.get("/"+unknownMAC+"-install.conf", "192.0.2.51")
	w := f.get("/", "127.0.0.1")
	body := w.Body.String()
	// assert that: the page lists machines, the last step, the mismatch and the pending MAC, and locks itself down
	for _, want := range []string{`<tr class="machine" data-name="delilah">`, `<tr class="machine" data-name="mx1">`,
		"answers <code>install.conf</code>", "installer runs 7.7/amd64", unknownMAC, "--profile PROFILE --name NAME"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("status page CSP = %q", csp)
	}
	if strings.Contains(body, "http://") && !strings.Contains(body, `href="/api/machines"`) {
		t.Errorf("status page refers to external assets")
	}
	for _, secret := range []string{"$2b$", "passphrase", "wpa"} {
		if strings.Contains(strings.ToLower(body), secret) {
			t.Errorf("status page shows %q", secret)
		}
	}
}

// TestMissingSets: a machine whose installer would find no official sets
// here says so on the status page, without a mirror and with one that
// lacks its release.
func TestMissingSets(t *testing.T) {
	inv := "machines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n" +
		"  - name: old\n    mac: 00:00:5e:00:53:09\n    profile: mailgw\n    memory: 4G\n    set: { release: \"7.7\" }\n"
	problems := func(f *fixture) map[string]string {
		out := map[string]string{}
		for _, m := range f.srv.Status().Machines {
			out[m.Name] = strings.Join(m.Problems, "; ")
		}
		return out
	}
	// assert that: the mirror's 7.8/amd64 serves mx1; 7.7 is missing
	got := problems(newFixture(t, inv, nil))
	if got["mx1"] != "" || !strings.Contains(got["old"], "the sets mirror has no 7.7/amd64/base77.tgz") {
		t.Errorf("with a 7.8 mirror: problems = %q", got)
	}
	got = problems(newFixture(t, inv, func(c *Config) { c.SetsDir = "" }))
	for _, name := range []string{"mx1", "old"} {
		if !strings.Contains(got[name], "no sets mirror (--sets)") {
			t.Errorf("without a mirror: %s's problems = %q, want no sets mirror", name, got[name])
		}
	}
}

func TestAPIMachines(t *testing.T) {
	f := newFixture(t, "", nil)
	f.get("/"+mailMAC+"-install.conf", "192.0.2.50")
	w := f.get("/api/machines", "::1")
	if ct := w.Header().Get("Content-Type"); w.Code != 200 || ct != "application/json" {
		t.Fatalf("api = %d %s", w.Code, ct)
	}
	var st Status
	if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Machines) != 3 {
		t.Fatalf("api lists %d machines, want 3: %+v", len(st.Machines), st)
	}
	mail := st.Machines[2]
	if mail.Name != mailName || mail.Last == nil ||
		mail.Last.Step != StepAnswers || !mail.Armed || st.Pending == nil {
		t.Errorf("api = %+v", st)
	}
	if strings.Contains(w.Body.String(), "token") || strings.Contains(w.Body.String(), "csrf") {
		t.Errorf("api shows a token: %s", w.Body)
	}
}

func TestRearmGuards(t *testing.T) {
	f := newFixture(t, "", nil)
	tk := f.store.Lookup(laptopName)
	f.store.Callback(StepInstallSite, tk.InstallToken, "192.0.2.50")
	post := func(from string, hdr map[string]string, form url.Values) int {
		req := newRequest("POST", "/rearm", from)
		req.Body = http.NoBody
		if form != nil {
			req = newRequestBody("POST", "/rearm", from, form.Encode())
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		w := newRecorder()
		f.srv.ServeHTTP(w, req)
		return w.Code
	}
	good := url.Values{"name": {laptopName}, "csrf": {f.srv.csrf}}
	self := map[string]string{"Origin": "http://192.0.2.10"}
	tests := []struct {
		name string
		from string
		hdr  map[string]string
		form url.Values
		want int
	}{
		{"from the network", "192.0.2.99", self, good, 403},
		{"other origin", "127.0.0.1", map[string]string{"Origin": "http://evil.example"}, good, 403},
		{"no origin or referer", "127.0.0.1", nil, good, 403},
		{"cross-site fetch", "127.0.0.1", map[string]string{"Origin": "http://192.0.2.10", "Sec-Fetch-Site": "cross-site"}, good, 403},
		{"no token", "127.0.0.1", self, url.Values{"name": {laptopName}}, 403},
		{"wrong token", "127.0.0.1", self, url.Values{"name": {laptopName}, "csrf": {"x"}}, 403},
		{"unknown machine", "127.0.0.1", self, url.Values{"name": {"nosuch"}, "csrf": {f.srv.csrf}}, 404},
		{"path as name", "127.0.0.1", self, url.Values{"name": {"../x"}, "csrf": {f.srv.csrf}}, 404},
		{"armed machine", "127.0.0.1", self, url.Values{"name": {mailName}, "csrf": {f.srv.csrf}}, 409},
		{"same-origin referer", "127.0.0.1", map[string]string{"Referer": "http://192.0.2.10/"}, good, 303},
		{"again", "127.0.0.1", self, good, 409},
	}
	for _, tt := range tests {
		if got := post(tt.from, tt.hdr, tt.form); got != tt.want {
			t.Errorf("%s: POST /rearm = %d, want %d", tt.name, got, tt.want)
		}
	}
	if !f.store.Lookup(laptopName).Armed {
		t.Error("the good request did not re-arm")
	}
}

func TestCallbackHandler(t *testing.T) {
	f := newFixture(t, "", nil)
	tk := f.store.Lookup(mailName)
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/callback/first-boot/" + tk.InstallToken, 404},
		{"/callback/install-site/" + strings.Repeat("0", 32), 404},
		{"/callback/install-site/" + tk.InstallToken, 200},
		{"/callback/install-site/" + tk.InstallToken, 404},
		{"/fugu/callback/first-boot/" + tk.FirstBootToken, 200},
	} {
		if w := f.get(tc.target, "192.0.2.50"); w.Code != tc.want {
			t.Errorf("GET %s = %d, want %d", tc.target, w.Code, tc.want)
		}
	}
	// assert that: no part of a token reaches the log, even below the
	// longest prefix, where the path is also shortened
	for _, prefix := range []string{"/fugu", "/" + strings.Repeat("p", 32)} {
		if got := logPath(prefix + "/callback/install-site/" + tk.InstallToken); strings.Contains(got, tk.InstallToken[:6]) {
			t.Errorf("logPath keeps (part of) the token: %s", got)
		}
	}
}

// TestAdminRefusesDNSRebinding: with the default loopback-only admin, a
// page that rebinds its own DNS name to 127.0.0.1 must not read the
// status page (and its re-arm token) nor re-arm from the browser there:
// its requests carry the attacker's name as Host, where a real visit
// carries localhost or an address.
func TestAdminRefusesDNSRebinding(t *testing.T) {
	f := newFixture(t, "", nil)
	tk := f.store.Lookup(laptopName)
	f.store.Callback(StepInstallSite, tk.InstallToken, "192.0.2.50")
	do := func(req *http.Request, host string) int {
		req.Host = host
		req.RemoteAddr = "127.0.0.1:40000"
		w := newRecorder()
		f.srv.ServeHTTP(w, req)
		return w.Code
	}
	for host, want := range map[string]int{"evil.example:8080": 403, "evil.example": 403, "localhost.evil.example:8080": 403,
		"127.0.0.1:8080": 200, "localhost:8080": 200, "LOCALHOST": 200, "[::1]:8080": 200, "192.0.2.10": 200} {
		for _, target := range []string{"/", "/api/machines"} {
			if got := do(newRequest("GET", target, "127.0.0.1"), host); got != want {
				t.Errorf("GET %s with Host %s = %d, want %d", target, host, got, want)
			}
		}
	}
	form := url.Values{"name": {laptopName}, "csrf": {f.srv.csrf}}
	req := newRequestBody("POST", "/rearm", "127.0.0.1", form.Encode())
	req.Header.Set("Origin", "http://evil.example:8080")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	// assert that: the rebound page's re-arm is refused and changes nothing
	if got := do(req, "evil.example:8080"); got != 403 || f.store.Lookup(laptopName).Armed {
		t.Errorf("rebound POST /rearm = %d (armed %v), want 403 and still installed", got, f.store.Lookup(laptopName).Armed)
	}
	// With --admin the operator may well use a name: not refused for it.
	g := newFixture(t, "", func(c *Config) { c.Admin = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")} })
	req = newRequest("GET", "/", "192.0.2.5")
	req.Host = "fugu.example.org:8080"
	w := newRecorder()
	g.srv.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Errorf("GET / by name with --admin = %d, want 200", w.Code)
	}
	// assert that: a loopback client is still held to addresses and
	// localhost with --admin, even one that names loopback itself
	h := newFixture(t, "", func(c *Config) {
		c.Admin = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("192.0.2.0/24")}
	})
	req = newRequest("GET", "/", "127.0.0.1")
	req.Host = "evil.example:8080"
	w = newRecorder()
	h.srv.ServeHTTP(w, req)
	if w.Code != 403 {
		t.Errorf("GET / from loopback with Host evil.example and --admin = %d, want 403", w.Code)
	}
}

// TestMissingSetsSignature: the sets mirror without SHA256.sig is told
// (the installer then installs fugu's official sets unchecked), and a
// machine whose profile takes the sets from another server needs none
// of fugu's mirror.
func TestMissingSetsSignature(t *testing.T) {
	inv := "machines:\n  - name: mx1\n    mac: " + mailMAC + "\n    profile: mailgw\n    memory: 4G\n" +
		"  - name: other\n    mac: 00:00:5e:00:53:09\n    profile: mailgw\n    memory: 4G\n" +
		"    set: { sets: { server: http://mirror.example.org, directory: pub/OpenBSD/7.8/amd64 } }\n"
	f := newFixture(t, inv, func(c *Config) { c.SetsDir = "" })
	if got := f.srv.MissingSets(); got["other"] != "" {
		t.Errorf("without a mirror: other's problem = %q, want none (its sets come from sets.server)", got["other"])
	}
	f = newFixture(t, inv, nil)
	if err := os.Remove(filepath.Join(f.sets, "7.8/amd64/SHA256.sig")); err != nil {
		t.Fatal(err)
	}
	got := f.srv.MissingSets()
	if !strings.Contains(got["mx1"], "the sets mirror has no 7.8/amd64/SHA256.sig") {
		t.Errorf("mirror without SHA256.sig: mx1's problem = %q, want it told", got["mx1"])
	}
	if got["other"] != "" {
		t.Errorf("mirror without SHA256.sig: other's problem = %q, want none", got["other"])
	}
}
