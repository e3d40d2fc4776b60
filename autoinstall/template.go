package autoinstall

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fugu/profiles"
)

// maxTemplateLines is disklabel's 15 usable partitions (a-p without c).
const maxTemplateLines = 15

// template turns profile partitions into template lines and checks the
// rules of disklabel's -T grammar and the installer: for the root disk /
// first and swap second; every size with a unit; percents summing to at
// most 100; at most 15 lines. A last line with a maximum is only warned
// about: the space past it stays unallocated.
func (b *builder) template(key string, parts []profiles.Partition, root bool, swap int64) []TemplateLine {
	var lines []TemplateLine
	seen := map[string]bool{}
	sum := 0
	swapAt := -1
	for i, pt := range parts {
		pk := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case pt.Mount == "swap":
			swapAt = i
		case !mountRE.MatchString(pt.Mount):
			b.fail(pk+".mount", "%q: expected swap or an absolute mount point like /home", pt.Mount)
		case !root && pt.Mount == "/":
			b.fail(pk+".mount", "/ belongs on the root disk")
		case !root && rootOnly(pt.Mount):
			b.fail(pk+".mount", "%s belongs on the root file system: the boot reads it before /etc/fstab's other file systems are mounted", pt.Mount)
		case hasDotSegment(pt.Mount):
			b.fail(pk+".mount", "%q: . and .. are not mount points", pt.Mount)
		}
		if pt.Mount != "swap" && seen[pt.Mount] {
			b.fail(pk+".mount", "%s is given twice", pt.Mount)
		}
		seen[pt.Mount] = true
		ps, err := profiles.ParsePartitionSize(pt.Size)
		if !b.check(pk+".size", err) {
			continue
		}
		if ps.Rest && i != len(parts)-1 {
			b.fail(pk+".size", "rest is only possible on the last partition (the last line takes what is left)")
		}
		l := TemplateLine{Mount: pt.Mount, Size: sizeToken(ps), Percent: -1, Min: ps.Min}
		if pt.Percent != nil {
			if *pt.Percent < 0 || *pt.Percent > 100 {
				b.fail(pk+".percent", "%d: expected 0 to 100", *pt.Percent)
			}
			l.Percent = *pt.Percent
			sum += *pt.Percent
		}
		if i != len(parts)-1 && l.Min == 0 && l.Percent <= 0 {
			b.fail(pk+".size", "%q gets no space on a partition other than the last: disklabel gives such a line its minimum plus its percent of the space left, here none, and leaves the mount point out (give a minimum like 2G-* or a percent)", pt.Size)
		}
		lines = append(lines, l)
	}
	if len(lines) != len(parts) {
		return nil
	}
	if sum > 100 {
		b.fail(key, "the percents add up to %d (disklabel refuses more than 100)", sum)
	}
	if last := parts[len(parts)-1]; last.Mount != "swap" {
		if ps, _ := profiles.ParsePartitionSize(last.Size); !ps.Unbounded {
			// disklabel gives the last line all the space left, up to
			// its maximum; beyond that the disk stays unallocated, as
			// OpenBSD's own layout leaves all past /home's 300G.
			b.warn(fmt.Sprintf("%s[%d].size", key, len(parts)-1), "%q: the last partition takes the rest of the disk up to its maximum; space beyond stays unallocated (rest or MIN-* uses it all)", last.Size)
		}
	}
	if root {
		if lines[0].Mount != "/" {
			b.fail(key+"[0].mount", "%q: / must come first (the installer uses partition a as root)", lines[0].Mount)
		}
		switch {
		case swapAt >= 0 && swap > 0:
			b.fail(fmt.Sprintf("%s[%d]", key, swapAt), "swap is given both here and in disks.root.swap (keep one)")
		case swapAt >= 0 && swapAt != 1:
			b.fail(fmt.Sprintf("%s[%d]", key, swapAt), "swap must come second (the installer uses partition b as swap)")
		case swapAt < 0 && swap > 0:
			sl := TemplateLine{Mount: "swap", Size: formatSize(swap), Percent: -1, Min: swap}
			lines = append(lines[:1], append([]TemplateLine{sl}, lines[1:]...)...)
			// With / alone, swap becomes the last line, the greedy one, and
			// is capped at its size; / is no longer last and would get only
			// its minimum plus its percent of the extra space (none). Give it
			// all of it, as OpenBSD's small table gives / 95%.
			if len(lines) == 2 && lines[0].Percent < 0 {
				if ps, _ := profiles.ParsePartitionSize(parts[0].Size); ps.Unbounded {
					lines[0].Percent = 100
				}
			}
		case swapAt < 0 && b.prof.Disks.Root.Swap == "":
			// A swap that is given but cannot be sized (a multiple of an
			// unknown memory, a bad size) has been told so already.
			b.fail("disks.root.swap", "required with partitions (a template turns off OpenBSD's swap sizing; give a size like 8G or a multiple of memory like 1x)")
		}
	}
	switch {
	case len(lines) > maxTemplateLines:
		b.fail(key, "%d partitions (disklabel has at most %d)", len(lines), maxTemplateLines)
	case root && len(lines) == maxTemplateLines && b.p.Arch == "amd64" && !b.rootMBR():
		// The kernel puts a GPT disk's EFI system partition into the
		// label as i (spoofgpt), and disklabel places each line in the
		// next free slot: the fifteenth finds none, and the installer
		// stops with "Autopartitioning failed".
		why := "next to the EFI system partition of a GPT disk"
		if b.p.Table == "" && !b.efi() {
			why += ", the installer's choice on an EFI boot (give disks.root.table: mbr, or the machine's dmesg if it boots by BIOS)"
		}
		b.fail(key, "%d partitions (disklabel has room for %d %s)", len(lines), maxTemplateLines-1, why)
	}
	return lines
}

