package autoinstall

import (
	"path"
	"regexp"
	"strings"
)

var indexNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`)

// indexNames reads index.txt as the installer does: the name after the
// last blank of each line, which must look like a file name.
func indexNames(index string) []string {
	var out []string
	for _, l := range strings.Split(index, "\n") {
		i := strings.LastIndexAny(l, " \t")
		if i < 0 {
			continue
		}
		if n := l[i+1:]; indexNameRE.MatchString(n) {
			out = append(out, n)
		}
	}
	return out
}

// simSets runs "Location of sets?" rounds over HTTP until done.
func simSets(r *reader, m machine, host, mode string) []string {
	v := version(m.Release)
	var installed []string
	for round := 0; ; round++ {
		def := "http"
		if round > 0 {
			def = "done"
		}
		loc := strings.ToLower(r.ask("Location of sets? (disk http nfs or 'done')", def))
		if loc == "done" {
			break
		}
		if loc == "" || loc[0] != 'h' {
			stop("location %q is not served in this simulation", loc)
		}
		r.ask("HTTP proxy URL? (e.g. 'http://proxy:8080', or 'none')", "none")
		server := r.ask("HTTP Server? (hostname or 'done')", "")
		dir := strings.TrimLeft(r.ask("Server directory?", "pub/OpenBSD/"+m.Release+"/"+m.Arch), "/")
		index, ok := m.Servers[server+"/"+dir]
		if !ok {
			stop("nothing at %s/%s", server, dir)
		}
		offered := indexNames(index)
		if !contains(offered, "INSTALL."+m.Arch) && !r.yn("INSTALL."+m.Arch+" not found. Use sets found here anyway?", "no") {
			continue
		}
		signed := contains(offered, "SHA256.sig")
		var sel []string
		for _, s := range officialSets {
			n := s
			if strings.Contains(s, "%s") {
				n = strings.Replace(s, "%s", v, 1)
			}
			if contains(offered, n) && !contains(installed, n) {
				sel = append(sel, n)
			}
		}
		if hs := "site" + v + "-" + host + ".tgz"; contains(offered, hs) && !contains(installed, hs) {
			sel = append(sel, hs)
		}
		for {
			ans := r.ask("Set name(s)? (or 'abort' or 'done')", "done")
			stopSel := false
			for _, tok := range strings.Fields(ans) {
				if tok == "done" || tok == "abort" {
					if tok == "abort" {
						sel = nil
					}
					stopSel = true
					break
				}
				remove := strings.HasPrefix(tok, "-")
				g := strings.TrimLeft(tok, "+-")
				if g == "all" {
					g = "*"
				}
				for _, f := range offered {
					if ok, _ := path.Match(setGlob(g), f); !ok || f == "index.txt" || f == "SHA256.sig" || strings.HasPrefix(f, "INSTALL.") {
						continue
					}
					if remove {
						sel = remove1(sel, f)
					} else if !contains(sel, f) {
						sel = append(sel, f)
					}
				}
			}
			if stopSel {
				break
			}
		}
		// install_files: the first issue found, in this order, is the
		// one asked about.
		var issue string
		var unverified []string
		for _, s := range sel {
			if !signed || strings.HasPrefix(s, "site") {
				unverified = append(unverified, s)
			}
		}
		switch {
		case len(sel) == 0:
		case !signed:
			issue = "Directory does not contain SHA256.sig"
		case m.NoPrefetch:
			issue = "Cannot determine prefetch area"
		case m.BadSig[server+"/"+dir]:
			issue = "Signature check of SHA256.sig failed"
		case len(unverified) > 0:
			issue = "Unverified sets: " + strings.Join(unverified, " ")
		}
		if issue != "" && !r.yn(issue+". Continue without verification?", "no") {
			stop("verification refused for %s", issue)
		}
		installed = append(installed, sel...)
	}
	for _, need := range []string{"bsd", "base" + v + ".tgz"} {
		if !contains(installed, need) && !r.yn("Are you *SURE* your "+mode+" is complete without '"+need+"'?", "no") {
			stop("%s is not complete without %s", mode, need)
		}
	}
	return installed
}
