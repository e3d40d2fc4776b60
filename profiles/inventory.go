package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// readInventory parses machines.yaml, checks it, and resolves each
// machine: its profile's node with the machine's set: overrides on top.
func (l *loader) readInventory(site *Site) {
	const file = InventoryFile
	data, err := fs.ReadFile(l.fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		l.ps = append(l.ps, Problem{File: file, Message: errNoInventory.Error()})
		return
	}
	if err != nil {
		l.ps = append(l.ps, Problem{File: file, Message: fmt.Sprintf("read: %v", err)})
		return
	}
	n, ps := parseYAML(file, data, l.origin)
	l.ps = append(l.ps, ps...)
	if n == nil {
		return
	}
	// An unknown key is one problem among the rest: the entries are still
	// checked. A value of the wrong kind stops the check here, as in a
	// profile: what did not decode would be reported as missing.
	l.ps = append(l.ps, checkKeys(n, reflect.TypeFor[Inventory](), "", l.origin)...)
	var inv Inventory
	if ps := decodeNode(n, &inv, file); len(ps) > 0 {
		l.ps = append(l.ps, l.novel(ps)...)
		return
	}
	r := &reporter{root: n, origin: l.origin, fallback: file}
	r.checkScalars(n, "")
	if d := inv.Defaults.Profile; d != "" && l.raw[d] == nil && !l.broken[d] {
		r.add("defaults.profile", fmt.Errorf("no profile %q (%s)", d, l.have()))
	}
	names := make(map[string]int)
	macs := make(map[string]string)
	machinesNode := lookup(n, "machines")
	for i := range inv.Machines {
		e := &inv.Machines[i]
		at := pathIndex("machines", i)
		m := &Machine{Name: e.Name, ProfileName: e.Profile, DmesgPath: e.Dmesg}
		switch {
		case e.Name == "":
			r.add(at+".name", fmt.Errorf("required (the machine's name, which becomes its host name)"))
		case checkHostname(e.Name) != nil:
			r.add(at+".name", checkHostname(e.Name))
		default:
			if j, dup := names[e.Name]; dup {
				r.add(at+".name", fmt.Errorf("machine %s is already listed at machines[%d]", e.Name, j))
			}
			names[e.Name] = i
		}
		all := e.MACs
		if e.MAC != "" {
			all = append([]string{e.MAC}, all...)
		}
		for j, raw := range all {
			mp := at + ".mac"
			if e.MAC == "" || j > 0 {
				k := j
				if e.MAC != "" {
					k--
				}
				mp = pathIndex(at+".macs", k)
			}
			mac, err := NormalizeMAC(raw)
			if err != nil {
				r.add(mp, err)
				continue
			}
			if other, dup := macs[mac]; dup {
				r.add(mp, fmt.Errorf("MAC %s is already given to %s (expected each MAC on one machine)", mac, other))
				continue
			}
			macs[mac] = e.Name
			m.MACs = append(m.MACs, mac)
		}
		normalizeEntry(e)
		if e.Memory != "" {
			b, err := ParseSize(e.Memory)
			if err != nil {
				r.add(at+".memory", err)
			}
			m.MemoryBytes = b
		}
		if e.Dmesg != "" {
			m.Dmesg = l.readDmesg(r, at+".dmesg", e.Dmesg)
		}
		var base *yaml.Node
		switch {
		case e.Profile == "":
			r.add(at+".profile", fmt.Errorf("required (the name of a file in profiles/ without .yaml)"))
		case l.broken[e.Profile]:
		case l.raw[e.Profile] == nil:
			r.add(at+".profile", fmt.Errorf("no profile %q (%s)", e.Profile, l.have()))
		default:
			base = l.resolved[e.Profile]
		}
		set := lookup(machinesNode.Content[i], "set")
		if isNull(set) {
			set = nil
		}
		if ext := lookup(set, "extends"); ext != nil {
			r.add(at+".set.extends", fmt.Errorf("extends is not allowed in set: (choose the machine's profile with profile:)"))
			set = without(set, "extends", l.origin)
		}
		if base == nil || site.Profiles[e.Profile] == nil {
			// No profile, or one with problems of its own (reported with
			// it): set: is checked once the profile is fixed.
			continue
		}
		// Every machine decodes its own copy, so machines never share
		// slices or maps with each other or with site.Profiles.
		resolved := merge(base, set, l.origin)
		var p Profile
		if ps := decodeNode(resolved, &p, file); len(ps) > 0 {
			l.ps = append(l.ps, l.novel(ps)...)
			continue
		}
		p.Extends = ""
		if p.System.Hostname == "" && checkHostname(e.Name) == nil {
			// A bad name was reported at name.
			p.System.Hostname = e.Name
		}
		normalize(&p)
		// The profile alone has no problems (else it is not in
		// site.Profiles), so every problem here comes from set:. Those in
		// set: are named as the user wrote them; a profile value that
		// set: makes wrong (x11.xenodm once set: turns X off) is reported
		// at the profile, for this machine.
		sr := &reporter{root: resolved, origin: l.origin, fallback: file}
		validateProfile(&p, sr)
		for _, q := range sr.ps {
			if q.File == file {
				q.Path = pathKey(at, "set") + "." + q.Path
			} else {
				q.Message += " (machine " + e.Name + ")"
			}
			l.ps = append(l.ps, q)
		}
		m.Profile = p
		m.pos = &machinePos{origin: l.origin, at: at, entry: &locator{root: machinesNode.Content[i]},
			machine: &locator{root: resolved}, profile: &locator{root: base}}
		if _, mult, err := ParseSwap(p.Disks.Root.Swap); err == nil && mult > 0 && m.MemoryBytes == 0 && m.Dmesg == nil {
			r.add(at, fmt.Errorf("disks.root.swap is %s, a multiple of memory, but this machine has neither memory: nor dmesg: (expected one of them, or a swap size like 16G)", p.Disks.Root.Swap))
		}
		site.Machines = append(site.Machines, m)
	}
	l.ps = append(l.ps, r.ps...)
	site.Inventory = inv
}

// normalizeEntry rewrites an entry's MACs to colon form, keeping any it
// cannot read (they were reported).
func normalizeEntry(e *MachineEntry) {
	if m, err := NormalizeMAC(e.MAC); err == nil {
		e.MAC = m
	}
	for i, raw := range e.MACs {
		if m, err := NormalizeMAC(raw); err == nil {
			e.MACs[i] = m
		}
	}
}

// readDmesg reads a machine's dmesg, which must lie inside the site.
func (l *loader) readDmesg(r *reporter, at, p string) []byte {
	if !fs.ValidPath(p) || path.Clean(p) != p {
		r.add(at, fmt.Errorf("%q is not a clean path inside the site (expected like dmesg/%s.txt)", p, "NAME"))
		return nil
	}
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		r.add(at, fmt.Errorf("cannot read %s in the site (expected a dmesg file like dmesg/NAME.txt)", p))
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		r.add(at, fmt.Errorf("%s is empty (expected the machine's dmesg, from dmesg(8) or /var/run/dmesg.boot)", p))
		return nil
	}
	return data
}
