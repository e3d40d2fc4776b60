package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeBanner starts fugu serve on the example site as `make run`
// does, follows the URLs it prints, reloads on SIGHUP and stops on
// cancellation (what SIGTERM does through main's context).
func TestServeBanner(t *testing.T) {
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code := make(chan int, 1)
	state := t.TempDir()
	go func() {
		s := &Streams{In: strings.NewReader(""), Out: io.Discard, Err: &stderr}
		code <- Execute(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--state", state}, s)
	}()
	var urls []string
	for deadline := time.Now().Add(10 * time.Second); len(urls) < 3; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no banner:\n%s", stderr.String())
		}
		urls = regexp.MustCompile(`curl '?(http://127\.0\.0\.1:[0-9]+/[^' \n]*)`).FindAllString(stderr.String(), -1)
	}
	if !strings.Contains(stderr.String(), "status page:  http://127.0.0.1:") {
		t.Errorf("banner shows no status page:\n%s", stderr.String())
	}
	// assert that: without --sets the banner says installs lack the sets
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "warning:      delilah, mx1, probook: no sets mirror (--sets)"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("banner does not warn of the missing sets mirror:\n%s", stderr.String())
		}
	}
	for _, u := range urls {
		u = strings.TrimLeft(strings.TrimPrefix(u, "curl "), "'")
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// assert that: every URL the banner suggests works
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s = %d (%d bytes), want 200 with a body", u, resp.StatusCode, len(body))
		}
	}
	// assert that: the reload command the banner and machine enroll
	// suggest names this server's process, through STATE/serve.pid.
	pidFile := filepath.Join(state, "serve.pid")
	if !strings.Contains(stderr.String(), "reload:       kill -HUP $(cat "+pidFile+")") {
		t.Errorf("banner shows no reload command for %s:\n%s", pidFile, stderr.String())
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid != os.Getpid() {
		t.Fatalf("%s holds %q, want %d", pidFile, b, os.Getpid())
	}
	syscall.Kill(pid, syscall.SIGHUP)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "reloaded site"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload after SIGHUP:\n%s", stderr.String())
		}
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 || !strings.Contains(stderr.String(), "fugu serve: stopped") {
			t.Errorf("fugu serve exited %d:\n%s", c, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("fugu serve did not stop")
	}
	if _, err := os.Stat(pidFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s after stop: %v, want it removed", pidFile, err)
	}
	if !regexp.MustCompile(`msg=request .*mac=80:fa:5b:01:02:03 machine=delilah file=install.conf status=200`).MatchString(stderr.String()) {
		t.Errorf("no structured access log line:\n%s", stderr.String())
	}
}
