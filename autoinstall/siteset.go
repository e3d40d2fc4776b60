package autoinstall

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
)

// ModTime is the fixed modification time of every site set entry, so that
// the same plan always gives the same bytes.
var ModTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// siteEntry is one file of the site set archive.
type siteEntry struct {
	name    string // relative to /, without a leading slash
	mode    int64
	content []byte
}

// siteEntries lists the files of the site set: install.site and, under
// /etc/fugu, everything it installs.
func siteEntries(p *Plan) ([]siteEntry, error) {
	staged := stagedFiles(p)
	es := []siteEntry{
		{name: "install.site", mode: 0o755, content: renderInstallSite(p, staged)},
		{name: strings.TrimPrefix(firstBootFile, "/"), mode: 0o600, content: renderFirstBoot(p)},
	}
	for _, f := range staged {
		es = append(es, siteEntry{name: strings.TrimPrefix(stageDir+f.Path, "/"), mode: f.Mode, content: f.Content})
	}
	if len(p.Packages) > 0 {
		es = append(es, siteEntry{name: strings.TrimPrefix(packagesFile, "/"), mode: 0o644, content: lines(p.Packages)})
	}
	if len(p.RootSSHKeys) > 1 {
		es = append(es, siteEntry{name: strings.TrimPrefix(stageDir, "/") + "/root.authorized_keys", mode: 0o600, content: lines(p.RootSSHKeys[1:])})
	}
	if u := p.User; u != nil && len(u.SSHKeys) > 1 {
		es = append(es, siteEntry{name: strings.TrimPrefix(stageDir, "/") + "/" + u.Login + ".authorized_keys", mode: 0o600, content: lines(u.SSHKeys[1:])})
	}
	for _, d := range p.ExtraDisks {
		es = append(es, siteEntry{name: "etc/fugu/disklabel." + d.Device, mode: 0o600, content: renderTemplate(d.Template)})
	}
	seen := map[string]bool{}
	for _, e := range es {
		if seen[e.name] {
			return nil, fmt.Errorf("site set: %s given twice", e.name)
		}
		seen[e.name] = true
	}
	// A file cannot also be the directory of another: tar would fail to
	// extract the set, and the installer stop.
	for _, e := range es {
		for d := path.Dir(e.name); d != "."; d = path.Dir(d) {
			if seen[d] {
				return nil, fmt.Errorf("site set: /%s is a file, but /%s needs it as a directory", strings.TrimPrefix(d, stageDir[1:]+"/"), strings.TrimPrefix(e.name, stageDir[1:]+"/"))
			}
		}
	}
	return es, nil
}

// stagedFiles are the files install.site puts in place: hostname.if for
// every interface, doas.conf, installurl, myname and the profile's files,
// sorted.
func stagedFiles(p *Plan) []SiteFile {
	var fs []SiteFile
	for _, in := range p.Interfaces {
		fs = append(fs, SiteFile{Path: "/etc/hostname." + in.Name, Mode: 0o640, Content: hostnameIf(in)})
	}
	if len(p.Doas) > 0 {
		fs = append(fs, SiteFile{Path: "/etc/doas.conf", Mode: 0o600, Content: lines(p.Doas)})
	}
	own := map[string]bool{}
	for _, f := range p.Files {
		own[f.Path] = true
	}
	if !own["/etc/installurl"] {
		fs = append(fs, SiteFile{Path: "/etc/installurl", Mode: 0o644, Content: []byte(p.InstallURL + "\n")})
	}
	// With one interface, configured by DHCP, the installer does not ask
	// "DNS domain name?": it takes the lease's domain-name, else my.domain.
	if p.Domain != "" && !own["/etc/myname"] {
		fs = append(fs, SiteFile{Path: "/etc/myname", Mode: 0o644, Content: []byte(p.Hostname + "." + p.Domain + "\n")})
	}
	fs = append(fs, p.Files...)
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
	return fs
}

// hostnameIf writes /etc/hostname.<if>: one join line per wireless
// network (the key on the same line, so it belongs to that network), then
// the addresses. ESSIDs and keys were checked to hold nothing netstart
// would interpret inside double quotes.
func hostnameIf(in NetIf) []byte {
	var b strings.Builder
	for _, nw := range in.Networks {
		fmt.Fprintf(&b, "join %q", nw.SSID)
		if nw.WPAKey != "" {
			fmt.Fprintf(&b, " wpakey %q", nw.WPAKey)
		}
		b.WriteByte('\n')
	}
	switch in.IPv4 {
	case "autoconf":
		b.WriteString("inet autoconf\n")
	case "none":
	default:
		if pfx, err := parseAddr(in.IPv4, 4); err == nil {
			fmt.Fprintf(&b, "inet %s %s\n", pfx.Addr(), netmask(pfx.Bits()))
		}
	}
	switch in.IPv6 {
	case "autoconf":
		b.WriteString("inet6 autoconf\n")
	case "none":
	default:
		if pfx, err := parseAddr(in.IPv6, 6); err == nil {
			fmt.Fprintf(&b, "inet6 %s %d\n", pfx.Addr(), pfx.Bits())
		}
	}
	if in.IPv4 == "none" && in.IPv6 == "none" {
		b.WriteString("up\n")
	}
	return []byte(b.String())
}

func lines(ss []string) []byte {
	return []byte(strings.Join(ss, "\n") + "\n")
}

// writeSiteSet writes the entries as a gzip'ed tar archive rooted at /:
// names sorted, every parent directory given explicitly, owner root:wheel,
// a fixed mtime. Directories under /etc/fugu are 0700: they hold secrets.
func writeSiteSet(es []siteEntry) ([]byte, error) {
	dirs := map[string]bool{}
	for _, e := range es {
		for d := path.Dir(e.name); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	type item struct {
		name string
		e    *siteEntry
	}
	var items []item
	for d := range dirs {
		items = append(items, item{name: d + "/"})
	}
	for i := range es {
		items = append(items, item{name: es[i].name, e: &es[i]})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].name < items[j].name })

	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	for _, it := range items {
		h := &tar.Header{Name: "./" + it.name, Uname: "root", Gname: "wheel", ModTime: ModTime, Format: tar.FormatUSTAR}
		if it.e == nil {
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
			if strings.HasPrefix(it.name, "etc/fugu/") {
				h.Mode = 0o700
			}
		} else {
			h.Typeflag, h.Mode, h.Size = tar.TypeReg, it.e.mode, int64(len(it.e.content))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("site set: %s: %w", it.name, err)
		}
		if it.e != nil {
			if _, err := tw.Write(it.e.content); err != nil {
				return nil, fmt.Errorf("site set: %s: %w", it.name, err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("site set: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("site set: %w", err)
	}
	return buf.Bytes(), nil
}
