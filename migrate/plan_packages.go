package migrate

import (
	"fmt"
	"strings"

	"fugu/packages"
)

// planPackages lists the old machine's packages that the new one lacks,
// checked against the release index when there is one: renamed stems and
// stale branches are rewritten to the suggested name, entries with no
// replacement go to Missing.
func planPackages(old, cur []packages.Name, ix *packages.Index) PackagePlan {
	pp := PackagePlan{Add: []packages.Name{}, Present: []packages.Name{}, Replaced: []Replacement{}, Missing: []packages.Finding{}}
	for _, n := range old {
		if strings.HasPrefix(n.Stem, "partial-") {
			// pkg_add's record of an installation that failed halfway
			// (OpenBSD::PackageInfo borked_package): no such package exists.
			pp.Notes = append(pp.Notes, fmt.Sprintf("%s: an installation pkg_add left unfinished on the old machine; not moved (add %s by hand if it is wanted)", n, strings.TrimPrefix(n.Stem, "partial-")))
			continue
		}
		n = n.Fuzzy()
		if installed(cur, n) {
			pp.Present = append(pp.Present, n)
			continue
		}
		if ix == nil {
			pp.Add = append(pp.Add, n)
			continue
		}
		f := ix.Check([]packages.Name{n})[0]
		switch {
		case f.Installable():
			if f.Status == packages.BranchUnchecked {
				pp.Notes = append(pp.Notes, fmt.Sprintf("%s: %s", n, f.Reason))
			}
			pp.Add = append(pp.Add, n)
		case f.Suggestion != "":
			r, err := packages.ParseName(f.Suggestion)
			if err != nil {
				pp.Missing = append(pp.Missing, f)
				continue
			}
			pp.Replaced = append(pp.Replaced, Replacement{From: n, To: r, Reason: f.Reason})
			if installed(cur, r) {
				pp.Present = append(pp.Present, r)
			} else {
				pp.Add = append(pp.Add, r)
			}
		default:
			pp.Missing = append(pp.Missing, f)
		}
	}
	if ix == nil && len(pp.Add) > 0 {
		pp.Notes = append(pp.Notes, "not checked against the new release's packages (no index given, see --index): a name it renamed or dropped fails at pkg_add")
	}
	return pp
}

// installed reports whether list has a package satisfying n: same stem,
// the same flavors unless n is bare, the same branch when both name one.
func installed(list []packages.Name, n packages.Name) bool {
	for _, c := range list {
		if c.Key() != n.Key() {
			continue
		}
		if n.Kind != packages.Bare && !c.SameFlavors(n) {
			continue
		}
		if n.Branch != "" && c.Branch != "" && n.Branch != c.Branch {
			continue
		}
		if n.Branch != "" && c.Branch == "" && c.Kind != packages.Full {
			continue
		}
		return true
	}
	return false
}
