package home

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// runSpaceScript runs spaceScript in dir as the SFTP tree does on its host.
func runSpaceScript(t *testing.T, dir string, need string) string {
	t.Helper()
	out, err := exec.Command("/bin/sh", "-c", "cd "+shQuote(dir)+" && "+spaceScript+" "+need).Output()
	if err != nil {
		t.Fatalf("spaceScript: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".fugu-tmp-space.*")); len(left) > 0 {
		t.Errorf("spaceScript left %v behind", left)
	}
	return string(out)
}

func TestSpaceScript(t *testing.T) {
	if got := runSpaceScript(t, t.TempDir(), "1048576"); got != "room\n" {
		t.Errorf("in a roomy directory: %q, want room", got)
	}

	needRoot(t, "mount a tmpfs")
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	if got := runSpaceScript(t, dir, "65536"); got != "room\n" {
		t.Errorf("64 KiB into an empty 1 MiB tmpfs: %q, want room", got)
	}
	if got := runSpaceScript(t, dir, "2097152"); got != "full\n" {
		t.Errorf("2 MiB into a 1 MiB tmpfs: %q, want full", got)
	}
	must(t, os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 1<<20-4096), 0o644))
	if got := runSpaceScript(t, dir, "65536"); got != "full\n" {
		t.Errorf("64 KiB into a full tmpfs: %q, want full", got)
	}
	// Any other failure is not a full disk.
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v: %s", err, out)
	}
	if got := runSpaceScript(t, dir, "1"); got != "error\n" {
		t.Errorf("on a read-only file system: %q, want error", got)
	}
}