// rootMBR reports whether amd64's root disk is known to get an MBR,
// which holds the OpenBSD partition alone (fdisk -iy): table: mbr, or a
// dmesg that shows a BIOS boot, where the installer's default is the
// whole disk MBR. Otherwise it gets, or may get, a GPT with an EFI
// system partition (fdisk -gy -b 532480).
func (b *builder) rootMBR() bool {
	return b.p.Table == "mbr" || b.p.Table == "" && b.facts != nil && !b.efi()
}

// layoutRow is one line of OpenBSD's own auto layout (editor.c's
// space_allocation tables).
type layoutRow struct {
	mount    string
	min, max int64
	pct      int
}

// autoTables are editor.c 1.422's alloc_big, alloc_medium and
// alloc_small, in the order disklabel tries them: the first whose
// minimums fit the disk is used. (alloc_stupid, / alone on a disk under
// 701M, has no room for a fugu install.)
func autoTables() [][]layoutRow {
	mb, gb := profiles.MiB, profiles.GiB
	return [][]layoutRow{
		{
			{"/", 150 * mb, 1 * gb, 5},
			{"swap", 80 * mb, 256 * mb, 10},
			{"/tmp", 120 * mb, 4 * gb, 8},
			{"/var", 80 * mb, 4 * gb, 13},
			{"/usr", 1500 * mb, 30 * gb, 10},
			{"/usr/X11R6", 384 * mb, 1 * gb, 3},
			{"/usr/local", 1 * gb, 20 * gb, 15},
			{"/usr/src", 2 * gb, 5 * gb, 2},
			{"/usr/obj", 5 * gb, 6 * gb, 4},
			{"/home", 1 * gb, 300 * gb, 30},
		},
		{
			{"/", 800 * mb, 2 * gb, 5},
			{"swap", 80 * mb, 256 * mb, 10},
			{"/usr", 1300 * mb, 3 * gb, 78},
			{"/home", 256 * mb, 2 * gb, 7},
		},
		{
			{"/", 700 * mb, 4 * gb, 95},
			{"swap", 1 * mb, 256 * mb, 5},
		},
	}
}

