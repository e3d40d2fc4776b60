package autoinstall

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugu/hardware"
	"fugu/profiles"
)

// sweepDmesgs are the real dmesgs the hardware package parses (several
// architectures, wired and wireless, SSDs, USB sticks, softraid volumes,
// virtual machines, tiny disks).
const sweepDmesgs = "../hardware/testdata/dmesg"

// sweepVariant is one way an admin would fit a profile of the example
// site to a machine known by its dmesg.
type sweepVariant struct {
	name string
	base string // example machine
	// fit changes the profile for the facts; false when the variant does
	// not apply to this machine.
	fit func(p *profiles.Profile, f *hardware.Facts) bool
	// fitted: the profile names only what the dmesg shows, so the plan
	// must have no warning.
	fitted bool
	// refuse: the plan must fail with this in its error, as the
	// profile asks for more than the machine's disks hold.
	refuse string
	// warn, when set, gives the start of the one warning a fitted
	// profile must get on this machine ("" for none).
	warn func(f *hardware.Facts) string
}

// sweepWireless configures the dmesg's first wireless interface, or nil.
func sweepWireless(f *hardware.Facts) *profiles.Interface {
	for _, in := range f.Interfaces {
		if in.Wireless {
			return &profiles.Interface{Name: in.Name, IPv4: "dhcp", IPv6: "autoconf", Wireless: &profiles.Wireless{Networks: []profiles.WirelessNetwork{{SSID: "home", WPAKey: "demo-home-passphrase"}, {SSID: "cafe"}}}}
		}
	}
	return nil
}

// sweepMAC is the inventory MAC the by-MAC variant gives an interface
// whose dmesg masks its address.
func sweepMAC(i int) string { return fmt.Sprintf("00:00:5e:00:53:%02x", 0x10+i) }

func wiredIfs(f *hardware.Facts) []hardware.Interface {
	var out []hardware.Interface
	for _, in := range f.Interfaces {
		if !in.Wireless {
			out = append(out, in)
		}
	}
	return out
}

// sweepDisks are the disks an admin would install on: not USB, not an old
// softraid volume.
func sweepDisks(f *hardware.Facts) []hardware.Disk {
	var out []hardware.Disk
	for _, d := range f.Disks {
		if !d.USB && !strings.HasPrefix(d.Model, "OPENBSD SR") && d.SizeBytes > 0 {
			out = append(out, d)
		}
	}
	return out
}

func autoRoot(swap string) profiles.Disks {
	return profiles.Disks{Root: profiles.RootDisk{Device: "auto", Swap: swap}}
}

