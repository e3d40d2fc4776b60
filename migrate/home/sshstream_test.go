package home

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"fugu/migrate/remote/sshtest"
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

// failWrites is a temp file whose writes fail (an I/O error on the
// target's disk).
type failWrites struct{ *os.File }

func (failWrites) WriteAt([]byte, int64) (int, error) { return 0, syscall.EIO }

// TestStreamStopsWhenWriteFails: a big file is read from an SSH stream
// a chunk ahead of its writes. When a write fails, pump must not wait
// for the next chunk of a source that sends nothing more (a stalled
// disk or mount on the source host): it ends the stream and returns.
func TestStreamStopsWhenWriteFails(t *testing.T) {
	stubs := t.TempDir()
	// dd sends one chunk, then stalls.
	must(t, os.WriteFile(filepath.Join(stubs, "dd"), []byte("#!/bin/sh\nyes a | head -c 65536\nexec sleep 600\n"), 0o755))
	srv := sshtest.StartInProcess(t, sshtest.Options{PathPrepend: []string{stubs}})
	h := srv.Dial(t)
	c, err := h.SFTP()
	must(t, err)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "f"), bytes.Repeat([]byte("b"), 1<<20), 0o644))
	r := &run{ctx: context.Background(), src: NewSFTP(c, dir, "src", h), dst: openLocal(t, t.TempDir()),
		opt: Options{Chunk: 64 << 10, Progress: NopProgress{}}}
	tmp, err := os.Create(filepath.Join(t.TempDir(), "tmp"))
	must(t, err)
	defer tmp.Close()
	returned := make(chan error, 1)
	go func() { returned <- r.pump(Entry{Path: "f", Size: 1 << 20}, failWrites{tmp}, 0, sha256.New()) }()
	select {
	case err := <-returned:
		if !errors.Is(err, syscall.EIO) {
			t.Errorf("pump = %v, want the write's EIO", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("pump did not return after a failed write: it waits for the stalled source")
	}
}
