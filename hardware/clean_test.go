package hardware

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestCleanLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{"crlf", "a0 at b0\r\nc0 at b0\r\n", []string{"a0 at b0", "c0 at b0", ""}},
		{"lone cr", "a0 at b0\rc0 at b0", []string{"a0 at b0", "c0 at b0"}},
		{"latin-1", "cpu0: Pentium\xae 4\n", []string{"cpu0: Pentium® 4", ""}},
		{"control bytes", "re0\x00 at pci1\x1b[0m: address XXX\x07\n", []string{"re0 at pci1: address XXX", ""}},
		{"trailing and leading blanks", "  OpenBSD 7.8 (GENERIC)   \n", []string{"OpenBSD 7.8 (GENERIC)", ""}},
		{"syslog kernel line", "Jun 22 10:18:19 rhea /bsd: sd0: 2063MB, 512 bytes/sector, 4226725 sectors", []string{"sd0: 2063MB, 512 bytes/sector, 4226725 sectors"}},
		{"syslog other program dropped", "Jun 22 10:00:08 rhea syslogd: restart\nJun  2 10:18:19 rhea /bsd: re0 at pci1", []string{"re0 at pci1"}},
		{"syslog with pid", "Jun 22 10:00:08 rhea savecore[123]: no core dump\nx0 at y0", []string{"x0 at y0"}},
		// syslogd -Z stamps lines in ISO 8601 UTC, with milliseconds.
		{"syslog -Z", "2024-11-27T13:55:09.123Z rhea /bsd: re0 at pci1\n2024-11-27T13:55:10.004Z rhea sshd[42]: noise", []string{"re0 at pci1"}},
		{"html", "<pre>sd0 at scsibus1 targ 1 lun 0: &lt;ATA, X, 1&gt;<br>\n&quot;Intel MEI&quot; at pci0 not configured</pre>",
			[]string{"sd0 at scsibus1 targ 1 lun 0: <ATA, X, 1>", "", `"Intel MEI" at pci0 not configured`}},
		{"mac cut by wrap", "bge0 at pci4 dev 0 function 0 \"Broadcom BCM5906M\" rev 0x02, BCM5906 A2 (0xc002): msi, address 00:1e:ec:0b:\n36:3b \nbrgphy0 at bge0 phy 1",
			[]string{"bge0 at pci4 dev 0 function 0 \"Broadcom BCM5906M\" rev 0x02, BCM5906 A2 (0xc002): msi, address 00:1e:ec:0b:36:3b", "brgphy0 at bge0 phy 1"}},
		{"word cut at 80", strings.Repeat("x", 60) + " pciide0: channel 0 compatibilit\ny, channel 1\nsd0 at scsibus0",
			[]string{strings.Repeat("x", 60) + " pciide0: channel 0 compatibility, channel 1", "sd0 at scsibus0"}},
		{"hard wrap at a fixed column", chop80(
			"em0 at pci0 dev 31 function 6 \"Intel I219-V\" rev 0x21: msi, address 00:11:22:33:44:55",
			"iwm0 at pci2 dev 0 function 0 \"Intel Dual Band Wireless-AC 8265\" rev 0x78, msi",
			"uhub0 at usb0 configuration 1 interface 0 \"Intel xHCI root hub\" rev 3.00/1.00 addr 1",
			"sd0 at scsibus1 targ 1 lun 0: <NVMe, Samsung SSD 970, 2B2Q>",
			"cpu0: FPU,VME,DE,PSE,TSC,MSR,PAE,MCE,CX8,APIC,SEP,MTRR,PGE,MCA,CMOV,PAT,PSE36,CFLUSH,DS,ACPI,MMX"),
			[]string{"em0 at pci0 dev 31 function 6 \"Intel I219-V\" rev 0x21: msi, address 00:11:22:33:44:55",
				"iwm0 at pci2 dev 0 function 0 \"Intel Dual Band Wireless-AC 8265\" rev 0x78, msi",
				"uhub0 at usb0 configuration 1 interface 0 \"Intel xHCI root hub\" rev 3.00/1.00 addr 1",
				"sd0 at scsibus1 targ 1 lun 0: <NVMe, Samsung SSD 970, 2B2Q>",
				"cpu0: FPU,VME,DE,PSE,TSC,MSR,PAE,MCE,CX8,APIC,SEP,MTRR,PGE,MCA,CMOV,PAT,PSE36,CFLUSH,DS,ACPI,MMX", ""}},
		{"masked MAC cut by wrap", "vmx0 at pci3: apic 1 int 18, address \nxx:xx:xx:xx:xx:xx\n",
			[]string{"vmx0 at pci3: apic 1 int 18, address xx:xx:xx:xx:xx:xx", ""}},
		{"short line not joined", "cpu0: x\nSSE2,SS\n", []string{"cpu0: x", "SSE2,SS", ""}},
		// wdc prints a drive's transfer mode as "cd0(pciide0:1:0): ...",
		// right after the drive's attach line, which is often long.
		{"long line then name(bus) message", "cd0 at scsibus1 targ 0 lun 0: <HL-DT-ST, DVDRAM GSA-4080N, 0X21> ATAPI 5/cdrom removable\ncd0(pciide0:1:0): using PIO mode 4, Ultra-DMA mode 2\n",
			[]string{"cd0 at scsibus1 targ 0 lun 0: <HL-DT-ST, DVDRAM GSA-4080N, 0X21> ATAPI 5/cdrom removable", "cd0(pciide0:1:0): using PIO mode 4, Ultra-DMA mode 2", ""}},
		{"long line then device line", strings.Repeat("y", 80) + "\nre0 at pci1\n", []string{strings.Repeat("y", 80), "re0 at pci1", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cleanLines([]byte(tc.in)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("cleanLines(%q) =\n%q\nwant\n%q", tc.in, got, tc.want)
			}
		})
	}
}

