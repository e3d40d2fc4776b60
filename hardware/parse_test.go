package hardware

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestParseHypervisor(t *testing.T) {
	for _, tc := range []struct{ name, dmesg, want string }{
		{"pvbus KVM", "OpenBSD 7.8 (GENERIC)\npvbus0 at mainbus0: KVM\n", "KVM"},
		{"pvbus vmm", "OpenBSD 7.8 (GENERIC)\npvbus0 at mainbus0: OpenBSD\n", "OpenBSD vmm"},
		{"pvbus Hyper-V", "OpenBSD 7.8 (GENERIC)\npvbus0 at mainbus0: Hyper-V 10.0\n", "Hyper-V"},
		{"bios VirtualBox", "OpenBSD 7.8 (GENERIC)\nbios0: innotek GmbH VirtualBox\n", "VirtualBox"},
		{"pvbus beats bios", "OpenBSD 7.8 (GENERIC)\nbios0: QEMU Standard PC (i440FX + PIIX, 1996)\npvbus0 at mainbus0: KVM\n", "KVM"},
		{"host bridge", "OpenBSD 6.1 (GENERIC)\npchb0 at pci0 dev 0 function 0 \"OpenBSD VMM Host\" rev 0x00\n", "OpenBSD vmm"},
		{"HV flag only", "OpenBSD 7.8 (GENERIC)\ncpu0 at mainbus0: apid 0 (boot processor)\ncpu0: FPU,VME,SSE3,HV,NXE\n", "unknown"},
		{"vmm host is no guest", "OpenBSD 7.8 (GENERIC)\nvmm0 at mainbus0: VMX/EPT\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseString(t, tc.dmesg).Hypervisor; got != tc.want {
				t.Errorf("Hypervisor = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseDevices(t *testing.T) {
	f := parseString(t, `OpenBSD 7.8 (GENERIC.MP) #1: Sun Oct 12 12:34:56 MDT 2025
    builder@example:/usr/src/sys/arch/arm64/compile/GENERIC.MP
real mem  = 8419852288 (8029MB)
mainbus0 at root: Raspberry Pi 4 Model B Rev 1.4
cpu0 at mainbus0 mpidr 0: ARM Cortex-A72 r0p3
cpu1 at mainbus0 mpidr 1: ARM Cortex-A72 r0p3
nvme0 at pci1 dev 0 function 0 "Samsung SM981/PM981 NVMe" rev 0x00: msix, NVMe 1.3
scsibus1 at nvme0: 2 targets, initiator 0
sd0 at scsibus1 targ 1 lun 0: <NVMe, Samsung SSD 970, 2B2Q>
sd0: 476940MB, 512 bytes/sector, 976773168 sectors
umass0 at uhub0 port 1 configuration 1 interface 0 "SanDisk Cruzer" rev 2.00/1.00 addr 2
scsibus2 at umass0: 2 targets, initiator 0
sd1 at scsibus2 targ 1 lun 0: <SanDisk, Cruzer, 1.00> removable
sd1: 14664MB, 512 bytes/sector, 30031872 sectors
iwm0 at pci2 dev 0 function 0 "Intel Dual Band Wireless-AC 8265" rev 0x78, msi
ure0 at uhub0 port 2 configuration 1 interface 0 "Realtek USB 10/100/1000 LAN" rev 3.00/30.00 addr 3
ure0: RTL8153 (0x5c20), address 00:E0:4C:68:00:01
run0 at uhub0 port 3 configuration 0 interface 0 "Ralink 802.11 n WLAN" rev 2.00/1.01 addr 4
run0: MAC/BBP RT3070 (rev 0x0201), RF RT3020 (MIMO 1T1R), address 00:0f:13:00:00:02
run0 detached
"Intel 400 Series MEI" rev 0x00 at pci0 dev 22 function 0 not configured
amdgpu0 at pci5 dev 0 function 0 "ATI Renoir" rev 0xc2
`)
	if f.Version != "7.8" || f.Arch != "arm64" || f.Machine != "Raspberry Pi 4 Model B Rev 1.4" || f.MemoryBytes != 8419852288 {
		t.Errorf("version, arch, machine, memory = %q %q %q %d", f.Version, f.Arch, f.Machine, f.MemoryBytes)
	}
	if want := []CPU{{Name: "cpu0", Model: "ARM Cortex-A72 r0p3"}, {Name: "cpu1", Model: "ARM Cortex-A72 r0p3"}}; !reflect.DeepEqual(f.CPUs, want) {
		t.Errorf("CPUs = %+v, want %+v", f.CPUs, want)
	}
	wantDisks := []Disk{
		{Name: "sd0", SizeBytes: 976773168 * 512, Model: "Samsung SSD 970", SSD: true},
		{Name: "sd1", SizeBytes: 30031872 * 512, Model: "SanDisk Cruzer", USB: true},
	}
	if !reflect.DeepEqual(f.Disks, wantDisks) {
		t.Errorf("Disks = %+v\nwant %+v", f.Disks, wantDisks)
	}
	wantIfs := []Interface{
		{Name: "iwm0", Driver: "iwm", Wireless: true}, // no address before its firmware loads
		{Name: "ure0", Driver: "ure", MAC: "00:e0:4c:68:00:01"},
	}
	if !reflect.DeepEqual(f.Interfaces, wantIfs) {
		t.Errorf("Interfaces = %+v\nwant %+v", f.Interfaces, wantIfs)
	}
	if want := []Device{{"amdgpu0", "pci5", "ATI Renoir"}}; !reflect.DeepEqual(f.Graphics, want) {
		t.Errorf("Graphics = %+v, want %+v", f.Graphics, want)
	}
	if want := []NotConfigured{{"Intel 400 Series MEI", "pci0"}}; !reflect.DeepEqual(f.NotConfigured, want) {
		t.Errorf("NotConfigured = %+v, want %+v", f.NotConfigured, want)
	}
	if got := packageNames(f.Firmware); !reflect.DeepEqual(got, []string{"amdgpu-firmware", "iwm-firmware"}) {
		t.Errorf("Firmware = %v", got)
	}
	if d := f.Devices[0]; d != (Device{"mainbus0", "root", "Raspberry Pi 4 Model B Rev 1.4"}) {
		t.Errorf("Devices[0] = %+v", d)
	}
}

// TestParseNewlineInDeviceString checks a USB device whose product string
// ends in a newline (nycbug dmesg 5709, a PowerBook's USB camera): the
// kernel's line goes on after it with the closing quote. The two halves
// are one device; the second half names none.
func TestParseNewlineInDeviceString(t *testing.T) {
	f := parseString(t, `OpenBSD 6.8-current (RAMDISK) #754: Sat Oct 10 21:16:21 MDT 2020
    builder@example:/usr/src/sys/arch/macppc/compile/RAMDISK
uhub0 at usb0 configuration 1 interface 0 "NEC EHCI root hub" rev 2.00/1.00 addr 1
"KYE Systems Corp. BUFFALO BSWHD06M USB Camera
" rev 2.00/1.03 addr 2 at uhub0 port 2 not configured
uvideo0 at uhub0 port 2 configuration 1 interface 0 "KYE Systems Corp. BUFFALO BSWHD06M USB Camera
" rev 2.00/1.03 addr 2
video0 at uvideo0
`)
	if want := []NotConfigured{{"KYE Systems Corp. BUFFALO BSWHD06M USB Camera", "uhub0"}}; !reflect.DeepEqual(f.NotConfigured, want) {
		t.Errorf("NotConfigured = %+v, want %+v", f.NotConfigured, want)
	}
	if want := (Device{"uvideo0", "uhub0", "KYE Systems Corp. BUFFALO BSWHD06M USB Camera"}); len(f.Devices) != 3 || f.Devices[1] != want {
		t.Errorf("Devices = %+v, want uvideo0 as %+v", f.Devices, want)
	}
}

func TestParseEmptyAndHeadless(t *testing.T) {
	f := parseString(t, "")
	if f.Version != "" || len(f.Disks) != 0 || len(f.Notes) != 1 {
		t.Errorf("Parse(\"\") = %+v", f)
	}
	f = parseString(t, "pdate clock chip time\nWARNING: can't update clock chip time\nre0 at pci1: address 00:11:22:33:44:55\n")
	if len(f.Notes) != 1 || len(f.Interfaces) != 1 {
		t.Errorf("headless dmesg: notes %v, interfaces %+v", f.Notes, f.Interfaces)
	}
}

func TestParseErrors(t *testing.T) {
	boom := errors.New("boom")
	if _, err := Parse(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("Parse(failing reader) error = %v, want %v", err, boom)
	}
	huge := io.LimitReader(strings.NewReader(strings.Repeat("x", 1024)), 1024)
	if _, err := Parse(io.MultiReader(huge, repeatReader{})); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Parse(endless input) error = %v", err)
	}
}

// repeatReader is an endless stream of newlines.
type repeatReader struct{}

func (repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '\n'
	}
	return len(p), nil
}

// TestParseMachine checks where the machine's name comes from: the
// bios0 or (arm64) smbios0 product line, else the mainbus0 model. An arm64
// machine booted through ACPI has no device tree model: its bootloader
// puts "ACPI" there (as on a Hetzner CAX11), and mainbus(4) prints
// "unknown model" when there is none at all. Neither names a machine.
func TestParseMachine(t *testing.T) {
	const head = "OpenBSD 7.4-current (GENERIC.MP) #33: Mon Dec 25 01:14:23 MST 2023\n" +
		"    deraadt@arm64.openbsd.org:/usr/src/sys/arch/arm64/compile/GENERIC.MP\n"
	for _, tc := range []struct{ name, dmesg, machine, hypervisor string }{
		{"bios0", head + "mainbus0 at root\nbios0 at mainbus0: SMBIOS rev. 3.0 @ 0x88eff000 (34 entries)\n" +
			"bios0: vendor Apple Inc. version \"XXX\" date 08/22/2022\nbios0: Apple Inc. iMac18,1\n", "Apple Inc. iMac18,1", ""},
		{"device tree model", head + "mainbus0 at root: Raspberry Pi 4 Model B Rev 1.4\n", "Raspberry Pi 4 Model B Rev 1.4", ""},
		{"arm64 ACPI with smbios0", head + "mainbus0 at root: ACPI\npsci0 at mainbus0: PSCI 1.1, SMCCC 1.1\n" +
			"efi0 at mainbus0: UEFI 2.7\nefi0: EDK II rev 0x10000\nsmbios0 at efi0: SMBIOS 3.0.0\n" +
			"smbios0: vendor Hetzner version \"20171111\" date 11/11/2017\nsmbios0: Hetzner vServer\n", "Hetzner vServer", ""},
		{"arm64 smbios0 names the hypervisor", head + "mainbus0 at root: ACPI\nsmbios0 at efi0: SMBIOS 3.0.0\n" +
			"smbios0: vendor EFI Development Kit II / OVMF version \"0.0.0\" date 02/06/2015\nsmbios0: QEMU QEMU Virtual Machine\n",
			"QEMU Virtual Machine", "QEMU"},
		{"arm64 ACPI alone", head + "mainbus0 at root: ACPI\n", "", ""},
		{"unknown model", head + "mainbus0 at root: unknown model\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parseString(t, tc.dmesg)
			if f.Machine != tc.machine || f.Hypervisor != tc.hypervisor {
				t.Errorf("Machine, Hypervisor = %q, %q; want %q, %q", f.Machine, f.Hypervisor, tc.machine, tc.hypervisor)
			}
		})
	}
}

