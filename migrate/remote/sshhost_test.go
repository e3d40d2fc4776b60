package remote_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

func TestSSHRun(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	h := srv.Dial(t)
	ctx := context.Background()

	tests := []struct {
		name           string
		cmd            remote.Command
		stdout, stderr string
		exit           int
	}{
		{"stdout", remote.Command{Line: "echo hello"}, "hello\n", "", 0},
		{"stderr and exit", remote.Command{Line: "echo oops >&2; exit 3"}, "", "oops\n", 3},
		{"stdin", remote.Command{Line: "tr a-z A-Z", Stdin: strings.NewReader("abc")}, "ABC", "", 0},
		{"quoted", remote.Command{Line: "printf %s " + remote.Quote("it's $(id)")}, "it's $(id)", "", 0},
		{"no stdin", remote.Command{Line: "cat"}, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := h.Run(ctx, tt.cmd)
			if err != nil {
				t.Fatalf("Run(%q): %v", tt.cmd.Line, err)
			}
			if string(res.Stdout) != tt.stdout || string(res.Stderr) != tt.stderr || res.ExitCode != tt.exit {
				t.Errorf("Run(%q) = stdout %q stderr %q exit %d, want %q %q %d",
					tt.cmd.Line, res.Stdout, res.Stderr, res.ExitCode, tt.stdout, tt.stderr, tt.exit)
			}
		})
	}
}

func TestSSHFiles(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	h := srv.Dial(t)
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, "doas.conf")

	if _, err := h.ReadFile(ctx, p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile(missing) error = %v, want fs.ErrNotExist", err)
	}
	if _, err := h.Stat(ctx, p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Stat(missing) error = %v, want fs.ErrNotExist", err)
	}
	for i, content := range []string{"permit persist :wheel\n", "permit nopass peter\n"} {
		if err := h.WriteFile(ctx, p, []byte(content), 0o600); err != nil {
			t.Fatalf("WriteFile #%d: %v", i, err)
		}
		got, err := h.ReadFile(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != content {
			t.Errorf("ReadFile after write #%d = %q, want %q", i, got, content)
		}
	}
	fi, err := h.Stat(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o600 || fi.Size() != int64(len("permit nopass peter\n")) {
		t.Errorf("Stat = mode %v size %d, want -rw------- 20", fi.Mode(), fi.Size())
	}
	// assert that: the local view agrees and no temporary file is left.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "doas.conf" {
		t.Errorf("directory holds %v, want only doas.conf", entries)
	}
	if err := h.WriteFile(ctx, p+".x", []byte("x"), 0o4755); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p + ".x"); err != nil || fi.Mode() != fs.ModeSetuid|0o755 {
		t.Errorf("mode with setuid = %v, %v; want urwxr-xr-x", fi.Mode(), err)
	}
	// A write into a missing directory fails and leaves nothing behind.
	if err := h.WriteFile(ctx, filepath.Join(dir, "nodir", "f"), []byte("x"), 0o644); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}

func TestSSHReadLarge(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	h := srv.Dial(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB, many packets
	p := filepath.Join(t.TempDir(), "big")
	if err := h.WriteFile(ctx, p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := h.ReadFile(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("ReadFile returned %d bytes, want the %d written", len(got), len(data))
	}
}
