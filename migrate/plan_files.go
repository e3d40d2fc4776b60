package migrate

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"fugu/migrate/etcfiles"
)

// planFiles decides each file: hostname.* renamed and rewritten for the
// new interfaces, doas.conf checked, mygate and resolv.conf only for
// static set-ups, xenodm and --include files as they are, and the
// never-copy files listed with their reason.
func planFiles(p *Plan, old, cur *Inventory, opts Options) {
	// What netstart on the old machine does: only files it reads count.
	v4auto, v6auto := false, false
	for _, fp := range sortedKeys(old.Files) {
		if _, _, ok := etcfiles.IfName(path.Base(fp)); ok && strings.HasPrefix(fp, "/etc/hostname.") {
			h, err := etcfiles.ParseHostnameIf(bytes.NewReader(old.Files[fp].Data))
			if err == nil {
				a4, a6 := h.Autoconf()
				v4auto, v6auto = v4auto || a4, v6auto || a6
			}
		}
	}
	add := func(fc FileChange) {
		if i := slices.IndexFunc(p.Files, func(f FileChange) bool { return f.Path == fc.Path }); i >= 0 {
			p.Skipped = append(p.Skipped, Skip{Path: fc.From, Reason: fmt.Sprintf("%s is already written from another file", fc.Path)})
			return
		}
		finishFile(&fc, cur)
		if fc.From == fc.Path {
			fc.From = ""
		}
		p.Files = append(p.Files, fc)
	}
	for _, fp := range sortedKeys(old.Files) {
		f := old.Files[fp]
		fc := FileChange{Path: fp, From: fp, Data: f.Data, Mode: rootWheel(0o644)}
		switch {
		case fp == "/etc/passwd" || fp == "/etc/group":
			continue // read for checks only
		case fp == "/etc/doas.conf":
			conf, err := etcfiles.ParseDoasConf(bytes.NewReader(f.Data))
			if err != nil {
				p.Skipped = append(p.Skipped, Skip{Path: fp, Reason: "doas -C would reject it: " + strings.ReplaceAll(err.Error(), "\n", "; ")})
				continue
			}
			fc.Mode, fc.CheckDoas = rootWheel(0o600), true
			fc.Notes = doasNotes(conf, cur)
		case strings.HasPrefix(fp, "/etc/hostname."):
			if !planHostnameIf(p, &fc, opts) {
				continue
			}
		case fp == "/etc/mygate" && !mygateUsed(f.Data, v4auto, v6auto):
			p.Skipped = append(p.Skipped, Skip{Path: fp, Reason: "the old machine uses autoconf: dhcpleased/slaacd set the default route"})
			continue
		case fp == "/etc/mygate":
			fc.Data = []byte(etcfiles.RenameInterfaces(string(f.Data), opts.IfMap))
			fc.Notes = goneIfNotes(fc.Data, opts, true)
		case fp == "/etc/resolv.conf" && v4auto:
			// With a static IPv4 address (SLAAC or not) the nameservers
			// in resolv.conf are the user's own.
			p.Skipped = append(p.Skipped, Skip{Path: fp, Reason: "resolvd(8) manages it when interfaces use autoconf"})
			continue
		case fp == "/etc/resolv.conf":
		case fp == "/etc/rc.conf.local":
			// Daemon flags name interfaces (dhcpd_flags=em1); they are
			// kept as written, with a note where one is missing.
			fc.Notes = append(rcConfNotes(f.Data), goneIfNotes(f.Data, opts, false)...)
		case fp == "/etc/sysctl.conf":
			fc.Notes = sysctlNotes(f.Data)
		case strings.HasPrefix(fp, "/etc/X11/xenodm/"):
			fc.Mode, fc.Secret = rootWheel(f.Mode), f.Mode&0o004 == 0
			fc.Notes = []string{"xenocara base file: the new release's version may have changed; review the diff"}
		case fp == "/etc/installurl":
		default:
			if !slices.Contains(opts.Include, fp) {
				continue
			}
			var note string
			// A file others may not read may hold secrets of any form:
			// its diff is not shown.
			fc.Secret = f.Mode&0o004 == 0
			fc.Mode, note = includedMode(f, old, cur)
			if note != "" {
				fc.Notes = append(fc.Notes, note)
			}
			if !bytes.Contains(f.Data, []byte{0}) {
				// pf.conf, rad.conf, ospfd.conf... name interfaces; they
				// are kept as written, with a note where one is missing.
				fc.Notes = append(fc.Notes, goneIfNotes(f.Data, opts, false)...)
			}
		}
		// (ParseHostnameIf says it for hostname.* files already.)
		if !bytes.HasSuffix(fc.Data, []byte("\n")) && len(fc.Data) > 0 && !strings.HasPrefix(fp, "/etc/X11/") && !strings.HasPrefix(fp, "/etc/hostname.") {
			fc.Notes = append(fc.Notes, "the last line has no newline: OpenBSD's rc and netstart ignore such a line")
		}
		add(fc)
	}
	for _, inc := range opts.Include {
		switch {
		case !path.IsAbs(inc) || path.Clean(inc) != inc:
			p.Skipped = append(p.Skipped, Skip{Path: inc, Reason: "--include needs a clean absolute path"})
		case neverCopy(inc) != "":
			p.Skipped = append(p.Skipped, Skip{Path: inc, Reason: neverCopy(inc)})
		case old.Files[inc].Data == nil && slices.Contains(old.Symlinks, inc):
			// reported with the other symlinks
		case old.Files[inc].Data == nil:
			p.Skipped = append(p.Skipped, Skip{Path: inc, Reason: "not found on the old machine"})
		}
	}
	for _, l := range old.Symlinks {
		if !slices.Contains(contextFiles, l) {
			p.Skipped = append(p.Skipped, Skip{Path: l, Reason: "a symlink on the old machine: fugu copies files, not links (recreate the link, or --include its target)"})
		}
	}
	for _, pr := range old.Present {
		if !slices.Contains(opts.Include, pr) {
			p.Skipped = append(p.Skipped, Skip{Path: pr, Reason: neverCopy(pr)})
		}
	}
	// doas.conf goes last, so a rule that locks fugu out of doas can only
	// affect nothing after it.
	slices.SortStableFunc(p.Files, func(a, b FileChange) int {
		switch {
		case a.CheckDoas == b.CheckDoas:
			return strings.Compare(a.Path, b.Path)
		case a.CheckDoas:
			return 1
		}
		return -1
	})
	slices.SortStableFunc(p.Skipped, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
}

// mygateUsed reports whether netstart would act on any line of mygate(5):
// it runs every !command line, but ignores the IPv4 gateways when an
// interface uses inet autoconf (dhcp) and the IPv6 ones with inet6
// autoconf.
func mygateUsed(data []byte, v4auto, v6auto bool) bool {
	for _, l := range strings.Split(string(data), "\n") {
		// stripcom: the text before the first # must not be blank.
		l = strings.TrimSpace(l)
		if before, _, _ := strings.Cut(l, "#"); strings.TrimSpace(before) == "" {
			continue
		}
		switch {
		case strings.HasPrefix(l, "!"):
			return true
		case strings.Contains(l, ":"):
			if !v6auto {
				return true
			}
		case !v4auto:
			return true
		}
	}
	return false
}

// finishFile compares the planned content with the target's file and
// sets the action and the diff (redacted for files with secrets).
func finishFile(fc *FileChange, cur *Inventory) {
	have, exists := cur.Files[fc.Path]
	switch {
	case !exists:
		fc.Action = Create
	case bytes.Equal(have.Data, fc.Data):
		fc.Action = Unchanged
		fc.TargetSum = sum(have.Data)
		return
	default:
		fc.Action = Replace
		fc.TargetSum = sum(have.Data)
	}
	a, b := string(have.Data), string(fc.Data)
	switch {
	case fc.Secret && strings.HasPrefix(fc.Path, "/etc/hostname."):
		a, b = etcfiles.RedactHostnameIf(a), etcfiles.RedactHostnameIf(b)
	case fc.Secret:
		fc.Diff = "(not shown: others may not read the file on the old machine, so it may hold secrets)\n"
		return
	case fc.CheckDoas:
		// setenv { PGPASSWORD=... } may set a secret for a command.
		a, b = etcfiles.RedactDoasConf(a), etcfiles.RedactDoasConf(b)
	}
	fc.Diff = UnifiedDiff("a"+fc.Path, "b"+fc.Path, a, b)
	if fc.Diff == "" {
		fc.Diff = "(only secret values differ; not shown)\n"
	}
}

// planHostnameIf renames a hostname.* file for the new machine and
// rewrites the interface names inside it. It returns false when the file
// is skipped (the reason is recorded).
func planHostnameIf(p *Plan, fc *FileChange, opts Options) bool {
	base := path.Base(fc.From)
	name, lladdr, ok := etcfiles.IfName(base)
	if !ok {
		p.Skipped = append(p.Skipped, Skip{Path: fc.From, Reason: "netstart ignores this file name"})
		return false
	}
	to, reason := newIfName(name, lladdr, opts)
	if to == "" {
		p.Skipped = append(p.Skipped, Skip{Path: fc.From, Reason: reason})
		return false
	}
	fc.Path = "/etc/hostname." + to
	fc.Mode, fc.Secret = rootWheel(0o640), true
	fc.Data = []byte(etcfiles.RenameInterfaces(string(fc.Data), opts.IfMap))
	if reason != "" {
		fc.Notes = append(fc.Notes, reason)
	}
	fc.Notes = append(fc.Notes, goneIfNotes(fc.Data, opts, true)...)
	h, err := etcfiles.ParseHostnameIf(bytes.NewReader(fc.Data))
	if err == nil {
		for _, pr := range h.Problems {
			fc.Notes = append(fc.Notes, pr.Error())
		}
		target := to
		if lladdr {
			target = "the new interface"
		}
		for _, la := range h.Lladdrs() {
			fc.Notes = append(fc.Notes, fmt.Sprintf("line %d: %s gives %s the MAC address set on the old machine: while the old machine is on the same network, both answer for it (DHCP, switches); remove the line unless it stays off", la.Line, la.Text, target))
		}
		if from, dst := driverOf(name), driverOf(to); !lladdr && from != dst && dst != "" {
			for _, dp := range h.DriverParams() {
				fc.Notes = append(fc.Notes, fmt.Sprintf("line %d: %s was written for %s: check that %s(4) takes it", dp.Line, dp.Text, from, dst))
			}
		}
	}
	return true
}

// goneIfNotes names the lines of a file that still name an interface of
// the old machine the new one does not have: in a renamed hostname.if or
// mygate one with no counterpart, or a quoted word the renaming leaves
// alone; in a file fugu does not rename (rc.conf.local, pf.conf), any.
// netstart, or the daemon, would use such a line with a missing
// interface.
func goneIfNotes(data []byte, opts Options, renamed bool) []string {
	if opts.OldFacts == nil || opts.NewFacts == nil {
		return nil
	}
	gone := map[string]bool{}
	for _, i := range opts.OldFacts.Interfaces {
		if !slices.ContainsFunc(opts.NewFacts.Interfaces, func(x hwIf) bool { return x.Name == i.Name }) {
			gone[i.Name] = true
		}
	}
	var notes []string
	for _, m := range slices.Compact(etcfiles.Mentions(string(data), gone)) {
		to, ok := opts.IfMap[m.Name]
		switch {
		case ok && !renamed:
			notes = append(notes, fmt.Sprintf("line %d: %s is kept as written (fugu renames interfaces in hostname.if and mygate only), but the new machine has no %s: it is %s there", m.Line, m.Name, m.Name, to))
		case ok:
			notes = append(notes, fmt.Sprintf("line %d: %s is left as written (in quotes or inside another word), but the new machine has no %s: it is %s there", m.Line, m.Name, m.Name, to))
		default:
			notes = append(notes, fmt.Sprintf("line %d: %s is an interface the new machine does not have: use --map %s=IF, or edit the line", m.Line, m.Name, m.Name))
		}
	}
	return notes
}

// driverOf is an interface's driver: its name without the unit number.
func driverOf(ifname string) string { return strings.TrimRight(ifname, "0123456789") }

// newIfName is the name (or lladdr) the new machine's file takes, or ""
// and why not.
func newIfName(name string, lladdr bool, opts Options) (string, string) {
	if lladdr {
		if opts.OldFacts == nil {
			return "", "a hostname.<lladdr> file needs the old machine's dmesg (--dmesg-from) to know its interface"
		}
		i := slices.IndexFunc(opts.OldFacts.Interfaces, func(x hwIf) bool { return x.MAC == name })
		if i < 0 {
			return "", "no interface of the old machine has this MAC address"
		}
		oldIf := opts.OldFacts.Interfaces[i].Name
		to, ok := opts.IfMap[oldIf]
		if !ok {
			return "", fmt.Sprintf("%s (%s) has no counterpart on the new machine; use --map %s=IF", name, oldIf, oldIf)
		}
		if opts.NewFacts != nil {
			if j := slices.IndexFunc(opts.NewFacts.Interfaces, func(x hwIf) bool { return x.Name == to }); j >= 0 && opts.NewFacts.Interfaces[j].MAC != "" {
				return opts.NewFacts.Interfaces[j].MAC, fmt.Sprintf("%s is %s on the old machine, %s on the new one", name, oldIf, to)
			}
		}
		return to, fmt.Sprintf("%s is %s on the old machine: written for %s by name", name, oldIf, to)
	}
	if to, ok := opts.IfMap[name]; ok {
		if to == name {
			return to, ""
		}
		return to, fmt.Sprintf("renamed from hostname.%s", name)
	}
	physical := opts.OldFacts != nil && slices.ContainsFunc(opts.OldFacts.Interfaces, func(x hwIf) bool { return x.Name == name })
	onNew := opts.NewFacts != nil && slices.ContainsFunc(opts.NewFacts.Interfaces, func(x hwIf) bool { return x.Name == name })
	switch {
	case onNew:
		return name, ""
	case physical && opts.NewFacts != nil:
		return "", fmt.Sprintf("the new machine has no %s; use --map %s=IF", name, name)
	case opts.OldFacts == nil || opts.NewFacts == nil:
		return name, "name kept: no dmesg of both machines and no --map for " + name
	}
	return name, "" // a pseudo-interface (vlan, wg, trunk...): same name
}

func doasNotes(conf *etcfiles.DoasConf, cur *Inventory) []string {
	var notes []string
	for _, w := range conf.Warnings {
		notes = append(notes, w.Error())
	}
	if cur.Files["/etc/passwd"].Data == nil {
		return append(notes, "identities not checked: the new machine's /etc/passwd was not read")
	}
	users, groups := conf.Identities()
	known, knownG := cur.Users(), cur.Groups()
	for _, u := range users {
		if _, err := strconv.Atoi(u); err != nil && !slices.Contains(known, u) {
			notes = append(notes, fmt.Sprintf("user %s does not exist on the new machine: its rules never match", u))
		}
	}
	for _, g := range groups {
		if _, err := strconv.Atoi(g); err != nil && !slices.Contains(knownG, g) {
			notes = append(notes, fmt.Sprintf("group %s does not exist on the new machine: its rules never match", g))
		}
	}
	return notes
}

func rcConfNotes(data []byte) []string {
	var notes []string
	for _, l := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), "=")
		if ok && strings.ToLower(strings.TrimSpace(k)) == "pkg_scripts" {
			v = strings.Trim(strings.TrimSpace(v), `"'`)
			if d := strings.Fields(v); len(d) > 0 {
				notes = append(notes, "pkg_scripts starts "+strings.Join(d, ", ")+": each needs its package installed (packages are added first)")
			}
		}
	}
	return notes
}

