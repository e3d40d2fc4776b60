//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/sys/unix"

	"fugu/migrate"
	"fugu/migrate/home"
	"fugu/migrate/remote/sshtest"
)

// openPTY opens a pseudo-terminal pair: what fugu writes to the second
// (a terminal to it) is read from the first.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// terminal opens a pseudo-terminal for fugu to write to, and a function
// that closes it and returns all that was written.
func terminal(t *testing.T) (tty *os.File, screen func() string) {
	t.Helper()
	master, tty := openPTY(t)
	got := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(master); got <- b }()
	return tty, func() string {
		t.Helper()
		tty.Close()
		select {
		case b := <-got:
			return string(b)
		case <-time.After(10 * time.Second):
			t.Fatal("no end of the terminal output")
			return ""
		}
	}
}

// TestHomeProgressOnTerminal drives the progress as a run does, slowly
// enough for the bar to be redrawn: it counts files against the walk's
// total, shows bytes done and to do with percentage and rate, steps
// aside for a failure line, and is cleared at the end.
func TestHomeProgressOnTerminal(t *testing.T) {
	tty, readScreen := terminal(t)
	var out bytes.Buffer
	p := newHomeProgress(&Streams{Out: &out, Err: tty}, false)
	if p.bar == nil {
		t.Fatal("no bar on a terminal")
	}
	p.Total(2, 4<<20)
	p.Bytes(1 << 20)
	time.Sleep(250 * time.Millisecond)
	p.Event(home.Event{Kind: home.Copied, Path: "a", Size: 1 << 20})
	p.Bytes(1 << 20)
	time.Sleep(250 * time.Millisecond)
	p.Event(home.Event{Kind: home.Failed, Path: "b", Err: errors.New("permission denied")})
	p.Bytes(0)
	p.summary(home.Summary{Copied: 1, Failed: 1, Bytes: 2 << 20, Duration: time.Second}, nil)
	screen := readScreen()
	// assert that: the bar showed the count, bytes against the total, a percentage, and the failure.
	screenShows(t, screen, "1/2 files", "/4.2 MB", "50%", "B/s)", "failed \"b\": permission denied\r\n")
	if !strings.HasPrefix(out.String(), "copied 1, linked 0, unchanged 0, excluded 0, skipped 0, failed 1;") {
		t.Errorf("summary = %q", out.String())
	}
}

// TestHomeProgressDrawnOnlyByTheRun: the bar on the terminal is drawn
// only from the run's own progress calls, which homeProgress serialises.
// progressbar's indeterminate bar (total not yet known) otherwise redraws
// itself from a goroutine of its own, unlocked against Clear, and between
// the Clear and the failure line printed under it. In a synctest bubble
// such a goroutine outlives the bar and fails the test.
func TestHomeProgressDrawnOnlyByTheRun(t *testing.T) {
	tty, readScreen := terminal(t)
	synctest.Test(t, func(t *testing.T) {
		var out bytes.Buffer
		p := newHomeProgress(&Streams{Out: &out, Err: tty}, false)
		p.Bytes(1 << 20)
		time.Sleep(time.Second)
		p.Total(2, 4<<20)
		p.Event(home.Event{Kind: home.Failed, Path: "b", Err: errors.New("permission denied")})
		p.summary(home.Summary{Copied: 1, Failed: 1, Bytes: 1 << 20, Duration: time.Second}, nil)
	})
	screenShows(t, readScreen(), "failed \"b\": permission denied\r\n")
}

// TestHomeProgressNoticeClearsTheBar: a notice from the SSH layer in the
// middle of a run (a keepalive gone unanswered) takes the bar off its
// line first, instead of being written over its end.
func TestHomeProgressNoticeClearsTheBar(t *testing.T) {
	tty, readScreen := terminal(t)
	var out bytes.Buffer
	p := newHomeProgress(&Streams{Out: &out, Err: tty}, false)
	p.Total(2, 4<<20)
	p.Bytes(1 << 20)
	fmt.Fprintf(p.notices(), "%s: no answer to %d keepalives, closing the connection\n", "oldhost", 3)
	p.summary(home.Summary{Bytes: 1 << 20, Duration: time.Second}, nil)
	screen := readScreen()
	// assert that: the bar was drawn, then wiped (blanks between two carriage returns) right before the notice.
	screenShows(t, screen, "/4.2 MB")
	if !regexp.MustCompile("\r {20,}\roldhost: no answer to 3 keepalives").MatchString(screen) {
		t.Errorf("the notice was not written on a cleared line:\n%q", screen)
	}
}

// TestMigrateHomeProgressBarOnTerminal runs a real pull with standard
// error on a pseudo-terminal: fugu draws the bar (bytes against the
// total from the remote walk), clears it when done, and keeps standard
// output for the summary. (The copy is over before the bar's next
// redraw; TestHomeProgressOnTerminal watches one that takes longer.)
func TestMigrateHomeProgressBarOnTerminal(t *testing.T) {
	tty, readScreen := terminal(t)

	srv := sshtest.StartSSHD(t, sshtest.Options{})
	known := srv.WriteKnownHosts(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	src := filepath.Join(t.TempDir(), "src")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(src, 0o755))
	must(os.WriteFile(filepath.Join(src, "big"), bytes.Repeat([]byte("fugu"), 8<<20), 0o644))
	must(os.WriteFile(filepath.Join(src, "small"), []byte("x\n"), 0o644))

	var out bytes.Buffer
	s := &Streams{In: strings.NewReader(""), Out: &out, Err: tty}
	code := Execute(context.Background(), []string{"migrate", "home", "--known-hosts", known, "-i", srv.ClientKey.Path, "-F", "none",
		"--from", srv.Target() + ":" + src, "--to", filepath.Join(t.TempDir(), "dst"), "--chunk", "1048576"}, s)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	text := readScreen()
	// assert that: the bar was drawn with the byte total from the remote walk, then cleared.
	screenShows(t, text, "/34 MB)", "\r"+strings.Repeat(" ", 40))
	if !strings.HasPrefix(out.String(), "copied 2, linked 0, unchanged 0") {
		t.Errorf("summary on standard output = %q", out.String())
	}
}

// TestMigrateProgressOnTerminal: migrate apply's package bar, given a
// real terminal as standard error, names the package pkg_add is on and
// counts them, then clears itself; item lines go to standard output.
func TestMigrateProgressOnTerminal(t *testing.T) {
	tty, readScreen := terminal(t)
	var out bytes.Buffer
	p := newMigrateProgress(&Streams{Out: &out, Err: tty}, false)
	if !p.tty {
		t.Fatal("a pseudo-terminal was not taken for a terminal")
	}
	p.Begin("package", 2)
	for _, n := range []string{"certbot--", "vim--no_x11"} {
		p.Start("package", n)
		time.Sleep(150 * time.Millisecond)
		p.Done(migrate.Result{Kind: "package", Name: n, Outcome: migrate.Done})
	}
	p.finish()
	screen := readScreen()
	// assert that: the bar named each package with the count.
	screenShows(t, screen, "pkg_add certbot--", "(0/2)", "pkg_add vim--no_x11", "(1/2)")
	if out.String() != "done    package certbot--\ndone    package vim--no_x11\n" {
		t.Errorf("item lines = %q", out.String())
	}
}

// screenShows checks that what was written to the terminal holds each of want.
func screenShows(t *testing.T, screen string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			t.Errorf("terminal output lacks %q:\n%q", w, screen)
		}
	}
}
