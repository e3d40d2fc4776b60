package autoinstall

import (
	"fmt"
	"math"
	"strings"

	"fugu/hardware"
	"fugu/profiles"
)

// disks decides the root disk, its table, encryption and template, and
// the extra disks install.site prepares.
func (b *builder) disks() {
	p, d := b.p, &b.prof.Disks
	root := b.rootDisk(d.Root.Device)
	p.RootDisk = root
	switch d.Root.Table {
	case "", "gpt", "mbr":
		p.Table = d.Root.Table
	default:
		b.fail("disks.root.table", "%q: expected gpt or mbr", d.Root.Table)
	}
	p.EFI = b.efi()
	if p.Arch != "amd64" {
		// Elsewhere the question reads "Use (W)hole disk or (E)dit the
		// MBR?" (gpt is no choice there), and only architectures that boot
		// from softraid ask about encryption: an answer would be ignored.
		if d.Root.Table != "" {
			b.fail("disks.root.table", "%s: fugu answers only amd64's MBR/GPT question (leave table out on %s: the installer's default)", d.Root.Table, p.Arch)
		}
		if d.Root.Encrypt != nil {
			b.fail("disks.root.encrypt", "fugu answers only amd64's encryption question (on %s the installer may not ask it, and the disk would not be encrypted)", p.Arch)
		}
	}
	if e := d.Root.Encrypt; e != nil {
		if b.check("disks.root.encrypt.passphrase", checkAnswer(e.Passphrase)) {
			p.Passphrase = e.Passphrase
		}
	}

	swap := b.swap(d.Root.Swap)
	switch moved := movedMounts(d.Extra); {
	case len(d.Root.Partitions) > 0:
		p.Template = b.template("disks.root.partitions", d.Root.Partitions, true, swap)
		if size := b.diskSize(root); size > 0 && p.Template != nil {
			// disklabel allocates in the OpenBSD area, which is the disk
			// less the installer's EFI or boot partition and tables.
			switch need := sumMin(p.Template); {
			case need > size:
				b.fail("disks.root.partitions", "the minimum sizes add up to %s but %s has %s", formatSize(need), root, formatSize(size))
			case need+b.reserve() > size:
				b.fail("disks.root.partitions", "the minimum sizes add up to %s, and with the installer's EFI or boot partition and tables to %s, but %s has %s (disklabel would fail: \"Autopartitioning failed\")", formatSize(need), formatSize(need+b.reserve()), root, formatSize(size))
			}
		}
	case swap > 0 || len(moved) > 0:
		// OpenBSD's auto layout, changed: swap of the asked size, or
		// without what an extra disk mounts (/home on a second disk).
		p.Template = b.autoLayout(swap, b.diskSize(root), moved)
	}
	if p.Template != nil {
		p.TemplateURL = b.opts.ServerURL + "/" + b.opts.PathPrefix + "template/" + b.m.Name + ".disklabel"
	}

	mounts := map[string]bool{}
	// fstab holds the root disk's mount points (the installer writes
	// them), then install.site appends the extra disks' in order, and
	// mount -a mounts them in that order.
	var fstab []string
	for _, l := range p.Template {
		mounts[l.Mount] = true
		if l.Mount != "swap" {
			fstab = append(fstab, l.Mount)
		}
	}
	used := map[string]bool{root: root != ""}
	for i, x := range d.Extra {
		key := fmt.Sprintf("disks.extra[%d]", i)
		ed := ExtraDisk{Device: x.Device, Table: firstNonEmpty(x.Table, "gpt"), Wipe: x.Wipe}
		switch {
		case !diskRE.MatchString(x.Device):
			b.fail(key+".device", "%q: expected a disk name like sd1", x.Device)
		case used[x.Device]:
			b.fail(key+".device", "%s is already the root disk or another extra disk", x.Device)
		case b.knownDisks() && b.findDisk(x.Device) == nil:
			b.warn(key+".device", "%s is not a disk in this machine's dmesg (it shows %s)", x.Device, b.diskList())
		case b.lockedVolume(x.Device):
			b.warn(key+".device", "%s is a softraid CRYPTO volume in this machine's dmesg: the installer has it only when bsd.rd was booted from it (the boot loader asks its passphrase), not after a network boot, and install.site then finds no %s (name one of the disks it is made from)", x.Device, x.Device)
		}
		used[x.Device] = true
		if ed.Table != "gpt" && ed.Table != "mbr" {
			b.fail(key+".table", "%q: expected gpt or mbr", x.Table)
		}
		if len(x.Partitions) == 0 {
			b.fail(key+".partitions", "none given (expected at least one, like { mount: /data, size: rest })")
		} else {
			ed.Template = b.template(key+".partitions", x.Partitions, false, 0)
		}
		// install.site's fdisk leaves the disk to disklabel but for its
		// tables; a template that does not fit fails there, after the
		// install, and the disk is skipped.
		if size := b.diskSize(x.Device); size > 0 && ed.Template != nil {
			if need := sumMin(ed.Template); need+extraReserve > size {
				b.fail(key+".partitions", "the minimum sizes add up to %s but %s has %s, less its partition tables", formatSize(need), x.Device, formatSize(size))
			}
		}
		for j, l := range ed.Template {
			if l.Mount != "swap" && mounts[l.Mount] {
				b.fail(fmt.Sprintf("%s.partitions[%d].mount", key, j), "%s is mounted from another partition already", l.Mount)
			}
			mounts[l.Mount] = true
			if l.Mount == "swap" {
				continue
			}
			for _, m := range fstab {
				if strings.HasPrefix(m, l.Mount+"/") {
					b.fail(fmt.Sprintf("%s.partitions[%d].mount", key, j), "%s would be mounted after %s, which lies under it, and hide it: /etc/fstab lists the root disk's partitions first, then the extra disks' in order (put %s on a disk listed later, or after %s)", l.Mount, m, m, l.Mount)
					break
				}
			}
			fstab = append(fstab, l.Mount)
		}
		p.ExtraDisks = append(p.ExtraDisks, ed)
	}
}

