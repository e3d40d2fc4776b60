package packages

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadIndex(t *testing.T, file string) *Index {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ix, err := ParseIndex(f)
	if err != nil {
		t.Fatalf("ParseIndex(%s): %v", file, err)
	}
	return ix
}

func TestParseIndexFormsAgree(t *testing.T) {
	a, b := loadIndex(t, "index.txt"), loadIndex(t, "SHA256")
	if strs(a.Packages) != strs(b.Packages) {
		t.Errorf("index.txt and SHA256 differ:\n%s\n%s", strs(a.Packages), strs(b.Packages))
	}
	if len(a.Packages) != 13 {
		t.Errorf("index.txt: %d packages, want 13", len(a.Packages))
	}
	if got := strs(a.Lookup("VIM")); got != "vim-9.1.1265-gtk3 vim-9.1.1265-no_x11" {
		t.Errorf("Lookup(VIM) = %s (stems are case-insensitive)", got)
	}
}

// TestParseIndexBase64: sha256 -b (and cksum -b) write the digest in
// base64, as the SHA256.sig of firmware and of many mirrors has it.
func TestParseIndexBase64(t *testing.T) {
	ix, err := ParseIndex(strings.NewReader("SHA256 (git-2.49.0.tgz) = qDAgwy1m3eR7aRx/0xHq+Zp8Tq3w9n1fR8s5Vb2yC4c=\n"))
	if err != nil || strs(ix.Packages) != "git-2.49.0" {
		t.Errorf("ParseIndex of a base64 SHA256 line = %v, %v", ix, err)
	}
}

