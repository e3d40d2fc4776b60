package serve

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"fugu/profiles"
)

// The example site's machines (profiles/example/machines.yaml).
const (
	laptopMAC  = "80:fa:5b:01:02:03"
	laptopName = "delilah"
	mailMAC    = "00:00:5e:00:53:01"
	mailName   = "mx1"
	unknownMAC = "00:11:22:33:44:55"
)

// fakeRenderer stands in for autoinstall in handler tests: its output
// names everything the options carry, so tests can see what was asked.
type fakeRenderer struct {
	calls   atomic.Int64
	fail    bool
	failFor string // a machine whose render fails
	empty   bool
}

func (f *fakeRenderer) Render(m *profiles.Machine, o Options) (*Files, error) {
	f.calls.Add(1)
	if f.fail || m.Name == f.failFor {
		return nil, errors.New("render: broken on purpose")
	}
	if f.empty {
		return &Files{}, nil
	}
	host := m.Profile.System.Hostname
	ver := strings.ReplaceAll(o.Release, ".", "")
	dir := o.PathPrefix + "sets/" + m.Name + "/" + o.Release + "/" + o.Arch
	site := "site" + ver + "-" + host + ".tgz"
	conf := fmt.Sprintf("System hostname = %s\nURL to autopartitioning template for disklabel = %s/%stemplate/%s.disklabel\n"+
		"Location of sets = http\nHTTP Server = %s\nServer directory = %s\nSet name(s) = +site*\n",
		host, o.ServerURL, o.PathPrefix, m.Name, o.ServerURL, dir)
	var index strings.Builder
	for _, n := range append(append([]string(nil), o.MirrorFiles...), site) {
		fmt.Fprintf(&index, "-rw-r--r--  1 root  wheel  0 Jan  1 00:00:00 2026 %s\n", n)
	}
	script := fmt.Sprintf("#!/bin/ksh\nftp -o /dev/null %s\necho 'ftp -o /dev/null %s' >>/etc/rc.firsttime\n",
		o.InstallSiteCallback, o.FirstBootCallback)
	return &Files{
		InstallConf: []byte(conf), UpgradeConf: []byte("upgrade " + conf),
		TemplateName: m.Name + ".disklabel", DiskTemplate: []byte("/ 1G\nswap 2G\n/home 1G-*\n"),
		SiteSetName: site, SiteSet: tgz(map[string]string{"install.site": script}),
		SetsDir: dir, IndexTxt: []byte(index.String()),
	}, nil
}

func tgz(files map[string]string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body))})
		io.WriteString(tw, body)
	}
	tw.Close()
	zw.Close()
	return b.Bytes()
}

var (
	callbackRE = regexp.MustCompile(`http://[^\s'"]+/callback/(install-site|first-boot)/[0-9a-f]{32}`)
	firmwareRE = regexp.MustCompile(`fw_update -p '?(http://[^\s'"]+)`)
)

// callbacks finds the callback URLs in a site set, as install.site and
// rc.firsttime would call them, and the firmware mirror fw_update -p is
// pointed at (under "firmware").
func callbacks(t *testing.T, siteSet []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	zr, err := gzip.NewReader(bytes.NewReader(siteSet))
	if err != nil {
		t.Fatalf("site set is not gzip: %v", err)
	}
	tr := tar.NewReader(zr)
	for {
		_, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("site set: %v", err)
		}
		body, _ := io.ReadAll(tr)
		for _, m := range callbackRE.FindAllStringSubmatch(string(body), -1) {
			out[m[1]] = m[0]
		}
		if m := firmwareRE.FindStringSubmatch(string(body)); m != nil {
			out["firmware"] = m[1]
		}
	}
	return out
}

// siteFS copies the embedded example site, replacing machines.yaml when
// inventory is not empty.
func siteFS(t testing.TB, inventory string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(profiles.ExampleSite(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(profiles.ExampleSite(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if inventory != "" {
		m["machines.yaml"] = &fstest.MapFile{Data: []byte(inventory)}
	}
	return m
}

func loadSite(t testing.TB, fsys fs.FS) *profiles.Site {
	t.Helper()
	site, err := profiles.Load(fsys)
	if err != nil {
		t.Fatalf("load site: %v", err)
	}
	return site
}

// mirror makes a sets mirror with 7.8/amd64 sets, a firmware mirror, and
// a secret file beside them that no request may reach; sets/7.8/amd64
// also holds symbolic links to the secret and one to a file beside it.
func mirror(t testing.TB) (sets, firmware, secret string) {
	t.Helper()
	dir := t.TempDir()
	sets, firmware = filepath.Join(dir, "sets"), filepath.Join(dir, "firmware")
	secret = filepath.Join(dir, "secret.txt")
	write := func(p, body string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(secret, "SECRET-OUTSIDE-THE-MIRROR\n")
	write(filepath.Join(sets, "7.8/amd64/base78.tgz"), strings.Repeat("base78 set bytes\n", 1000))
	write(filepath.Join(sets, "7.8/amd64/SHA256.sig"), "untrusted comment: test\n")
	write(filepath.Join(sets, "7.8/amd64/INSTALL.amd64"), "install notes\n")
	write(filepath.Join(firmware, "7.8/iwm-firmware-20250101.tgz"), "firmware bytes\n")
	write(filepath.Join(firmware, "7.8/SHA256.sig"), "firmware sig\n")
	if err := os.Symlink(secret, filepath.Join(sets, "7.8/amd64/evil.tgz")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../secret.txt", filepath.Join(sets, "7.8/amd64/rel.tgz")); err != nil {
		t.Fatal(err)
	}
	// A link that stays inside the mirror is an ordinary file to serve.
	write(filepath.Join(sets, "7.8/amd64/bsd.rd.new"), "ramdisk kernel\n")
	if err := os.Symlink("bsd.rd.new", filepath.Join(sets, "7.8/amd64/bsd.rd")); err != nil {
		t.Fatal(err)
	}
	return sets, firmware, secret
}

type fixture struct {
	srv    *Server
	store  *Store
	render *fakeRenderer
	state  string
	sets   string
	secret string
}

// newFixture serves the example site (or inventory) with the fake
// renderer, mirrors and a state directory.
func newFixture(t testing.TB, inventory string, mod func(*Config)) *fixture {
	t.Helper()
	f := &fixture{render: &fakeRenderer{}, state: filepath.Join(t.TempDir(), "state")}
	var fw string
	f.sets, fw, f.secret = mirror(t)
	var err error
	if f.store, err = OpenStore(f.state, nil); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Renderer: f.render, Store: f.store, SetsDir: f.sets, FirmwareDir: fw,
		Log: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if mod != nil {
		mod(&cfg)
	}
	f.srv, err = New(cfg, NewSnapshot(loadSite(t, siteFS(t, inventory)), time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.srv.Close() })
	return f
}

// get runs one request through the handler from a client address.
func (f *fixture) get(target, from string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = "192.0.2.10"
	req.RemoteAddr = net.JoinHostPort(from, "40000")
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func newRequest(method, target, from string) *http.Request {
	req := httptest.NewRequest(method, target, nil)
	req.Host = "192.0.2.10"
	req.RemoteAddr = net.JoinHostPort(from, "40000")
	return req
}

func newRequestBody(method, target, from, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Host = "192.0.2.10"
	req.RemoteAddr = net.JoinHostPort(from, "40000")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
