package migrate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"fugu/hardware"
)

var ifRe = regexp.MustCompile(`^[a-z]+[0-9]+$`)

// ParseIfMap parses --map values "old=new" (iwn0=iwm0). Each new name
// takes one old one.
func ParseIfMap(pairs []string) (map[string]string, error) {
	m := map[string]string{}
	from := map[string]string{} // new -> old
	for _, p := range pairs {
		old, to, ok := strings.Cut(p, "=")
		if !ok || !ifRe.MatchString(old) || !ifRe.MatchString(to) {
			return nil, fmt.Errorf("--map %q: expected OLD=NEW interface names such as iwn0=iwm0", p)
		}
		if prev, dup := m[old]; dup && prev != to {
			return nil, fmt.Errorf("--map: %s is mapped to both %s and %s", old, prev, to)
		}
		if prev, dup := from[to]; dup && prev != old {
			return nil, fmt.Errorf("--map: %s and %s are both mapped to %s", prev, old, to)
		}
		m[old], from[to] = to, old
	}
	return m, nil
}

// MapInterfaces decides which interface of the new machine takes over
// each physical interface of the old one: the explicit pairs first, then
// the interfaces both machines have under the same name and of the same
// kind, then wired to wired and wireless to wireless in the order the
// dmesgs list them, the old machine's configured interfaces (those with
// a hostname.if file) before the others, so that an unused port does
// not take the only counterpart of the one in use. Either Facts may be
// nil (no dmesg): then only explicit pairs apply. It also returns a note
// per decision, for the plan.
func MapInterfaces(old, cur *hardware.Facts, explicit map[string]string, configured map[string]bool) (map[string]string, []string) {
	m := map[string]string{}
	var notes []string
	used := map[string]bool{}
	for _, from := range sortedKeys(explicit) {
		m[from] = explicit[from]
		used[explicit[from]] = true
		notes = append(notes, fmt.Sprintf("%s -> %s (--map)", from, explicit[from]))
	}
	if old == nil || cur == nil {
		return m, notes
	}
	for _, i := range old.Interfaces {
		if _, done := m[i.Name]; done || used[i.Name] {
			continue
		}
		if slices.ContainsFunc(cur.Interfaces, func(c hardware.Interface) bool { return c.Name == i.Name && c.Wireless == i.Wireless }) {
			m[i.Name] = i.Name
			used[i.Name] = true
			notes = append(notes, fmt.Sprintf("%s -> %s (same name on both machines)", i.Name, i.Name))
		}
	}
	for _, wireless := range []bool{false, true} {
		var free []hardware.Interface
		for _, i := range cur.Interfaces {
			if i.Wireless == wireless && !used[i.Name] {
				free = append(free, i)
			}
		}
		// A stable sort keeps dmesg order within each group.
		olds := slices.Clone(old.Interfaces)
		slices.SortStableFunc(olds, func(a, b hardware.Interface) int {
			switch {
			case configured[a.Name] == configured[b.Name]:
				return 0
			case configured[a.Name]:
				return -1
			}
			return 1
		})
		for _, i := range olds {
			if i.Wireless != wireless {
				continue
			}
			if _, done := m[i.Name]; done {
				continue
			}
			kind := "wired"
			if wireless {
				kind = "wireless"
			}
			if len(free) == 0 {
				notes = append(notes, fmt.Sprintf("%s (%s): the new machine has no %s interface left", i.Name, kind, kind))
				continue
			}
			m[i.Name] = free[0].Name
			used[free[0].Name] = true
			notes = append(notes, fmt.Sprintf("%s -> %s (%s, dmesg order)", i.Name, free[0].Name, kind))
			free = free[1:]
		}
	}
	return m, notes
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type hwIf = hardware.Interface

// ConfiguredInterfaces names the interfaces inv has a hostname.if file
// for (hostname.em0, not hostname.<lladdr> nor pseudo-devices' files,
// which no dmesg lists anyway).
func ConfiguredInterfaces(inv *Inventory) map[string]bool {
	c := map[string]bool{}
	for p := range inv.Files {
		if name, ok := strings.CutPrefix(p, "/etc/hostname."); ok && ifRe.MatchString(name) {
			c[name] = true
		}
	}
	return c
}
