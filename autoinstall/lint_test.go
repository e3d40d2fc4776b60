package autoinstall

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// lintWant is one "# want: LINE SEVERITY TEXT" line of a corpus file: a
// finding on LINE (0: the whole file) whose message contains TEXT.
type lintWant struct {
	line int
	sev  string
	text string
}

func readWants(t *testing.T, data []byte) []lintWant {
	t.Helper()
	var ws []lintWant
	for _, l := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimRight(l, "\r"), "# want: ")
		if !ok {
			continue
		}
		f := strings.SplitN(rest, " ", 3)
		n, err := strconv.Atoi(f[0])
		if err != nil || len(f) != 3 {
			t.Fatalf("bad want line %q", l)
		}
		ws = append(ws, lintWant{n, f[1], f[2]})
	}
	return ws
}

// TestLintCorpus: every defect in testdata/lint is found at its line, and
// no error is reported that the file does not announce.
func TestLintCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/lint/*.conf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			wants := readWants(t, data)
			if len(wants) == 0 {
				t.Fatal("corpus file announces no finding")
			}
			got := Lint(data, ModeInstall)
			used := make([]bool, len(got))
			for _, w := range wants {
				found := false
				for i, f := range got {
					if f.Line == w.line && f.Severity.String() == w.sev && strings.Contains(f.Message, w.text) {
						found, used[i] = true, true
					}
				}
				if !found {
					t.Errorf("missing finding: line %d %s %q\ngot:\n%s", w.line, w.sev, w.text, findingList(got))
				}
			}
			for i, f := range got {
				if !used[i] && f.Severity == Error {
					t.Errorf("unexpected finding: %s", f)
				}
			}
		})
	}
}

// TestLintRendered: every file fugu renders passes lint without a finding.
func TestLintRendered(t *testing.T) {
	for _, c := range installCases {
		_, f, _ := planCase(t, c)
		if got := Lint(f.InstallConf, ModeInstall); len(got) > 0 {
			t.Errorf("%s: install.conf:\n%s", c.name, findingList(got))
		}
		if got := Lint(f.UpgradeConf, ModeUpgrade); len(got) > 0 {
			t.Errorf("%s: upgrade.conf:\n%s", c.name, findingList(got))
		}
	}
}

func TestKeyMatches(t *testing.T) {
	tests := []struct {
		question, key string
		want          bool
	}{
		{"System hostname? (short form, e.g. 'foo')", "System hostname", true},
		{"System hostname? (short form, e.g. 'foo')", "system hostname?", true},
		{"System hostname? (short form, e.g. 'foo')", "hostname", true},
		{"System hostname? (short form, e.g. 'foo')", "host", false},
		{"Start sshd(8) by default?", "Start sshd", false},
		{"Start sshd(8) by default?", "Start sshd(8) by default", true},
		{"IPv4 address for <w>? (or 'autoconf' or 'none')", "IPv4 address for em0", true},
		{"IPv4 address for <w>? (or 'autoconf' or 'none')", "IPv4 address for", true},
		{"IPv4 address for <w>? (or 'autoconf' or 'none')", "address for em0", true},
		{"IPv4 address for <w>? (or 'autoconf' or 'none')", "for em0 x", false},
		{"<f>. Continue without verification?", "Continue without verification", true},
		{"<f>. Continue without verification?", "Unverified sets: site78.tgz. Continue without verification", true},
		{"Unverified sets: <w>. Continue without verification?", "Unverified sets: site78.tgz. Cont", false},
		{"Unverified sets: <w>. Continue without verification?", "sets: site78.tgz. Continue without verification", true},
		{"Use (W)hole disk MBR, whole disk (G)PT, (O)penBSD area or (E)dit?", "Use (W)hole disk MBR, whole disk (G)PT", false},
		{"Use (W)hole disk MBR, whole disk (G)PT or (E)dit?", "Use (W)hole disk", true},
		{"Time appears wrong.  Set to '<f>'?", "Time appears wrong", false},
		{"Time appears wrong.  Set to '<f>'?", "Time appears wrong.", true},
		{"Time appears wrong.  Set to '<f>'?", "Set to 'x' y", true},
	}
	for _, tt := range tests {
		got := keyMatches(parseQuestion(tt.question), strings.ToLower(tt.key), false, true)
		if got != tt.want {
			t.Errorf("keyMatches(%q, %q) = %v, want %v", tt.question, tt.key, got, tt.want)
		}
	}
}

// FuzzLint: no response file makes Lint panic, and findings point at
// lines of the file.
func FuzzLint(f *testing.F) {
	files, _ := filepath.Glob("testdata/lint/*.conf")
	golden, _ := filepath.Glob("testdata/golden/*/*.conf")
	for _, p := range append(files, golden...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, mode := range []Mode{ModeInstall, ModeUpgrade} {
			for _, fd := range Lint(data, mode) {
				if fd.Line < 0 || fd.Line > lines {
					t.Fatalf("finding on line %d of a %d-line file: %s", fd.Line, lines, fd)
				}
			}
		}
	})
}

