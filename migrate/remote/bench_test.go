package remote_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"path/filepath"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

// BenchmarkRun measures one command round trip (new session, exec, exit
// status) over an open connection to the real sshd.
func BenchmarkRun(b *testing.B) {
	srv := sshtest.StartSSHD(b, sshtest.Options{})
	h := srv.Dial(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Run(ctx, remote.Command{Line: "true"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDial measures connection set-up: TCP, key exchange, host key
// check, public key login.
func BenchmarkDial(b *testing.B) {
	srv := sshtest.StartSSHD(b, sshtest.Options{})
	cfg := srv.Config(b)
	for b.Loop() {
		h, err := remote.Dial(context.Background(), srv.Target(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		h.Close()
	}
}

// BenchmarkWriteFile measures the atomic small-file write used for
// configuration files (create, chmod, write, fsync, rename).
func BenchmarkWriteFile(b *testing.B) {
	srv := sshtest.StartSSHD(b, sshtest.Options{})
	h := srv.Dial(b)
	p := filepath.Join(b.TempDir(), "doas.conf")
	data := []byte("permit persist :wheel\n")
	for b.Loop() {
		if err := h.WriteFile(context.Background(), p, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSFTPThroughput copies 64 MiB each way through the shared SFTP
// client with each cipher, to show what the cipher choice is worth.
func BenchmarkSFTPThroughput(b *testing.B) {
	srv := sshtest.StartSSHD(b, sshtest.Options{})
	data := make([]byte, 64<<20)
	rand.Read(data)
	for _, cipher := range []string{"aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"} {
		cfg := srv.Config(b)
		cfg.Ciphers = []string{cipher}
		h := srv.DialConfig(b, cfg)
		c, err := h.SFTP()
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(b.TempDir(), "big")
		b.Run("write/"+cipher, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, err := c.Create(p)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.ReadFrom(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
		b.Run("read/"+cipher, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, err := c.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