func TestMachineName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"HP HP ProBook 430 G7", "HP ProBook 430 G7"},
		{"Dell Inc. Dell Inc. XPS 13 9370", "Dell Inc. XPS 13 9370"},
		{"LENOVO Lenovo V14", "Lenovo V14"},
		{"LENOVO 20T6003BRT", "LENOVO 20T6003BRT"},
		{"LENOVO ThinkPad T440p", "LENOVO ThinkPad T440p"},
		{"Micro-Star International Co., Ltd. MS-7A34", "Micro-Star International Co., Ltd. MS-7A34"},
		{"Xen HVM domU", "Xen HVM domU"},
		{"HP", "HP"},
		{"", ""},
	} {
		if got := machineName(c.in); got != c.want {
			t.Errorf("machineName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseLastBoot(t *testing.T) {
	const boot = "OpenBSD 7.8 (GENERIC.MP) #54: Sun Oct 12 12:34:56 MDT 2025\n" +
		"    deraadt@amd64.openbsd.org:/usr/src/sys/arch/amd64/compile/GENERIC.MP\n" +
		"real mem = 17014710272 (16226MB)\n" +
		"iwm0 at pci2 dev 0 function 0 \"Intel Dual Band Wireless-AC 8265\" rev 0x78, msi\n" +
		"root on sd0a (1234.a) swap on sd0b dump on sd0b\n"
	for _, tc := range []struct {
		name, dmesg string
		memory      int64
		firmware    string
	}{
		{"dmesg.boot", boot, 17014710272, "[iwm-firmware]"},
		{"earlier boot", "OpenBSD 7.7 (GENERIC.MP) #1: Mon Apr 14 10:00:00 MDT 2025\nreal mem = 8589934592 (8192MB)\niwn0 at pci2\n" + boot,
			17014710272, "[iwm-firmware]"},
		// A serial console capture that goes on past the login: the
		// banner and the motd's copy of the version line are no boot.
		{"console past login", boot + "\nOpenBSD/amd64 (puffy.example.org) (tty00)\n\nlogin: root\nPassword:\n" +
			"OpenBSD 7.8 (GENERIC.MP) #54: Sun Oct 12 12:34:56 MDT 2025\n\nWelcome to OpenBSD: The proactively secure Unix-like operating system.\n",
			17014710272, "[iwm-firmware]"},
		{"login banner only", boot + "OpenBSD/amd64 (puffy.example.org) (tty00)\n", 17014710272, "[iwm-firmware]"},
		// With no version line that opens a boot, the last one counts.
		{"bare version lines", "OpenBSD 7.7 (GENERIC)\nWelcome\nOpenBSD 7.8 (GENERIC)\n\nWelcome\niwm0: could not read firmware\n", 0, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parseString(t, tc.dmesg)
			if f.MemoryBytes != tc.memory || fmt.Sprint(packageNames(f.Firmware)) != tc.firmware {
				t.Errorf("memory %d, firmware %v; want %d, %s", f.MemoryBytes, packageNames(f.Firmware), tc.memory, tc.firmware)
			}
			if len(f.Notes) != 0 || f.Version != "7.8" {
				t.Errorf("version %q, notes %v; want 7.8 and none", f.Version, f.Notes)
			}
		})
	}
}

// TestParseUnconfiguredCPUs: a kernel that runs on one CPU (bsd.rd, the
// installer's; bsd) still sees the others and says "cpu at mainbus0: not
// configured" for each. The machine has them all: the installer counts
// them (hw.ncpufound) when it asks for bsd.mp.
func TestParseUnconfiguredCPUs(t *testing.T) {
	f := parseString(t, `OpenBSD 7.3 (RAMDISK_CD) #1063: Sat Mar 25 10:41:49 MDT 2023
    deraadt@amd64.openbsd.org:/usr/src/sys/arch/amd64/compile/RAMDISK_CD
real mem = 4165603328 (3972MB)
mainbus0 at root
cpu0 at mainbus0: apid 0 (boot processor)
cpu0: Intel(R) Core(TM)2 Duo CPU T9400 @ 2.53GHz, 2527.33 MHz, 06-17-0a
cpu at mainbus0: not configured
cpu1 at mainbus0: not configured
acpicpu at acpi0 not configured
`)
	if len(f.CPUs) != 3 {
		t.Fatalf("CPUs = %+v, want the boot CPU and two not configured", f.CPUs)
	}
	if f.CPUs[0].Model != "Intel(R) Core(TM)2 Duo CPU T9400 @ 2.53GHz" || f.CPUs[1].Model != "" || f.CPUs[2].Name != "cpu1" {
		t.Errorf("CPUs = %+v", f.CPUs)
	}
	if want := "1 x Intel(R) Core(TM)2 Duo CPU T9400 @ 2.53GHz, 2 x not configured"; cpuSummary(f.CPUs) != want {
		t.Errorf("cpuSummary = %q, want %q", cpuSummary(f.CPUs), want)
	}
}
