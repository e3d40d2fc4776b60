package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPkgCheckIndexURL fetches the index over real HTTP, the way
// `fugu pkg check --index https://mirror/.../packages/amd64/` does.
func TestPkgCheckIndexURL(t *testing.T) {
	index, err := os.ReadFile("../../packages/testdata/index.txt")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.URL.Path != "/pub/OpenBSD/7.8/packages/amd64/index.txt" {
			http.NotFound(w, r)
			return
		}
		w.Write(index)
	}))
	defer srv.Close()
	list := filepath.Join(t.TempDir(), "list")
	if err := os.WriteFile(list, []byte("firefox--\nletsencrypt--\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
	code := Execute(context.Background(), []string{"pkg", "check", list, "--index", srv.URL + "/pub/OpenBSD/7.8/packages/amd64/"}, s)
	if code != 1 || !strings.Contains(out.String(), "letsencrypt--: no-package: letsencrypt was renamed certbot; use certbot--") {
		t.Errorf("pkg check over HTTP: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if len(paths) != 1 || !strings.HasSuffix(paths[0], "/index.txt") {
		t.Errorf("fetched %q, want the directory's index.txt", paths)
	}

	// A 404 is a failure naming the URL, not a parse error.
	out.Reset()
	errb.Reset()
	code = Execute(context.Background(), []string{"pkg", "check", list, "--index", srv.URL + "/nope/index.txt"}, s)
	if code != 1 || !strings.Contains(errb.String(), "404") {
		t.Errorf("pkg check with a missing index: exit %d, stderr %q", code, errb.String())
	}
}

// TestPkgIndexURLHidesPassword: --index with a user:password@ is named in
// its errors without the password.
func TestPkgIndexURLHidesPassword(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad/index.txt" {
			w.Write([]byte("not an index line\n"))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	list := filepath.Join(t.TempDir(), "list")
	if err := os.WriteFile(list, []byte("firefox--\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	creds := strings.Replace(srv.URL, "http://", "http://bob:s3cr3t@", 1)
	for _, index := range []string{creds + "/nope/index.txt", creds + "/bad/", "http://bob:s3cr3t@host:99999999/x", "http://bob:s3cr3t@127.0.0.1:1/x"} {
		var out, errb bytes.Buffer
		s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
		code := Execute(context.Background(), []string{"pkg", "check", list, "--index", index}, s)
		if code == 0 || errb.Len() == 0 {
			t.Errorf("pkg check --index %s: exit %d, stderr %q, want an error", index, code, errb.String())
		}
		if strings.Contains(errb.String()+out.String(), "s3cr3t") {
			t.Errorf("pkg check --index %s: output shows the password: %s%s", index, out.String(), errb.String())
		}
	}
}
