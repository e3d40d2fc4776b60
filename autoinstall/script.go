package autoinstall

import (
	"fmt"
	"strings"
)

// Paths of fugu's own files in the new system.
const (
	stageDir      = "/etc/fugu/files"
	packagesFile  = "/etc/fugu/packages"
	firstBootFile = "/etc/fugu/rc.firsttime"
)

const installSiteHead = `#!/bin/sh
# install.site for %s, written by fugu. The installer runs it once, inside
# the new system (chroot /mnt), after the sets are extracted and before the
# first boot. Every file comes from the site set under /etc/fugu; nothing
# here carries file content. It exits non-zero, which stops the install,
# only when a file cannot be put in place; a problem with an extra disk or
# an owner is reported and skipped, and that disk stays out of /etc/fstab.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
export PATH
umask 022
S=` + stageDir + `

die() {
	echo "install.site: $*" >&2
	exit 1
}

warn() {
	echo "install.site: warning: $*" >&2
}

# mkdirs DIR: create DIR and its missing parents, each with the owner and
# group of the directory it is made in, so that one made in a user's home
# (~/.config) is the user's.
mkdirs() {
	[ -d "$1" ] && return
	mkdirs "$(dirname "$1")" || return
	mkdir "$1" && chown "$(stat -f %%u:%%g "$(dirname "$1")")" "$1"
}

# put MODE PATH: install the staged copy of PATH as root:wheel. Onto a
# directory, install(1) would put the file inside it, under another name.
put() {
	mkdirs "$(dirname "$2")" || die "cannot create the directory of $2"
	[ ! -d "$2" ] || die "cannot install $2: it is a directory"
	install -o root -g wheel -m "$1" "$S$2" "$2" || die "cannot install $2"
}

# keys FILE HOME OWNER: append the staged authorized_keys lines that are
# not there yet.
keys() {
	mkdir -p "$2/.ssh" || die "cannot create $2/.ssh"
	touch "$2/.ssh/authorized_keys" || die "cannot write $2/.ssh/authorized_keys"
	while IFS= read -r k; do
		grep -qxF -e "$k" "$2/.ssh/authorized_keys" || printf '%%s\n' "$k" >>"$2/.ssh/authorized_keys" ||
			die "cannot write $2/.ssh/authorized_keys"
	done <"$1"
	chmod 0700 "$2/.ssh" && chmod 0600 "$2/.ssh/authorized_keys" || die "cannot protect $2/.ssh"
	chown -R "$3" "$2/.ssh" || warn "cannot give $2/.ssh to $3"
}
`

const diskFuncs = `
# unused DISK: true when DISK holds no partition but the whole-disk c.
unused() {
	n=$(disklabel "$1" 2>/dev/null | awk '$1 ~ /^[a-zA-Z]:$/ && $1 != "c:" { n++ } END { print n + 0 }')
	[ "$n" = 0 ]
}

# fsmount DUID PART DEV MOUNTPOINT OPTIONS: add an ffs partition to /etc/fstab.
# A new file system's root is root's with mode 0755, so it first takes the
# owner and mode of MOUNTPOINT (/tmp is 1777, /usr/obj build:wobj 0770),
# then a copy of what the installer put under MOUNTPOINT (a user's home
# under /home), since the mount will hide it. The partition is mounted
# for that on /.fugu-mnt, outside any file system install.site adds.
fsmount() {
	mkdir -p "$4" || { warn "cannot create $4"; return 1; }
	mkdir -p /.fugu-mnt && mount "/dev/$3$2" /.fugu-mnt || { warn "cannot mount /dev/$3$2"; return 1; }
	chown "$(stat -f %u:%g "$4")" /.fugu-mnt && chmod "$(stat -f %Mp%Lp "$4")" /.fugu-mnt
	rc=$?
	if [ "$rc" = 0 ] && [ -n "$(ls -A "$4")" ]; then
		(cd "$4" && pax -rw -pe . /.fugu-mnt)
		rc=$?
	fi
	umount /.fugu-mnt && rmdir /.fugu-mnt
	[ "$rc" = 0 ] || { warn "cannot copy $4 and its owner and mode to /dev/$3$2"; return 1; }
	echo "$1.$2 $4 ffs $5 1 2" >>/etc/fstab || { warn "cannot add $4 to /etc/fstab"; return 1; }
}
`

