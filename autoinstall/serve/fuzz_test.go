package serve

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

// FuzzServeHTTP sends arbitrary request targets through the whole handler
// (seeded from testdata/names.txt): no target may make it fail (5xx),
// reach the file beside the mirror, or be answered 200 unless the grammar
// accepted it.
func FuzzServeHTTP(f *testing.F) {
	file, err := os.Open("testdata/names.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if line := sc.Text(); !strings.HasPrefix(line, "#") {
			f.Add(line)
		}
	}
	file.Close()
	fx := newFixture(f, "", nil)
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			u = &url.URL{Path: target}
		}
		req := &http.Request{Method: "GET", RequestURI: target, URL: u, Host: "192.0.2.10",
			RemoteAddr: "127.0.0.1:40000", Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
		w := httptest.NewRecorder()
		fx.srv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET %q = %d %q", target, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "SECRET") {
			t.Fatalf("GET %q leaked the file outside the mirror", target)
		}
		if _, err := ParseRequest(target); err != nil && w.Code < 400 {
			t.Fatalf("GET %q = %d although the grammar refuses it", target, w.Code)
		}
	})
}