var sweepVariants = []sweepVariant{
	// The example profiles as they are: whatever they name that this
	// dmesg lacks must be warned about.
	{name: "laptop-as-is", base: "delilah"},
	{name: "probook-as-is", base: "probook"},
	{name: "mailgw-as-is", base: "mx1"},
	{
		// The mail gateway on the machine's first wired interface.
		name: "mailgw", base: "mx1", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			wired := wiredIfs(f)
			if len(wired) == 0 {
				return false
			}
			p.Network.Interfaces = []profiles.Interface{{Name: wired[0].Name, IPv4: "192.0.2.25/24", IPv6: "none"}}
			g := *p.Roles.MailGW
			g.EgressInterface = wired[0].Name
			p.Roles.MailGW = &g
			return true
		},
	},
	{
		// No interface named: the first wired one, with DHCP.
		name: "no-interfaces", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			p.Disks = autoRoot("")
			return len(wiredIfs(f)) > 0
		},
	},
	{
		// Every wired interface named by its MAC (the inventory's, where
		// the dmesg masks it).
		name: "by-mac", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			for i, in := range f.Interfaces {
				if in.Wireless {
					continue
				}
				mac := in.MAC
				if mac == "" {
					mac = sweepMAC(i)
				}
				p.Network.Interfaces = append(p.Network.Interfaces, profiles.Interface{Name: mac, IPv4: "dhcp", IPv6: "autoconf"})
			}
			p.Disks = autoRoot("")
			return len(p.Network.Interfaces) > 0
		},
	},
	{
		// Every wired interface named by its driver name.
		name: "named", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			for _, in := range wiredIfs(f) {
				p.Network.Interfaces = append(p.Network.Interfaces, profiles.Interface{Name: in.Name, IPv4: "dhcp", IPv6: "autoconf"})
			}
			p.Disks = autoRoot("")
			return len(p.Network.Interfaces) > 0
		},
	},
	{
		// The wireless interface alone: one whose driver needs firmware
		// cannot fetch the sets (the install kernel has none).
		name: "wireless", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			if w := sweepWireless(f); w != nil {
				p.Network.Interfaces = []profiles.Interface{*w}
			}
			p.Disks = autoRoot("")
			return len(p.Network.Interfaces) > 0
		},
		warn: func(f *hardware.Facts) string {
			for _, in := range f.Interfaces {
				if in.Wireless {
					if slices.ContainsFunc(f.Firmware, func(fw hardware.Firmware) bool { return fw.Driver == in.Driver }) {
						return "network.interfaces: " + in.Name + " (" + in.Driver + "-firmware) needs firmware"
					}
					break
				}
			}
			return ""
		},
	},
	{
		// A wired interface first, then the wireless one.
		name: "wired-and-wireless", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			w, wired := sweepWireless(f), wiredIfs(f)
			if w == nil || len(wired) == 0 {
				return false
			}
			p.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: wired[0].Name, IPv4: "dhcp", IPv6: "autoconf"}, *w}}
			p.Disks = autoRoot("")
			return true
		},
	},
	{
		// /home on a second disk, the rest OpenBSD's auto layout.
		name: "home-extra", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			ds := sweepDisks(f)
			if len(ds) < 2 || len(wiredIfs(f)) == 0 {
				return false
			}
			p.Disks = profiles.Disks{
				Root:  profiles.RootDisk{Device: ds[0].Name},
				Extra: []profiles.ExtraDisk{{Device: ds[1].Name, Partitions: []profiles.Partition{{Mount: "/home", Size: "rest"}}}},
			}
			return true
		},
		// Without /home, the big table's maximums come to 71.25G plus
		// three times the memory; a larger disk keeps the rest unallocated.
		warn: func(f *hardware.Facts) string {
			size := sweepDisks(f)[0].SizeBytes
			free := size - 300*profiles.MiB - (71*profiles.GiB + 256*profiles.MiB + 3*f.MemoryBytes)
			if free > max(8*profiles.GiB, size/10) {
				return "disks.root: with /home on another disk, OpenBSD's auto layout uses at most"
			}
			return ""
		},
	},
	{
		// The laptop's own partitions with /home on a second disk.
		name: "partitions-home-extra", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			ds := sweepDisks(f)
			if len(ds) < 2 || len(wiredIfs(f)) == 0 {
				return false
			}
			p.Disks.Root.Device = ds[0].Name
			p.Disks.Extra = []profiles.ExtraDisk{{Device: ds[1].Name, Table: "gpt", Partitions: []profiles.Partition{{Mount: "/home", Size: "rest"}}}}
			return true
		},
	},
}

// sizeOf writes n bytes as a whole number of KiB, rounded up.
func sizeOf(n int64) string {
	return fmt.Sprintf("%dK", (n+profiles.KiB-1)/profiles.KiB)
}

