package home

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"fugu/migrate/remote/sshtest"
)

// BenchmarkSSHDSmallFiles pulls 2,000 files of 0-32 KiB in 50 directories
// from a real sshd; b.N runs each start from an empty target.
func BenchmarkSSHDSmallFiles(b *testing.B) {
	benchPull(b, func(dir string) {
		buf := make([]byte, 32<<10)
		for i := range buf {
			buf[i] = byte(i * 31)
		}
		for i := range 2000 {
			d := filepath.Join(dir, "d"+strconv.Itoa(i%50))
			must(b, os.MkdirAll(d, 0o755))
			must(b, os.WriteFile(filepath.Join(d, "f"+strconv.Itoa(i)), buf[:(i*7919)%len(buf)], 0o644))
		}
	})
}

// BenchmarkSSHDBigFile pulls one 256 MiB file (FUGU_BENCH_MB to change)
// from a real sshd.
func BenchmarkSSHDBigFile(b *testing.B) {
	mb, _ := strconv.Atoi(os.Getenv("FUGU_BENCH_MB"))
	if mb <= 0 {
		mb = 256
	}
	benchPull(b, func(dir string) {
		buf := make([]byte, mb<<20)
		for i := range buf {
			buf[i] = byte(i*31 + i>>12)
		}
		must(b, os.WriteFile(filepath.Join(dir, "big"), buf, 0o644))
	})
}

func benchPull(b *testing.B, fill func(dir string)) {
	f := sshtest.StartSSHD(b, sshtest.Options{})
	dir := b.TempDir()
	src := filepath.Join(dir, "src")
	must(b, os.MkdirAll(src, 0o755))
	fill(src)
	h, c, err := dialSFTP(context.Background(), f.Target(), f.WriteKnownHosts(b), f.ClientKey.Path, 64)
	must(b, err)
	defer h.Close()
	b.SetBytes(treeBytes(b, src))
	b.ResetTimer()
	for i := range b.N {
		dst := filepath.Join(dir, "dst"+strconv.Itoa(i))
		l, err := OpenLocal(dst, true)
		must(b, err)
		if _, err := Copy(context.Background(), NewSFTP(c, src, "src", h), l, Options{Jobs: benchJobs()}); err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}

func benchJobs() int { n, _ := strconv.Atoi(os.Getenv("JOBS")); return n }

// BenchmarkSSHDPushSmallFiles pushes 2,000 files of 0-32 KiB to a real
// sshd (the local-to-remote direction: one SFTP round trip after another
// per file, many files at once).
func BenchmarkSSHDPushSmallFiles(b *testing.B) {
	f := sshtest.StartSSHD(b, sshtest.Options{})
	dir := b.TempDir()
	src := filepath.Join(dir, "src")
	buf := make([]byte, 32<<10)
	for i := range 2000 {
		d := filepath.Join(src, "d"+strconv.Itoa(i%50))
		must(b, os.MkdirAll(d, 0o755))
		must(b, os.WriteFile(filepath.Join(d, "f"+strconv.Itoa(i)), buf[:(i*7919)%len(buf)], 0o644))
	}
	h, c, err := dialSFTP(context.Background(), f.Target(), f.WriteKnownHosts(b), f.ClientKey.Path, 64)
	must(b, err)
	defer h.Close()
	l, err := OpenLocal(src, false)
	must(b, err)
	defer l.Close()
	b.SetBytes(treeBytes(b, src))
	b.ResetTimer()
	for i := range b.N {
		dst := filepath.Join(dir, "dst"+strconv.Itoa(i))
		must(b, os.MkdirAll(dst, 0o755))
		if _, err := Copy(context.Background(), l, NewSFTP(c, dst, "dst", h), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
