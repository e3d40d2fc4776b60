package packages

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Kind says which of the name forms a Name was written in.
type Kind int

const (
	// Bare is a stem alone ("vim", "python%3.12"): any version, any flavor.
	Bare Kind = iota
	// Fuzzy is stem--flavors ("vim--no_x11", "firefox--"): any version,
	// exactly these flavors. pkg_info -z prints this form.
	Fuzzy
	// Full is stem-version[-flavor...] ("vim-9.1.0707-no_x11").
	Full
)

func (k Kind) String() string {
	switch k {
	case Bare:
		return "bare"
	case Fuzzy:
		return "fuzzy"
	case Full:
		return "full"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MarshalText makes Kind print as a word in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Name is a package name or one of pkg_add's shorthands for one.
type Name struct {
	Stem    string   `json:"stem"`
	Version string   `json:"version,omitempty"` // only for Full names
	Flavors []string `json:"flavors"`           // sorted; empty means no flavor (Fuzzy, Full) or any (Bare)
	Branch  string   `json:"branch"`            // the word after %, e.g. 3.12 or stable; "" for none
	Kind    Kind     `json:"kind"`
}

// ParseName parses one package name in any form pkg_add -l accepts as a
// name: a full name, stem--flavors, a bare stem, each optionally followed
// by %branch. A trailing ".tgz" is removed as pkg_add does. Package names
// are ASCII: any other character (an invisible byte-order mark or
// zero-width space pasted along) is an error naming its column.
func ParseName(s string) (Name, error) {
	orig := s
	fail := func(format string, args ...any) (Name, error) {
		return Name{}, fmt.Errorf("package name %q: %s", orig, fmt.Sprintf(format, args...))
	}
	if s == "" {
		return fail("empty")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fail("contains a blank or control character %q", r)
		}
	}
	for i, r := range s {
		if r > '~' {
			return fail("character %U at column %d: package names are ASCII", r, i+1)
		}
	}
	if strings.ContainsAny(s, "/:") {
		return fail("a path or URL is not a package name")
	}
	if strings.HasPrefix(s, "#") {
		return fail("pkg_add -l has no comments: a line starting with # is read as a name")
	}
	if i := strings.IndexAny(s, specChars); i >= 0 {
		return fail("character %q at column %d: patterns, ranges and shell characters are not package names", s[i], i+1)
	}
	s = strings.TrimSuffix(s, ".tgz")
	var n Name
	if i := strings.LastIndexByte(s, '%'); i >= 0 {
		n.Branch = s[i+1:]
		s = s[:i]
		if n.Branch == "" {
			return fail("empty branch after %%")
		}
		if strings.ContainsAny(n.Branch, "%-") {
			return fail("branch %q: must not contain %% or -", n.Branch)
		}
	}
	if i := strings.Index(s, "--"); i >= 0 {
		n.Kind = Fuzzy
		n.Stem = s[:i]
		if versionStart(n.Stem) >= 0 {
			return fail("stem %q contains a version; write stem--flavors without it", n.Stem)
		}
		if rest := s[i+2:]; rest != "" {
			n.Flavors = strings.Split(rest, "-")
		}
	} else if i := versionStart(s); i >= 0 {
		n.Kind = Full
		n.Stem = s[:i-1]
		parts := strings.Split(s[i:], "-")
		n.Version = parts[0]
		n.Flavors = parts[1:]
		if _, err := ParseVersion(n.Version); err != nil {
			return fail("%v", err)
		}
	} else {
		n.Stem = s
	}
	if err := checkStem(n.Stem); err != nil {
		return fail("%v", err)
	}
	for _, f := range n.Flavors {
		if err := checkFlavor(f); err != nil {
			return fail("%v", err)
		}
	}
	slices.Sort(n.Flavors)
	if n.Flavors == nil {
		n.Flavors = []string{}
	}
	return n, nil
}

// specChars are characters of dependency specs (globs, ranges,
// alternatives, flavor exclusions) and of the shell. None occurs in a real
// package name; rejecting them keeps list files and command lines plain.
const specChars = "*?[]|<>=!,'\"`$;&(){}#\\"

// versionStart returns the index just after the first dash that is
// followed by a digit, or -1: that digit starts the version.
func versionStart(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '-' && s[i+1] >= '0' && s[i+1] <= '9' {
			return i + 1
		}
	}
	return -1
}

func checkStem(stem string) error {
	switch {
	case stem == "":
		return fmt.Errorf("empty stem")
	case strings.HasPrefix(stem, "-") || strings.HasSuffix(stem, "-"):
		return fmt.Errorf("stem %q: must not start or end with a dash", stem)
	case strings.Contains(stem, "%"):
		return fmt.Errorf("stem %q: must not contain %%", stem)
	}
	return nil
}

func checkFlavor(f string) error {
	switch {
	case f == "":
		return fmt.Errorf("empty flavor (two dashes in a row)")
	case f[0] >= '0' && f[0] <= '9':
		return fmt.Errorf("flavor %q: must not start with a digit", f)
	}
	return nil
}

// String renders the name in the form it was parsed from, with flavors in
// sorted order (pkg_add compares flavor sets, so order does not matter).
func (n Name) String() string {
	var b strings.Builder
	b.WriteString(n.Stem)
	switch n.Kind {
	case Fuzzy:
		b.WriteString("--")
		b.WriteString(strings.Join(n.Flavors, "-"))
	case Full:
		b.WriteString("-")
		b.WriteString(n.Version)
		for _, f := range n.Flavors {
			b.WriteString("-")
			b.WriteString(f)
		}
	}
	if n.Branch != "" {
		b.WriteString("%")
		b.WriteString(n.Branch)
	}
	return b.String()
}

// Fuzzy returns the name in pkg_info -z form, stem--flavors[%branch]: the
// version is dropped, so the name resolves against any release. A Bare
// name stays bare (it means "any flavor", which stem-- would not).
func (n Name) Fuzzy() Name {
	if n.Kind == Full {
		n.Kind = Fuzzy
		n.Version = ""
	}
	return n
}

// Key is the lower-cased stem, which is how pkg_add indexes packages.
func (n Name) Key() string { return strings.ToLower(n.Stem) }

// SameFlavors reports whether n and m have the same flavor set: as a
// set, as PackageName.pm keeps them (a hash), so vim--gtk3-gtk3 is
// vim--gtk3.
func (n Name) SameFlavors(m Name) bool {
	return slices.Equal(slices.Compact(slices.Clone(n.Flavors)), slices.Compact(slices.Clone(m.Flavors)))
}

// Validate checks a Name built in code (not by ParseName) before it is
// written to a list: it must render to a name ParseName reads back the
// same, with no blank that pkg_add -l would cut at.
func (n Name) Validate() error {
	s := n.String()
	m, err := ParseName(s)
	if err != nil {
		return err
	}
	if m.Stem != n.Stem || m.Version != n.Version || !m.SameFlavors(n) || m.Branch != n.Branch || m.Kind != n.Kind {
		return fmt.Errorf("package name %q: does not read back as itself (reads as %q, %s)", s, m.String(), m.Kind)
	}
	return nil
}
