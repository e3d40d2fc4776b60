package home

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDefaultACLDoesNotChangeModes: a target directory with a default
// ACL gives new files the ACL's permissions instead of the mode asked
// for less the umask. Small files, created with their final mode, must
// still end up with the source's mode.
func TestDefaultACLDoesNotChangeModes(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(filepath.Join(src, "d"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "d", "f"), []byte("small\n"), 0o644))
	dst := filepath.Join(dir, "dst")
	must(t, os.MkdirAll(dst, 0o755))
	// Default ACL u::rwx,g::r-x,o::--- (no named entries, so no mask).
	acl := binary.LittleEndian.AppendUint32(nil, 2)
	for _, e := range [][2]uint16{{0x01, 7}, {0x04, 5}, {0x20, 0}} {
		acl = binary.LittleEndian.AppendUint16(acl, e[0])
		acl = binary.LittleEndian.AppendUint16(acl, e[1])
		acl = binary.LittleEndian.AppendUint32(acl, ^uint32(0))
	}
	if err := unix.Setxattr(dst, "system.posix_acl_default", acl, 0); err != nil {
		t.Skipf("no POSIX ACLs here: %v", err)
	}
	from, to := treePair(t, dir, "sftp", "local") // small files in bundles
	_, err := Copy(context.Background(), from, to, Options{})
	must(t, err)
	fi, err := os.Stat(filepath.Join(dst, "d", "f"))
	must(t, err)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("d/f is %v, want 0644", fi.Mode())
	}
}
