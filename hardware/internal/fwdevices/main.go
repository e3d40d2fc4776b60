// Command fwdevices writes hardware's table of the firmware_patterns lines
// that OpenBSD's usr.sbin/fw_update/patterns.c generates: for each
// print_devices call, one line `driver "<vendor> <product>"` per device of
// a drm device list (amdgpu_devlist.h, i915_devlist.h, radeon_devlist.h)
// whose vendor and product the PCI database (sys/dev/pci/pcidevs) names.
//
// It reads the sources from a directory (openbsd/ beside this file) and
// decides exactly as patterns.c does, with the names pcidevs_data.h would
// hold as sys/dev/pci/devlist2h.awk makes them:
//
//	go run ./internal/fwdevices -o fwdevices_gen.go internal/fwdevices/openbsd
//
// (hardware's go:generate line). To follow newer OpenBSD sources, replace
// the files in openbsd/ (the whole pcidevs may stand in for the excerpt)
// and run go generate ./hardware.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("o", "fwdevices_gen.go", "write the Go table to `file`")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: fwdevices [-o file] dir\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	src, err := generate(os.DirFS(flag.Arg(0)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "fwdevices: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "fwdevices: %v\n", err)
		os.Exit(1)
	}
}
