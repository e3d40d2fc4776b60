package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugu/migrate/migratetest"
)

// startCLIMachine starts a fake machine (see migratetest.SSHMachine) with
// the stub OpenBSD programs of migrate/testdata/stubs and a dmesg from
// migrate/testdata/dmesg.
func startCLIMachine(t *testing.T, dmesg string, files map[string]string, pkgs ...string) *migratetest.SSHMachine {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../migrate/testdata/dmesg", dmesg))
	if err != nil {
		t.Fatal(err)
	}
	files["/var/run/dmesg.boot"] = string(data)
	return migratetest.StartSSHMachine(t, "../../migrate/testdata/stubs", files, pkgs)
}

// cliPair is an old and a new fake machine and a way to run fugu
// between them.
type cliPair struct {
	old, cur *migratetest.SSHMachine
	ctx      context.Context // carries the migrateFixture
	known    string
}

func startCLIPair(t *testing.T) *cliPair {
	t.Helper()
	const (
		t500 = "bsdhw__Notebook_Lenovo_ThinkPad_ThinkPad_T500_205663G_928D2068691D_OPENBSD-7.3_7.3_AMD64_D706DA9400.txt"
		e14  = "bsdhw__Notebook_Lenovo_ThinkPad_ThinkPad_E14_Gen_2_20T6003BRT_E5C568F1CADA_OPENBSD-7.1_7.1_AMD64_64600E1C24.txt"
	)
	passwd := "root:*:0:0::/root:/bin/ksh\nalice:*:1000:1000::/home/alice:/bin/ksh\n"
	group := "wheel:*:0:root,alice\n"
	p := &cliPair{}
	p.old = startCLIMachine(t, t500, map[string]string{
		"/etc/doas.conf":     "permit persist keepenv :wheel\npermit nopass alice cmd /sbin/reboot\n",
		"/etc/hostname.iwn0": "join home wpakey \"correct horse battery\"\ninet autoconf\n",
		"/etc/hostname.em0":  "inet autoconf\n",
		"/etc/rc.conf.local": "apmd_flags=-A\n",
		"/etc/fstab":         "5b27c2761a9b0b06.a / ffs rw 1 1\n",
		"/etc/passwd":        passwd,
		"/etc/group":         group,
	}, "firefox--", "letsencrypt--", "vim--no_x11")
	p.cur = startCLIMachine(t, e14, map[string]string{
		"/etc/doas.conf":     "permit :wheel\n",
		"/etc/hostname.iwx0": "inet autoconf\n",
		"/etc/passwd":        passwd,
		"/etc/group":         group,
	}, "firefox--")
	p.known = filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(p.known, []byte(p.old.Server.KnownHostsLine()+"\n"+p.cur.Server.KnownHostsLine()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSH_AUTH_SOCK", "")
	p.ctx = withMigrateFixture(context.Background(), migrateFixture{FromRoot: p.old.Root, ToRoot: p.cur.Root, AlwaysDoas: true})
	return p
}

// runCtx runs fugu ARGS --from OLD --to NEW ... with ctx, which must
// derive from p.ctx.
func (p *cliPair) runCtx(ctx context.Context, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
	base := []string{"--from", p.old.Server.Target(), "--to", p.cur.Server.Target(), "--known-hosts", p.known,
		"-i", p.old.Server.ClientKey.Path, "-i", p.cur.Server.ClientKey.Path, "-F", "none", "--index", "../../packages/testdata/index.txt"}
	code := Execute(ctx, append(args, base...), s)
	return code, out.String(), errb.String()
}

// TestMigrateApplyCLIOverSSH runs fugu migrate plan and apply as a user
// would, through Execute, between two real OpenSSH sshd servers on
// 127.0.0.1 whose roots are directories (the context's migrateFixture,
// which no flag or environment variable can set). It runs plan, apply
// with a pkg_add that is killed mid-run, the apply that finishes the job,
// and a last apply that changes nothing.
func TestMigrateApplyCLIOverSSH(t *testing.T) {
	p := startCLIPair(t)
	old, cur := p.old, p.cur
	cur.Write(t, "/../stubs/crash-once", "vim--no_x11\n")
	run := func(args ...string) (int, string, string) { return p.runCtx(p.ctx, args...) }

	code, out, errs := run("migrate", "plan")
	if code != 0 {
		t.Fatalf("migrate plan: exit %d\n%s\n%s", code, out, errs)
	}
	// assert that: the plan reads the fake roots (files, packages,
	// interfaces from the two dmesgs) and redacts the WPA key.
	for _, want := range []string{"add      certbot--  (instead of letsencrypt--", "add      vim--no_x11", "/etc/doas.conf", "/etc/hostname.iwx0", "/etc/fstab"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "correct horse") {
		t.Errorf("plan shows the WPA key:\n%s", out)
	}
	before := cur.Read(t, "/etc/doas.conf")
	if code, out, _ = run("migrate", "apply", "--dry-run"); code != 0 || cur.Read(t, "/etc/doas.conf") != before || cur.StubLog("doas.log") != "" {
		t.Fatalf("apply --dry-run: exit %d, changed the machine\n%s", code, out)
	}

	// First apply: pkg_add of vim is killed; the run goes on, exit 1.
	code, out, errs = run("migrate", "apply")
	if code != 1 || !strings.Contains(out, "1 failed") || !strings.Contains(errs, "1 item(s) failed") {
		t.Fatalf("apply with a killed pkg_add: exit %d\n%s\n%s", code, out, errs)
	}
	if got := cur.Read(t, "/etc/hostname.iwx0"); got != "join home wpakey \"correct horse battery\"\ninet autoconf\n" {
		t.Errorf("hostname.iwx0 = %q", got)
	}
	if got := cur.Read(t, "/etc/doas.conf"); got != old.Read(t, "/etc/doas.conf") {
		t.Errorf("doas.conf = %q", got)
	}
	for p, perm := range map[string]os.FileMode{"/etc/doas.conf": 0o600, "/etc/hostname.iwx0": 0o640, "/etc/hostname.re0": 0o640} {
		if fi, err := os.Stat(filepath.Join(cur.Root, p)); err != nil || fi.Mode().Perm() != perm {
			t.Errorf("%s: %v, want mode %04o", p, err, perm)
		}
	}
	il := cur.StubLog("install.log")
	for _, want := range []string{"/etc/doas.conf.fugu-new root:wheel 0600", "/etc/hostname.iwx0.fugu-new root:wheel 0640"} {
		if !strings.Contains(il, want) {
			t.Errorf("install.log lacks %q:\n%s", want, il)
		}
	}
	backups, _ := filepath.Glob(filepath.Join(cur.Root, "etc/doas.conf.fugu-2[0-9][0-9][0-9][01][0-9][0-3][0-9][0-2][0-9][0-5][0-9][0-5][0-9]"))
	if len(backups) != 1 {
		t.Errorf("doas.conf backups: %q", backups)
	} else if data, _ := os.ReadFile(backups[0]); string(data) != before {
		t.Errorf("backup holds %q", data)
	}
	if _, err := os.Stat(filepath.Join(cur.Root, "etc/fstab")); err == nil {
		t.Error("fstab was copied")
	}

	// Second apply: only vim is left; it is installed, nothing else
	// changes.
	code, out, errs = run("migrate", "apply")
	if code != 0 || !strings.Contains(out, "\n1 done, ") || !strings.HasSuffix(out, " skipped, 0 failed\n") {
		t.Fatalf("resumed apply: exit %d\n%s\n%s", code, out, errs)
	}
	if cur.StubLog("install.log") != il {
		t.Error("the resumed apply installed files again")
	}
	if got := cur.Read(t, "/var/db/fugu-stub-packages"); got != "firefox--\ncertbot--\nvim--no_x11\n" {
		t.Errorf("packages on the new machine:\n%s", got)
	}

	// Third apply: nothing to do, nothing run as root.
	doasLog := cur.StubLog("doas.log")
	code, out, errs = run("migrate", "apply")
	if code != 0 || !strings.Contains(out, "\n0 done, ") || !strings.HasSuffix(out, " skipped, 0 failed\n") {
		t.Errorf("apply after a complete one: exit %d\n%s\n%s", code, out, errs)
	}
	if cur.StubLog("doas.log") != doasLog {
		t.Errorf("apply after a complete one ran root commands:\n%s", strings.TrimPrefix(cur.StubLog("doas.log"), doasLog))
	}
}

// TestMigrateApplyCLIInterrupted interrupts fugu migrate apply (as
// Ctrl-C does, by cancelling its context) while pkg_add installs a
// package: fugu stops between items, says what was not started and
// exits 1, and the next apply finishes the job without redoing anything.
func TestMigrateApplyCLIInterrupted(t *testing.T) {
	p := startCLIPair(t)
	cur := p.cur
	cur.Write(t, "/../stubs/pause-once", "certbot--\n")
	paused := filepath.Join(cur.Stubs, "paused")

	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	go func() {
		// Cancel once pkg_add is running (bounded: 30 s).
		for range 300 {
			if _, err := os.Stat(paused); err == nil {
				cancel()
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	code, out, errs := p.runCtx(ctx, "migrate", "apply")
	if _, err := os.Stat(paused); err != nil {
		t.Fatalf("pkg_add never ran: exit %d\n%s\n%s", code, out, errs)
	}
	if code != 1 || !strings.Contains(errs, "fugu: interrupted") || !strings.Contains(out, "not started (interrupted: run apply again to finish)") {
		t.Fatalf("interrupted apply: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	// assert that: nothing after the interrupted package was touched.
	if got := cur.Read(t, "/etc/doas.conf"); got != "permit :wheel\n" {
		t.Errorf("doas.conf = %q after an interrupted run", got)
	}
	if il := cur.StubLog("install.log"); il != "" {
		t.Errorf("files installed by an interrupted run:\n%s", il)
	}
	// Let the cut-off pkg_add finish, as one does when only the link
	// dropped; the next run must cope either way.
	cur.Write(t, "/../stubs/resume", "")

	code, out, errs = p.runCtx(p.ctx, "migrate", "apply")
	if code != 0 || !strings.HasSuffix(out, " 0 failed\n") {
		t.Fatalf("apply after the interruption: exit %d\n%s\n%s", code, out, errs)
	}
	if got := cur.Read(t, "/etc/doas.conf"); got != p.old.Read(t, "/etc/doas.conf") {
		t.Errorf("doas.conf = %q", got)
	}
	il := cur.StubLog("install.log")
	code, out, errs = p.runCtx(p.ctx, "migrate", "apply")
	if code != 0 || !strings.Contains(out, "\n0 done, ") || cur.StubLog("install.log") != il {
		t.Errorf("apply after a complete one: exit %d\n%s\n%s", code, out, errs)
	}
	// assert that: each package is on the new machine once.
	if got := cur.Read(t, "/var/db/fugu-stub-packages"); strings.Count(got, "certbot--\n") != 1 || strings.Count(got, "vim--no_x11\n") != 1 {
		t.Errorf("packages on the new machine:\n%s", got)
	}
}
