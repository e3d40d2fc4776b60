package hardware

// fwDevice is one line patterns.c's print_devices prints for a device of a
// drm driver's PCI device list: the driver, then Pattern, which is
// `"<vendor> <product>"` with pcidevs' names of the device's ids. fw_update
// reads it like any pattern without `^`: the quoted string, quotes
// included, may occur anywhere in the last boot's text, as it does in a
// line such as
//
//	vga1 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07
//
// where the installer's kernel, which has no drm drivers, found the GPU.
type fwDevice struct {
	Vendor, Product uint16 // the PCI ids, for reference; matching uses Pattern
	Pattern         string
}

// fwDeviceList is what one print_devices call prints.
type fwDeviceList struct {
	Driver  string
	After   string // the fixed line patterns.c prints just before: "amdgpu"
	Devices []fwDevice
}

// firmwarePatterns is the whole firmware_patterns list in patterns.c's
// order: the fixed lines of fwPatterns with each device list right after
// the line it follows. TestFirmwarePatternsOrder checks that every list
// finds its place.
func firmwarePatterns() []fwPattern {
	n := len(fwPatterns)
	for _, l := range fwDeviceLists {
		n += len(l.Devices)
	}
	out := make([]fwPattern, 0, n)
	for _, p := range fwPatterns {
		out = append(out, p)
		for _, l := range fwDeviceLists {
			if l.After != p.line() {
				continue
			}
			for _, d := range l.Devices {
				out = append(out, fwPattern{Driver: l.Driver, Pattern: d.Pattern, Package: l.Driver + "-firmware"})
			}
		}
	}
	return out
}

// line is the pattern as a line of firmware_patterns: the driver, then a
// space and the pattern if there is one.
func (p fwPattern) line() string {
	if p.Pattern == "" {
		return p.Driver
	}
	return p.Driver + " " + p.Pattern
}