func init() {
	sweepVariants = append(sweepVariants,
		sweepVariant{
			// Partitions whose minimums fit the root disk but not what the
			// installer leaves of it after the EFI partition.
			name: "fill-root", base: "delilah", refuse: "disks.root.partitions: the minimum sizes add up",
			fit: func(p *profiles.Profile, f *hardware.Facts) bool {
				p.Network = profiles.Network{}
				ds := sweepDisks(f)
				if len(ds) == 0 || len(wiredIfs(f)) == 0 || ds[0].SizeBytes < 4*profiles.GiB {
					return false
				}
				rest := ds[0].SizeBytes - profiles.GiB - 512*profiles.MiB - 8*profiles.MiB // less than any reserve
				p.Disks = profiles.Disks{Root: profiles.RootDisk{Device: ds[0].Name, Swap: "512M", Partitions: []profiles.Partition{{Mount: "/", Size: "1G"}, {Mount: "/usr", Size: sizeOf(rest) + "-*"}}}}
				return true
			},
		},
		sweepVariant{
			// An extra disk's partition as large as the whole disk.
			name: "fill-extra", base: "delilah", refuse: "disks.extra[0].partitions: the minimum sizes add up",
			fit: func(p *profiles.Profile, f *hardware.Facts) bool {
				p.Network = profiles.Network{}
				ds := sweepDisks(f)
				if len(ds) < 2 || len(wiredIfs(f)) == 0 {
					return false
				}
				p.Disks = profiles.Disks{
					Root:  profiles.RootDisk{Device: ds[0].Name},
					Extra: []profiles.ExtraDisk{{Device: ds[1].Name, Partitions: []profiles.Partition{{Mount: "/data", Size: sizeOf(ds[1].SizeBytes) + "-*"}}}},
				}
				return true
			},
		})
}

func init() {
	sweepVariants = append(sweepVariants, sweepVariant{
		// An encrypted root with swap sized to memory: two disks
		// prepared, each with the installer's default table.
		name: "encrypted", base: "delilah", fitted: true,
		fit: func(p *profiles.Profile, f *hardware.Facts) bool {
			p.Network = profiles.Network{}
			p.Disks = autoRoot("1x")
			p.Disks.Root.Encrypt = &profiles.Encryption{Passphrase: "a long passphrase"}
			return p.Arch == "amd64" && len(wiredIfs(f)) > 0
		},
	})
}

// sweepSwaps are the swap sizes tried with the auto layout.
var sweepSwaps = []string{"512M", "4G", "1x", "2x"}

func init() {
	for _, s := range sweepSwaps {
		sweepVariants = append(sweepVariants, sweepVariant{
			name: "swap-" + s, base: "delilah", fitted: true,
			fit: func(p *profiles.Profile, f *hardware.Facts) bool {
				p.Network = profiles.Network{}
				p.Disks = autoRoot(s)
				return len(wiredIfs(f)) > 0
			},
		})
	}
}

// mirrorFiles are the official release folder's files for arch.
func mirrorFiles(arch string) []string {
	out := []string{"INSTALL." + arch, "SHA256.sig"}
	for _, s := range officialSets {
		out = append(out, strings.Replace(s, "%s", "78", 1))
	}
	return out
}

// TestDmesgSweep renders every machine of hardware's real dmesgs with the
// example site's profiles and variations of them that depend on the
// hardware, and checks each result as an admin would: install.conf and
// upgrade.conf pass Lint and the simulated installer on that machine,
// name only interfaces and disks the dmesg shows (or the plan warns),
// the disk layout fits the root disk, and install.site parses.
func TestDmesgSweep(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(sweepDmesgs, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 20 {
		t.Fatalf("found %d dmesgs in %s, expected the hardware package's 20 or more", len(paths), sweepDmesgs)
	}
	sh, _ := exec.LookPath("mksh")
	if sh == "" && os.Getenv("CI") == "true" {
		t.Fatal("mksh is required under CI=true")
	}
	sc := &sweepShell{sh: sh, dir: t.TempDir(), seen: map[string]bool{}}
	bases := map[string]*profiles.Machine{}
	for _, v := range sweepVariants {
		bases[v.base], _ = exampleMachine(t, v.base)
	}
	for _, path := range paths {
		dmesg, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		facts, err := hardware.Parse(bytes.NewReader(dmesg))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		for _, v := range sweepVariants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				sweepOne(t, v, bases[v.base], facts, dmesg, sc)
			})
		}
	}
}