// extraReserve is what an extra disk loses to its MBR or GPT before
// disklabel's OpenBSD area (install.site's fdisk makes no EFI partition).
const extraReserve = profiles.MiB

// movedMounts are the mount points of OpenBSD's auto layout that extra
// disks provide.
func movedMounts(extra []profiles.ExtraDisk) map[string]bool {
	auto := autoLayoutMounts()
	moved := map[string]bool{}
	for _, x := range extra {
		for _, pt := range x.Partitions {
			if auto[pt.Mount] && pt.Mount != "/" && pt.Mount != "swap" {
				moved[pt.Mount] = true
			}
		}
	}
	return moved
}

// rootDisk resolves device: a name, or auto (first SSD, else the largest
// disk, when the disks are known; else the installer's default).
func (b *builder) rootDisk(dev string) string {
	if dev != "" && dev != "auto" {
		if !diskRE.MatchString(dev) && !duidRE.MatchString(dev) {
			b.fail("disks.root.device", "%q: expected auto, a disk name like sd0, or a DUID", dev)
			return ""
		}
		switch {
		case diskRE.MatchString(dev) && b.knownDisks() && b.findDisk(dev) == nil:
			b.warn("disks.root.device", "%s is not a disk in this machine's dmesg (it shows %s)", dev, b.diskList())
		case b.lockedVolume(dev):
			b.warn("disks.root.device", "%s is a softraid CRYPTO volume in this machine's dmesg: the installer has it only when bsd.rd was booted from it (the boot loader asks its passphrase), not after a network boot, and then has no %s (name the disk it is made from, with disks.root.encrypt for a new encrypted root)", dev, dev)
		case b.usbBesideFixed(dev):
			b.warn("disks.root.device", "%s is a USB disk in this machine's dmesg (%s), often the install medium, and the machine has fixed disks (%s): the system would go on %s (device: auto takes a fixed disk)", dev, b.findDisk(dev).Model, strings.Join(b.fixedDisks(), ", "), dev)
		}
		return dev
	}
	if !b.knownDisks() {
		return ""
	}
	// Prefer fixed disks: the install medium is often a USB stick. A
	// softraid volume (an old encrypted root, "OPENBSD, SR CRYPTO") is
	// never a candidate: it is the installer's own creation, made from a
	// chunk on a real disk, and goes away when that disk is prepared.
	var cands, usb []hardware.Disk
	for _, d := range b.facts.Disks {
		switch {
		case b.softraidVolume(d):
		case d.USB:
			usb = append(usb, d)
		default:
			cands = append(cands, d)
		}
	}
	if len(cands) == 0 {
		cands = usb
	}
	if len(cands) == 0 {
		return ""
	}
	for _, d := range cands {
		if d.SSD {
			return d.Name
		}
	}
	best := cands[0]
	for _, d := range cands[1:] {
		if d.SizeBytes > best.SizeBytes {
			best = d
		}
	}
	return best.Name
}

