package home

import (
	"strings"
	"testing"
)

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pat   string
		path  string
		isDir bool
		want  bool
	}{
		{"*.o", "main.o", false, true},
		{"*.o", "src/x/main.o", false, true},
		{"*.o", "main.oo", false, false},
		{"*.o", "a.o/b", false, false},
		{"core", "core", false, true},
		{"core", "src/core", false, true},
		{"core", "core.c", false, false},
		{".git/", "proj/.git", true, true},
		{".git/", "proj/.git", false, false},
		{"/build", "build", true, true},
		{"/build", "src/build", true, false},
		{"foo/bar", "x/foo/bar", false, true},
		{"foo/bar", "xfoo/bar", false, false},
		{"a/**/z", "a/b/c/z", false, true},
		{"a/*/z", "a/b/c/z", false, false},
		{"file?.txt", "file1.txt", false, true},
		{"file?.txt", "file/.txt", false, false},
		{"[abc].c", "b.c", false, true},
		{"[!abc].c", "b.c", false, false},
		{"[!abc].c", "d.c", false, true},
		{"*~", "notes~", false, true},
		{"#*", "#autosave#", false, true},
		{"_$*", "_$x", false, true},
		{"*$", "x$", false, true},
		{`\*`, "*", false, true},
		{`\*`, "x", false, false},
		{"cvslog.*", "cvslog.1", false, true},
		// Names beyond ASCII: a Downloads folder in French or Russian,
		// one character for "?", and Latin-1 bytes (not UTF-8) byte
		// for byte.
		{"Téléchargements/", "Téléchargements", true, true},
		{"Загрузки", "home/Загрузки", true, true},
		{"日本語.txt", "日本語.txt", false, true},
		{"caf?", "café", false, true},
		{"caf?", "cafée", false, false},
		{"[é]t[éè]", "été", false, true},
		{"[!é]", "é", false, false},
		{"caf\xe9", "caf\xe9", false, true},
		{"caf\xe9", "caf\xe8", false, false},
		{"caf\xe9", "café", false, false},
		{"caf?", "caf\xe9", false, true},
		{"*.bak", "d\xff/x.bak", false, true},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pat)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tt.pat, err)
			continue
		}
		if got := p.Match(tt.path, tt.isDir); got != tt.want {
			t.Errorf("ParsePattern(%q).Match(%q, dir=%v) = %v, want %v", tt.pat, tt.path, tt.isDir, got, tt.want)
		}
	}
}

func TestParsePatternErrors(t *testing.T) {
	for _, s := range []string{"", "/", "[abc", "a/[x"} {
		if _, err := ParsePattern(s); err == nil {
			t.Errorf("ParsePattern(%q) = nil error", s)
		}
	}
}

func TestParseExcludeFile(t *testing.T) {
	in := "# comment\n*.o\n\n; also a comment\n/build/\n[oops\n"
	_, err := ParseExcludeFile(strings.NewReader(in), "ex.txt")
	if err == nil || !strings.Contains(err.Error(), "ex.txt:6:") {
		t.Fatalf("error = %v, want one naming ex.txt:6", err)
	}
	x, err := ParseExcludeFile(strings.NewReader("*.o\n/build/\n"), "ex.txt")
	must(t, err)
	if p, ok := x.Match("build", true); !ok || p.Text != "/build/" {
		t.Errorf("Match(build) = %v, %v", p, ok)
	}
}

func TestCVSExcludesParse(t *testing.T) {
	for _, s := range CVSExcludes {
		if _, err := ParsePattern(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// FuzzParsePattern: any pattern either fails to parse with an error or
// matches without panicking.
func FuzzParsePattern(f *testing.F) {
	for _, s := range CVSExcludes {
		f.Add(s, "a/b.o")
	}
	f.Add("[!a-z]*/**/x?", "q/r/x1")
	f.Add(`\`, `\`)
	f.Fuzz(func(t *testing.T, pat, path string) {
		p, err := ParsePattern(pat)
		if err != nil {
			return
		}
		p.Match(path, true)
		p.Match(path, false)
	})
}
