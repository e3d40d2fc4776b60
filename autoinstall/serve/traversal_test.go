package serve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rawGet sends target exactly as given, so no client library can clean
// or re-encode it first, and returns the status code and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %q: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestTraversal(t *testing.T) {
	f := newFixture(t, "", nil)
	base := liveServer(t, f)
	addr := strings.TrimPrefix(base, "http://")
	before := f.render.calls.Load()
	statBefore, err := os.Stat(f.secret)
	if err != nil {
		t.Fatal(err)
	}
	set := "/sets/delilah/7.8/amd64/"
	attacks := []string{
		"/../secret.txt", "/../../../../etc/passwd", "/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/etc/passwd",
		set + "../../../../secret.txt", set + "%2e%2e/%2e%2e/%2e%2e/secret.txt", set + "..%2f..%2f..%2fsecret.txt",
		set + "%2fetc%2fpasswd", "/sets%2fdelilah%2f7.8%2famd64%2fbase78.tgz", "//etc/passwd", "/etc/passwd",
		"/" + f.secret, set + "%00", set + "base78.tgz%00.txt", set + strings.Repeat("a", 300),
		"/" + strings.Repeat("x/", 200), set + "..", set + ".",
		"/firmware/../secret.txt", "/firmware/%2e%2e/secret.txt", "/template/..%2f..%2fsecret.disklabel",
		"/sets/delilah/7.8/amd64/..\\..\\secret.txt", "/sets/delilah/7.8/amd64/", "/sets/delilah/7.8/amd64",
		"/sets/", "/firmware/", "/firmware/7.8/", "http://127.0.0.1/../secret.txt", "/./80:fa:5b:01:02:03-install.conf",
	}
	for _, target := range attacks {
		code, body := rawGet(t, addr, target)
		// assert that: every attack is refused with 4xx and leaks nothing
		if code < 400 || code > 499 {
			t.Errorf("GET %q = %d, want 4xx", target, code)
		}
		if strings.Contains(body, "SECRET") || strings.Contains(body, "root:") {
			t.Errorf("GET %q leaked a file outside the mirror: %.60q", target, body)
		}
	}
	if n := f.render.calls.Load() - before; n != 0 {
		t.Errorf("attacks caused %d renders, want 0 (names are checked before any lookup)", n)
	}
	// Symbolic links out of the mirror pass the grammar; os.Root stops them.
	for _, target := range []string{set + "evil.tgz", set + "rel.tgz"} {
		if code, body := rawGet(t, addr, target); code != 404 || strings.Contains(body, "SECRET") {
			t.Errorf("GET %q = %d %.60q, want 404 without the file", target, code, body)
		}
	}
	statAfter, _ := os.Stat(f.secret)
	if !statAfter.ModTime().Equal(statBefore.ModTime()) || statAfter.Size() != statBefore.Size() {
		t.Errorf("the file outside the mirror changed")
	}
	if code, _ := rawGet(t, addr, set+"base78.tgz"); code != 200 {
		t.Errorf("a real set after the attacks = %d, want 200", code)
	}
}

// TestMirrorNamedPipe: a named pipe in a mirror is a special file like
// any other (404), not a request that hangs until something writes to it.
func TestMirrorNamedPipe(t *testing.T) {
	f := newFixture(t, "", nil)
	pipe := filepath.Join(f.sets, "7.8/amd64/pipe.tgz")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	base := liveServer(t, f)
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(base + "/sets/delilah/7.8/amd64/pipe.tgz")
	if err != nil {
		// Let the handler's open return, so the server can stop.
		if w, werr := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); werr == nil {
			w.Close()
		}
		t.Fatalf("GET a named pipe in the mirror: %v", err)
	}
	resp.Body.Close()
	// assert that: the pipe is refused at once
	if resp.StatusCode != 404 {
		t.Errorf("GET a named pipe in the mirror = %d, want 404", resp.StatusCode)
	}
}
