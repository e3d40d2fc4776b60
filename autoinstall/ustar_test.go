package autoinstall

import (
	"archive/tar"
	"io"
	"strings"
	"testing"

	"fugu/profiles"
)

// TestUSTARNameAsArchiveTar: ustarName accepts exactly the names
// archive/tar can write in a ustar header, for files and directories,
// around each limit (100 bytes of name, 155 of prefix).
func TestUSTARNameAsArchiveTar(t *testing.T) {
	var names []string
	for _, dirLen := range []int{1, 50, 98, 99, 100, 101, 140, 153, 154, 155, 156, 200} {
		for _, baseLen := range []int{1, 50, 98, 99, 100, 101, 150} {
			n := "./" + strings.Repeat("d", dirLen) + "/" + strings.Repeat("f", baseLen)
			names = append(names, n, n+"/", "./etc/"+strings.Repeat("d", dirLen)+"/x/"+strings.Repeat("f", baseLen))
		}
	}
	for _, n := range names {
		h := &tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: 0o644, Format: tar.FormatUSTAR}
		if strings.HasSuffix(n, "/") {
			h.Typeflag = tar.TypeDir
		}
		err := tar.NewWriter(io.Discard).WriteHeader(h)
		if got, want := ustarName(n), err == nil; got != want {
			t.Errorf("ustarName(%d bytes, last part %d, dir %v) = %v, archive/tar: %v", len(n), len(n)-strings.LastIndex(strings.TrimSuffix(n, "/"), "/")-1, strings.HasSuffix(n, "/"), got, err)
		}
	}
}

// TestLongFileNameFitsTheSiteSet: a file name as long as ustar holds
// after its directory is planned and rendered into the site set.
func TestLongFileNameFitsTheSiteSet(t *testing.T) {
	m, facts := exampleMachine(t, "delilah")
	p := m.Profile
	long := "/etc/" + strings.Repeat("p", 100)
	p.Files = map[string]profiles.File{long: {Content: "x\n"}}
	mc := *m
	mc.Profile = p
	plan, err := NewPlan(&mc, facts, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(plan)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range readSiteSet(t, files.SiteSet) {
		found = found || e.h.Name == "."+stageDir+long
	}
	if !found {
		t.Errorf("the site set lacks %s", long)
	}
}
