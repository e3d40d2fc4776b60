package hardware

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// MaxDmesgSize bounds what Parse reads: a dmesg is tens of kilobytes, and
// a console log with many boots a few megabytes.
const MaxDmesgSize = 16 << 20

// Parse reads a dmesg (as /var/run/dmesg.boot, the dmesg command, a syslog
// excerpt, or a copy from a web page or mail) and returns what it says
// about the machine. Only the last boot counts: the text from the last
// "OpenBSD N.N" kernel line that a boot follows (not the motd's copy of it
// in a console capture) on. A line Parse cannot read is skipped; an error
// means only that the reader failed or the input is too large.
//
// Facts.Firmware is fw_update's own decision (MatchFirmware) over that
// boot as cleaned text, that is over the dmesg.boot the machine itself had.
func Parse(r io.Reader) (*Facts, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxDmesgSize+1))
	if err != nil {
		return nil, fmt.Errorf("read dmesg: %w", err)
	}
	if len(raw) > MaxDmesgSize {
		return nil, fmt.Errorf("read dmesg: larger than %d bytes; is this a dmesg?", MaxDmesgSize)
	}
	lines := cleanLines(raw)
	boot, found := lastBoot(lines)
	p := newParser()
	if !found {
		p.f.Notes = append(p.f.Notes, "no kernel version line: the message buffer wrapped or the head was cut; facts come from what remains")
	}
	for i := 0; i < len(boot); i++ {
		l := boot[i]
		// A device string may end in a newline (a USB camera's product,
		// "...USB Camera\n"): the line goes on with the closing quote.
		// dmesg.boot keeps both halves, and so does the firmware match.
		// The halves are counted and joined once each, not again for
		// every line added.
		odd := strings.Count(l, `"`)%2 == 1
		if odd && i+1 < len(boot) && strings.HasPrefix(boot[i+1], `"`) {
			var b strings.Builder
			b.WriteString(l)
			for odd && i+1 < len(boot) && strings.HasPrefix(boot[i+1], `"`) {
				i++
				b.WriteString(boot[i])
				odd = odd != (strings.Count(boot[i], `"`)%2 == 1)
			}
			l = b.String()
		}
		p.line(l)
	}
	f := p.finish()
	f.Firmware = MatchFirmware(dmesgBootText(boot))
	return f, nil
}

// lastBoot returns the lines from the last kernel version line on
// ("OpenBSD 7.2 (GENERIC.MP) #758: ..."), or all lines when there is none.
// A version line that no boot follows is skipped when an earlier one has
// a boot: /etc/motd starts with the same line, so a console capture that
// goes on past the login shows it after the dmesg.
func lastBoot(lines []string) ([]string, bool) {
	last := -1
	for i := len(lines) - 1; i >= 0; i-- {
		if !isKernelLine(lines[i]) {
			continue
		}
		if startsBoot(lines, i) {
			return lines[i:], true
		}
		if last < 0 {
			last = i
		}
	}
	if last >= 0 {
		return lines[last:], true
	}
	return lines, false
}

// startsBoot reports whether the kernel version line at i opens a boot:
// the kernel's build path, the memory lines or a device attaching follow
// within a few lines.
func startsBoot(lines []string, i int) bool {
	if strings.Contains(lines[i], "/compile/") {
		return true
	}
	for _, l := range lines[i+1 : min(i+4, len(lines))] {
		for _, p := range []string{"real mem", "total mem", "physical mem", "avail mem", "mainbus0 at root", "cpu0 at "} {
			if strings.HasPrefix(l, p) {
				return true
			}
		}
		if strings.Contains(l, "/compile/") {
			return true
		}
		if _, _, _, ok := parseAttach(l); ok {
			return true
		}
	}
	return false
}