func TestParseIndexErrors(t *testing.T) {
	_, err := ParseIndex(strings.NewReader("SHA256 (vim--no_x11.tgz) = ab\nx\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1:") || !strings.Contains(err.Error(), "no version") {
		t.Errorf("ParseIndex with a fuzzy file name: err = %v", err)
	}
	_, err = ParseIndex(strings.NewReader("<html>not an index</html>\n"))
	if err == nil || !strings.Contains(err.Error(), "no packages found") {
		t.Errorf("ParseIndex of HTML: err = %v", err)
	}
}

func TestCheck(t *testing.T) {
	ix := loadIndex(t, "index.txt")
	tests := []struct {
		in         string
		status     Status
		suggestion string
		reason     string
	}{
		{"firefox--", OK, "", ""},
		{"vim--no_x11", OK, "", ""},
		{"vim--lua", NoFlavor, "", "available: gtk3, no_x11"},
		{"vim", Ambiguous, "", "several flavors"},
		{"git", OK, "", ""},
		{"git--x11", NoFlavor, "git--", "available: (none)"},
		{"python--%3.11", NoBranch, "python--%3.13", "the index has 3.13, 3.12"},
		{"python--%3.12", OK, "", ""},
		// %3 is a word of lang/python/3.12 and of 3.13: both match.
		{"python--%3", Ambiguous, "python--%3.13", "several versions"},
		{"python--", Ambiguous, "python--%3.13", "several versions (3.12.11, 3.13.5)"},
		{"python", Ambiguous, "python%3.13", "several versions"},
		{"python-3.11.10", NoVersion, "python--%3.13", "has 3.13.5"},
		{"vim--no_x11-no_x11", OK, "", ""},
		{"python%3.11", NoBranch, "python%3.13", ""},
		{"postfix--sasl2%stable", BranchUnchecked, "", "cannot be checked"},
		{"letsencrypt--", NoPackage, "certbot--", "renamed certbot"},
		{"gettext--", NoPackage, "gettext-runtime--", "renamed"},
		{"py-requests--", NoPackage, "py3-requests--", "renamed"},
		{"tmux--", InBase, "", "/usr/bin/tmux"},
		{"splitvt--", NoPackage, "", "obsolete: ancient"},
		{"nosuch--", NoPackage, "", "no package named nosuch"},
		{"git-2.49.0", OK, "", ""},
		{"git-2.46.1", NoVersion, "git--", "has 2.49.0"},
		{"mutt-2.2.14-sasl-gpgme", OK, "", ""},
	}
	for _, tt := range tests {
		n, err := ParseName(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		f := ix.Check([]Name{n})[0]
		if f.Status != tt.status || f.Suggestion != tt.suggestion || !strings.Contains(f.Reason, tt.reason) {
			t.Errorf("Check(%s) = %s %q %q, want %s %q, reason containing %q", tt.in, f.Status, f.Suggestion, f.Reason, tt.status, tt.suggestion, tt.reason)
		}
		if f.Installable() != (tt.status == OK || tt.status == BranchUnchecked) {
			t.Errorf("Check(%s).Installable() = %v", tt.in, f.Installable())
		}
	}
}

func TestCheckGolden(t *testing.T) {
	ix := loadIndex(t, "index.txt")
	f, err := os.Open("testdata/pkg_info-mz.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := ParseList(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(ix.Check(list), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/expected_check.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("Check output differs from %s (run go test -update and review the diff):\n%s", golden, got)
	}
}

// TestCheckBranchIgnoresPortRevisions: pkg_add matches a branch against
// the port's path (devel/autoconf/2.69), so autoconf-2.69p3 is on 2.69;
// its p3 is the port's revision.
func TestCheckBranchIgnoresPortRevisions(t *testing.T) {
	ix, err := ParseIndex(strings.NewReader("-rw-r--r--  1 1001  1001  1 Oct  9 12:00:01 2025 autoconf-2.69p3.tgz\n" +
		"-rw-r--r--  1 1001  1001  1 Oct  9 12:00:01 2025 autoconf-2.71p0.tgz\n"))
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]Status{"autoconf--%2.69": OK, "autoconf--%2.71": OK, "autoconf--%2.70": NoBranch} {
		n, err := ParseName(in)
		if err != nil {
			t.Fatal(err)
		}
		if f := ix.Check([]Name{n})[0]; f.Status != want {
			t.Errorf("Check(%s) = %s (%s), want %s", in, f.Status, f.Reason, want)
		}
	}
}

// TestCheckAmbiguousSuggestsPortBranch: pkg_add matches %BRANCH as a
// whole word of the port's path (lang/python/3.13, devel/llvm/19), so
// the branch suggested for an ambiguous name has as many dotted parts as
// it takes to tell the versions apart: llvm%19, python%3.13. Two builds
// of one version (2.49.0, 2.49.0p1) are one port, which pkg_add
// narrows to the newest itself.
func TestCheckAmbiguousSuggestsPortBranch(t *testing.T) {
	var lines strings.Builder
	for _, f := range []string{"llvm-18.1.8p3", "llvm-19.1.7p1", "python-3.12.11", "python-3.13.5", "python-2.7.18p9",
		"gcc-8.4.0p27", "gcc-11.2.0p15", "git-2.49.0", "git-2.49.0p1"} {
		lines.WriteString("SHA256 (" + f + ".tgz) = 00\n")
	}
	ix, err := ParseIndex(strings.NewReader(lines.String()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in         string
		status     Status
		suggestion string
		available  string
	}{
		{"llvm--", Ambiguous, "llvm--%19", "19 18"},
		{"gcc", Ambiguous, "gcc%11", "11 8"},
		{"python--", Ambiguous, "python--%3.13", "3.13 3.12 2.7"},
		{"llvm-17.0.6", NoVersion, "llvm--%19", ""},
		{"git--", OK, "", ""},
	}
	for _, tt := range tests {
		n, err := ParseName(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		f := ix.Check([]Name{n})[0]
		if f.Status != tt.status || f.Suggestion != tt.suggestion || (tt.available != "" && strings.Join(f.Available, " ") != tt.available) {
			t.Errorf("Check(%s) = %s %q %v (%s), want %s %q [%s]", tt.in, f.Status, f.Suggestion, f.Available, f.Reason, tt.status, tt.suggestion, tt.available)
		}
	}
}

// TestCheckStemCase: pkg_add finds a bare stem whatever its case (its
// stem index is lower-cased), but stem--flavors and full names through a
// pattern or a file name that must match case and all.
func TestCheckStemCase(t *testing.T) {
	ix, err := ParseIndex(strings.NewReader("SHA256 (p5-Mail-SpamAssassin-4.0.1.tgz) = 00\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in         string
		status     Status
		suggestion string
	}{
		{"p5-mail-spamassassin", OK, ""},
		{"p5-Mail-SpamAssassin--", OK, ""},
		{"p5-mail-spamassassin--", NoPackage, "p5-Mail-SpamAssassin--"},
		{"p5-mail-spamassassin-4.0.1", NoPackage, "p5-Mail-SpamAssassin-4.0.1"},
	}
	for _, tt := range tests {
		n, err := ParseName(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if f := ix.Check([]Name{n})[0]; f.Status != tt.status || f.Suggestion != tt.suggestion {
			t.Errorf("Check(%s) = %s %q (%s), want %s %q", tt.in, f.Status, f.Suggestion, f.Reason, tt.status, tt.suggestion)
		}
	}
}
