package packages

import (
	"slices"
	"strings"
)

// Change is a package present on both sides whose flavors, branch or
// version differ.
type Change struct {
	Old     Name     `json:"old"`
	New     Name     `json:"new"`
	Changed []string `json:"changed"` // "flavors", "branch", "version"
}

// Diff is what changes from one package list to another.
type Diff struct {
	Added   []Name   `json:"added"`
	Removed []Name   `json:"removed"`
	Changed []Change `json:"changed"`
}

// Empty reports whether the lists hold the same packages.
func (d Diff) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// DiffLists compares two lists by stem (case-insensitive). Entries that
// do not differ (see whatChanged) match first; a stem left over on both sides (python%3.11 and
// python%3.12 installed side by side, say) is paired in list order and
// reported as changed. A name listed twice on one side counts once, as
// pkg_add installs it once. Results are sorted by stem, then name.
func DiffLists(from, to []Name) Diff {
	var d Diff
	oldLeft, newLeft := byKey(uniqueNames(from)), byKey(uniqueNames(to))
	for key, olds := range oldLeft {
		ns := newLeft[key]
		// Exact matches first, so a pair of identical entries is never
		// reported as a change.
		olds = slices.DeleteFunc(slices.Clone(olds), func(o Name) bool {
			if i := slices.IndexFunc(ns, func(n Name) bool { return len(whatChanged(o, n)) == 0 }); i >= 0 {
				ns = slices.Delete(ns, i, i+1)
				return true
			}
			return false
		})
		for len(olds) > 0 && len(ns) > 0 {
			d.Changed = append(d.Changed, Change{Old: olds[0], New: ns[0], Changed: whatChanged(olds[0], ns[0])})
			olds, ns = olds[1:], ns[1:]
		}
		d.Removed = append(d.Removed, olds...)
		newLeft[key] = ns
	}
	for _, ns := range newLeft {
		d.Added = append(d.Added, ns...)
	}
	sortNames(d.Added)
	sortNames(d.Removed)
	slices.SortFunc(d.Changed, func(a, b Change) int { return compareNames(a.Old, b.Old) })
	return d
}

// whatChanged lists how b differs from a. Versions are compared only
// between two full names and branches only between two names without a
// version: pkg_info -m prints no branch, pkg_info -mz no version, and an
// unknown is not a change.
func whatChanged(a, b Name) []string {
	var c []string
	if !a.SameFlavors(b) {
		c = append(c, "flavors")
	}
	if a.Kind != Full && b.Kind != Full && a.Branch != b.Branch {
		c = append(c, "branch")
	}
	if a.Kind == Full && b.Kind == Full && a.Version != b.Version {
		c = append(c, "version")
	}
	return c
}

// uniqueNames drops the repeats of a name written the same way twice.
func uniqueNames(names []Name) []Name {
	seen := make(map[string]bool, len(names))
	out := make([]Name, 0, len(names))
	for _, n := range names {
		k := n.Kind.String() + " " + n.String()
		if !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out
}

func byKey(names []Name) map[string][]Name {
	m := make(map[string][]Name)
	for _, n := range names {
		m[n.Key()] = append(m[n.Key()], n)
	}
	return m
}

func sortNames(ns []Name) { slices.SortFunc(ns, compareNames) }

func compareNames(a, b Name) int {
	if c := strings.Compare(a.Key(), b.Key()); c != 0 {
		return c
	}
	return strings.Compare(a.String(), b.String())
}
