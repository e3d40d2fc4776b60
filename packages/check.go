package packages

import (
	"fmt"
	"slices"
	"strings"
)

// Status is the verdict on one list entry checked against an index.
type Status string

const (
	OK              Status = "ok"
	NoPackage       Status = "no-package"       // no package with that stem
	InBase          Status = "in-base"          // the base system has it now
	NoFlavor        Status = "no-flavor"        // the stem exists, not with these flavors
	NoBranch        Status = "no-branch"        // the stem exists, not on that branch
	NoVersion       Status = "no-version"       // a full name whose exact version is gone
	Ambiguous       Status = "ambiguous"        // a bare stem with several flavors: pkg_add -I refuses it
	BranchUnchecked Status = "branch-unchecked" // a word branch (%stable): an index cannot tell
)

// Finding is the result of checking one list entry.
type Finding struct {
	Name       Name     `json:"name"`
	Status     Status   `json:"status"`
	Reason     string   `json:"reason,omitempty"`
	Suggestion string   `json:"suggestion,omitempty"` // a name to use instead
	Available  []string `json:"available,omitempty"`  // flavor sets or branches that exist
}

// Installable reports whether pkg_add -I -l would install the entry as it
// is written. BranchUnchecked counts as installable: the stem exists and
// only the port path (not in an index) could refute the branch.
func (f Finding) Installable() bool { return f.Status == OK || f.Status == BranchUnchecked }

// Check checks each name against the index the way pkg_add resolves list
// entries, and for each one that would fail says why and what to use
// instead. The order of the result is the order of names.
func (ix *Index) Check(names []Name) []Finding {
	out := make([]Finding, 0, len(names))
	for _, n := range names {
		out = append(out, ix.check(n))
	}
	return out
}

func (ix *Index) check(n Name) Finding {
	f := Finding{Name: n, Status: OK}
	cands := ix.Lookup(n.Stem)
	if len(cands) == 0 {
		return ix.missing(n)
	}
	if n.Kind != Bare && !slices.ContainsFunc(cands, func(c Name) bool { return c.Stem == n.Stem }) {
		// pkg_add lower-cases only a bare stem; stem--flavors becomes a
		// pattern and a full name a file name, both matched as written.
		s := n
		s.Stem = cands[0].Stem
		f.Status, f.Suggestion = NoPackage, s.String()
		f.Reason = fmt.Sprintf("no package named %s; the index has %s, and pkg_add matches a name with flavors or a version case and all", n.Stem, cands[0].Stem)
		return f
	}
	if n.Branch != "" {
		if !numericBranch(n.Branch) {
			f.Status = BranchUnchecked
			f.Reason = fmt.Sprintf("%s exists; branch %%%s cannot be checked against an index (it has no port paths)", n.Stem, n.Branch)
		} else {
			onBranch := slices.DeleteFunc(slices.Clone(cands), func(c Name) bool { return !onBranch(c, n.Branch) })
			if len(onBranch) == 0 {
				branches := availableBranches(cands, strings.Count(n.Branch, ".")+1)
				f.Status, f.Available = NoBranch, branches
				f.Reason = fmt.Sprintf("no %s on branch %s; the index has %s", n.Stem, n.Branch, strings.Join(branches, ", "))
				if len(branches) > 0 {
					s := n
					s.Branch = branches[0]
					f.Suggestion = s.String()
				}
				return f
			}
			cands = onBranch
		}
	}
	sets := flavorSets(cands)
	switch n.Kind {
	case Bare:
		if len(sets) > 1 {
			f.Status, f.Available = Ambiguous, sets
			f.Reason = fmt.Sprintf("%s comes in several flavors (%s); pkg_add -I refuses an ambiguous name", n.Stem, strings.Join(sets, ", "))
		}
	case Fuzzy, Full:
		if !slices.ContainsFunc(cands, n.SameFlavors) {
			f.Status, f.Available = NoFlavor, sets
			f.Reason = fmt.Sprintf("no %s with flavors %s; available: %s", n.Stem, flavorLabel(n.Flavors), strings.Join(sets, ", "))
			if len(sets) == 1 {
				s := n.Fuzzy()
				s.Flavors = cands[0].Flavors
				f.Suggestion = s.String()
			}
			return f
		}
		if n.Kind == Full && !slices.ContainsFunc(cands, func(c Name) bool { return c.Version == n.Version && c.SameFlavors(n) }) {
			f.Status = NoVersion
			f.Reason = fmt.Sprintf("version %s is not in the index (has %s); a full name must match exactly unless pkg_add -z", n.Version, newest(cands, n).Version)
			f.Suggestion = n.Fuzzy().String()
			// The fuzzy name must not be ambiguous itself (python-3.11.10
			// with 3.12 and 3.13 in the index): then name the newest branch.
			var g Finding
			if severalVersions(&g, n.Fuzzy(), cands); g.Suggestion != "" {
				f.Suggestion = g.Suggestion
			}
		}
	}
	// A numeric branch can still name several ports: %3 is a word of
	// lang/python/3.12 and of lang/python/3.13.
	if f.Status == OK && n.Kind != Full && (n.Branch == "" || numericBranch(n.Branch)) {
		severalVersions(&f, n, cands)
	}
	return f
}

