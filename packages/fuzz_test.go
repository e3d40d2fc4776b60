package packages

import (
	"bytes"
	"os"
	"path/filepath"
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
		if err != nil {
			return
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
	f.Fuzz(func(t *testing.T, data []byte) {
		names, _ := ParseList(bytes.NewReader(data))
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
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		ix, _ := ParseIndex(bytes.NewReader(data))
		n, err := ParseName(name)
		if err != nil {
			return
		}
		for _, c := range ix.Check([]Name{n}) {
			if c.Name.String() != n.String() {
				t.Fatalf("Check changed the name: %v", c.Name)
			}
		}
	})
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
