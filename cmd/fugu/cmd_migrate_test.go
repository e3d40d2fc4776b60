package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote/sshtest"
)

// TestMigratePlanOverSSH runs fugu migrate plan between two real sshd
// servers on 127.0.0.1 whose stub pkg_info print different -mz lists.
// Both "machines" are this test machine, so files are read (read only)
// from its real root and come out unchanged; the test checks the command
// wiring: two connections, both inventories, --index, the plan in text
// and JSON, and that --dry-run changes nothing.
func TestMigratePlanOverSSH(t *testing.T) {
	start := func(list string) *sshtest.Server {
		stubs := t.TempDir()
		script := "#!/bin/sh\n# Stub pkg_info: -mz prints a fixed list.\n[ \"$1\" = -mz ] || exit 1\nprintf '" + list + "'\n"
		if err := os.WriteFile(filepath.Join(stubs, "pkg_info"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{stubs}})
	}
	old := start(`firefox--\nletsencrypt--\npython--%%3.11\n`)
	cur := start(`firefox--\n`)
	known := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(known, []byte(old.KnownHostsLine()+"\n"+cur.KnownHostsLine()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSH_AUTH_SOCK", "")
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
		base := []string{"--from", old.Target(), "--to", cur.Target(), "--known-hosts", known, "-i", old.ClientKey.Path, "-i", cur.ClientKey.Path, "-F", "none", "--index", "../../packages/testdata/index.txt"}
		code := Execute(context.Background(), append(args, base...), s)
		return code, out.String(), errb.String()
	}
	code, out, errs := run("migrate", "plan")
	if code != 0 {
		t.Fatalf("migrate plan: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"migration plan: " + old.Target() + " -> " + cur.Target(), "add      certbot--  (instead of letsencrypt--", "add      python--%3.13"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run("migrate", "plan", "--json")
	var plan struct {
		Packages struct {
			Add []struct{ Stem string } `json:"add"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(out), &plan); code != 0 || err != nil || len(plan.Packages.Add) != 2 {
		t.Errorf("plan --json: exit %d, %v, %+v", code, err, plan)
	}
	code, out, _ = run("migrate", "apply", "--dry-run")
	if code != 0 || !strings.Contains(out, "migration plan:") || strings.Contains(out, "done,") {
		t.Errorf("apply --dry-run: exit %d\n%s", code, out)
	}
}