// autoLayoutMounts are the mount points of the big table: an extra disk
// that mounts one of them takes it over from the root disk's auto layout.
func autoLayoutMounts() map[string]bool {
	m := map[string]bool{}
	for _, r := range autoTables()[0] {
		m[r.mount] = true
	}
	return m
}

// diskReserve is what the disk loses before disklabel's OpenBSD area:
// the EFI system partition the installer makes on GPT (260M) and the
// partition tables, rounded up.
const diskReserve = 300 * profiles.MiB

// reserve is what the root disk loses before the layout: diskReserve,
// and again when the root disk is encrypted on GPT. The installer then
// prepares two disks, each from the start: the physical disk (an EFI
// partition and the RAID partition) and the CRYPTO volume on it, which
// gets a GPT and an EFI partition of its own (install.sub encr_pwd,
// then md_prep_fdisk for the new root disk).
//
// A PC booted by its BIOS (a dmesg without efi0 or efifb0) gets an MBR
// by default, whose OpenBSD area starts at sector 64: it loses only
// mbrReserve (tables, and softraid's metadata when encrypted). Without a
// dmesg the boot is not known, and the larger reserve holds.
func (b *builder) reserve() int64 {
	d := b.prof.Disks.Root
	efi := b.efi()
	pc := b.p.Arch == "amd64" || b.p.Arch == "i386"
	if pc && b.facts != nil && !efi && (d.Table == "" || d.Table == "mbr") {
		return mbrReserve
	}
	gpt := d.Table == "gpt" || d.Table == "" && efi
	if d.Encrypt != nil && gpt {
		return 2 * diskReserve
	}
	return diskReserve
}

// mbrReserve is what a BIOS-booted PC's MBR disk loses before the layout.
const mbrReserve = 16 * profiles.MiB

// autoLayout writes OpenBSD's own auto layout out as a template, which
// fugu needs when it changes that layout: swap fixed to the asked size
// (swap > 0), or mount points an extra disk provides (moved) left out. A
// template turns off what disklabel does for its own layout, so it is
// done here: the big table's RAM scaling of swap and /var (editor.c
// editor_allocspace), and the choice of table by the disk's size
// (size 0: not known, the big table).
func (b *builder) autoLayout(swap, size int64, moved map[string]bool) []TemplateLine {
	mem := b.memory()
	if swap == 0 && mem <= 0 {
		b.fail("disks.root.swap", "required when an extra disk takes over %s from OpenBSD's auto layout and the memory of machine %s is not known: the layout is then written out as a template, which gets no swap sizing from disklabel (give a size like 8G, or set memory: in machines.yaml or give its dmesg)", strings.Join(sortedKeys(moved), ", "), b.m.Name)
		return nil
	}
	var lines []TemplateLine
	var maxSum int64 // what the chosen table can use at most
	for i, rows := range autoTables() {
		lines, maxSum = lines[:0], 0
		for _, r := range rows {
			switch {
			case moved[r.mount]:
				continue
			case r.mount == "swap" && swap > 0:
				r.min, r.max, r.pct = swap, swap, -1
			case r.mount == "swap" && i == 0 && mem < 256*profiles.MiB:
				r.min, r.max = 2*mem, 2*mem
			case r.mount == "swap" && i == 0:
				r.max += mem
			case r.mount == "/var" && i == 0 && mem > 0:
				r.max += 2 * mem
			}
			r.min, r.max = roundMiB(r.min), roundMiB(r.max)
			maxSum += r.max
			lines = append(lines, TemplateLine{Mount: r.mount, Size: sizeToken(profiles.PartSize{Min: r.min, Max: r.max}), Percent: r.pct, Min: r.min})
		}
		if size <= 0 || sumMin(lines)+b.reserve() <= size {
			break
		}
		if i == len(autoTables())-1 {
			key := "disks.root.swap"
			if swap == 0 {
				key = "disks.extra"
			}
			b.fail(key, "%s has %s, too small for OpenBSD's smallest auto layout with these changes (it needs %s)", b.p.RootDisk, formatSize(size), formatSize(sumMin(lines)+b.reserve()))
			return nil
		}
	}
	for _, l := range lines {
		for m := range moved {
			if l.Mount != "/" && strings.HasPrefix(l.Mount, m+"/") {
				b.fail("disks.extra", "an extra disk mounts %s, but OpenBSD's auto layout keeps %s on the root disk, which would be mounted under it first; give disks.root.partitions without %s", m, l.Mount, m)
				return nil
			}
		}
	}
	// OpenBSD's big table leaves what its maximums do not take
	// unallocated; its /home takes most of a large disk, so moving /home
	// away leaves far more.
	if free := size - b.reserve() - maxSum; size > 0 && len(moved) > 0 && free > max(8*profiles.GiB, size/10) {
		b.warn("disks.root", "with %s on another disk, OpenBSD's auto layout uses at most %dG of %s's %dG and leaves about %dG unallocated (give disks.root.partitions to use it)", strings.Join(sortedKeys(moved), ", "), (maxSum+profiles.GiB-1)/profiles.GiB, b.p.RootDisk, size/profiles.GiB, free/profiles.GiB)
	}
	if size <= 0 {
		b.warn("disks.root", "the size of the root disk is not known, so fugu writes OpenBSD's large-disk layout (at least %s): on a smaller disk the installer stops with \"Autopartitioning failed\" (give the machine's dmesg)", formatSize(sumMin(lines)+b.reserve()))
	}
	return slices.Clone(lines)
}