func findingList(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintln(&b, f)
	}
	return b.String()
}

// TestLintSiteSetVerification: a site set needs a yes that the
// "Unverified sets: <sets>. Continue without verification?" question
// reads; one keyed by another issue is not it.
func TestLintSiteSetVerification(t *testing.T) {
	base := "System hostname = web1\nPassword for root account = $2b$10$kYpZJJkh6uDi/Kog0hCxr..Xccto21m4Uzvqxtw/sVoYWBGQ0wRwS\n" +
		"Location of sets = http\nHTTP Server = http://192.0.2.10\nSet name(s) = +site* done\n"
	tests := []struct {
		line string
		ok   bool
	}{
		{"Continue without verification = yes", true},
		{"Unverified sets: = yes", true},
		{"Unverified sets: site78-web1.tgz. Continue without verification = yes", true},
		{"Directory does not contain SHA256.sig. Continue without verification = yes", false},
		{"prefetch area. Continue without verification = yes", false},
		{"Signature check of SHA256.sig failed. Continue without verification = yes", false},
		{"Unverified sets: = no", false},
		{"", false},
	}
	for _, tt := range tests {
		conf := base + tt.line + "\n"
		failed := false
		for _, f := range Lint([]byte(conf), ModeInstall) {
			failed = failed || f.Line == 0 && strings.Contains(f.Message, "a site set is selected")
		}
		if failed == tt.ok {
			t.Errorf("Lint with %q: site set refused = %v, want %v", tt.line, failed, !tt.ok)
		}
	}
}

// TestLintContexts: findings that depend on the mode, on another
// question asked earlier, or on another answer of the file.
func TestLintContexts(t *testing.T) {
	const base = "System hostname = web1\nPassword for root account = *************\nWhat timezone are you in = UTC\n" +
		"Location of sets = http\nHTTP Server = http://192.0.2.10\n"
	has := func(fs []Finding, sev Severity, text string) bool {
		return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == sev && strings.Contains(f.Message, text) })
	}
	// An upgrade asks no host name: the line is never read.
	if fs := Lint([]byte("Choose your keyboard layout = us\nSystem hostname = web1\n"), ModeUpgrade); !has(fs, Warning, "is not asked in an upgrade") {
		t.Errorf("upgrade with System hostname:\n%s", findingList(fs))
	}
	// "Directory" starts the SHA256.sig question but "Server directory?"
	// is asked first and takes the line.
	if fs := Lint([]byte(base+"Server directory = pub/OpenBSD/7.8/amd64\nDirectory = yes\n"), ModeInstall); !has(fs, Error, `also matches the earlier question "Server directory?"`) {
		t.Errorf("Directory = yes:\n%s", findingList(fs))
	}
	// A yes to "Are you *SURE* ...?" lets the install go on without bsd.
	noBSD := base + "Set name(s) = -bsd done\n"
	for _, tt := range []struct {
		sure    string
		refused bool
	}{
		{"", true},
		{"Are you *SURE* your install is complete without 'bsd' = y\n", false},
		{"Are you *SURE* your install is complete without 'bsd' = yes\n", false},
		{"Are you *SURE* your install is complete without 'bsd' = no\n", true},
	} {
		fs := Lint([]byte(noBSD+tt.sure), ModeInstall)
		if got := has(fs, Error, "no Set name(s) answer keeps bsd"); got != tt.refused {
			t.Errorf("with %q: bsd refused = %v, want %v:\n%s", tt.sure, got, tt.refused, findingList(fs))
		}
	}
}
