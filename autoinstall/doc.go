// Package autoinstall turns a machine's profile and hardware facts into the
// files OpenBSD's unattended installer reads: install.conf and upgrade.conf
// response files, a disklabel template, a per-host site set
// (site<NN>-<host>.tgz with install.site) and the index.txt that lists it.
//
// NewPlan makes every decision (root disk, swap size, interfaces, set
// locations, site set contents) and validates every value that lands in a
// response file, a shell script or hostname.if; Render only turns a Plan
// into bytes, deterministically. The sets come from fugu's per-machine
// directory; when a profile names another mirror, the installer takes the
// official sets from it and the site set from fugu in a second "Location
// of sets?" round. Lint checks any response file against the installer's
// matching rules (see ../shared/reference/openbsd-installer.md).
package autoinstall