// roundMiB rounds up to whole MiB, as the tables' sizes are.
func roundMiB(n int64) int64 { return (n + profiles.MiB - 1) / profiles.MiB * profiles.MiB }

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// sizeToken writes a parsed size back in the template grammar, always
// with a unit.
func sizeToken(ps profiles.PartSize) string {
	switch {
	case ps.Unbounded && ps.Min == 0:
		return "*"
	case ps.Unbounded:
		return formatSize(ps.Min) + "-*"
	case ps.Min == ps.Max:
		return formatSize(ps.Min)
	}
	return formatSize(ps.Min) + "-" + formatSize(ps.Max)
}

// formatSize writes bytes with the largest unit that divides them, and
// rounds up to whole KiB (the smallest template unit).
func formatSize(n int64) string {
	n = (n + profiles.KiB - 1) / profiles.KiB * profiles.KiB
	for _, u := range []struct {
		size int64
		name string
	}{{profiles.TiB, "T"}, {profiles.GiB, "G"}, {profiles.MiB, "M"}} {
		if n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n/profiles.KiB, 10) + "K"
}

func sumMin(lines []TemplateLine) int64 {
	var s int64
	for _, l := range lines {
		s += l.Min
	}
	return s
}

// RenderTemplate writes template lines in disklabel's -T grammar: one
// line each, no comments, no blank lines, no leading blanks.
func renderTemplate(lines []TemplateLine) []byte {
	var buf bytes.Buffer
	for _, l := range lines {
		buf.WriteString(l.Mount)
		buf.WriteByte('\t')
		buf.WriteString(l.Size)
		if l.Percent >= 0 {
			fmt.Fprintf(&buf, "\t%d%%", l.Percent)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func hasDotSegment(p string) bool {
	for _, s := range splitSlash(p) {
		if s == "." || s == ".." {
			return true
		}
	}
	return false
}

func splitSlash(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}

// rootOnly reports whether mount is, or lies under, a directory the
// system needs before mount -a: init and rc run /sbin and /bin with
// /etc's files and /dev's nodes, all from the root file system.
func rootOnly(mount string) bool {
	for _, d := range []string{"/bin", "/dev", "/etc", "/sbin"} {
		if mount == d || strings.HasPrefix(mount, d+"/") {
			return true
		}
	}
	return false
}