// chop80 hard-wraps lines at 80 columns, as a terminal does.
func chop80(lines ...string) string {
	var b strings.Builder
	for _, x := range lines {
		for len(x) > 80 {
			b.WriteString(x[:80] + "\n")
			x = x[80:]
		}
		b.WriteString(x + "\n")
	}
	return b.String()
}

// sameFacts compares the facts that matter across two forms of one dmesg.
func sameFacts(t *testing.T, label string, a, b *Facts) {
	t.Helper()
	if a.Version != b.Version || a.Arch != b.Arch || a.MemoryBytes != b.MemoryBytes || a.Hypervisor != b.Hypervisor {
		t.Errorf("%s: version/arch/memory/hypervisor %q %q %d %q, want %q %q %d %q", label,
			b.Version, b.Arch, b.MemoryBytes, b.Hypervisor, a.Version, a.Arch, a.MemoryBytes, a.Hypervisor)
	}
	if !reflect.DeepEqual(a.Disks, b.Disks) {
		t.Errorf("%s: disks %+v, want %+v", label, b.Disks, a.Disks)
	}
	if !reflect.DeepEqual(a.Interfaces, b.Interfaces) {
		t.Errorf("%s: interfaces %+v, want %+v", label, b.Interfaces, a.Interfaces)
	}
	if len(a.CPUs) != len(b.CPUs) {
		t.Errorf("%s: %d cpus, want %d", label, len(b.CPUs), len(a.CPUs))
	}
	if !reflect.DeepEqual(packageNames(a.Firmware), packageNames(b.Firmware)) {
		t.Errorf("%s: firmware %v, want %v", label, packageNames(b.Firmware), packageNames(a.Firmware))
	}
}

func parseString(t *testing.T, s string) *Facts {
	t.Helper()
	f, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestTransformsKeepFacts mangles every fixture the ways dmesgs get
// mangled in the wild and checks the facts do not change.
func TestTransformsKeepFacts(t *testing.T) {
	transforms := map[string]func(lines []string) string{
		"crlf": func(l []string) string { return strings.Join(l, "\r\n") },
		"syslog": func(l []string) string {
			var b strings.Builder
			for _, x := range l {
				b.WriteString("Nov 27 13:55:09 puffy /bsd: " + x + "\n")
				b.WriteString("Nov 27 13:55:09 puffy sshd[42]: noise\n")
			}
			return b.String()
		},
		"syslog -Z": func(l []string) string {
			var b strings.Builder
			for _, x := range l {
				b.WriteString("2024-11-27T13:55:09.123Z puffy /bsd: " + x + "\n")
				b.WriteString("2024-11-27T13:55:09.456Z puffy sshd[42]: noise\n")
			}
			return b.String()
		},
		"html": func(l []string) string {
			return "<html><body><pre>" + html.EscapeString(strings.Join(l, "\n")) + "</pre></body></html>"
		},
		"one line":      func(l []string) string { return strings.Join(l, " ") },
		"wrapped at 80": func(l []string) string { return chop80(l...) },
		"garbage lines": func(l []string) string {
			var b strings.Builder
			for i, x := range l {
				b.WriteString(x + "\n")
				if i%7 == 3 {
					b.WriteString("\x00\x01\xff\xfe%%%% \\M-^@\\M-^@ \x1b[31m#$@!\n")
				}
			}
			return b.String()
		},
		"latin-1 noise": func(l []string) string {
			return "\xe9\xe8 console noise \xff\n" + strings.Join(l, "\n") + "\n\x1b[1mlogin:\x1b[0m \xe0\n"
		},
		// Windows editors start UTF-8 with a byte-order mark; Windows
		// PowerShell's > writes UTF-16 with one, little-endian.
		"utf-8 bom":    func(l []string) string { return "\ufeff" + strings.Join(l, "\n") },
		"utf-16le bom": func(l []string) string { return utf16Text(strings.Join(l, "\r\n"), false) },
		"utf-16be bom": func(l []string) string { return utf16Text(strings.Join(l, "\n"), true) },
	}
	for _, path := range dmesgFixtures(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := cleanLines(raw)
		boot, found := lastBoot(lines)
		if !found {
			continue
		}
		want := parseString(t, strings.Join(boot, "\n"))
		for name, tr := range transforms {
			sameFacts(t, name+" "+path, want, parseString(t, tr(boot)))
		}
	}
}

// utf16Text encodes s as UTF-16 with a byte-order mark.
func utf16Text(s string, bigEndian bool) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune("\ufeff" + s)) {
		if bigEndian {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	return b.String()
}

// TestMailQuotedDmesg: a dmesg quoted in a mail reply ("> ", nested, with
// a line of the reply's own) gives the facts of the dmesg itself.
func TestMailQuotedDmesg(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "dmesg", "*"))
	if err != nil || len(files) < 3 {
		t.Fatalf("fixtures: %v, %v", files, err)
	}
	for _, file := range files[:3] {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, quote := range []string{"> ", ">", "> > "} {
			var b strings.Builder
			b.WriteString("On Mon, someone wrote:\n")
			for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
				b.WriteString(quote + l + "\n")
			}
			b.WriteString("Thanks!\n")
			got, err := Parse(strings.NewReader(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s quoted with %q: facts differ", filepath.Base(file), quote)
			}
		}
	}
}
