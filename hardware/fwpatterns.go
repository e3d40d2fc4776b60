package hardware

//go:generate go run ./internal/fwdevices -o fwdevices_gen.go internal/fwdevices/openbsd

// fwPatterns is fw_update's firmware_patterns list as data: the fixed lines
// of usr.sbin/fw_update/patterns.c 1.19 (2025-05-20), in source order,
// copied from the reference file fw-patterns.tsv. TestFWPatternsMatchTSV
// compares it with testdata/fw-patterns.tsv field by field.
//
// The lines patterns.c generates for amdgpu, inteldrm and radeondrm, one
// per supported PCI device (`driver "<vendor> <product>"`), are in
// fwDeviceLists (fwdevices_gen.go, written by go generate from OpenBSD's
// sources); firmwarePatterns puts them where patterns.c prints them.
var fwPatterns = []fwPattern{
	{"acx", "", "acx-firmware"},
	{"amd", "", "amd-firmware"},
	{"amd", "^cpu0:* AMD", "amd-firmware"},
	{"amdgpu", "", "amdgpu-firmware"},
	{"amdgpu", `^vga*vendor "ATI", unknown product`, "amdgpu-firmware"},
	{"amdgpu", `^vendor "ATI", unknown product*class display`, "amdgpu-firmware"},
	{"amdsev", `^"AMD*Crypto"`, "amdsev-firmware"},
	{"amdsev", `^"AMD*PSP"`, "amdsev-firmware"},
	{"amdsev", "^ccp0", "amdsev-firmware"},
	{"amdsev", "^psp0", "amdsev-firmware"},
	{"apple-boot", "^cpu0*Apple", "apple-boot-firmware"},
	{"arm64-qcom-dtb", "^qcgpio0", "arm64-qcom-dtb-firmware"},
	{"athn", "", "athn-firmware"},
	{"bwfm", "", "bwfm-firmware"},
	{"bwi", "", "bwi-firmware"},
	{"ice", "", "ice-firmware"},
	{"intel", "", "intel-firmware"},
	{"intel", "^cpu0:*Intel", "intel-firmware"},
	{"inteldrm", "", "inteldrm-firmware"},
	{"ipw", "", "ipw-firmware"},
	{"iwi", "", "iwi-firmware"},
	{"iwm", "", "iwm-firmware"},
	{"iwn", "", "iwn-firmware"},
	{"iwx", "", "iwx-firmware"},
	{"malo", "", "malo-firmware"},
	{"mtw", "", "mtw-firmware"},
	{"mwx", "", "mwx-firmware"},
	{"ogx", "", "ogx-firmware"},
	{"otus", "", "otus-firmware"},
	{"pgt", "", "pgt-firmware"},
	{"qcpas", "", "qcpas-firmware"},
	{"qcpas", `^ppb0*"Qualcomm`, "qcpas-firmware"},
	{"qcpas", `^cpu0*"Qualcomm`, "qcpas-firmware"},
	{"qwx", "", "qwx-firmware"},
	{"qwz", "", "qwz-firmware"},
	{"radeondrm", "", "radeondrm-firmware"},
	{"rsu", "", "rsu-firmware"},
	{"uath", "", "uath-firmware"},
	{"upgt", "", "upgt-firmware"},
	{"uvideo", "", "uvideo-firmware"},
	{"vmm", "", "vmm-firmware"},
	{"wpi", "", "wpi-firmware"},
}
