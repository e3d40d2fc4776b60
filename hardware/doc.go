// Package hardware reads an OpenBSD dmesg into Facts (version, arch, CPUs,
// memory, disks, network interfaces, graphics, hypervisor, devices no
// driver took, the device tree) and decides, by fw_update's own rule, which
// firmware packages the machine needs. It also renders a report as text,
// JSON or Markdown. It is pure: io.Reader in, values out.
package hardware
