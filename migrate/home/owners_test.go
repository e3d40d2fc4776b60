package home

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestIDMapMapsByName(t *testing.T) {
	srcPasswd := "root:*:0:0::/root:/bin/ksh\npeter:*:1000:1000::/home/peter:/bin/ksh\nonlyold:*:1001:1001::/:/bin/sh\n#comment\nbroken line\n"
	dstPasswd := "root:x:0:0::/root:/bin/bash\npeter:x:1234:1234::/home/peter:/bin/bash\n"
	srcGroup := "wheel:*:0:root\npeter:*:1000:\nstaff:*:20:peter\n"
	dstGroup := "root:x:0:\npeter:x:1234:\nstaff:x:50:peter\n"
	m, err := NewIDMap(strings.NewReader(srcPasswd), strings.NewReader(srcGroup), strings.NewReader(dstPasswd), strings.NewReader(dstGroup))
	must(t, err)
	tests := []struct{ uid, gid, wantUID, wantGID int }{
		{1000, 1000, 1234, 1234}, // peter: renumbered
		{1000, 20, 1234, 50},     // group staff: renumbered by name
		{1001, 1001, 1001, 1001}, // no such user on the target: kept
		{0, 0, 0, 0},             // wheel (gid 0) has no namesake; kept
		{4242, 4242, 4242, 4242}, // unknown everywhere: kept
	}
	for _, tt := range tests {
		if u, g := m.Map(tt.uid, tt.gid); u != tt.wantUID || g != tt.wantGID {
			t.Errorf("Map(%d, %d) = %d, %d; want %d, %d", tt.uid, tt.gid, u, g, tt.wantUID, tt.wantGID)
		}
	}
	var nilMap *IDMap
	if u, g := nilMap.Map(7, 8); u != 7 || g != 8 {
		t.Errorf("nil map changed ids: %d, %d", u, g)
	}
}

// TestCopySetsMappedOwners copies as root with an IDMap: owners on the
// target follow the user names, and the setgid bit survives the chown.
// A symlink gets its owner too: over SFTP, which has no lchown, from one
// command on the target host at the end.
func TestCopySetsMappedOwners(t *testing.T) {
	needRoot(t, "chown")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(filepath.Join(src, "d"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "d", "f"), []byte("x"), 0o644))
	must(t, os.Chown(filepath.Join(src, "d", "f"), 1000, 1000))
	must(t, os.Symlink("f", filepath.Join(src, "d", "l")))
	must(t, os.Lchown(filepath.Join(src, "d", "l"), 1000, 1000))
	must(t, os.Chown(filepath.Join(src, "d"), 1000, 1000))
	must(t, os.Chmod(filepath.Join(src, "d"), 0o2775|os.ModeSetgid))
	m, err := NewIDMap(strings.NewReader("peter:*:1000:1000::/:/bin/sh\n"), strings.NewReader("peter:*:1000:\n"),
		strings.NewReader("peter:x:1234:1234::/:/bin/sh\n"), strings.NewReader("peter:x:1234:\n"))
	must(t, err)
	for _, d := range directions[:2] {
		t.Run(d.name, func(t *testing.T) {
			dst := filepath.Join(dir, "dst-"+d.name)
			must(t, os.MkdirAll(dst, 0o755))
			var from, to Tree = openLocal(t, src), inProcessSFTP(t, dst)
			if d.src == "sftp" {
				from, to = inProcessSFTP(t, src), openLocal(t, dst)
			}
			sum, err := Copy(context.Background(), from, to, Options{Owners: m})
			must(t, err)
			if sum.Warnings != 0 {
				t.Errorf("%d warnings", sum.Warnings)
			}
			for _, p := range []string{"d", "d/f", "d/l"} {
				fi, err := os.Lstat(filepath.Join(dst, p))
				must(t, err)
				st := fi.Sys().(*syscall.Stat_t)
				if st.Uid != 1234 || st.Gid != 1234 {
					t.Errorf("%s owned by %d:%d, want 1234:1234", p, st.Uid, st.Gid)
				}
			}
			if fi, _ := os.Stat(filepath.Join(dst, "d")); fi.Mode()&os.ModeSetgid == 0 {
				t.Errorf("d lost setgid: %v", fi.Mode())
			}
		})
	}
}
