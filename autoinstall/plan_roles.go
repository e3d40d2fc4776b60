package autoinstall

import (
	"strings"

	"fugu/firewall"
	"fugu/hardware"
)

// roles adds the files of the profile's roles to the site set.
func (b *builder) roles() {
	g := b.prof.Roles.MailGW
	if g == nil {
		return
	}
	// The role's pf.conf queues and spamlogd -i name these interfaces:
	// one the machine does not have leaves PF without its queues. A
	// pseudo-interface (pppoe0, vlan10) is made by hostname.if, not
	// found in a dmesg.
	for _, x := range []struct{ key, name string }{{"egress_interface", g.EgressInterface}, {"inside_interface", g.InsideInterface}} {
		if x.name == "" || contains(pseudoIfs, strings.TrimRight(x.name, "0123456789")) {
			continue
		}
		if b.facts != nil && len(b.facts.Interfaces) > 0 && b.factIf(func(f hardware.Interface) bool { return f.Name == x.name }) == nil {
			b.warn("roles.mailgw."+x.key, "%s is not an interface of this machine's dmesg (it shows %s)", x.name, b.ifList())
		}
	}
	host := b.p.Hostname
	if b.p.Domain != "" {
		host += "." + b.p.Domain
	}
	files, err := firewall.Render(g, firewall.Options{Hostname: host})
	if err != nil {
		b.fail("roles.mailgw", "%v", err)
		return
	}
	taken := map[string]bool{}
	for _, f := range b.p.Files {
		taken[f.Path] = true
	}
	for _, path := range files.Paths() {
		f := files[path]
		switch {
		case !filePathRE.MatchString(path) || hasDotSegment(path):
			b.fail("roles.mailgw", "file %q: not a path install.site can carry", path)
			continue
		case taken[path] || b.reserved(path) && !roleOwned(path):
			b.fail("roles.mailgw", "file %s is also given in files or written by fugu (keep one)", path)
			continue
		}
		b.p.Files = append(b.p.Files, SiteFile{Path: path, Mode: int64(f.Mode.Perm()), Content: f.Data, IfAbsent: f.IfAbsent, Role: "mailgw"})
	}
	b.p.RoleSetup = append(b.p.RoleSetup, firewall.SetupScript)
	sortFiles(b.p.Files)
}

// roleOwned are fugu's own paths a role may write: its directory under
// /etc/fugu, but not fugu's staging area or first-boot files.
func roleOwned(path string) bool {
	return strings.HasPrefix(path, "/etc/fugu/") && !strings.HasPrefix(path, stageDir+"/") &&
		path != packagesFile && path != firstBootFile && !strings.HasPrefix(path, "/etc/fugu/disklabel.")
}
