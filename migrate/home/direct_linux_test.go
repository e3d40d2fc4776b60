package home

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDirectFile writes aligned chunks with O_DIRECT, then an unaligned
// tail, which turns the flag off; the file reads back as written.
func TestDirectFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	of, err := os.Create(p)
	must(t, err)
	f := direct(of)
	d, ok := f.(*directFile)
	if !ok {
		t.Skipf("%s: no O_DIRECT on this file system", filepath.Dir(p))
	}
	flags := func() int {
		fl, err := unix.FcntlInt(of.Fd(), unix.F_GETFL, 0)
		must(t, err)
		return fl
	}
	if flags()&unix.O_DIRECT == 0 {
		t.Fatal("O_DIRECT not set")
	}
	want := make([]byte, 3<<20+123)
	rand.Read(want)
	buf := make([]byte, 1<<20) // large allocations are page-aligned
	for off := 0; off < 3<<20; off += len(buf) {
		copy(buf, want[off:])
		if _, err := f.WriteAt(buf, int64(off)); err != nil {
			t.Fatalf("aligned write at %d: %v", off, err)
		}
		if !d.on || flags()&unix.O_DIRECT == 0 {
			t.Fatalf("O_DIRECT dropped after an aligned write at %d", off)
		}
	}
	// An unaligned address, then an unaligned length.
	if _, err := f.WriteAt(want[3<<20:], 3<<20); err != nil {
		t.Fatal(err)
	}
	if d.on || flags()&unix.O_DIRECT != 0 {
		t.Error("O_DIRECT still on after an unaligned write")
	}
	must(t, f.Sync())
	must(t, f.Close())
	got, err := os.ReadFile(p)
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Error("the file does not read back as written")
	}
}

// TestCopyBigFileDirect copies a file big enough for direct writes, with
// holes and a tail that is not a multiple of the alignment, both ways
// through the engine: it arrives identical and still sparse.
func TestCopyBigFileDirect(t *testing.T) {
	data := make([]byte, 4<<20)
	rand.Read(data)
	for _, d := range directions {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			must(t, os.MkdirAll(src, 0o755))
			f, err := os.Create(filepath.Join(src, "big"))
			must(t, err)
			// data, an 8 MiB hole, data, 5000 zero bytes inside a block,
			// data, and an odd tail: directMin + 4 MiB + 4321 bytes in all.
			for _, w := range []struct {
				off int64
				b   []byte
			}{
				{0, data},
				{12 << 20, data[:1<<20]},
				{13<<20 + 5000, data[:3<<20]},
				{directMin + 4<<20, data[:4321]},
			} {
				_, err := f.WriteAt(w.b, w.off)
				must(t, err)
			}
			must(t, f.Close())
			s, dst := treePair(t, dir, d.src, d.dst)
			if _, err := Copy(context.Background(), s, dst, Options{Jobs: 2}); err != nil {
				t.Fatal(err)
			}
			sameTree(t, snapshot(t, src), snapshot(t, filepath.Join(dir, "dst")))
			checkSparse(t, filepath.Join(dir, "dst", "big"))
		})
	}
}
