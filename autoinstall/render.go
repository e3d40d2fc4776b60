package autoinstall

import (
	"fmt"
	"sort"
	"strings"
)

// Files are the rendered files for one machine.
type Files struct {
	InstallConf, UpgradeConf []byte
	// TemplateName is "<machine>.disklabel", served as
	// <ServerURL>/<PathPrefix>template/<TemplateName>; "" and nil when the
	// installer's auto layout is used.
	TemplateName string
	DiskTemplate []byte
	// SiteSetName is site<NN>-<hostname>.tgz, served in SetsDir.
	SiteSetName string
	SiteSet     []byte
	// SetsDir is the server directory install.conf names, without a
	// leading slash: <PathPrefix>sets/<machine>/<release>/<arch>.
	SetsDir string
	// IndexTxt is index.txt for SetsDir: the site set and the mirror's files.
	IndexTxt []byte
	// Warnings are the plan's: facts that contradict the profile, or
	// what fugu had to guess ("key: message").
	Warnings []string
}

// Render turns a plan into files. It decides nothing, reads nothing and
// gives the same bytes for the same plan.
func Render(p *Plan) (*Files, error) {
	if p == nil {
		return nil, fmt.Errorf("render: no plan")
	}
	ic, err := renderInstallConf(p)
	if err != nil {
		return nil, fmt.Errorf("render install.conf for %s: %w", p.Machine, err)
	}
	uc, err := renderUpgradeConf(p)
	if err != nil {
		return nil, fmt.Errorf("render upgrade.conf for %s: %w", p.Machine, err)
	}
	es, err := siteEntries(p)
	if err != nil {
		return nil, fmt.Errorf("render site set for %s: %w", p.Machine, err)
	}
	set, err := writeSiteSet(es)
	if err != nil {
		return nil, fmt.Errorf("render site set for %s: %w", p.Machine, err)
	}
	f := &Files{InstallConf: ic, UpgradeConf: uc, SiteSetName: p.SiteSetName, SiteSet: set, SetsDir: p.SetsDir, Warnings: p.Warnings}
	if p.Template != nil {
		f.TemplateName = p.Machine + ".disklabel"
		f.DiskTemplate = renderTemplate(p.Template)
	}
	f.IndexTxt = renderIndex(p.SiteSetName, int64(len(set)), p.MirrorFiles)
	return f, nil
}

// renderIndex writes index.txt in the form of `ls -lT`: the installer takes
// the name after the last blank of a line, so every name needs text before
// it. Mirror files are listed with size 0: the installer reads only names.
func renderIndex(siteSet string, size int64, mirror []string) []byte {
	sizes := map[string]int64{siteSet: size}
	names := []string{siteSet}
	for _, m := range mirror {
		if _, dup := sizes[m]; !dup {
			sizes[m] = 0
			names = append(names, m)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	stamp := ModTime.Format("Jan _2 15:04:05 2006")
	for _, n := range names {
		fmt.Fprintf(&b, "-rw-r--r--  1 root  wheel  %10d %s %s\n", sizes[n], stamp, n)
	}
	return []byte(b.String())
}
