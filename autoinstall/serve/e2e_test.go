package serve

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// liveServer runs f's server on 127.0.0.1:0 until the test ends.
func liveServer(t *testing.T, f *fixture) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done, flushed := make(chan error, 1), make(chan struct{})
	go func() { f.store.Run(ctx); close(flushed) }()
	go func() { done <- f.srv.Serve(ctx, ln, 0) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		<-flushed
	})
	return "http://" + ln.Addr().String()
}

func fetch(t *testing.T, method, u string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d %q, want %d", method, u, resp.StatusCode, body, want)
	}
	return body
}

func answer(t *testing.T, conf []byte, key string) string {
	t.Helper()
	m := regexp.MustCompile(`(?mi)^` + key + `[^=\n]*= (.*)$`).FindSubmatch(conf)
	if m == nil {
		t.Fatalf("install.conf has no %q answer:\n%s", key, conf)
	}
	return string(m[1])
}

type apiStatus struct {
	Machines []MachineStatus `json:"machines"`
	Pending  []Pending       `json:"pending"`
}

func machineStatus(t *testing.T, base, name string) MachineStatus {
	t.Helper()
	var st apiStatus
	if err := json.Unmarshal(fetch(t, "GET", base+"/api/machines", 200), &st); err != nil {
		t.Fatal(err)
	}
	for _, m := range st.Machines {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("/api/machines has no %s", name)
	return MachineStatus{}
}

// install walks one install as OpenBSD's installer and the new system do.
// It returns the steps the server should have seen.
func install(t *testing.T, base, mac, name string) string {
	t.Helper()
	return installAt(t, base, "", mac, name)
}

// installAt is install below a path prefix ("" or "fugu/", from DHCP
// filename "fugu/auto_install"): every URL the answers name must carry it.
func installAt(t *testing.T, base, prefix, mac, name string) string {
	t.Helper()
	steps := "answers index sets site-set install-site first-boot"
	conf := fetch(t, "GET", base+"/"+prefix+mac+"-install.conf?path=7.8/amd64", 200)
	if tmpl := regexp.MustCompile(`http://\S+\.disklabel`).Find(conf); tmpl != nil {
		if !strings.HasPrefix(string(tmpl), base+"/"+prefix) {
			t.Errorf("template URL %s is not below %s/%s", tmpl, base, prefix)
		}
		fetch(t, "GET", string(tmpl), 200)
		steps = "answers template index sets site-set install-site first-boot"
	}
	dir := answer(t, conf, "Server directory")
	if !strings.HasPrefix(dir, prefix) {
		t.Errorf("Server directory = %s, want it below %q", dir, prefix)
	}
	sets := answer(t, conf, "HTTP Server") + "/" + dir
	index := string(fetch(t, "GET", sets+"/index.txt", 200))
	site := regexp.MustCompile(` (site[0-9]+-` + name + `\.tgz)\n`).FindStringSubmatch(index)
	if site == nil || !strings.Contains(index, " base78.tgz\n") {
		t.Fatalf("index.txt lists no site set or no base set:\n%s", index)
	}
	fetch(t, "GET", sets+"/base78.tgz", 200)
	cb := callbacks(t, fetch(t, "GET", sets+"/"+site[1], 200))
	if cb[StepInstallSite] == "" || cb[StepFirstBoot] == "" {
		t.Fatalf("site set carries no callbacks: %v", cb)
	}
	for _, u := range []string{cb[StepInstallSite], cb[StepFirstBoot], cb["firmware"]} {
		if u != "" && !strings.HasPrefix(u, base+"/"+prefix) {
			t.Errorf("site set URL %s is not below %s/%s", u, base, prefix)
		}
	}
	if fw := cb["firmware"]; fw != "" { // fw_update -p URL fetches URL/SHA256.sig first
		fetch(t, "GET", fw+"/SHA256.sig", 200)
	}
	fetch(t, "GET", cb[StepInstallSite], 200)
	fetch(t, "GET", cb[StepInstallSite], 404) // one time only
	fetch(t, "GET", cb[StepFirstBoot], 200)
	return steps
}

// TestEndToEnd walks whole installs with autoinstall's real renderer and
// with the fake one.
func TestEndToEnd(t *testing.T) {
	real := func(c *Config) { c.Renderer = Autoinstall{} }
	t.Run("autoinstall/laptop", func(t *testing.T) {
		testEndToEnd(t, newFixture(t, "", real), laptopMAC, laptopName)
	})
	t.Run("autoinstall/mailgw", func(t *testing.T) {
		testEndToEnd(t, newFixture(t, "", real), mailMAC, mailName)
	})
	t.Run("fake", func(t *testing.T) { testEndToEnd(t, newFixture(t, "", nil), laptopMAC, laptopName) })
	// DHCP filename "fugu/auto_install": the installer asks below /fugu/,
	// and so must every URL the answers and the site set name.
	// A filename deeper in the TFTP tree, "pxe/openbsd/auto_install",
	// works the same.
	for _, prefix := range []string{"fugu/", "pxe/openbsd/"} {
		t.Run("autoinstall/prefix="+prefix, func(t *testing.T) {
			f := newFixture(t, "", real)
			base := liveServer(t, f)
			want := installAt(t, base, prefix, mailMAC, mailName)
			var steps []string
			for _, ev := range machineStatus(t, base, mailName).Trail {
				steps = append(steps, ev.Step)
			}
			if strings.Join(steps, " ") != want {
				t.Errorf("trail = %v, want %q", steps, want)
			}
			fetch(t, "GET", base+"/"+prefix+mailMAC+"-install.conf?path=7.8/amd64", 404)
		})
	}
}

func testEndToEnd(t *testing.T, f *fixture, mac, name string) {
	base := liveServer(t, f)

	want := install(t, base, mac, name)
	m := machineStatus(t, base, name)
	var steps []string
	for _, ev := range m.Trail {
		steps = append(steps, ev.Step)
		if ev.IP != "127.0.0.1" || ev.Time.IsZero() {
			t.Errorf("trail event %+v lacks the client or the time", ev)
		}
	}
	// assert that: the trail shows each step in order, and the machine counts as installed
	if strings.Join(steps, " ") != want || m.Armed || m.Installed.IsZero() || m.FirstBoot.IsZero() {
		t.Fatalf("trail = %v armed=%v installed=%v, want %q and installed", steps, m.Armed, m.Installed, want)
	}
	fetch(t, "GET", base+"/"+mac+"-install.conf?path=7.8/amd64", 404)
	fetch(t, "GET", base+"/"+name+"-install.conf?path=7.8/amd64", 404)
	fetch(t, "GET", base+"/"+mac+"-upgrade.conf?path=7.8/amd64", 200)

	// Re-arm from the status page, as an admin's browser would post it.
	page := string(fetch(t, "GET", base+"/", 200))
	csrf := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatalf("status page has no re-arm form:\n%s", page)
	}
	form := url.Values{"name": {name}, "csrf": {csrf[1]}}
	post := func(origin, token string, want int) {
		t.Helper()
		form.Set("csrf", token)
		req, _ := http.NewRequest("POST", base+"/rearm", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("POST /rearm origin=%q = %d, want %d", origin, resp.StatusCode, want)
		}
	}
	post("http://evil.example", csrf[1], 403)
	post("", csrf[1], 403)
	post(base, strings.Repeat("0", 32), 403)
	post(base, csrf[1], 303)
	conf := fetch(t, "GET", base+"/"+mac+"-install.conf?path=7.8/amd64", 200)
	if !strings.Contains(string(conf), name) {
		t.Fatalf("re-armed install.conf = %q", conf)
	}

	// A second install, then a re-arm through the state directory, as
	// `fugu machine rearm` does while the server runs.
	install(t, base, mac, name)
	fetch(t, "GET", base+"/"+mac+"-install.conf", 404)
	if err := RequestRearm(f.state, name, time.Now()); err != nil {
		t.Fatal(err)
	}
	fetch(t, "GET", base+"/"+mac+"-install.conf", 200)
	if m := machineStatus(t, base, name); m.Generation != 2 || !m.Armed {
		t.Errorf("after two re-arms generation=%d armed=%v, want 2 and armed", m.Generation, m.Armed)
	}

	// An unknown machine gets 404 and waits to be enrolled.
	fetch(t, "GET", base+"/"+unknownMAC+"-install.conf?path=7.8/amd64", 404)
	fetch(t, "GET", base+"/newbox-install.conf?path=7.8/amd64", 404)
	fetch(t, "GET", base+"/install.conf?path=7.8/amd64", 404)
	var st apiStatus
	json.Unmarshal(fetch(t, "GET", base+"/api/machines", 200), &st)
	if len(st.Pending) != 1 || st.Pending[0].MAC != unknownMAC || st.Pending[0].Host != "newbox" {
		t.Errorf("pending = %+v, want %s asking as newbox", st.Pending, unknownMAC)
	}
	if page := string(fetch(t, "GET", base+"/", 200)); !strings.Contains(page, unknownMAC) {
		t.Errorf("status page does not list the pending MAC")
	}
	// assert that: no secret reaches the status page or the API
	api := string(fetch(t, "GET", base+"/api/machines", 200))
	for _, secret := range []string{"$2b$", "token", "wpa"} {
		if strings.Contains(strings.ToLower(api+page), strings.ToLower(secret)) {
			t.Errorf("status page or API shows %q", secret)
		}
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	f := newFixture(t, "", nil)
	base := liveServer(t, f)
	install(t, base, laptopMAC, laptopName)
	fetch(t, "GET", base+"/"+unknownMAC+"-install.conf", 404)
	if err := f.store.Flush(); err != nil {
		t.Fatal(err)
	}
	store, err := OpenStore(f.state, nil)
	if err != nil {
		t.Fatal(err)
	}
	var st *MachineState
	for _, m := range store.Machines() {
		if m.Name == laptopName {
			st = &m
		}
	}
	if st == nil || st.Armed() || len(st.Trail) != 7 {
		t.Fatalf("reopened state = %+v, want delilah installed with its trail", st)
	}
	if p := store.Pending(); len(p) != 1 || p[0].MAC != unknownMAC {
		t.Errorf("reopened pending = %+v", p)
	}
	if tk := store.Lookup(laptopName); tk.Armed {
		t.Errorf("reopened store re-armed %s", laptopName)
	}
}