// renderInstallSite writes install.site. Every value in it has been
// checked to hold no quote or blank, and is single-quoted anyway.
func renderInstallSite(p *Plan, staged []SiteFile) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, installSiteHead, p.Hostname)
	if len(p.ExtraDisks) > 0 {
		b.WriteString(diskFuncs)
	}
	for _, d := range p.ExtraDisks {
		writeDiskFunc(&b, d)
	}

	// Run again (by hand, after a stop), it finishes what is left and
	// adds nothing twice; the staged files go only at the end.
	fmt.Fprintf(&b, "\n# The staged files are removed at the end: without them, this ran to\n# its end before.\n[ -d \"$S\" ] || { echo \"install.site: ran before ($S is gone); nothing to do\" >&2; exit 0; }\n")
	b.WriteString("\n# Files. The installer writes some of them after the site set is\n# extracted, so all are staged and installed here.\n")
	for _, f := range staged {
		if f.IfAbsent {
			fmt.Fprintf(&b, "[ -e %s ] || put %04o %s\n", shellQuote(f.Path), f.Mode, shellQuote(f.Path))
		} else {
			fmt.Fprintf(&b, "put %04o %s\n", f.Mode, shellQuote(f.Path))
		}
		if f.Owner != "" {
			fmt.Fprintf(&b, "chown %s %s || warn %s\n", shellQuote(f.Owner), shellQuote(f.Path), shellQuote("cannot give "+f.Path+" to "+f.Owner))
		}
	}
	if len(p.RootSSHKeys) > 1 {
		fmt.Fprintf(&b, "keys %s /root root\n", shellQuote(stageDir+"/root.authorized_keys"))
	}
	if u := p.User; u != nil && len(u.SSHKeys) > 1 {
		fmt.Fprintf(&b, "keys %s %s %s\n", shellQuote(stageDir+"/"+u.Login+".authorized_keys"), shellQuote("/home/"+u.Login), shellQuote(u.Login))
	}

	if len(p.RoleSetup) > 0 {
		b.WriteString("\n# Roles: their setup runs once here; a failure is reported, the install goes on.\n")
	}
	for _, s := range p.RoleSetup {
		fmt.Fprintf(&b, "%s || warn %s\n", shellQuote(s), shellQuote(s+" failed; run it again after the first boot"))
	}

	b.WriteString("\n# First boot: appended, so it runs after the installer's own lines\n# (fw_update among them).\n")
	fmt.Fprintf(&b, "grep -qxF %s /etc/rc.firsttime 2>/dev/null ||\n\tcat %s >>/etc/rc.firsttime || die \"cannot append to /etc/rc.firsttime\"\n", shellQuote(firstBootMark(p)), firstBootFile)
	if len(p.ExtraDisks) > 0 {
		b.WriteString("\n# Extra disks last: each copies what is under its mount point, which\n# the mount hides from the first boot on, so all the above is written.\n")
	}
	for _, d := range p.ExtraDisks {
		fmt.Fprintf(&b, "disk_%s\n", d.Device)
	}
	b.WriteString("rm -rf \"$S\"\n")
	if p.InstallSiteCallback != "" {
		fmt.Fprintf(&b, "\nftp -o /dev/null %s >/dev/null || warn \"cannot tell fugu that install.site finished\"\n", shellQuote(p.InstallSiteCallback))
	}
	b.WriteString("exit 0\n")
	return []byte(b.String())
}

// writeDiskFunc writes the function that prepares one extra disk.
func writeDiskFunc(b *strings.Builder, d ExtraDisk) {
	var mounts []string
	for _, l := range d.Template {
		mounts = append(mounts, l.Mount)
	}
	fmt.Fprintf(b, "\n# Extra disk %s (%s): %s.\n", d.Device, d.Table, strings.Join(mounts, ", "))
	fmt.Fprintf(b, "disk_%s() {\n", d.Device)
	fmt.Fprintf(b, "\td=%s\n", d.Device)
	b.WriteString("\tdisklabel \"$d\" >/dev/null 2>&1 || { warn \"$d: no such disk; skipped\"; return; }\n")
	// The installer's own choice of root disk (no dmesg, or a DUID) can
	// be this disk, or its softraid chunk: never touched, even with wipe.
	b.WriteString("\tif mount | grep -q \"^/dev/$d[a-zA-Z] \" || bioctl softraid0 2>/dev/null | grep -q \"<$d[a-zA-Z]>\"; then\n")
	b.WriteString("\t\twarn \"$d holds the new system (a mounted file system or a softraid chunk); left alone\"\n\t\treturn\n\tfi\n")
	if d.Wipe {
		b.WriteString("\t# wipe: true: whatever the disk holds is replaced.\n")
	} else {
		b.WriteString("\tunused \"$d\" || { warn \"$d already has partitions; left alone (wipe: true reuses it)\"; return; }\n")
	}
	flag := "-gy"
	if d.Table == "mbr" {
		flag = "-iy"
	}
	fmt.Fprintf(b, "\tfdisk %s \"$d\" >/dev/null || { warn \"$d: fdisk failed; skipped\"; return; }\n", flag)
	fmt.Fprintf(b, "\tdisklabel -w -A -T %s \"$d\" || { warn \"$d: disklabel failed; skipped\"; return; }\n", shellQuote("/etc/fugu/disklabel."+d.Device))
	b.WriteString("\tduid=$(disklabel \"$d\" | sed -n 's/^duid: //p')\n")
	b.WriteString("\t[ -n \"$duid\" ] || { warn \"$d: no DUID; skipped\"; return; }\n")
	for i, l := range d.Template {
		part := string(partLetter(i))
		if l.Mount == "swap" {
			fmt.Fprintf(b, "\techo \"$duid.%s none swap sw 0 0\" >>/etc/fstab || warn \"cannot add swap on $d to /etc/fstab\"\n", part)
			continue
		}
		fmt.Fprintf(b, "\tnewfs -q -O2 \"/dev/r${d}%s\" >/dev/null || { warn \"${d}%s: newfs failed\"; return; }\n", part, part)
		fmt.Fprintf(b, "\tfsmount \"$duid\" %s \"$d\" %s %s || return\n", part, shellQuote(l.Mount), mountOptions(l.Mount))
	}
	b.WriteString("}\n")
}

