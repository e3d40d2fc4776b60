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
type brokenHost struct{ lines []string }

func (h *brokenHost) Name() string { return "broken" }
func (h *brokenHost) Run(_ context.Context, c remote.Command) (remote.Result, error) {
	h.lines = append(h.lines, c.Line)
	switch {
	case strings.HasPrefix(c.Line, "test -e "):
		return remote.Result{ExitCode: 1}, nil
	case strings.HasPrefix(c.Line, "mktemp "):
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
	want := []string{"test -e /var/db/fugu/pf.pending", "mktemp -d /tmp/fugu-firewall.XXXXXXXXXX", "rm -rf /tmp/fugu-firewall.x"}
	if strings.Join(h.lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands run:\n%s\nwant:\n%s", strings.Join(h.lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestApplyNeedsPFConf(t *testing.T) {
	if err := Apply(context.Background(), &brokenHost{}, firewall.Files{}, Config{}); err == nil {
		t.Fatal("Apply without pf.conf succeeded")
	}
}
