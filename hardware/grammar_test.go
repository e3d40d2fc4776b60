package hardware

import "testing"

func TestParseAttach(t *testing.T) {
	for _, tc := range []struct {
		in                 string
		name, parent, rest string
		ok                 bool
	}{
		{`iwm0 at pci2 dev 0 function 0 "Intel AC 8265" rev 0x78, msi`, "iwm0", "pci2", ` dev 0 function 0 "Intel AC 8265" rev 0x78, msi`, true},
		{"mainbus0 at root", "mainbus0", "root", "", true},
		{"pvbus0 at mainbus0: KVM", "pvbus0", "mainbus0", ": KVM", true},
		{"cpu0 at mainbus0 mpidr 0: ARM Cortex-A72 r0p3", "cpu0", "mainbus0", " mpidr 0: ARM Cortex-A72 r0p3", true},
		{"acpicpu at acpi0 not configured", "", "", "", false},
		{`"Intel MEI" rev 0x21 at pci0 dev 22 function 0 not configured`, "", "", "", false},
		{"cpu0: apic clock running at 24MHz", "", "", "", false},
		{"aperture at 0xd0000000", "", "", "", false},
		{"sd0 at scsibus1 targ 1 lun 0: <NVMe, X, 1>", "sd0", "scsibus1", " targ 1 lun 0: <NVMe, X, 1>", true},
	} {
		name, parent, rest, ok := parseAttach(tc.in)
		if name != tc.name || parent != tc.parent || rest != tc.rest || ok != tc.ok {
			t.Errorf("parseAttach(%q) = %q, %q, %q, %v; want %q, %q, %q, %v", tc.in, name, parent, rest, ok, tc.name, tc.parent, tc.rest, tc.ok)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{` dev 0 function 0 "Intel WiFi Link 5100" rev 0x00: msi`, "Intel WiFi Link 5100"},
		{` dev 0 function 0 vendor "Lenovo", unknown product 0x0003 rev 0x00: msix`, "Lenovo unknown product 0x0003"},
		{` dev 0 function 0 Intel 82915G/P/GV Host rev 0x04`, "Intel 82915G/P/GV Host"},
		{`: KVM`, "KVM"},
		{` mpidr 0: ARM Cortex-A72 r0p3`, "ARM Cortex-A72 r0p3"},
		{``, ""},
		{` dev 0 function 0 "unterminated`, ""},
	} {
		if got := describe(tc.in); got != tc.want {
			t.Errorf("describe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseNotConfigured(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want NotConfigured
		ok   bool
	}{
		{`"APP0001" at acpi0 not configured`, NotConfigured{"APP0001", "acpi0"}, true},
		{`"Intel Iris Plus 640" rev 0x06 at pci0 dev 2 function 0 not configured`, NotConfigured{"Intel Iris Plus 640", "pci0"}, true},
		{`vendor "NVIDIA", unknown product 0x13c2 (class display subclass VGA, rev 0xa1) at pci6 dev 0 function 0 not configured`,
			NotConfigured{"NVIDIA unknown product 0x13c2 (class display subclass VGA, rev 0xa1)", "pci6"}, true},
		{`cpu at mainbus0: not configured`, NotConfigured{"cpu", "mainbus0"}, true},
		{`hid at ihidev0 reportid 6 not configured`, NotConfigured{"hid", "ihidev0"}, true},
		{`"Apple Inc. FaceTime HD Camera (Built-in)" rev 2.00/72.52 addr 3 at uhub0 port 3 not configured`, NotConfigured{"Apple Inc. FaceTime HD Camera (Built-in)", "uhub0"}, true},
		{`Acer Labs M7101 Power rev 0x00 at pci1 dev 3 function 0 not configured`, NotConfigured{"Acer Labs M7101 Power", "pci1"}, true},
		{`manufacturer 0x02d0, product 0xa9a6 at sdmmc0 function 2 not configured`, NotConfigured{"manufacturer 0x02d0, product 0xa9a6", "sdmmc0"}, true},
		{`"Foo at Bar" at pci1 not configured`, NotConfigured{"Foo at Bar", "pci1"}, true},
		{`something not configured`, NotConfigured{}, false},
	} {
		got, ok := parseNotConfigured(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseNotConfigured(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseMemory(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"real mem = 8415944704 (8026MB)", 8415944704},
		{"real mem  = 526864384 (514516K)", 526864384},
		{"real memory  = 536395776 (523824K bytes)", 536395776},
		{"total memory = 536870912", 536870912},
		{"physical memory = 268435456 (256MB)", 268435456},
		{"avail mem = 8135090176 (7758MB)", 0},
		{"real mem = ", 0},
		{"real mem = 99999999999999999999999 (x)", 0},
		{"real mem = -5 (x)", 0},
	} {
		if got, _ := parseMemory(tc.in); got != tc.want {
			t.Errorf("parseMemory(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestParseDiskSize(t *testing.T) {
	for _, tc := range []struct {
		in    string
		bytes int64
		thin  bool
		ok    bool
	}{
		{"239372MB, 4096 bytes/sector, 61279344 sectors", 61279344 * 4096, false, true},
		{"915715MB, 512 bytes/sector, 1875385008 sectors, thin", 1875385008 * 512, true, true},
		{"1-sector PIO, LBA48, 122104MB, 250069680 sectors", 250069680 * 512, false, true},
		{"17501MB, 20765 cyl, 3 head, 575 sec, 512 bytes/sec, 35843670 sec total", 35843670 * 512, false, true},
		{"100MB", 100 << 20, false, true},
		{"drive offline", 0, false, false},
		{"no disk label", 0, false, false},
		{"9223372036854775807 sectors, 4096 bytes/sector", 0, false, true},
	} {
		g, ok := parseDiskSize(tc.in)
		if g.bytes() != tc.bytes || g.thin != tc.thin || ok != tc.ok {
			t.Errorf("parseDiskSize(%q) = %d bytes thin=%v ok=%v; want %d %v %v", tc.in, g.bytes(), g.thin, ok, tc.bytes, tc.thin, tc.ok)
		}
	}
}

func TestParseDiskModel(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{" targ 1 lun 0: <NVMe, APPLE SSD SM0256, CXS8>", "APPLE SSD SM0256"},
		{" targ 0 lun 0: <ATA, Samsung SSD 860, RVT0> naa.5002538e09a017c8", "Samsung SSD 860"},
		{" targ 6 lun 0: <IBM, DORS-32160, WA6A> SCSI2 0/direct fixed", "IBM DORS-32160"},
		{" targ 0 lun 0: <VirtIO, Block Device, >", "VirtIO Block Device"},
		{" channel 0 drive 0: <Netac SSD 128GB>", "Netac SSD 128GB"},
		{" targ 1 lun 0: <USB, SanDisk 3.2Gen1, 1.00> removable", "SanDisk 3.2Gen1"},
		{" no brackets", ""},
		{" >backwards<", ""},
	} {
		if got := parseDiskModel(tc.in); got != tc.want {
			t.Errorf("parseDiskModel(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMacAfterAddress(t *testing.T) {
	for _, tc := range []struct {
		in   string
		mac  string
		seen bool
	}{
		{"msi, address 00:1E:EC:0b:36:3b", "00:1e:ec:0b:36:3b", true},
		{"irq 11, address xx:xx:xx:xx:xx:xx", "", true},
		{"msi, address XXX", "", true},
		{"address 00:11:22:xx:xx:xx", "", true},
		{"address 00:00:00:00:00:00", "", true},
		{"hw rev 0x200, fw 34.0.1, address 8c:85:90:aa:bb:cc, more", "8c:85:90:aa:bb:cc", true},
		{"port 0x3f8/8 irq 4", "", false},
		{"address 0x3e0", "", false},
		{"address 00:1e:ec:0b:", "", false},
		{"address 00:1e:ec:0b:36:3bvblank wait", "00:1e:ec:0b:36:3b", true},
		{"address 00:1e:ec:0b:36:3b0", "", false},
		{"address XXX%%%", "", true},
		{"address xx:xx:xx:xx:xx:xx%%", "", true},
	} {
		mac, seen := macAfterAddress(tc.in)
		if mac != tc.mac || seen != tc.seen {
			t.Errorf("macAfterAddress(%q) = %q, %v; want %q, %v", tc.in, mac, seen, tc.mac, tc.seen)
		}
	}
}

func TestCPUModels(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Intel(R) Core(TM) i5-7360U CPU @ 2.30GHz, 2295.04 MHz, 06-8e-09", "Intel(R) Core(TM) i5-7360U CPU @ 2.30GHz"},
		{"AMD Ryzen 7 4700U with Radeon Graphics, 1996.51 MHz, 17-60-01", "AMD Ryzen 7 4700U with Radeon Graphics"},
		{`Intel(R) Pentium(R) M processor 1.86GHz ("GenuineIntel" 686-class) 1.87 GHz`, "Intel(R) Pentium(R) M processor 1.86GHz"},
		{"Enhanced SpeedStep 1862 MHz: speeds: 1867, 1600 MHz", ""},
		{"apic clock running at 132MHz", ""},
		{"1MB 64b/line 4-way L2 cache", ""},
	} {
		if got, _ := speedLineModel(tc.in); got != tc.want {
			t.Errorf("speedLineModel(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{" mpidr 0: ARM Cortex-A72 r0p3", "ARM Cortex-A72 r0p3"},
		{": SUNW,UltraSPARC-IIe @ 548 MHz, version 0 FPU", "SUNW,UltraSPARC-IIe @ 548 MHz"},
		{": 7447A (Revision 0x105): 1666 MHz: 512KB L2 cache", "7447A (Revision 0x105)"},
		{": apid 0 (boot processor)", ""},
		{": (uniprocessor)", ""},
		{"", ""},
	} {
		if got := attachModel(tc.in); got != tc.want {
			t.Errorf("attachModel(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHypervisorNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"KVM", "KVM"}, {"VMware", "VMware"}, {"OpenBSD", "OpenBSD vmm"}, {"Hyper-V 10.0", "Hyper-V"},
		{"Xen 4.2", "Xen"}, {"bhyve bhyve", "bhyve"}, {"Other, thing", "Other"},
	} {
		if got := pvbusHypervisor(tc.in); got != tc.want {
			t.Errorf("pvbusHypervisor(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"innotek GmbH VirtualBox", "VirtualBox"}, {"Xen HVM domU", "Xen"}, {"OpenBSD VMM Host", "OpenBSD vmm"},
		{"Microsoft Corporation Virtual Machine", "Hyper-V"}, {"LENOVO 20T6003BRT", ""},
	} {
		if got := firmwareHypervisor(tc.in); got != tc.want {
			t.Errorf("firmwareHypervisor(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
