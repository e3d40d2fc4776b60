package profiles

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// reporter turns key paths into file positions in a (possibly merged)
// node tree and collects problems.
type reporter struct {
	root     *yaml.Node
	origin   origin
	fallback string // file for nodes fugu made itself
	ps       Problems
	loc      *locator
}

func (r *reporter) locator() *locator {
	if r.loc == nil {
		r.loc = &locator{root: r.root}
	}
	return r.loc
}

func (r *reporter) add(path string, err error) { r.addAt(r.locator().locate(path), path, err) }

// addKey reports a problem with a mapping key itself (a files: path),
// at the key rather than at its value.
func (r *reporter) addKey(path string, err error) { r.addAt(r.locator().keyNode(path), path, err) }

func (r *reporter) addAt(n *yaml.Node, path string, err error) {
	file := r.origin[n]
	if file == "" {
		file = r.fallback
	}
	r.ps = append(r.ps, Problem{File: file, Line: n.Line, Col: n.Column, Path: path, Message: err.Error()})
}

func (r *reporter) check(path, value string, f func(string) error) {
	if value == "" {
		return
	}
	if err := f(value); err != nil {
		r.add(path, err)
	}
}

// fileEntryPath matches the key path of one files: entry, in a profile or
// in a machine's set:.
var fileEntryPath = regexp.MustCompile(`(^|\.)files\[".*"\]$`)

// checkScalars rejects newlines, carriage returns and NUL bytes in every
// value but file contents: no value may start a new line in a generated
// file.
func (r *reporter) checkScalars(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.ScalarNode:
		if err := checkLine(n.Value); err != nil {
			r.add(path, err)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			r.checkScalars(c, pathIndex(path, i))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			p := pathKey(path, k)
			if k == "content" && fileEntryPath.MatchString(path) {
				continue
			}
			if err := checkLine(k); err != nil {
				r.add(path, fmt.Errorf("key %w", err))
			}
			r.checkScalars(n.Content[i+1], p)
		}
	}
}

// validateProfile checks every value of a resolved profile.
func validateProfile(p *Profile, r *reporter) {
	r.checkScalars(r.root, "")
	r.check("release", p.Release, checkRelease)
	if p.Arch != "" && !validArch(p.Arch) {
		r.add("arch", fmt.Errorf("%q is not an OpenBSD architecture (expected one of: %s)", p.Arch, strings.Join(Arches, ", ")))
	}
	r.check("system.hostname", p.System.Hostname, checkHostname)
	r.check("system.domain", p.System.Domain, checkDomain)
	r.check("system.timezone", p.System.Timezone, checkTimezone)
	r.check("system.keyboard", p.System.Keyboard, checkKeyboard)

	if err := checkPasswordHash(p.Root.PasswordHash); err != nil {
		r.add("root.password_hash", err)
	}
	for i, k := range p.Root.SSHKeys {
		r.add2(pathIndex("root.ssh_keys", i), checkSSHKey(k))
	}
	if u := p.User; u != nil {
		if u.Login == "" {
			r.add("user.login", fmt.Errorf("required when user is given (a login name like peter)"))
		}
		r.check("user.login", u.Login, checkLogin)
		r.check("user.full_name", u.FullName, checkFullName)
		if err := checkPasswordHash(u.PasswordHash); err != nil {
			r.add("user.password_hash", err)
		}
		for i, k := range u.SSHKeys {
			r.add2(pathIndex("user.ssh_keys", i), checkSSHKey(k))
		}
	}
	r.check("sshd.root_login", p.SSHD.RootLogin, checkRootLogin)
	if p.X11.Xenodm != nil && *p.X11.Xenodm && p.X11.Enabled != nil && !*p.X11.Enabled {
		r.add("x11.xenodm", fmt.Errorf("xenodm needs X (x11.enabled is false)"))
	}
	validateNetwork(&p.Network, r)
	validateDisks(&p.Disks, r)
	r.check("sets.server", p.Sets.Server, checkServer)
	r.check("sets.directory", p.Sets.Directory, checkSetsDirectory)
	for i, t := range p.Sets.Select {
		r.add2(pathIndex("sets.select", i), checkSelect(t))
	}
	for i, pkg := range p.Packages {
		r.add2(pathIndex("packages", i), checkPackage(pkg))
	}
	r.check("firmware", p.Firmware, checkFirmware)
	for i, rule := range p.Doas {
		if err := checkDoas(rule); err != nil {
			r.add(pathIndex("doas", i), fmt.Errorf("doas rule %w", err))
		}
	}
	for name, f := range p.Files {
		at := pathKey("files", name)
		if err := checkFilePath(name); err != nil {
			r.addKey(at, err)
		}
		switch n, ok := r.locator().find(at + ".content"); {
		case !ok:
			// Without it (or as files: {PATH: ~}) the file would be empty.
			r.add(at+".content", fmt.Errorf(`required (the file's text, "" for an empty file)`))
		case isNull(n):
			// content: with the text forgotten, or on the wrong line.
			r.add(at+".content", fmt.Errorf(`empty (YAML reads content: with no value as null; write "" for an empty file)`))
		}
		r.check(at+".mode", f.Mode, checkMode)
		r.check(at+".owner", f.Owner, checkOwner)
	}
	if p.Roles.MailGW != nil {
		for _, fp := range p.Roles.MailGW.Validate() {
			at := "roles.mailgw"
			if fp.Path != "" {
				at += "." + fp.Path
			}
			r.add(at, fmt.Errorf("%s", fp.Message))
		}
	}
}