func sysctlNotes(data []byte) []string {
	var notes []string
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "machdep.") {
			notes = append(notes, fmt.Sprintf("line %d: machdep.* is hardware-specific: check it on the new machine", i+1))
		}
		if strings.ContainsAny(strings.SplitN(t, "#", 2)[0], " \t") {
			notes = append(notes, fmt.Sprintf("line %d: a blank in the line: rc splits sysctl.conf into words", i+1))
		}
	}
	return notes
}

// includedMode keeps an --include file's owner and group by name, so that
// a daemon's file stays the daemon's (and readable by it). A name the new
// machine does not have yet (its package is not installed there) gives
// root:wheel and a note; so does an id the old machine cannot name.
func includedMode(f File, old, cur *Inventory) (FileMode, string) {
	m := rootWheel(f.Mode)
	if f.UID < 0 || f.GID < 0 {
		return m, ""
	}
	owner, ok := idName(old.Files["/etc/passwd"].Data, f.UID)
	if !ok {
		return m, fmt.Sprintf("its owner (uid %d) has no name on the old machine: installed as root:wheel", f.UID)
	}
	group, ok := idName(old.Files["/etc/group"].Data, f.GID)
	if !ok {
		return m, fmt.Sprintf("its group (gid %d) has no name on the old machine: installed as root:wheel", f.GID)
	}
	var missing []string
	if !slices.Contains(cur.Users(), owner) {
		missing = append(missing, "user "+owner)
	}
	if !slices.Contains(cur.Groups(), group) {
		missing = append(missing, "group "+group)
	}
	if len(missing) > 0 {
		return m, fmt.Sprintf("owned by %s:%s on the old machine, but the new one has no %s yet: installed as root:wheel (chown it once the package that makes it is installed)", owner, group, strings.Join(missing, " or "))
	}
	m.Owner, m.Group = owner, group
	return m, ""
}
