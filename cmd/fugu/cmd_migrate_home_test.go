package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugu/migrate/remote/sshtest"
)

// TestMigrateHomeOverSSH runs fugu migrate home against a real OpenSSH
// sshd in both directions, with --json events, --dry-run and excludes.
func TestMigrateHomeOverSSH(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	known := srv.WriteKnownHosts(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for name, body := range map[string]string{"notes.txt": "hi\n", "proj/main.c": "int main;\n", "proj/main.o": "obj", "proj/.git/HEAD": "ref\n"} {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("notes.txt", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
		base := []string{"migrate", "home", "--known-hosts", known, "-i", srv.ClientKey.Path, "-F", "none"}
		return Execute(context.Background(), append(base, args...), s), out.String(), errb.String()
	}

	// Pull with -C: .git/ and *.o stay behind, and the list is printed.
	pulled := filepath.Join(dir, "pulled")
	code, out, errs := run("--from", srv.Target()+":"+src, "--to", pulled, "--cvs-exclude", "--json")
	if code != 0 {
		t.Fatalf("pull: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "--cvs-exclude skips: RCS SCCS") {
		t.Errorf("stderr does not list the -C patterns: %q", errs)
	}
	events := jsonEvents(t, out)
	sum := events[len(events)-1]
	if sum["event"] != "summary" || sum["copied"] != 2.0 || sum["excluded"] != 2.0 || sum["linked"] != 1.0 {
		t.Errorf("summary = %v, want 2 copied, 2 excluded, 1 linked", sum)
	}
	excluded := map[string]string{}
	for _, e := range events {
		if e["event"] == "excluded" {
			excluded[e["path"].(string)] = e["rule"].(string)
		}
	}
	if excluded["proj/.git"] != ".git/" || excluded["proj/main.o"] != "*.o" {
		t.Errorf("excluded = %v", excluded)
	}
	if b, err := os.ReadFile(filepath.Join(pulled, "proj/main.c")); err != nil || string(b) != "int main;\n" {
		t.Errorf("proj/main.c = %q, %v", b, err)
	}
	if _, err := os.Lstat(filepath.Join(pulled, "proj/main.o")); err == nil {
		t.Error("proj/main.o was copied despite --cvs-exclude")
	}

	// A change on the source: --dry-run lists it and changes nothing.
	later := time.Now().Add(time.Hour)
	if err := os.WriteFile(filepath.Join(src, "notes.txt"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(src, "notes.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run("--from", srv.Target()+":"+src, "--to", pulled, "--dry-run")
	if code != 0 || !strings.Contains(out, `would copy "notes.txt"`) || strings.Contains(out, "main.c") {
		t.Errorf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(pulled, "notes.txt")); string(b) != "hi\n" {
		t.Errorf("dry run changed notes.txt to %q", b)
	}

	// A dry run into a directory that does not exist yet, in both
	// directions, plans to copy everything and creates nothing.
	fresh := filepath.Join(dir, "fresh")
	for _, args := range [][]string{
		{"--from", srv.Target() + ":" + src, "--to", fresh, "--dry-run"},
		{"--from", src, "--to", srv.Target() + ":" + fresh, "--dry-run"},
	} {
		code, out, errs = run(args...)
		if code != 0 || !strings.Contains(out, `would copy "proj/main.c"`) || !strings.Contains(out, `would copy "link" -> "notes.txt"`) || !strings.Contains(out, `would copy "proj/"`) {
			t.Errorf("dry run %v into a missing directory: exit %d\n%s\n%s", args, code, out, errs)
		}
		if _, err := os.Lstat(fresh); err == nil {
			t.Errorf("dry run %v created %s", args, fresh)
		}
	}
	// assert that: --json gives the names as they are, with what each
	// entry is beside them
	code, out, errs = run("--from", srv.Target()+":"+src, "--to", fresh, "--dry-run", "--json")
	planned := map[string]map[string]any{}
	for _, e := range jsonEvents(t, out) {
		if e["event"] == "planned" {
			planned[e["path"].(string)] = e
		}
	}
	if code != 0 || planned["link"]["type"] != "symlink" || planned["link"]["target"] != "notes.txt" || planned["proj"]["type"] != "directory" || planned["notes.txt"] == nil {
		t.Errorf("dry run --json: exit %d, planned %v\n%s", code, planned, errs)
	}

	// Push the local tree to the host.
	pushed := filepath.Join(dir, "pushed")
	code, out, errs = run("--from", src, "--to", srv.Target()+":"+pushed)
	if code != 0 || !strings.Contains(out, "copied 4, linked 1") {
		t.Fatalf("push: exit %d\n%s\n%s", code, out, errs)
	}
	if b, err := os.ReadFile(filepath.Join(pushed, "notes.txt")); err != nil || string(b) != "changed\n" {
		t.Errorf("pushed notes.txt = %q, %v", b, err)
	}
	if l, err := os.Readlink(filepath.Join(pushed, "link")); err != nil || l != "notes.txt" {
		t.Errorf("pushed link -> %q, %v", l, err)
	}
}

func jsonEvents(t *testing.T, out string) []map[string]any {
	t.Helper()
	var evs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("not JSON: %q: %v", sc.Text(), err)
		}
		evs = append(evs, e)
	}
	if len(evs) == 0 {
		t.Fatal("no JSON events")
	}
	return evs
}
