package serve

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestParseRequest(t *testing.T) {
	tok := strings.Repeat("ab", 16)
	tests := []struct {
		target string
		want   Request
	}{
		{"/", Request{Kind: KindStatus}},
		{"/api/machines", Request{Kind: KindAPI}},
		{"/rearm", Request{Kind: KindRearm}},
		{"/80:fa:5b:01:02:03-install.conf?path=7.8/amd64", Request{Kind: KindAnswers, Mode: "install", MAC: "80:fa:5b:01:02:03"}},
		{"/80:FA:5B:01:02:03-upgrade.conf", Request{Kind: KindAnswers, Mode: "upgrade", MAC: "80:fa:5b:01:02:03"}},
		{"/80%3Afa%3a5b%3A01%3A02%3A03-install.conf", Request{Kind: KindAnswers, Mode: "install", MAC: "80:fa:5b:01:02:03"}},
		{"/Delilah-install.conf", Request{Kind: KindAnswers, Mode: "install", Host: "delilah"}},
		{"/install.conf", Request{Kind: KindAnswers, Mode: "install"}},
		{"/upgrade.conf?path=snapshots/arm64", Request{Kind: KindAnswers, Mode: "upgrade"}},
		{"/fugu/install.conf", Request{Kind: KindAnswers, Mode: "install", Prefix: "fugu/"}},
		{"/fugu/mx1-install.conf", Request{Kind: KindAnswers, Mode: "install", Prefix: "fugu/", Host: "mx1"}},
		// DHCP option host-name may be a full name; the installer asks with it as given.
		{"/MX1.Example.org-install.conf?path=7.8/amd64", Request{Kind: KindAnswers, Mode: "install", Host: "mx1.example.org"}},
		{"/template/mx1.disklabel", Request{Kind: KindTemplate, Machine: "mx1", File: "mx1.disklabel"}},
		{"/fugu/template/mx1.disklabel", Request{Kind: KindTemplate, Prefix: "fugu/", Machine: "mx1", File: "mx1.disklabel"}},
		{"/sets/mx1/7.8/amd64/base78.tgz", Request{Kind: KindSet, Machine: "mx1", Release: "7.8", Arch: "amd64", File: "base78.tgz"}},
		{"/sets/mx1/snapshots/amd64/bsd.mp", Request{Kind: KindSet, Machine: "mx1", Release: "snapshots", Arch: "amd64", File: "bsd.mp"}},
		{"/firmware/iwm-firmware-1.tgz", Request{Kind: KindFirmware, File: "iwm-firmware-1.tgz"}},
		{"/firmware/7.8/SHA256.sig", Request{Kind: KindFirmware, Dir: "7.8", File: "SHA256.sig"}},
		{"/callback/install-site/" + tok, Request{Kind: KindCallback, Step: StepInstallSite, Token: tok}},
		{"/fugu/callback/first-boot/" + tok, Request{Kind: KindCallback, Prefix: "fugu/", Step: StepFirstBoot, Token: tok}},
		// DHCP filename /auto_install or /pxe/auto_install: the installer
		// asks for //MAC-install.conf, //pxe/MAC-install.conf.
		{"//install.conf", Request{Kind: KindAnswers, Mode: "install"}},
		{"//pxe/mx1-install.conf", Request{Kind: KindAnswers, Mode: "install", Prefix: "pxe/", Host: "mx1"}},
		// DHCP filename pxe/openbsd/auto_install: a prefix of two directories.
		{"/pxe/openbsd/install.conf", Request{Kind: KindAnswers, Mode: "install", Prefix: "pxe/openbsd/"}},
		{"/a/b/c/d/mx1-install.conf", Request{Kind: KindAnswers, Mode: "install", Prefix: "a/b/c/d/", Host: "mx1"}},
		{"/pxe/openbsd/template/mx1.disklabel", Request{Kind: KindTemplate, Prefix: "pxe/openbsd/", Machine: "mx1", File: "mx1.disklabel"}},
		{"/pxe/openbsd/callback/first-boot/" + tok, Request{Kind: KindCallback, Prefix: "pxe/openbsd/", Step: StepFirstBoot, Token: tok}},
	}
	for _, tt := range tests {
		got, err := ParseRequest(tt.target)
		if err != nil || got != tt.want {
			t.Errorf("ParseRequest(%q) = %+v, %v, want %+v", tt.target, got, err, tt.want)
		}
	}
}

