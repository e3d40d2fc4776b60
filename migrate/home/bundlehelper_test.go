package home

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestSSHDBundleHelpers serves bundles from long-lived helpers over a
// real sshd: a helper answers bundle after bundle in one session, no more
// than maxHelpers run, a helper whose command died reports its exit
// status instead of going back to the pool, and closeHelpers ends them.
func TestSSHDBundleHelpers(t *testing.T) {
	f := startSSHD(t)
	h, c := f.dial(t, f.srv.Target())
	dir := t.TempDir()
	for _, n := range []string{"a", "b", "c"} {
		must(t, os.WriteFile(filepath.Join(dir, n), []byte("content of "+n), 0o644))
	}
	src := NewSFTP(c, dir, "src", h)
	ctx := context.Background()
	line := "cd " + shQuote(dir) + " && exec " + bundleScript

	// Six bundles in a row run in one session.
	before := commandSessions(f)
	for i := range 6 {
		br, end, err := src.openHelperBundle(ctx, line, []byte("a\x00b\x00\x00"))
		must(t, err)
		for _, e := range []Entry{{Path: "a", Size: 12}, {Path: "b", Size: 12}} {
			hdr, err := br.ReadString('\n')
			must(t, err)
			if !strings.HasPrefix(hdr, "ok 12 12 ") {
				t.Fatalf("bundle %d: %s: header %q", i, e.Path, hdr)
			}
			body := make([]byte, 12)
			if _, err := br.Read(body); err != nil || string(body) != "content of "+e.Path {
				t.Fatalf("bundle %d: %s: body %q, %v", i, e.Path, body, err)
			}
		}
		if l, err := br.ReadString('\n'); err != nil || l != "end\n" {
			t.Fatalf("bundle %d: end line %q, %v", i, l, err)
		}
		if code, err := end(false); code != 0 || err != nil {
			t.Fatalf("bundle %d ended %d, %v", i, code, err)
		}
	}
	if n := commandSessions(f) - before; n != 1 {
		t.Errorf("6 bundles in a row took %d sessions, want 1", n)
	}
	if len(src.helpers.idle) != 1 || src.helpers.running != 1 {
		t.Errorf("after 6 bundles in a row: %d idle of %d running helpers, want 1 of 1", len(src.helpers.idle), src.helpers.running)
	}

	// Bundles at once never start more than maxHelpers commands; the
	// others wait for a helper to come free.
	var ends []bundleEnd
	for range maxHelpers {
		_, end, err := src.openHelperBundle(ctx, line, []byte("\x00"))
		must(t, err)
		ends = append(ends, end)
	}
	waiting, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := src.openHelperBundle(waiting, line, []byte("\x00")); !errors.Is(err, context.Canceled) {
		t.Errorf("a bundle past maxHelpers: %v, want to wait (and give up on cancel)", err)
	}
	for _, end := range ends {
		// Abandoned before its "end" line: killed, not reused.
		if _, err := end(true); err != nil {
			t.Fatal(err)
		}
	}
	if src.helpers.running != 0 || len(src.sessions) != 0 {
		t.Errorf("after killing: %d helpers, %d session slots held; want 0, 0", src.helpers.running, len(src.sessions))
	}

	// A command that exits (a host without perl): end(false) after the
	// reply broke off reports the exit status.
	br, end, err := src.openHelperBundle(ctx, "exit 127", []byte("a\x00\x00"))
	must(t, err)
	if _, err := br.ReadString('\n'); err == nil {
		t.Fatal("a reply from a command that exited")
	}
	if code, err := end(false); code != 127 || err != nil {
		t.Errorf("exited helper ended %d, %v; want 127, nil", code, err)
	}

	src.closeHelpers()
	if src.helpers.running != 0 || len(src.helpers.idle) != 0 || len(src.sessions) != 0 {
		t.Errorf("after closeHelpers: %d running, %d idle, %d slots held", src.helpers.running, len(src.helpers.idle), len(src.sessions))
	}

	// A connection cut while a bundle is on its way is ErrConnection.
	h2, c2 := f.dial(t, f.viaProxy())
	src2 := NewSFTP(c2, dir, "src", h2)
	br, end, err = src2.openHelperBundle(ctx, "sleep 30", []byte("a\x00\x00"))
	must(t, err)
	f.proxy.cut()
	_, _ = br.ReadString('\n')
	if _, err := end(false); !errors.Is(err, ErrConnection) {
		t.Errorf("after a cut: %v, want ErrConnection", err)
	}
}

// TestSSHDCopyReusesHelpers copies a tree of many small files in many
// bundles over a real sshd and counts the sessions: one per helper, not
// one per bundle.
func TestSSHDCopyReusesHelpers(t *testing.T) {
	f := startSSHD(t)
	h, c := f.dial(t, f.srv.Target())
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 600 {
		p := filepath.Join(src, "d"+string(rune('a'+i%10)), "f"+strings.Repeat("x", i%7)+string(rune('A'+i/10)))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(strings.Repeat("y", i*100)), 0o644))
	}
	s := NewSFTP(c, src, "src", h)
	before := commandSessions(f)
	sum, err := Copy(context.Background(), s, openLocal(t, filepath.Join(dir, "dst")), Options{Jobs: 8})
	must(t, err)
	if sum.Copied != 600 {
		t.Fatalf("copied %d files, want 600", sum.Copied)
	}
	sameTree(t, snapshot(t, src), snapshot(t, filepath.Join(dir, "dst")))
	// 600 files of up to 60 KB make about nine bundles; sessions: the
	// scan, the helpers, nothing per bundle.
	if n := commandSessions(f) - before; n > maxHelpers+2 {
		t.Errorf("%d sessions for the copy, want at most %d", n, maxHelpers+2)
	}
}

// commandSessions counts the command sessions sshd started so far (its
// log is VERBOSE).
func commandSessions(f *sshdFixture) int {
	return strings.Count(f.srv.Log(), "Starting session: command")
}

// TestHelperPoolWakesEveryWaiter frees all helpers at once while as many
// bundles wait for one: each waiter gets one. (In a synctest bubble, so
// that every waiter is surely waiting before the helpers come back, and a
// waiter left waiting fails the test when the fake clock ends ctx.)
func TestHelperPoolWakesEveryWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewSFTP(nil, "/", "src", nil)
		s.helpers.running = maxHelpers // all busy
		got := make(chan *bundleHelper, maxHelpers)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for range maxHelpers {
			go func() {
				h, err := s.helper(ctx, "unused: the pool is full")
				if err != nil {
					t.Error(err)
					return
				}
				got <- h
			}()
		}
		synctest.Wait() // every waiter waits
		for range maxHelpers {
			s.put(&bundleHelper{})
		}
		for i := range maxHelpers {
			select {
			case <-got:
			case <-ctx.Done():
				t.Fatalf("only %d of %d waiting bundles got a free helper", i, maxHelpers)
			}
		}
	})
}
