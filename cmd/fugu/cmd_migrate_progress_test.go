package main

import (
	"bytes"
	"strings"
	"testing"

	"fugu/migrate"
)

// TestMigrateProgressBar drives the apply progress as Apply does, with
// standard error taken for a terminal: a bar over the packages names the
// one pkg_add is installing and counts them, and every finished item is
// also a line on standard output.
func TestMigrateProgressBar(t *testing.T) {
	var out, errb bytes.Buffer
	p := &migrateProgress{out: &out, err: &errb, tty: true}
	p.Begin("package", 2)
	for _, n := range []string{"certbot--", "vim--no_x11"} {
		p.Start("package", n)
		p.Done(migrate.Result{Kind: "package", Name: n, Outcome: migrate.Done})
	}
	p.Begin("file", 1)
	p.Start("file", "/etc/doas.conf")
	p.Done(migrate.Result{Kind: "file", Name: "/etc/doas.conf", Outcome: migrate.Failed, Detail: "doas -C rejects it"})
	p.finish()

	// assert that: the bar showed each package and the count.
	for _, want := range []string{"pkg_add certbot--", "(0/2)", "pkg_add vim--no_x11", "(1/2)"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("progress bar lacks %q:\n%q", want, errb.String())
		}
	}
	if strings.Contains(errb.String(), "doas.conf") {
		t.Errorf("files got a package bar:\n%q", errb.String())
	}
	want := "done    package certbot--\ndone    package vim--no_x11\nfailed  file    /etc/doas.conf: doas -C rejects it\n"
	if out.String() != want {
		t.Errorf("item lines =\n%s\nwant\n%s", out.String(), want)
	}

	// Not a terminal: no bar at all, the same lines.
	out.Reset()
	errb.Reset()
	p = &migrateProgress{out: &out, err: &errb}
	p.Begin("package", 1)
	p.Start("package", "certbot--")
	p.Done(migrate.Result{Kind: "package", Name: "certbot--", Outcome: migrate.Done})
	p.finish()
	if errb.Len() != 0 || out.String() != "done    package certbot--\n" {
		t.Errorf("without a terminal: stderr %q, stdout %q", errb.String(), out.String())
	}
}
