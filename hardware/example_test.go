package hardware_test

import (
	"fmt"
	"os"
	"strings"

	"fugu/hardware"
)

func ExampleParse() {
	dmesg := `OpenBSD 7.8 (GENERIC.MP) #54: Sun Oct 12 12:34:56 MDT 2025
    deraadt@amd64.openbsd.org:/usr/src/sys/arch/amd64/compile/GENERIC.MP
real mem = 17014710272 (16226MB)
cpu0 at mainbus0: apid 0 (boot processor)
cpu0: 11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz, 2420.31 MHz, 06-8c-01
inteldrm0 at pci0 dev 2 function 0 "Intel Iris Xe Graphics" rev 0x01
re0 at pci3 dev 0 function 0 "Realtek 8168" rev 0x15: RTL8168H/8111H (0x5400), msi, address 80:fa:5b:01:02:03
iwm0 at pci2 dev 0 function 0 "Intel Dual Band Wireless-AC 8265" rev 0x78, msi
iwm0: could not read firmware iwm-8265-36 (error 2)
nvme0 at pci1 dev 0 function 0 "Samsung SM981/PM981 NVMe" rev 0x00: msix, NVMe 1.3
scsibus1 at nvme0: 2 targets, initiator 0
sd0 at scsibus1 targ 1 lun 0: <NVMe, Samsung SSD 970, 2B2Q>
sd0: 476940MB, 512 bytes/sector, 976773168 sectors
`
	facts, err := hardware.Parse(strings.NewReader(dmesg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(facts.Version, facts.Arch, facts.MemoryBytes)
	for _, d := range facts.Disks {
		fmt.Println(d.Name, d.SizeBytes, d.Model, "ssd:", d.SSD)
	}
	for _, n := range facts.Interfaces {
		fmt.Println(n.Name, n.MAC, "wireless:", n.Wireless)
	}
	for _, fw := range facts.Firmware {
		fmt.Println(fw.Package, "<-", fw.Line)
	}
	fmt.Println()
	hardware.WriteText(os.Stdout, facts)
	// Output:
	// 7.8 amd64 17014710272
	// sd0 500107862016 Samsung SSD 970 ssd: true
	// re0 80:fa:5b:01:02:03 wireless: false
	// iwm0  wireless: true
	// intel-firmware <- cpu0: 11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz, 2420.31 MHz, 06-8c-01
	// inteldrm-firmware <- inteldrm0 at pci0 dev 2 function 0 "Intel Iris Xe Graphics" rev 0x01
	// iwm-firmware <- iwm0 at pci2 dev 0 function 0 "Intel Dual Band Wireless-AC 8265" rev 0x78, msi
	//
	// system:     OpenBSD 7.8 amd64
	// kernel:     OpenBSD 7.8 (GENERIC.MP) #54: Sun Oct 12 12:34:56 MDT 2025
	// cpu:        1 x 11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz
	// memory:     15.8G (17014710272 bytes)
	// hypervisor: none seen
	// firmware:   intel-firmware inteldrm-firmware iwm-firmware
	// graphics:   inteldrm0  Intel Iris Xe Graphics
	// disks:      sd0  466G  Samsung SSD 970  SSD
	// network:    re0   wired     80:fa:5b:01:02:03
	//             iwm0  wireless  MAC not shown
}

// The installer's kernel has no drm drivers, so its dmesg shows the GPU
// only by name. fw_update still fetches the driver's firmware when that
// name is on the driver's device list, and so does MatchFirmware.
func ExampleMatchFirmware() {
	dmesg := `OpenBSD 7.8 (RAMDISK_CD) #123: Sun Oct 12 12:34:56 MDT 2025
    deraadt@amd64.openbsd.org:/usr/src/sys/arch/amd64/compile/RAMDISK_CD
cpu0 at mainbus0: apid 0 (boot processor)
cpu0: Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz, 1796.56 MHz, 06-8e-0a
vga1 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07
wsdisplay1 at vga1 mux 1: console (80x25, vt100 emulation)
`
	for _, fw := range hardware.MatchFirmware(dmesg) {
		fmt.Println(fw.Package, "<-", fw.Line)
	}
	// Output:
	// intel-firmware <- cpu0: Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz, 1796.56 MHz, 06-8e-0a
	// inteldrm-firmware <- vga1 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07
}