func TestParseRequestRefuses(t *testing.T) {
	bad := []string{
		"", "install.conf", "*", "http://evil/install.conf", "/..", "/../install.conf", "/./install.conf",
		"/%2e%2e/install.conf", "/%2E%2E%2Finstall.conf", "/sets/mx1/7.8/amd64/..%2fsecret",
		"/sets/mx1/7.8/amd64/%2e%2e", "///install.conf", "//..", "/fugu//install.conf", "/install.conf/",
		"/sets/mx1/7.8/amd64/a%00", "/sets/mx1/7.8/amd64/a\x00", "/sets/mx1/7.8/amd64/a\\b",
		"/sets/mx1/7.8/amd64/.hidden", "/sets/mx1/7.8/amd64/a..b", "/sets/mx1/../amd64/x",
		"/sets/mx1/7.8/amd64", "/sets/mx1/7.8/amd64/x/y", "/sets/MX1/7.8/amd64/x", "/template/mx1",
		"/template/../x.disklabel", "/firmware/../../etc/passwd", "/firmware/a/b/c", "/etc/passwd",
		"/a/b/c/d/e/install.conf", "/a/B/install.conf", "/a/.b/install.conf", "/a/b/sets/install.conf", "/sets/install.conf", "/x_y-install.conf", "/-install.conf",
		"/80:fa:5b:01:02-install.conf", "/80:fa:5b:01:02:03:04-install.conf", "/install.conf.bak",
		"/callback/install-site/XYZ", "/callback/other/" + strings.Repeat("a", 32), "/api/other",
		"/" + strings.Repeat("a", 300) + "-install.conf", "/Fugu/install.conf", "/fu.gu/install.conf",
		"/mx1.-install.conf", "/.mx1-install.conf", "/mx1..example.org-install.conf", "/mx1.-example.org-install.conf",
	}
	for _, target := range bad {
		if r, err := ParseRequest(target); err == nil {
			t.Errorf("ParseRequest(%q) = %+v, want an error", target, r)
		}
	}
}

func TestParseSetDir(t *testing.T) {
	for in, ok := range map[string]bool{"7.8/amd64": true, "snapshots/arm64": true, "10.1/riscv64": true,
		"7.8": false, "7.8/amd64/x": false, "../amd64": false, "7.8/AMD64": false, "": false, "7.8/": false} {
		_, _, err := ParseSetDir(in)
		if (err == nil) != ok {
			t.Errorf("ParseSetDir(%q) error = %v, want ok=%v", in, err, ok)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	file, err := os.Open("testdata/names.txt")
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if line := sc.Text(); !strings.HasPrefix(line, "#") {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, target string) {
		r, err := ParseRequest(target)
		if err != nil {
			return
		}
		// assert that: nothing accepted can name a path outside its place;
		// the prefix is directories of plain names, at most maxPrefixDepth
		if r.Prefix != "" && !regexp.MustCompile(`^([a-z0-9][a-z0-9_-]{0,31}/){1,4}$`).MatchString(r.Prefix) {
			t.Fatalf("ParseRequest(%q) accepted the prefix %q", target, r.Prefix)
		}
		for _, v := range []string{strings.ReplaceAll(r.Prefix, "/", ""), r.MAC, r.Host, r.Machine, r.Release, r.Arch, r.Dir, r.File, r.Token} {
			if strings.Contains(v, "..") || strings.ContainsAny(v, "\\\x00%") || strings.HasPrefix(v, "/") {
				t.Fatalf("ParseRequest(%q) accepted a dangerous part %q: %+v", target, v, r)
			}
			if strings.Contains(strings.TrimSuffix(v, "/"), "/") {
				t.Fatalf("ParseRequest(%q) accepted a slash in %q", target, v)
			}
		}
		if r.Kind == 0 {
			t.Fatalf("ParseRequest(%q) accepted without a kind", target)
		}
	})
}

func TestValidHostPort(t *testing.T) {
	for h, ok := range map[string]bool{
		"192.0.2.10": true, "192.0.2.10:8080": true, "fugu.example.org": true, "fugu": true, "[2001:db8::1]": true,
		"[2001:db8::1]:80": true, "": false, ":80": false, "a..b": false, "-a": false, "a-": false, "a:": false,
		"a:123456": false, "a:99999": false, "a:0": false, "a:65535": true, "[::1]:70000": false, "a:8x": false, "[nothex]": false, "[::1": false, "[::1]x": false, "a b": false,
		"a/b": false, "a'b": false, "a:80:90": false, "a_b": false,
	} {
		if got := validHostPort(h); got != ok {
			t.Errorf("validHostPort(%q) = %v, want %v", h, got, ok)
		}
	}
	for _, u := range []string{"http://192.0.2.10", "http://fugu.example.org:8080"} {
		if err := ValidateServerURL(u); err != nil {
			t.Errorf("ValidateServerURL(%q) = %v", u, err)
		}
	}
	for _, u := range []string{"https://x", "http://x/", "http://x/p", "http://u@x", "http://x?q", "x", "http://a..b",
		// Written into the answers as given: the installer takes http:// only
		// in lower case, and a bare ? or # would end up in every URL.
		"HTTP://x", "http://x?", "http://x#", "http://x:80?"} {
		if err := ValidateServerURL(u); err == nil {
			t.Errorf("ValidateServerURL(%q) succeeded", u)
		}
	}
}

// TestValidateServerURLHidesPassword: a refused --server-url is quoted
// without the password of a user:password@ in it.
func TestValidateServerURLHidesPassword(t *testing.T) {
	err := ValidateServerURL("http://bob:s3cr3t@fugu.example.org")
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("ValidateServerURL = %v, want a problem without the password", err)
	}
}
