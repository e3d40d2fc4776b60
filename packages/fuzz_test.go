package packages

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func seedLines(f *testing.F) {
	files, _ := filepath.Glob("testdata/pkg_info-*.txt")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(line)
		}
	}
}

// FuzzParseName checks that every name that parses renders to a string
// that parses back to the same name, and that Validate agrees.
func FuzzParseName(f *testing.F) {
	seedLines(f)
	for _, s := range []string{"vim--no_x11", "python--%3.12", "postfix--sasl2%stable", "screen-4.9.1v0", "foo-1.0rc1p2v3-a-b", "x%", "-", "--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseName(s)
		again, err2 := ParseName(s)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(n, again) {
			t.Fatalf("ParseName(%q) is not deterministic: %v, %v", s, err, err2)
		}
		if err != nil {
			if !reflect.DeepEqual(n, Name{}) {
				t.Fatalf("ParseName(%q) = %+v and an error %v", s, n, err)
			}
			if !strings.HasPrefix(err.Error(), "package name "+strconv.Quote(s)+": ") {
				t.Fatalf("ParseName(%q) error does not name the input: %v", s, err)
			}
			if m := columnRE.FindStringSubmatch(err.Error()); m != nil {
				if c, _ := strconv.Atoi(m[1]); c < 1 || c > len(s) {
					t.Fatalf("ParseName(%q) error names column %d of %d: %v", s, c, len(s), err)
				}
			}
			return
		}
		// The name is written into pkg_add -l files and install.site's
		// command line: plain printable ASCII, no shell or spec character.
		for i := 0; i < len(n.String()); i++ {
			if c := n.String()[i]; c <= ' ' || c > '~' || strings.IndexByte(specChars, c) >= 0 {
				t.Fatalf("ParseName(%q) renders as %q, with %q", s, n.String(), c)
			}
		}
		back, err := ParseName(n.String())
		if err != nil {
			t.Fatalf("ParseName(%q) = %q, which does not parse: %v", s, n.String(), err)
		}
		if back.String() != n.String() || back.Kind != n.Kind {
			t.Fatalf("ParseName(%q) = %q (%s), reads back as %q (%s)", s, n, n.Kind, back, back.Kind)
		}
		if err := n.Validate(); err != nil {
			t.Fatalf("ParseName(%q).Validate() = %v", s, err)
		}
		if n.Kind == Full {
			if _, err := ParseVersion(n.Version); err != nil {
				t.Fatalf("ParseName(%q) has an unparsable version: %v", s, err)
			}
		}
		if strings.ContainsAny(n.String(), " \t\n") {
			t.Fatalf("ParseName(%q) renders with a blank", s)
		}
	})
}

// FuzzParseList checks that a list that parses renders (WriteList) and
// reads back to the same names.
func FuzzParseList(f *testing.F) {
	files, _ := filepath.Glob("testdata/pkg_info-*.txt")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	f.Add([]byte("vim--no_x11\n\tbad\nfoo*\n\ufeffx\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		names, err := ParseList(bytes.NewReader(data))
		checkLineErrors(t, data, err)
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n.String()] {
				t.Fatalf("ParseList returns %s twice", n)
			}
			seen[n.String()] = true
			if isFirmware(n) {
				t.Fatalf("ParseList returns the firmware package %s", n)
			}
		}
		var b bytes.Buffer
		if err := WriteList(&b, names); err != nil {
			t.Fatalf("WriteList of parsed names: %v", err)
		}
		back, err := ParseList(&b)
		if err != nil {
			t.Fatalf("rendered list does not parse: %v\n%s", err, b.String())
		}
		if strs(back) != strs(names) {
			t.Fatalf("round trip: %s != %s", strs(back), strs(names))
		}
	})
}

// FuzzParseIndex checks that the index parser and Check never panic.
func FuzzParseIndex(f *testing.F) {
	for _, file := range []string{"testdata/index.txt", "testdata/SHA256"} {
		data, _ := os.ReadFile(file)
		f.Add(data, "python--%3.11")
	}
	f.Add([]byte("SHA256 (vim-9.1.0707-no_x11.tgz) = AbC+/=\n-rw-r--r--  1 0  0  1 Jan  1 00:00 python-3.12.1p0.tgz\n"), "vim--gtk3")
	f.Add([]byte("x-1.0.tgz\nx-2.0-a.tgz\nx-2.0-b.tgz\n"), "X")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		ix, err := ParseIndex(bytes.NewReader(data))
		if err != nil && len(ix.Packages) == 0 && strings.HasPrefix(err.Error(), "no packages found: ") {
			err = nil // about the whole file, which has no line to name
		}
		checkLineErrors(t, data, err)
		for _, p := range ix.Packages {
			if p.Kind != Full || p.Branch != "" {
				t.Fatalf("index holds %s (%s, branch %q)", p, p.Kind, p.Branch)
			}
		}
		n, err := ParseName(name)
		if err != nil {
			return
		}
		for _, c := range ix.Check([]Name{n}) {
			if c.Name.String() != n.String() {
				t.Fatalf("Check changed the name: %v", c.Name)
			}
			// A suggestion is a name to write into the list instead.
			if c.Suggestion != "" {
				s, err := ParseName(c.Suggestion)
				if err != nil || s.Validate() != nil {
					t.Fatalf("Check(%s) suggests %q: %v", n, c.Suggestion, err)
				}
			}
			if c.Installable() && c.Reason != "" && c.Status == OK {
				t.Fatalf("Check(%s) is OK with a reason: %s", n, c.Reason)
			}
		}
	})
}

var columnRE = regexp.MustCompile(`at column ([0-9]+)`)

// checkLineErrors checks that every error of a list or index names a
// line of data (or the line after the last, for a read error there).
func checkLineErrors(t *testing.T, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var le *LineError
		if !errors.As(e, &le) {
			t.Fatalf("error names no line: %v", e)
		}
		if le.Line < 1 || le.Line > lines {
			t.Fatalf("error on line %d of %d: %v", le.Line, lines, e)
		}
	}
}

func TestVersionCompareVsVersionSort(t *testing.T) {
	// Sanity check on ordering being a total preorder for a sample.
	vs := []string{"1.0alpha", "1.0beta2", "1.0rc1", "1.0", "1.0p0", "1.0pl1", "1.1", "1.0v0"}
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			a, _ := ParseVersion(vs[i])
			b, _ := ParseVersion(vs[j])
			if a.Compare(b) >= 0 {
				t.Errorf("%s should sort before %s", vs[i], vs[j])
			}
		}
	}
}

// FuzzParseVersion checks that a version that parses renders back to one
// that compares equal and renders the same, and that Compare is
// reflexive and antisymmetric.
func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.0", "9.1.0707", "3.12.1p0", "1.0rc1p2v3", "2.4.59v1", "1.0pl1", "10b", "1.01", "0p", "1v"} {
		f.Add(s, "1.0")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, err := ParseVersion(a)
		if err != nil {
			return
		}
		back, err := ParseVersion(va.String())
		if err != nil || back.Compare(va) != 0 || back.String() != va.String() {
			t.Fatalf("ParseVersion(%q) renders as %q, which reads back as %q (%v)", a, va.String(), back.String(), err)
		}
		if va.Compare(va) != 0 {
			t.Fatalf("%q does not compare equal to itself", a)
		}
		vb, err := ParseVersion(b)
		if err != nil {
			return
		}
		if ab, ba := va.Compare(vb), vb.Compare(va); ab != -ba || ab < -1 || ab > 1 {
			t.Fatalf("Compare(%q, %q) = %d, Compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
	})
}