// dmesgBootText is the boot as the machine's /var/run/dmesg.boot holds it,
// for fw_update's rule: lines that start with "OpenBSD" after the version
// line (a console's login banner, the motd) are not the kernel's, and
// would otherwise count as a later boot.
func dmesgBootText(boot []string) string {
	var b strings.Builder
	for i, l := range boot {
		if i > 0 && strings.HasPrefix(l, "OpenBSD") {
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

func isKernelLine(l string) bool {
	return strings.HasPrefix(l, "OpenBSD ") && len(l) > 8 && l[8] >= '0' && l[8] <= '9'
}

var archPath = regexp.MustCompile(`/arch/([a-z0-9]+)/compile/`)

// parser collects facts line by line.
type parser struct {
	f        Facts
	cpus     map[string]int // cpuN -> index in f.CPUs
	cpuFrom  map[string]int // how good the model is: 0 none, 1 first line, 2 attach, 3 speed line
	disks    map[string]int
	ifaces   map[string]int
	busOf    map[string]string // scsibusN -> its parent (umass0, nvme0, ahci0)
	devices  map[string]int    // tree index by name
	hvBIOS   string
	hvCPU    bool
	haveBIOS bool
}

func newParser() *parser {
	return &parser{
		cpus: map[string]int{}, cpuFrom: map[string]int{}, disks: map[string]int{},
		ifaces: map[string]int{}, busOf: map[string]string{}, devices: map[string]int{},
	}
}

// line reads one cleaned line of the last boot.
func (p *parser) line(l string) {
	if p.f.Arch == "" && strings.Contains(l, "/compile/") {
		if m := archPath.FindStringSubmatch(l); m != nil {
			p.f.Arch = m[1]
		}
	}
	switch {
	case l == "":
		return
	case isKernelLine(l):
		if p.f.Kernel == "" {
			p.f.Kernel = l
			v := strings.Fields(l)[1]
			p.f.Version = v
		}
		return
	case strings.HasSuffix(l, "not configured"):
		if nc, ok := parseNotConfigured(l); ok {
			p.f.NotConfigured = append(p.f.NotConfigured, nc)
			if driverOf(nc.Description) == "cpu" && strings.HasPrefix(nc.Parent, "mainbus") {
				// The machine has this CPU; the kernel runs on fewer.
				p.f.CPUs = append(p.f.CPUs, CPU{Name: nc.Description, NotConfigured: true})
			}
		}
		return
	}
	if p.f.MemoryBytes == 0 {
		if n, ok := parseMemory(l); ok {
			p.f.MemoryBytes = n
			return
		}
	}
	if name, parent, rest, ok := parseAttach(l); ok {
		p.attach(name, parent, rest)
		return
	}
	if name, msg, ok := parseMessage(l); ok {
		p.message(name, msg)
		return
	}
	if strings.HasSuffix(l, " detached") {
		p.detach(strings.TrimSuffix(l, " detached"))
		return
	}
	if strings.HasPrefix(l, "mainbus0 (root): ") && p.f.Machine == "" {
		p.f.Machine = strings.TrimPrefix(l, "mainbus0 (root): ")
	}
}

func (p *parser) attach(name, parent, rest string) {
	d := Device{Name: name, Parent: parent, Description: describe(rest)}
	if i, ok := p.devices[name]; ok {
		p.f.Devices[i] = d // attached again (a USB device replugged)
	} else {
		p.devices[name] = len(p.f.Devices)
		p.f.Devices = append(p.f.Devices, d)
	}
	drv := driverOf(name)
	switch {
	case drv == "cpu":
		p.cpu(name, attachModel(rest), 2)
	case drv == "mainbus" && parent == "root" && strings.HasPrefix(rest, ": ") && p.f.Machine == "":
		if model := rest[2:]; model != "ACPI" && model != "unknown model" {
			p.f.Machine = model
		}
	case drv == "scsibus":
		p.busOf[name] = parent
	case diskDrivers[drv]:
		p.disk(name).Model = parseDiskModel(rest)
		parentBus := p.busOf[parent]
		if strings.HasPrefix(parentBus, "umass") {
			p.disk(name).USB = true
		}
		if strings.HasPrefix(parentBus, "nvme") || strings.HasPrefix(rest, ": <NVMe,") {
			p.disk(name).SSD = true
		}
	case drv == "pvbus":
		if p.f.Hypervisor == "" {
			p.f.Hypervisor = pvbusHypervisor(strings.TrimPrefix(rest, ": "))
		}
	case drv == "pchb" && p.hvBIOS == "":
		p.hvBIOS = firmwareHypervisor(d.Description)
	case drmDrivers[drv]:
		p.f.Graphics = append(p.f.Graphics, d)
	}
	if mac, seen := macAfterAddress(rest); seen || wirelessDrivers[drv] {
		p.iface(name, mac)
	}
}

func (p *parser) message(name, msg string) {
	drv := driverOf(name)
	switch {
	case drv == "cpu":
		if i := strings.Index(msg, ",HV,"); i >= 0 || strings.Contains(msg, "hypervisor") {
			p.hvCPU = true
		}
		if p.cpuFrom[name] >= 3 {
			return // the model is known; the rest is features and caches
		}
		if model, ok := speedLineModel(msg); ok {
			p.cpu(name, model, 3)
		} else {
			p.cpu(name, firstPart(msg), 1)
		}
		return
	case diskDrivers[drv]:
		if g, ok := parseDiskSize(msg); ok {
			d := p.disk(name)
			d.SizeBytes = g.bytes()
			d.SSD = d.SSD || g.thin
		}
		return
	case name == "bios0" || name == "smbios0": // smbios0: arm64's SMBIOS, same lines
		if p.hvBIOS == "" {
			p.hvBIOS = firmwareHypervisor(msg)
		}
		if !p.haveBIOS && !strings.HasPrefix(msg, "vendor ") && !strings.HasPrefix(msg, "ROM ") &&
			!strings.HasPrefix(msg, "configuration ") && !strings.Contains(msg, "SMBIOS") {
			p.haveBIOS = true
			p.f.Machine = machineName(msg)
		}
		return
	}
	if mac, seen := macAfterAddress(msg); seen {
		p.iface(name, mac)
	}
}

// detach forgets a disk or interface that went away (a USB stick pulled).
// Its entry loses its name here and finish drops it: removing it at once
// would move and reindex all later entries for every detach.
func (p *parser) detach(name string) {
	if i, ok := p.disks[name]; ok {
		p.f.Disks[i].Name = ""
		delete(p.disks, name)
	}
	if i, ok := p.ifaces[name]; ok {
		p.f.Interfaces[i].Name = ""
		delete(p.ifaces, name)
	}
}

func (p *parser) disk(name string) *Disk {
	i, ok := p.disks[name]
	if !ok {
		i = len(p.f.Disks)
		p.disks[name] = i
		p.f.Disks = append(p.f.Disks, Disk{Name: name})
	}
	return &p.f.Disks[i]
}

func (p *parser) iface(name, mac string) {
	i, ok := p.ifaces[name]
	if !ok {
		drv := driverOf(name)
		i = len(p.f.Interfaces)
		p.ifaces[name] = i
		p.f.Interfaces = append(p.f.Interfaces, Interface{Name: name, Driver: drv, Wireless: wirelessDrivers[drv]})
	}
	if mac != "" {
		p.f.Interfaces[i].MAC = mac
	}
}

// cpu records cpuN, keeping the best model seen: a speed line beats the
// attach line, which beats the first message.
func (p *parser) cpu(name, model string, quality int) {
	i, ok := p.cpus[name]
	if !ok {
		i = len(p.f.CPUs)
		p.cpus[name] = i
		p.f.CPUs = append(p.f.CPUs, CPU{Name: name})
	}
	if model != "" && quality > p.cpuFrom[name] {
		p.f.CPUs[i].Model = model
		p.cpuFrom[name] = quality
	}
}

func (p *parser) finish() *Facts {
	switch {
	case p.f.Hypervisor != "":
	case p.hvBIOS != "":
		p.f.Hypervisor = p.hvBIOS
	case p.hvCPU:
		p.f.Hypervisor = "unknown"
	}
	for i, g := range p.f.Graphics {
		if j, ok := p.devices[g.Parent]; ok && g.Description == "" {
			p.f.Graphics[i].Description = p.f.Devices[j].Description
		}
	}
	p.f.Disks = slices.DeleteFunc(p.f.Disks, func(d Disk) bool { return d.Name == "" })
	p.f.Interfaces = slices.DeleteFunc(p.f.Interfaces, func(n Interface) bool { return n.Name == "" })
	f := p.f
	return &f
}
