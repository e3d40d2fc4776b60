package autoinstall

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"fugu/hardware"
	"fugu/profiles"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	testServer = "http://192.0.2.10"
	testMirror = "http://mirror.example.org"
)

// mirror78 is the official 7.8/amd64 release folder as fugu's --sets
// mirror holds it.
var mirror78 = []string{"INSTALL.amd64", "SHA256.sig", "bsd", "bsd.mp", "bsd.rd", "base78.tgz", "comp78.tgz", "man78.tgz", "game78.tgz", "xbase78.tgz", "xshare78.tgz", "xfont78.tgz", "xserv78.tgz"}

func testOptions() Options {
	return Options{
		ServerURL:           testServer,
		PathPrefix:          "fugu/",
		Release:             "7.8",
		Arch:                "amd64",
		MirrorFiles:         mirror78,
		InstallSiteCallback: testServer + "/fugu/done/install-site?token=0123abcd",
		FirstBootCallback:   testServer + "/fugu/done/first-boot?token=4567ef01",
	}
}

// exampleMachine loads the embedded example site and returns a machine
// with the facts of its dmesg, if it has one.
func exampleMachine(t testing.TB, name string) (*profiles.Machine, *hardware.Facts) {
	t.Helper()
	site, err := profiles.Load(profiles.ExampleSite())
	if err != nil {
		t.Fatalf("load example site: %v", err)
	}
	for _, m := range site.Machines {
		if m.Name != name {
			continue
		}
		if len(m.Dmesg) == 0 {
			return m, nil
		}
		f, err := hardware.Parse(bytes.NewReader(m.Dmesg))
		if err != nil {
			t.Fatalf("parse dmesg of %s: %v", name, err)
		}
		return m, f
	}
	t.Fatalf("example site has no machine %s", name)
	return nil, nil
}

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./autoinstall -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./autoinstall -update and review the diff)\n--- got:\n%s", p, got)
	}
}
