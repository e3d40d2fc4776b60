package profiles

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one invalid value, located in a file of the site.
type Problem struct {
	File    string // path inside the site fs, e.g. profiles/laptop.yaml
	Line    int    // 1-based; 0 when unknown
	Col     int    // 1-based; 0 when unknown
	Path    string // key path, e.g. network.interfaces[1].ipv4
	Message string // what is wrong (what was expected)
}

// String formats p as FILE:LINE:COL: key.path: message.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in a site or profile. It is the error
// Load and LoadProfileFile return when the input is invalid; use
// errors.As to get at the list.
type Problems []Problem

// Error lists the problems one per line, sorted by file, line and column.
func (ps Problems) Error() string {
	sorted := append(Problems(nil), ps...)
	sorted.sort()
	lines := make([]string, len(sorted))
	for i, p := range sorted {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Message < b.Message
	})
}

// dedup sorts ps and drops exact repeats: a value in a base profile is
// checked once per profile and machine that inherits it, but reported once.
func (ps Problems) dedup() Problems {
	ps.sort()
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}