func sweepOne(t *testing.T, v sweepVariant, m *profiles.Machine, facts *hardware.Facts, dmesg []byte, sc *sweepShell) {
	mc := *m
	// A machine enrolled with its dmesg: the facts give its memory.
	mc.MemoryBytes, mc.Dmesg = 0, dmesg
	prof := &mc.Profile
	opts := testOptions()
	if facts.Arch != "" && facts.Arch != prof.Arch {
		// The admin installs the machine's own architecture; only amd64
		// has the MBR/GPT and encryption questions fugu answers.
		prof.Arch = facts.Arch
		d := prof.Disks
		d.Root.Table, d.Root.Encrypt = "", nil
		prof.Disks = d
	}
	opts.Arch = prof.Arch
	opts.MirrorFiles = mirrorFiles(prof.Arch)
	if v.fit != nil && !v.fit(prof, facts) {
		t.Skip("does not apply to this machine")
	}
	p, err := NewPlan(&mc, facts, opts)
	if v.refuse != "" && (err == nil || !strings.Contains(err.Error(), v.refuse)) {
		t.Errorf("NewPlan: %v, want a refusal with %q", err, v.refuse)
	}
	if err != nil {
		t.Logf("refused: %v", err)
		if why := sweepRefusal(err, prof, facts); why != "" {
			t.Errorf("NewPlan refused a profile the machine can take (%s): %v", why, err)
		}
		return
	}
	f, err := Render(p)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	named := sweepNames(t, v, p, facts)
	if g := prof.Roles.MailGW; g != nil && len(facts.Interfaces) > 0 && !slices.ContainsFunc(facts.Interfaces, func(x hardware.Interface) bool { return x.Name == g.EgressInterface }) &&
		!slices.ContainsFunc(p.Warnings, func(w string) bool { return strings.HasPrefix(w, "roles.mailgw.egress_interface: "+g.EgressInterface) }) {
		t.Errorf("the mail gateway's egress_interface %s is not in the dmesg, without a warning: %q", g.EgressInterface, p.Warnings)
	}
	for _, l := range Lint(f.InstallConf, ModeInstall) {
		t.Errorf("lint install.conf: %v", l)
	}
	for _, l := range Lint(f.UpgradeConf, ModeUpgrade) {
		t.Errorf("lint upgrade.conf: %v", l)
	}
	sweepLayout(t, p, facts)
	sc.check(t, f)
	if !named {
		// The answers name what this machine lacks, which the plan warns
		// about: the installer would stop.
		return
	}

	// The installer on this machine after a network boot: an old softraid
	// CRYPTO volume is not attached (no boot loader asked its passphrase),
	// and an interface the dmesg masks has the MAC the inventory knows.
	model := modelFromDmesg(facts, dmesg)
	model.Disks = nil
	for _, d := range facts.Disks {
		if !strings.HasPrefix(d.Model, "OPENBSD SR CRYPTO") {
			model.Disks = append(model.Disks, d.Name)
		}
	}
	slices.Sort(model.Disks)
	if len(model.Disks) == 0 {
		model.Disks = []string{"sd0"} // the dmesg lost its disks
	}
	for i, in := range model.Ifaces {
		if in.MAC == "" {
			model.Ifaces[i].MAC = sweepMAC(i)
		}
	}
	sm := serve(model, p, f)
	o := simulateInstall(f.InstallConf, sm)
	if o.Err != nil {
		t.Errorf("install stopped: %v\n%s\ninstall.conf:\n%s", o.Err, o.transcript(), f.InstallConf)
		return
	}
	allowed := []string{"Terminal type?", "Change the default console to com0?", "Which speed should com0 use?"}
	if p.Table == "" {
		allowed = append(allowed, "Use (W)hole disk MBR, whole disk (G)PT or (E)dit?")
	}
	if p.RootDisk == "" {
		allowed = append(allowed, "Which disk is the root disk? ('?' for details)")
	}
	for _, q := range o.defaults() {
		if !slices.Contains(allowed, q) {
			t.Errorf("%q was answered with the installer's default", q)
		}
	}
	checkOutcome(t, p, f, o)
	u := simulateUpgrade(f.UpgradeConf, sm, p.Hostname)
	if u.Err != nil {
		t.Errorf("upgrade stopped: %v\n%s", u.Err, u.transcript())
	}
}

