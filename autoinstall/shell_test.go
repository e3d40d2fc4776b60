package autoinstall

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mksh returns the path of mksh, skipping the test when it is missing,
// except under CI=true, where a missing mksh is a failure.
func mksh(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mksh is required under CI=true: %v", err)
		}
		t.Skip("mksh not installed")
	}
	return p
}

// TestScriptsParse checks every shell script fugu puts in a site set
// (install.site, the rc.firsttime lines, role scripts) with mksh -n,
// which parses the script as ksh does without running it.
func TestScriptsParse(t *testing.T) {
	sh := mksh(t)
	dir := t.TempDir()
	for _, c := range installCases {
		_, f, _ := planCase(t, c)
		n := 0
		for _, e := range readSiteSet(t, f.SiteSet) {
			name := strings.TrimPrefix(e.h.Name, "./")
			if !bytes.HasPrefix(e.data, []byte("#!/bin/sh")) && name != "etc/fugu/rc.firsttime" {
				continue
			}
			n++
			p := filepath.Join(dir, strings.ReplaceAll(c.name+"-"+name, "/", "_"))
			if err := os.WriteFile(p, e.data, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(sh, "-n", p).CombinedOutput(); err != nil {
				t.Errorf("%s: %s: mksh -n: %v\n%s", c.name, name, err, out)
			}
		}
		if n < 2 {
			t.Errorf("%s: only %d scripts found in the site set", c.name, n)
		}
	}
}

// TestScriptsParseBroken proves the check can fail: mksh -n refuses a
// script with an unterminated quote.
func TestScriptsParseBroken(t *testing.T) {
	sh := mksh(t)
	p := filepath.Join(t.TempDir(), "broken")
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho 'unterminated\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(sh, "-n", p).Run(); err == nil {
		t.Fatal("mksh -n accepted a broken script")
	}
}