// add2 records err if there is one.
func (r *reporter) add2(path string, err error) {
	if err != nil {
		r.add(path, err)
	}
}

func validateNetwork(n *Network, r *reporter) {
	static4, static6 := false, false
	seen := make(map[string]int)
	for i, ifc := range n.Interfaces {
		at := pathIndex("network.interfaces", i)
		if ifc.Name == "" {
			r.add(at+".name", fmt.Errorf("required (a driver name like re0, or a MAC)"))
		}
		r.check(at+".name", ifc.Name, checkInterfaceName)
		if j, dup := seen[ifc.Name]; dup && ifc.Name != "" {
			r.add(at+".name", fmt.Errorf("interface %s is already configured at network.interfaces[%d]", ifc.Name, j))
		}
		seen[ifc.Name] = i
		r.check(at+".ipv4", ifc.IPv4, checkIPv4)
		r.check(at+".ipv6", ifc.IPv6, checkIPv6)
		static4 = static4 || staticIPv4(ifc.IPv4)
		static6 = static6 || staticIPv6(ifc.IPv6)
		if w := ifc.Wireless; w != nil {
			for j, net := range w.Networks {
				wat := pathIndex(at+".wireless.networks", j)
				r.add2(wat+".ssid", checkSSID(net.SSID))
				r.check(wat+".wpa_key", net.WPAKey, checkWPAKey)
			}
		}
	}
	if static4 && n.Gateway == "" {
		r.add("network.gateway", fmt.Errorf("required with a static ipv4 address (the default IPv4 route, or none)"))
	}
	if n.Gateway != "none" {
		r.check("network.gateway", n.Gateway, checkAddr4)
	}
	if n.Gateway6 != "" && n.Gateway6 != "none" {
		r.check("network.gateway6", n.Gateway6, checkAddr6)
		if !static6 {
			r.add("network.gateway6", fmt.Errorf("only used with a static ipv6 address (autoconf learns the router)"))
		}
	}
	for i, ns := range n.Nameservers {
		r.add2(pathIndex("network.nameservers", i), checkNameserver(ns))
	}
}

func validateDisks(d *Disks, r *reporter) {
	root := &d.Root
	r.check("disks.root.device", root.Device, func(s string) error { return checkDisk(s, true) })
	r.check("disks.root.table", root.Table, checkTable)
	if root.Swap != "" {
		if _, _, err := ParseSwap(root.Swap); err != nil {
			r.add("disks.root.swap", err)
		}
		for i, pt := range root.Partitions {
			if pt.Mount == "swap" {
				r.add(pathIndex("disks.root.partitions", i)+".mount", fmt.Errorf("swap is also set by disks.root.swap (expected one of the two)"))
			}
		}
	}
	if root.Encrypt != nil {
		r.add2("disks.root.encrypt.passphrase", checkPassphrase(root.Encrypt.Passphrase))
	}
	mounts := make(map[string]bool)
	for _, f := range checkPartitions(root.Partitions, true, mounts) {
		r.add("disks.root.partitions"+f.Path, fmt.Errorf("%s", f.Message))
	}
	devices := map[string]string{}
	if root.Device != "" && root.Device != "auto" {
		devices[root.Device] = "disks.root"
	}
	for i, x := range d.Extra {
		at := pathIndex("disks.extra", i)
		if x.Device == "" {
			r.add(at+".device", fmt.Errorf("required for an extra disk (a disk name like sd0)"))
		}
		r.check(at+".device", x.Device, func(s string) error { return checkDisk(s, false) })
		if other, dup := devices[x.Device]; dup && x.Device != "" {
			r.add(at+".device", fmt.Errorf("disk %s is already used by %s", x.Device, other))
		}
		devices[x.Device] = at
		r.check(at+".table", x.Table, checkTable)
		if len(x.Partitions) == 0 {
			r.add(at+".partitions", fmt.Errorf("required for an extra disk (at least one partition, like { mount: /home, size: rest })"))
		}
		for _, f := range checkPartitions(x.Partitions, false, mounts) {
			r.add(at+".partitions"+f.Path, fmt.Errorf("%s", f.Message))
		}
	}
}