// partLetter is the partition a template line lands in on a fresh label:
// a, b, then d onwards (c is the whole disk).
func partLetter(i int) byte {
	if i >= 2 {
		i++
	}
	return byte('a' + i)
}

// renderFirstBoot writes the lines install.site appends to
// /etc/rc.firsttime, which rc sources with ksh once at the next boot.
func renderFirstBoot(p *Plan) []byte {
	var b strings.Builder
	b.WriteString(firstBootMark(p) + "\n")
	if p.FirmwareUpdate && p.FirmwareURL != "" {
		fmt.Fprintf(&b, "/usr/sbin/fw_update -p %s\n", shellQuote(p.FirmwareURL))
	}
	// The installer's own fw_update line comes before these (it is in
	// rc.firsttime before install.site runs), so wireless firmware is
	// there now either way, but netstart ran before it: without it the
	// interface stayed down.
	var wl []string
	all := false
	for _, in := range p.Interfaces {
		if in.Wireless {
			wl = append(wl, in.Name)
			// netstart takes interface names; one known only by its
			// MAC is reached by running netstart for all.
			all = all || in.ByMAC
		}
	}
	if all {
		wl = nil
	}
	if len(wl) > 0 || all {
		b.WriteString("# The wireless firmware is there now: bring the interfaces up again.\n")
		fmt.Fprintln(&b, strings.TrimSpace("sh /etc/netstart "+strings.Join(wl, " ")))
	}
	if len(p.Packages) > 0 {
		b.WriteString("# pkg_add needs the network: wait up to a minute for a default route.\n")
		b.WriteString("fugu_i=0\n")
		b.WriteString("while [ \"$fugu_i\" -lt 30 ] && ! route -n get default >/dev/null 2>&1; do\n\tsleep 2\n\tfugu_i=$((fugu_i + 1))\ndone\n")
		fmt.Fprintf(&b, "/usr/sbin/pkg_add -I -l %s || echo \"fugu: pkg_add failed; run pkg_add -I -l %s\"\n", packagesFile, packagesFile)
	}
	if p.FirstBootCallback != "" {
		fmt.Fprintf(&b, "/usr/bin/ftp -o /dev/null %s >/dev/null || echo \"fugu: cannot tell fugu that the first boot finished\"\n", shellQuote(p.FirstBootCallback))
	}
	return []byte(b.String())
}

// mountOptions are the fstab options the installer gives a mount point
// (install.sub do_install): nodev but on /; nosuid but on the directories
// that hold setuid programs, /sbin, /usr, /usr/bin, /usr/sbin,
// /usr/libexec, /usr/local, /usr/X11R6, /usr/X11R6/bin and what lies
// under /usr/libexec and /usr/local; and wxallowed on /usr/local (W^X
// exceptions for packages).
func mountOptions(mount string) string {
	switch {
	case mount == "/usr/local":
		return "rw,wxallowed,nodev"
	case contains([]string{"/sbin", "/usr", "/usr/bin", "/usr/sbin", "/usr/libexec", "/usr/X11R6", "/usr/X11R6/bin"}, mount),
		strings.HasPrefix(mount, "/usr/libexec/"), strings.HasPrefix(mount, "/usr/local/"):
		return "rw,nodev"
	}
	return "rw,nodev,nosuid"
}

// firstBootMark is the first line of fugu's rc.firsttime lines, by which
// install.site sees that it appended them already.
func firstBootMark(p *Plan) string { return "# fugu: first boot of " + p.Hostname + "." }
