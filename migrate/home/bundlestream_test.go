package home

import (
	"bufio"
	"context"
	"errors"
	"io"
	"testing"
)

// TestSSHDOpenBundle runs commands through openBundle's SSH session: the
// output arrives in full, a failing command's status comes back after its
// output ends, and an aborted command does not count as a broken
// connection.
func TestSSHDOpenBundle(t *testing.T) {
	f := startSSHD(t)
	h, c := f.dial(t, f.srv.Target())
	src := NewSFTP(c, t.TempDir(), "src", h)
	if !src.canStream() {
		t.Fatal("an SSH host must stream bundles")
	}
	ctx := context.Background()

	rd, end, err := src.openBundle(ctx, "cat", []byte("a\x00b\x00"))
	must(t, err)
	got, err := io.ReadAll(rd)
	must(t, err)
	if string(got) != "a\x00b\x00" {
		t.Errorf("cat echoed %q, want %q", got, "a\x00b\x00")
	}
	if code, err := end(false); code != 0 || err != nil {
		t.Errorf("cat ended %d, %v; want 0, nil", code, err)
	}

	rd, end, err = src.openBundle(ctx, "printf partial; exit 5", nil)
	must(t, err)
	got, err = io.ReadAll(rd)
	must(t, err)
	if string(got) != "partial" {
		t.Errorf("read %q, want %q", got, "partial")
	}
	if code, err := end(false); code != 5 || err != nil {
		t.Errorf("failing command ended %d, %v; want 5, nil", code, err)
	}

	// A command still writing when its output is abandoned.
	rd, end, err = src.openBundle(ctx, "yes", nil)
	must(t, err)
	if _, err := bufio.NewReader(rd).Peek(1); err != nil {
		t.Fatal(err)
	}
	if _, err := end(true); err != nil {
		t.Errorf("aborted command: %v, want no error", err)
	}
	if code, err := end(false); code != -1 || err != nil {
		t.Errorf("second end: %d, %v; want -1, nil", code, err)
	}

	// A session slot is given back each time: more commands than slots.
	for range cap(src.sessions) + 2 {
		_, end, err := src.openBundle(ctx, "exit 0", nil)
		must(t, err)
		if _, err := end(false); err != nil {
			t.Fatal(err)
		}
	}

	// A cut connection is ErrConnection.
	h2, c2 := f.dial(t, f.viaProxy())
	src2 := NewSFTP(c2, t.TempDir(), "src", h2)
	rd, end, err = src2.openBundle(ctx, "sleep 30", nil)
	must(t, err)
	f.proxy.cut()
	_, _ = io.ReadAll(rd)
	if _, err := end(false); !errors.Is(err, ErrConnection) {
		t.Errorf("after a cut: %v, want ErrConnection", err)
	}
}