// sweepRefusal says why a refused profile should have been taken, or ""
// when the refusal is right: the machine's memory is not known for a
// swap multiple, or the root disk is too small for what is asked.
func sweepRefusal(err error, prof *profiles.Profile, f *hardware.Facts) string {
	msg := err.Error()
	d := prof.Disks.Root
	root := sweepRoot(d.Device, f)
	swap, mult, _ := profiles.ParseSwap(d.Swap)
	if mult > 0 {
		swap = int64(mult * float64(f.MemoryBytes))
	}
	switch {
	case strings.Contains(msg, "disks.extra[0].partitions: the minimum sizes add up"):
		return "" // fill-extra asks for it
	case strings.Contains(msg, "memory of machine") && f.MemoryBytes == 0:
		return ""
	case strings.Contains(msg, "disks.root.partitions: the minimum sizes add up"):
		need := swap + diskReserve
		for _, pt := range d.Partitions {
			ps, _ := profiles.ParsePartitionSize(pt.Size)
			need += ps.Min
		}
		if root == nil || root.SizeBytes < need {
			return ""
		}
		return fmt.Sprintf("%s has %s, the partitions with swap need %s", root.Name, formatSize(root.SizeBytes), formatSize(need))
	case strings.Contains(msg, "too small for OpenBSD's smallest auto layout"):
		// The small table's / (700M) beside swap, and the EFI partition.
		need := swap + 700*profiles.MiB + diskReserve
		if root == nil || root.SizeBytes < need {
			return ""
		}
		return fmt.Sprintf("%s has %s, the small table with this swap needs %s", root.Name, formatSize(root.SizeBytes), formatSize(need))
	}
	return "unexpected refusal"
}

// sweepRoot is the root disk as PROFILE.md describes device: the named
// disk, or for auto the first SSD, else the largest disk.
func sweepRoot(device string, f *hardware.Facts) *hardware.Disk {
	if device != "auto" && device != "" {
		i := slices.IndexFunc(f.Disks, func(d hardware.Disk) bool { return d.Name == device })
		if i < 0 {
			return nil
		}
		return &f.Disks[i]
	}
	ds := sweepDisks(f)
	if len(ds) == 0 {
		return nil
	}
	best := ds[0]
	for _, d := range ds {
		if d.SSD {
			return &d
		}
		if d.SizeBytes > best.SizeBytes {
			best = d
		}
	}
	return &best
}