// severalVersions marks f ambiguous when the index has the name in more
// than one version: an index holds one version of a port, so two are
// two branches (python 3.12 and 3.13, lang/python/3.12 and 3.13), and
// pkg_add keeps both and says "Ambiguous" unless a branch is given.
// Versions that differ only in pN or vN (2.49.0, 2.49.0p1) are builds of
// one port, of which pkg_add keeps the newest: no ambiguity.
func severalVersions(f *Finding, n Name, cands []Name) {
	var versions, ports []string
	var deweys [][]string
	for _, c := range cands {
		if (n.Kind == Bare || c.SameFlavors(n)) && !slices.Contains(versions, c.Version) {
			versions = append(versions, c.Version)
			parts := versionParts(c.Version)
			if p := strings.Join(parts, "."); !slices.Contains(ports, p) {
				ports = append(ports, p)
				deweys = append(deweys, parts)
			}
		}
	}
	if len(ports) < 2 {
		return
	}
	f.Status, f.Available = Ambiguous, availableBranches(cands, branchDepth(deweys))
	f.Reason = fmt.Sprintf("the index has %s in several versions (%s), one a branch; pkg_add -I refuses the name without a branch", n.Stem, strings.Join(versions, ", "))
	if n.Branch != "" {
		f.Reason = fmt.Sprintf("the index has %s in several versions (%s), one a branch, and %%%s matches more than one; pkg_add -I refuses the name", n.Stem, strings.Join(versions, ", "), n.Branch)
	}
	if len(f.Available) > 0 {
		s := n
		s.Branch = f.Available[0]
		f.Suggestion = s.String()
	}
}

// branchDepth is how many dotted parts of a version name its branch: the
// fewest that tell the versions apart. pkg_add matches %BRANCH as a whole
// word of the port's path, so llvm 18 and 19 (devel/llvm/18, 19) need
// one part, python 3.12 and 3.13 (lang/python/3.12, 3.13) two; a longer
// branch (%19.1) is not a word of devel/llvm/19 and finds nothing.
func branchDepth(versions [][]string) int {
	most := 0
	for _, v := range versions {
		most = max(most, len(v))
	}
	for d := 1; d < most; d++ {
		seen := map[string]bool{}
		distinct := true
		for _, v := range versions {
			b := strings.Join(v[:min(d, len(v))], ".")
			distinct = distinct && !seen[b]
			seen[b] = true
		}
		if distinct {
			return d
		}
	}
	return max(most, 1)
}

// versionParts is the dotted parts of a version, without its suffix,
// pN or vN; the whole string when it does not parse.
func versionParts(v string) []string {
	pv, err := ParseVersion(v)
	if err != nil {
		return []string{v}
	}
	return pv.Parts
}

// missing explains an entry whose stem the index does not have.
func (ix *Index) missing(n Name) Finding {
	f := Finding{Name: n, Status: NoPackage, Reason: fmt.Sprintf("no package named %s in the index", n.Stem)}
	if file, ok := lookupFold(inBase, n.Stem); ok {
		f.Status = InBase
		f.Reason = fmt.Sprintf("%s is part of the base system now", n.Stem)
		if file != "" {
			f.Reason += " (" + file + ")"
		}
		return f
	}
	if why, ok := lookupFold(obsolete, n.Stem); ok {
		f.Reason = fmt.Sprintf("%s is obsolete: %s", n.Stem, why)
	}
	if r := replacementStem(n.Stem); r != "" {
		if cands := ix.Lookup(r); len(cands) > 0 {
			s := n.Fuzzy()
			s.Stem = cands[0].Stem
			s.Branch = ""
			if s.Kind == Fuzzy && !slices.ContainsFunc(cands, s.SameFlavors) {
				s.Flavors = newest(cands, s).Flavors
			}
			f.Suggestion = s.String()
			f.Reason = fmt.Sprintf("%s was renamed %s", n.Stem, cands[0].Stem)
		}
	}
	return f
}

// numericBranch reports whether b looks like a version (3.12, 15): those
// branches can be checked against package versions.
func numericBranch(b string) bool { return b != "" && b[0] >= '0' && b[0] <= '9' }

// onBranch reports whether a package's version lies on a numeric branch:
// python-3.12.7 is on 3.12. The real test is the port path
// (lang/python/3.12), which an index does not carry; versions follow it
// for every branched port we know of.
func onBranch(c Name, branch string) bool {
	// The dotted parts only: autoconf-2.69p3 is on 2.69 (pN and vN are
	// the port's own revisions, not part of its path).
	v := c.Version
	if pv, err := ParseVersion(v); err == nil {
		v = strings.Join(pv.Parts, ".")
	}
	return v == branch || strings.HasPrefix(v, branch+".")
}

// availableBranches lists the branches of the index's versions with
// depth dotted parts, newest first.
func availableBranches(cands []Name, depth int) []string {
	var vs []Version
	seen := map[string]bool{}
	for _, c := range cands {
		v, err := ParseVersion(c.Version)
		if err != nil || len(v.Parts) < depth {
			continue
		}
		b := strings.Join(v.Parts[:depth], ".")
		if !seen[b] {
			seen[b] = true
			vs = append(vs, Version{Parts: v.Parts[:depth], Patch: -1, Epoch: -1})
		}
	}
	slices.SortFunc(vs, func(a, b Version) int { return b.Compare(a) })
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// flavorSets lists the distinct flavor sets of cands, sorted.
func flavorSets(cands []Name) []string {
	var sets []string
	for _, c := range cands {
		if l := flavorLabel(c.Flavors); !slices.Contains(sets, l) {
			sets = append(sets, l)
		}
	}
	slices.Sort(sets)
	return sets
}

func flavorLabel(fl []string) string {
	if len(fl) == 0 {
		return "(none)"
	}
	return strings.Join(fl, "-")
}

// newest returns the newest candidate, preferring those with n's flavors.
func newest(cands []Name, n Name) Name {
	best, bestV, bestSame := cands[0], Version{}, false
	for i, c := range cands {
		v, _ := ParseVersion(c.Version)
		same := c.SameFlavors(n)
		if i == 0 || (same && !bestSame) || (same == bestSame && v.Compare(bestV) > 0) {
			best, bestV, bestSame = c, v, same
		}
	}
	return best
}