// swap returns the swap size in bytes, 0 when the profile gives none.
func (b *builder) swap(s string) int64 {
	if s == "" {
		return 0
	}
	n, mult, err := profiles.ParseSwap(s)
	if !b.check("disks.root.swap", err) {
		return 0
	}
	if mult == 0 {
		return n
	}
	mem := b.memory()
	if mem <= 0 {
		b.fail("disks.root.swap", "%s is a multiple of memory, but the memory of machine %s is not known (set memory: in machines.yaml or give its dmesg)", s, b.m.Name)
		return 0
	}
	bytes := int64(math.Ceil(mult * float64(mem)))
	// Round up to whole GiB (whole MiB below 1 GiB): a dmesg's real mem is
	// a little under the nominal size, and swap should be at least asked.
	unit := profiles.GiB
	if bytes < profiles.GiB {
		unit = profiles.MiB
	}
	return (bytes + unit - 1) / unit * unit
}

// softraidVolume tells a softraid volume from a disk: its model is
// "OPENBSD SR <level>" and it attaches to a scsibus on softraid0.
func (b *builder) softraidVolume(d hardware.Disk) bool {
	if strings.HasPrefix(d.Model, "OPENBSD SR") {
		return true
	}
	parent := map[string]string{}
	for _, dev := range b.facts.Devices {
		parent[dev.Name] = dev.Parent
	}
	bus := parent[d.Name]
	return strings.HasPrefix(bus, "scsibus") && strings.HasPrefix(parent[bus], "softraid")
}

// lockedVolume reports whether the dmesg shows name as a softraid CRYPTO
// volume: the running system's encrypted disk, which the install kernel
// attaches only when the boot loader unlocked it (bsd.rd booted from
// that disk, as the RAMDISK_CD boot in a ThinkPad T500's dmesg shows),
// never after a network boot. (RAID volumes assemble themselves at
// boot, the installer's too.)
func (b *builder) lockedVolume(name string) bool {
	d := b.findDisk(name)
	return d != nil && b.softraidVolume(*d) && strings.Contains(d.Model, "CRYPTO")
}

// usbBesideFixed reports whether the dmesg shows name as a USB disk on a
// machine that has fixed disks too.
func (b *builder) usbBesideFixed(name string) bool {
	d := b.findDisk(name)
	return d != nil && d.USB && len(b.fixedDisks()) > 0
}

// fixedDisks are the dmesg's disks that are neither USB nor softraid
// volumes: what device: auto chooses from.
func (b *builder) fixedDisks() []string {
	var out []string
	for _, d := range b.facts.Disks {
		if !d.USB && !b.softraidVolume(d) {
			out = append(out, d.Name)
		}
	}
	return out
}

// efi reports whether the dmesg shows an EFI boot: efi0, or on amd64
// kernels older than its efi(4) driver efifb0, which attaches only to
// the frame buffer UEFI firmware set up. The install kernel of the
// release then shows efi0, and the installer defaults to GPT.
func (b *builder) efi() bool {
	if b.facts == nil {
		return false
	}
	for _, d := range b.facts.Devices {
		if d.Name == "efi0" || d.Name == "efifb0" {
			return true
		}
	}
	return false
}

func (b *builder) knownDisks() bool { return b.facts != nil && len(b.facts.Disks) > 0 }

func (b *builder) findDisk(name string) *hardware.Disk {
	if b.facts == nil {
		return nil
	}
	for i := range b.facts.Disks {
		if b.facts.Disks[i].Name == name {
			return &b.facts.Disks[i]
		}
	}
	return nil
}

func (b *builder) diskSize(name string) int64 {
	if d := b.findDisk(name); d != nil {
		return d.SizeBytes
	}
	return 0
}

func (b *builder) diskList() string {
	s := ""
	for i, d := range b.facts.Disks {
		if i > 0 {
			s += ", "
		}
		s += d.Name
	}
	return s
}
