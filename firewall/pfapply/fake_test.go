package pfapply

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"fugu/firewall"
	"fugu/migrate/remote"
)

// brokenHost answers the pending-load test and mktemp, then fails every
// upload; it records the command lines it was asked to run.
type brokenHost struct {
	lines []string
	stage string // what mktemp prints; /tmp/fugu-firewall.x when empty
}

func (h *brokenHost) Name() string { return "broken" }
func (h *brokenHost) Run(_ context.Context, c remote.Command) (remote.Result, error) {
	h.lines = append(h.lines, c.Line)
	switch {
	case strings.HasPrefix(c.Line, "test -e "):
		return remote.Result{ExitCode: 1}, nil
	case strings.HasPrefix(c.Line, "mktemp "):
		if h.stage != "" {
			return remote.Result{Stdout: []byte(h.stage)}, nil
		}
		return remote.Result{Stdout: []byte("/tmp/fugu-firewall.x\n")}, nil
	}
	return remote.Result{}, nil
}
func (h *brokenHost) ReadFile(context.Context, string) ([]byte, error) { return nil, fs.ErrNotExist }
func (h *brokenHost) Stat(context.Context, string) (fs.FileInfo, error) {
	return nil, fs.ErrNotExist
}
func (h *brokenHost) WriteFile(context.Context, string, []byte, fs.FileMode) error {
	return errors.New("sftp: disk full")
}
func (h *brokenHost) Close() error { return nil }

// TestApplyUploadFailureTouchesNothing: when the upload fails, Apply
// stops before any command that changes the host, and removes the
// staging directory.
func TestApplyUploadFailureTouchesNothing(t *testing.T) {
	h := &brokenHost{}
	files := firewall.Files{firewall.PFConf: {Mode: 0o600, Data: []byte("pass\n")}}
	err := Apply(context.Background(), h, files, Config{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Apply = %v, want the upload error", err)
	}
	want := []string{"mktemp -d /tmp/fugu-firewall.XXXXXXXXXX", "rm -rf /tmp/fugu-firewall.x"}
	if len(h.lines) != 3 || !strings.HasPrefix(h.lines[0], "test -e /var/db/fugu/pf.pending ||") || strings.Join(h.lines[1:], "\n") != strings.Join(want, "\n") {
		t.Errorf("commands run:\n%s\nwant:\n%s", strings.Join(h.lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestApplyNeedsPFConf(t *testing.T) {
	if err := Apply(context.Background(), &brokenHost{}, firewall.Files{}, Config{}); err == nil {
		t.Fatal("Apply without pf.conf succeeded")
	}
}

// TestApplyRefusesOddStagingDirectory: what mktemp printed is where the
// files go and what rm -rf removes at the end, so anything but a
// /tmp/fugu-firewall.* directory (a login banner, say) stops Apply
// before it writes or removes anything.
func TestApplyRefusesOddStagingDirectory(t *testing.T) {
	for _, out := range []string{"Welcome to mx1!\n/tmp/fugu-firewall.x\n", "/\n", "/tmp/fugu-firewall.x/../..\n", "\n"} {
		h := &brokenHost{stage: out}
		err := Apply(context.Background(), h, firewall.Files{firewall.PFConf: {Mode: 0o600, Data: []byte("pass\n")}}, Config{})
		if err == nil || !strings.Contains(err.Error(), "mktemp -d printed") {
			t.Errorf("mktemp printing %q: Apply = %v, want a refusal", out, err)
		}
		if len(h.lines) != 2 {
			t.Errorf("mktemp printing %q: ran %q after it", out, h.lines[2:])
		}
	}
}

// exitHost answers every command with one exit status and stderr.
type exitHost struct {
	brokenHost
	code   int
	stderr string
}

func (h *exitHost) Run(_ context.Context, c remote.Command) (remote.Result, error) {
	h.lines = append(h.lines, c.Line)
	return remote.Result{ExitCode: h.code, Stderr: []byte(h.stderr)}, nil
}

// TestConfirmReportsUnsyncedRename: when /etc cannot be synced after the
// rename, the ruleset is in place but a crash could still lose it; the
// admin is told so, not that the rename failed.
func TestConfirmReportsUnsyncedRename(t *testing.T) {
	h := &exitHost{code: 6, stderr: "fsync /etc: Input/output error\n"}
	err := Confirm(context.Background(), h, Config{})
	if err == nil || !strings.Contains(err.Error(), "the new ruleset is /etc/pf.conf, but /etc could not be synced") ||
		!strings.Contains(err.Error(), "Input/output error") {
		t.Errorf("Confirm = %v, want the unsynced rename with fsync's message", err)
	}
}

// TestApplyNeedsReloadForTables: the tables are saved by the role's
// pf-reload; files with a table but without it are refused before
// anything runs on the host.
func TestApplyNeedsReloadForTables(t *testing.T) {
	h := &brokenHost{}
	files := firewall.Files{
		firewall.PFConf:             {Mode: 0o600, Data: []byte("pass\n")},
		"/var/db/pf/bruteforce.txt": {Mode: 0o600, IfAbsent: true, Table: "bruteforce"},
	}
	err := Apply(context.Background(), h, files, Config{})
	if err == nil || !strings.Contains(err.Error(), firewall.ReloadScript) || len(h.lines) != 0 {
		t.Errorf("Apply = %v after running %q, want a refusal naming %s before any command", err, h.lines, firewall.ReloadScript)
	}
}
