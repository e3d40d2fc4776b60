package home

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

func TestStreamCommand(t *testing.T) {
	tests := []struct {
		name string
		off  int64
		want string
	}{
		{"a b", 0, "dd if='./a b' bs=1048576 skip=0 2>/dev/null"},
		{"-x", 12 << 20, "dd if='./-x' bs=1048576 skip=12 2>/dev/null"},
		{"f", 3 * 64 << 10, "dd if='./f' bs=65536 skip=3 2>/dev/null"},
		{"f", 5 << 19, "dd if='./f' bs=524288 skip=5 2>/dev/null"},
		// Offsets dd could only reach in small blocks: tail.
		{"f", 1000, "tail -c +1001 -- 'f'"},
		{"f", 32 << 10, "tail -c +32769 -- 'f'"},
	}
	for _, tt := range tests {
		if got := streamCommand(tt.name, tt.off); got != tt.want {
			t.Errorf("streamCommand(%q, %d) = %q, want %q", tt.name, tt.off, got, tt.want)
		}
	}
}

// TestStreamPerl runs the perl stream command here: it sends a file from
// an offset, and nothing when the name is now a symlink (to a secret) or
// another file than the walk saw.
func TestStreamPerl(t *testing.T) {
	if _, err := exec.LookPath("perl"); err != nil {
		t.Skip("no perl")
	}
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789"), 300000)
	must(t, os.WriteFile(filepath.Join(dir, "-f ile"), data, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "secret"), []byte("root only"), 0o600))
	must(t, os.Symlink("secret", filepath.Join(dir, "link")))
	var st syscall.Stat_t
	must(t, syscall.Stat(filepath.Join(dir, "-f ile"), &st))
	file := Entry{Path: "-f ile", Dev: uint64(st.Dev), Ino: st.Ino}
	must(t, syscall.Stat(filepath.Join(dir, "secret"), &st))
	secret := Entry{Path: "link", Dev: uint64(st.Dev), Ino: st.Ino} // even with the target's own identity
	run := func(e Entry, off int64) ([]byte, error) {
		return exec.Command("/bin/sh", "-c", "cd "+shQuote(dir)+" && exec "+streamPerl(e, off)).Output()
	}
	for _, off := range []int64{0, 1000, 1 << 20, int64(len(data))} {
		got, err := run(file, off)
		if err != nil || !bytes.Equal(got, data[off:]) {
			t.Errorf("from %d: %d bytes, %v; want %d bytes", off, len(got), err, len(data)-int(off))
		}
	}
	if got, err := run(secret, 0); err == nil || len(got) != 0 {
		t.Errorf("through a symlink: %q, %v; want nothing and a failure", got, err)
	}
	other := file
	other.Ino++
	if got, err := run(other, 0); err == nil || len(got) != 0 {
		t.Errorf("another file than the walk saw: %d bytes, %v; want nothing and a failure", len(got), err)
	}
}