// sweepNames checks that the plan warns about every interface and disk it
// names that the dmesg does not show (and, for a fitted profile, warns
// about nothing). It reports whether all names are the machine's.
func sweepNames(t *testing.T, v sweepVariant, p *Plan, f *hardware.Facts) bool {
	t.Helper()
	if v.fitted {
		want := ""
		if v.warn != nil {
			want = v.warn(f)
		}
		switch {
		case want == "" && len(p.Warnings) > 0:
			t.Errorf("warnings for a profile fitted to the dmesg: %q", p.Warnings)
		case want != "" && (len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], want)):
			t.Errorf("warnings %q, want one starting %q", p.Warnings, want)
		}
	}
	warned := func(name string) bool {
		return slices.ContainsFunc(p.Warnings, func(w string) bool { return strings.Contains(w, name) })
	}
	ok := true
	for _, in := range p.Interfaces {
		if in.ByMAC {
			continue // the dmesgs mask MACs; the inventory knows them
		}
		if !slices.ContainsFunc(f.Interfaces, func(x hardware.Interface) bool { return x.Name == in.Name }) {
			ok = false
			if len(f.Interfaces) > 0 && !warned(in.Name) {
				t.Errorf("install.conf configures %s, which the dmesg does not show, without a warning", in.Name)
			}
		}
	}
	disks := []string{p.RootDisk}
	for _, x := range p.ExtraDisks {
		disks = append(disks, x.Device)
	}
	for _, name := range disks {
		if name == "" {
			continue
		}
		i := slices.IndexFunc(f.Disks, func(d hardware.Disk) bool { return d.Name == name })
		real := i >= 0 && !strings.HasPrefix(f.Disks[i].Model, "OPENBSD SR")
		if !real {
			ok = false
			if len(f.Disks) > 0 && !warned(name) {
				t.Errorf("%s is a disk fugu prepares, but the dmesg shows no such disk (only %v), and there is no warning", name, f.Disks)
			}
		}
	}
	if i := slices.IndexFunc(f.Disks, func(d hardware.Disk) bool { return d.Name == p.RootDisk }); i >= 0 && f.Disks[i].USB && len(sweepDisks(f)) > 0 && !warned(p.RootDisk+" is a USB disk") {
		t.Errorf("the root disk %s is a USB disk beside fixed disks %v, without a warning", p.RootDisk, sweepDisks(f))
	}
	if p.RootDisk != "" && v.fitted {
		want := sweepDisks(f)
		if len(want) > 0 && !slices.ContainsFunc(want, func(d hardware.Disk) bool { return d.Name == p.RootDisk }) {
			t.Errorf("root disk %s is not one of the machine's fixed disks %v", p.RootDisk, want)
		}
	}
	return ok
}

// sweepLayout checks that the disklabel templates fit their disks.
func sweepLayout(t *testing.T, p *Plan, f *hardware.Facts) {
	t.Helper()
	size := func(name string) int64 {
		for _, d := range f.Disks {
			if d.Name == name {
				return d.SizeBytes
			}
		}
		return 0
	}
	// A PC booted by its BIOS keeps an MBR whose OpenBSD area starts at
	// sector 64; otherwise an EFI partition comes first.
	reserve := int64(diskReserve)
	if !p.EFI && (p.Table == "" || p.Table == "mbr") && (p.Arch == "amd64" || p.Arch == "i386") {
		reserve = mbrReserve
	}
	if s := size(p.RootDisk); s > 0 && p.Template != nil {
		if need := sumMin(p.Template) + reserve; need > s {
			t.Errorf("the root disk %s has %s, but the template needs at least %s:\n%s", p.RootDisk, formatSize(s), formatSize(need), renderTemplate(p.Template))
		}
	}
	for _, x := range p.ExtraDisks {
		if s := size(x.Device); s > 0 && sumMin(x.Template)+diskReserve > s {
			t.Errorf("extra disk %s has %s, but its template needs at least %s", x.Device, formatSize(s), formatSize(sumMin(x.Template)+diskReserve))
		}
	}
}

// sweepShell parses install.site and the first boot lines with mksh -n,
// each distinct script once.
type sweepShell struct {
	sh, dir string
	seen    map[string]bool
}

func (sc *sweepShell) check(t *testing.T, f *Files) {
	t.Helper()
	if sc.sh == "" {
		return
	}
	for _, e := range readSiteSet(t, f.SiteSet) {
		name := strings.TrimPrefix(e.h.Name, "./")
		if name != "install.site" && name != "etc/fugu/rc.firsttime" || sc.seen[string(e.data)] {
			continue
		}
		sc.seen[string(e.data)] = true
		path := filepath.Join(sc.dir, fmt.Sprintf("script%d", len(sc.seen)))
		if err := os.WriteFile(path, e.data, 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(sc.sh, "-n", path).CombinedOutput(); err != nil {
			t.Errorf("%s: mksh -n: %v\n%s\n%s", name, err, out, e.data)
		}
	}
}
