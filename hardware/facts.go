package hardware

// Facts is what a dmesg says about a machine. Zero values mean "not seen":
// nothing is guessed.
type Facts struct {
	Version       string          `json:"version"`           // 7.8 from "OpenBSD 7.8 (GENERIC.MP) ...", or 7.9-current, 6.6-beta
	Kernel        string          `json:"kernel"`            // the whole kernel line
	Arch          string          `json:"arch"`              // amd64, arm64, i386...
	Machine       string          `json:"machine,omitempty"` // bios0, smbios0 or mainbus0 product: "LENOVO 20T6003BRT"
	CPUs          []CPU           `json:"cpus"`
	MemoryBytes   int64           `json:"memory_bytes"` // real mem; 0 when unknown
	Disks         []Disk          `json:"disks"`
	Interfaces    []Interface     `json:"interfaces"`
	Graphics      []Device        `json:"graphics"`
	Hypervisor    string          `json:"hypervisor"`
	NotConfigured []NotConfigured `json:"not_configured"`
	Firmware      []Firmware      `json:"firmware"`
	Devices       []Device        `json:"devices,omitempty"` // the device tree
	// Notes say what could not be read, e.g. a dmesg whose head was lost.
	Notes []string `json:"notes,omitempty"`
}

// CPU is one cpuN line, or a CPU the kernel saw but did not run on
// ("cpu at mainbus0: not configured": bsd.rd and bsd use one CPU).
type CPU struct {
	Name          string `json:"name,omitempty"`
	Model         string `json:"model"`
	NotConfigured bool   `json:"not_configured,omitempty"`
}

// Disk is a disk the kernel attached.
type Disk struct {
	Name      string `json:"name"`       // sd0, wd0
	SizeBytes int64  `json:"size_bytes"` // 0 when unknown
	Model     string `json:"model"`
	SSD       bool   `json:"ssd"` // reports "thin" (TRIM) or sits on nvme
	USB       bool   `json:"usb"`
}

// Interface is a network interface.
type Interface struct {
	Name     string `json:"name"`   // iwm0
	Driver   string `json:"driver"` // iwm
	MAC      string `json:"mac"`    // lowercase colon form; empty when masked or absent
	Wireless bool   `json:"wireless"`
}

// Device is a node of the device tree.
type Device struct {
	Name        string `json:"name"`
	Parent      string `json:"parent"`
	Description string `json:"description"`
}

// NotConfigured is a device the kernel saw but no driver took.
type NotConfigured struct {
	Description string `json:"description"`
	Parent      string `json:"parent"`
}

// Firmware is a firmware package fw_update would install, and why.
type Firmware struct {
	Driver  string `json:"driver"`
	Package string `json:"package"`
	Line    string `json:"line"`
}
