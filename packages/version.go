package packages

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is a package version as PackageName.pm reads it: dotted "dewey"
// parts, an optional suffix (alpha, beta, rc, pre, pl) on the last part,
// an OpenBSD patch level pN (REVISION) and an epoch vN (EPOCH).
type Version struct {
	Parts       []string // dewey parts, suffix removed from the last one
	Suffix      string   // alpha, beta, rc, pre, pl or ""
	SuffixValue int
	Patch       int // pN; -1 when absent, which sorts below p0
	Epoch       int // vN; -1 when absent
}

var suffixRe = regexp.MustCompile(`^(\d+)(rc|alpha|beta|pre|pl)(\d*)$`)

// cutNumberSuffix splits s = REST + letter + DIGITS (as the regexp
// ^(.*)letter(\d+)$ would) into the number and REST; without such a
// suffix it returns -1 and s unchanged.
func cutNumberSuffix(s string, letter byte) (int, string, error) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || i == 0 || s[i-1] != letter {
		return -1, s, nil
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return -1, s, err
	}
	return n, s[:i-1], nil
}

// ParseVersion parses the version part of a package name (what follows
// the stem's dash, up to the next dash). It must start with a digit and
// contain no dash.
func ParseVersion(s string) (Version, error) {
	v := Version{Patch: -1, Epoch: -1}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return v, fmt.Errorf("version %q: must start with a digit", s)
	}
	if strings.ContainsAny(s, "- \t") {
		return v, fmt.Errorf("version %q: must not contain a dash or blank", s)
	}
	// Same order as PackageName.pm: the epoch is the last thing, pN before it.
	var err error
	if v.Epoch, s, err = cutNumberSuffix(s, 'v'); err != nil {
		return v, fmt.Errorf("version %q: epoch: %w", s, err)
	}
	if v.Patch, s, err = cutNumberSuffix(s, 'p'); err != nil {
		return v, fmt.Errorf("version %q: patch level: %w", s, err)
	}
	v.Parts = strings.Split(s, ".")
	last := v.Parts[len(v.Parts)-1]
	if m := suffixRe.FindStringSubmatch(last); m != nil {
		v.Parts[len(v.Parts)-1] = m[1]
		v.Suffix = m[2]
		if m[3] != "" {
			n, err := strconv.Atoi(m[3])
			if err != nil {
				return v, fmt.Errorf("version %q: suffix number: %w", s, err)
			}
			v.SuffixValue = n
		}
	}
	return v, nil
}

// String renders v back in package-name form.
func (v Version) String() string {
	var b strings.Builder
	b.WriteString(strings.Join(v.Parts, "."))
	if v.Suffix != "" {
		b.WriteString(v.Suffix)
		if v.SuffixValue != 0 {
			b.WriteString(strconv.Itoa(v.SuffixValue))
		}
	}
	if v.Patch >= 0 {
		fmt.Fprintf(&b, "p%d", v.Patch)
	}
	if v.Epoch >= 0 {
		fmt.Fprintf(&b, "v%d", v.Epoch)
	}
	return b.String()
}

// Compare orders two versions the way pkg_add does: epoch first, then
// the dewey parts, then the suffix, then the patch level. It returns -1, 0
// or +1. rc and pre are not comparable with each other and compare equal.
// Unlike PackageName.pm, which looks at pN only when the dewey strings are
// identical, versions that are numerically equal (1.01 and 1.1) are
// ordered by pN too.
func (v Version) Compare(w Version) int {
	if c := cmpInt(v.Epoch, w.Epoch); c != 0 {
		return c
	}
	for i := 0; i < len(v.Parts) || i < len(w.Parts); i++ {
		switch {
		case i >= len(v.Parts):
			return -1
		case i >= len(w.Parts):
			return 1
		}
		if c := deweyCompare(v.Parts[i], w.Parts[i]); c != 0 {
			return c
		}
	}
	if c := suffixCompare(v, w); c != 0 {
		return c
	}
	return cmpInt(v.Patch, w.Patch)
}

var numLetterRe = regexp.MustCompile(`^(\d+)([a-z]?)$`)

// deweyCompare compares one dotted part: numbers numerically, a number
// followed by one lowercase letter by number then letter, else as strings.
func deweyCompare(a, b string) int {
	ma, mb := numLetterRe.FindStringSubmatch(a), numLetterRe.FindStringSubmatch(b)
	if ma == nil || mb == nil {
		return strings.Compare(a, b)
	}
	if c := cmpDigits(ma[1], mb[1]); c != 0 {
		return c
	}
	return strings.Compare(ma[2], mb[2])
}

// cmpDigits compares two decimal digit strings numerically without
// overflowing: leading zeros are dropped, then length decides.
func cmpDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return cmpInt(len(a), len(b))
	}
	return strings.Compare(a, b)
}

// suffixRank orders suffixes: alpha < beta < rc = pre < none < pl.
var suffixRank = map[string]int{"alpha": 0, "beta": 1, "rc": 2, "pre": 2, "": 3, "pl": 4}

func suffixCompare(v, w Version) int {
	if v.Suffix == w.Suffix {
		return cmpInt(v.SuffixValue, w.SuffixValue)
	}
	return cmpInt(suffixRank[v.Suffix], suffixRank[w.Suffix])
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
