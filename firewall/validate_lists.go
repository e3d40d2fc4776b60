package firewall

import (
	"fmt"
	"slices"
)

func (d *MailGW) validateBlacklists(ps *problems) {
	seen := map[string]bool{}
	for i, b := range d.Blacklists {
		p := fmt.Sprintf("blacklists[%d]", i)
		switch {
		case !listNameRe.MatchString(b.Name) || len(b.Name) > 30:
			ps.addf(p+".name", "%q is not a list name (lowercase letters, digits, - and _)", b.Name)
		case b.Name == "all" || b.Name == "spamd-greytrap":
			ps.addf(p+".name", "%q is reserved", b.Name)
		case seen[b.Name]:
			ps.addf(p+".name", "%q is listed twice", b.Name)
		}
		seen[b.Name] = true
		switch b.Type {
		case "black":
			ps.add(p+".msg", checkMsg(b.Msg))
		case "white":
			if i == 0 {
				ps.add(p+".type", "a white list amends the black list before it, and there is none")
			}
			if b.Msg != "" {
				ps.add(p+".msg", "only black lists have a message")
			}
		default:
			ps.addf(p+".type", "%q is not black or white", b.Type)
		}
		switch b.Method {
		case "http", "https", "ftp":
			if !urlPathRe.MatchString(b.File) {
				ps.addf(p+".file", "%q is not host/path without a scheme (spamd-setup builds %s://FILE; no :, spaces or quotes)", RedactURL(b.File), b.Method)
			}
		case "file":
			ps.add(p+".file", checkPath(b.File))
		default:
			ps.addf(p+".method", "%q is not one of http, https, ftp, file", b.Method)
		}
	}
}

func (d *MailGW) validatePeers(ps *problems) {
	seen := map[string]bool{}
	for i, p := range d.Peers.MergeSources {
		path := fmt.Sprintf("peers.merge_sources[%d]", i)
		if !listNameRe.MatchString(p.Name) {
			ps.addf(path+".name", "%q is not a peer name (lowercase letters, digits, - and _)", p.Name)
		} else if msg := checkTableName(d.PeerTable(p)); msg != "" {
			ps.add(path+".name", "gives "+msg)
		}
		if seen[p.Name] {
			ps.addf(path+".name", "%q is listed twice", p.Name)
		}
		seen[p.Name] = true
		if p.URL == "" || (p.URL[0] == '/' && checkPath(p.URL) != "") || (p.URL[0] != '/' && !peerURLRe.MatchString(p.URL)) {
			ps.addf(path+".url", "%q is not an http(s) URL of safe characters or an absolute path outside /tmp", RedactURL(p.URL))
		}
	}
}

func (d *MailGW) validatePublish(ps *problems) {
	tables := d.OverloadTables()
	for _, k := range sortedKeys(d.Publish.Paths) {
		p := "publish.paths." + k
		if k != TraplistSource && !slices.Contains(tables, k) {
			ps.addf(p, "%q is neither traplist nor an overload table (%v)", k, tables)
		}
		ps.add(p, checkPath(d.Publish.Paths[k]))
	}
	if len(d.Publish.Paths) == 0 {
		return
	}
	ps.add("publish.schedule", checkSchedule(d.Publish.Schedule))
	ps.add("publish.header.generator", checkText(d.Publish.Header.Generator))
	ps.add("publish.header.contact", checkText(d.Publish.Header.Contact))
}

// OverloadTables lists the overload tables of d (defaults applied), sorted.
func (d *MailGW) OverloadTables() []string {
	var ts []string
	for _, s := range d.Bruteforce.Services {
		if !slices.Contains(ts, s.Table) {
			ts = append(ts, s.Table)
		}
	}
	slices.Sort(ts)
	return ts
}

// PeerTable is the table a peer's published list is loaded into.
func (d *MailGW) PeerTable(p PeerSource) string {
	return d.Bruteforce.Table + "_" + p.Name
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
