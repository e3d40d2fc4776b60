package autoinstall

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"fugu/profiles"
)

var dirRE = regexp.MustCompile(`^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$`)

// defaultInstallURL is where pkg_add and syspatch look when the sets came
// from fugu, which serves no packages.
const defaultInstallURL = "https://cdn.openbsd.org/pub/OpenBSD"

// sets decides the "Location of sets?" rounds. fugu's per-machine
// directory always carries the site set. When the profile names another
// mirror, the installer takes the site set from fugu in a first round and
// the official sets from the mirror in a second: a mirror cannot list
// fugu's site set in its index.txt, and fugu need not mirror the release.
func (b *builder) sets() {
	p, s := b.p, &b.prof.Sets
	p.SiteSetName = "site" + p.Version + "-" + p.Hostname + ".tgz"
	p.SetsDir = b.opts.PathPrefix + "sets/" + b.m.Name + "/" + p.Release + "/" + p.Arch
	p.MirrorFiles = b.opts.MirrorFiles
	var tokens []string
	for i, t := range s.Select {
		switch {
		case t == "done" || t == "abort":
			b.fail(fmt.Sprintf("sets.select[%d]", i), "%q: fugu ends the selection itself", t)
		case !setTokenRE.MatchString(t):
			b.fail(fmt.Sprintf("sets.select[%d]", i), "%q: expected a set name or glob with an optional + or -, like -game* (no blanks)", t)
		default:
			tokens = append(tokens, t)
		}
	}
	b.requiredSets(tokens)
	sel := func(extra ...string) string {
		return strings.Join(append(append([]string{}, tokens...), extra...), " ")
	}
	site := "+" + p.SiteSetName
	// A sets mirror without INSTALL.<arch>, a text file, makes the
	// installer ask whether to use the sets anyway; its default no would
	// skip the round.
	fugu := SetRound{Server: b.opts.ServerURL, Directory: p.SetsDir, Select: sel(site, "done"), SiteSet: true,
		AllowNoINSTALL: !contains(p.MirrorFiles, "INSTALL."+p.Arch), Unsigned: true}
	p.InstallURL = defaultInstallURL

	// profiles accepts one final "/", which "HTTP Server?" refuses, and
	// a scheme in any case (RFC 3986 3.1), which the installer takes only
	// in lower case.
	server := strings.TrimSuffix(s.Server, "/")
	if scheme, rest, ok := strings.Cut(server, "://"); ok {
		server = strings.ToLower(scheme) + "://" + rest
	}
	if server == "" || strings.EqualFold(server, b.opts.ServerURL) {
		if s.Directory != "" {
			b.warn("sets.directory", "%q is not used: fugu serves the sets from its own directory for this machine (%s)", s.Directory, p.SetsDir)
		}
		if s.AllowUnsigned {
			b.warn("sets.allow_unsigned", "is not used: it allows another sets.server's directory without SHA256.sig, and fugu's own (%s) needs no such consent", p.SetsDir)
		}
		p.Rounds = []SetRound{fugu}
		return
	}
	if err := checkServerURL(server, "http", "https"); err != nil {
		b.fail("sets.server", "%v", err)
	}
	dir := strings.TrimLeft(firstNonEmpty(s.Directory, "pub/OpenBSD/"+p.Release+"/"+p.Arch), "/")
	if !dirRE.MatchString(dir) || hasDotSegment(dir) {
		b.fail("sets.directory", "%q: expected a path like pub/OpenBSD/%s/%s", s.Directory, p.Release, p.Arch)
	}
	// A site set is installed unchecked (it is never in SHA256.sig), and
	// the installer preselects site<NN>-<host>.tgz wherever it is listed:
	// whatever the mirror's index.txt lists (its operator, or anyone on a
	// plain http path to it) would become the machine's site set. The
	// mirror's round takes none; the site set comes from fugu.
	var official []string
	for _, t := range tokens {
		if strings.Contains(t, "site") {
			if !strings.HasPrefix(t, "-") {
				b.warn("sets.select", "%q is not used for %s: the site set comes from fugu, and one from another server would be installed unchecked", t, server)
			}
			continue
		}
		official = append(official, t)
	}
	// The mirror's directory is asked "Directory does not contain
	// SHA256.sig. Continue without verification?" when its listing has
	// none, which anyone on a plain http path to it can arrange: its sets
	// would be installed unchecked. The answer is yes only where the
	// profile says so; otherwise the installer's default no stops there.
	// Every answer to that question is one line of the same key, taken in
	// order: fugu's own round goes first, so that its yes (fugu knows
	// whether its listing has SHA256.sig, the mirror's is not known) is
	// taken by its own question and never left for the mirror's. The site
	// set holds only install.site and /etc/fugu, which no official set
	// overwrites, and install.site runs once every set is in.
	mirror := SetRound{Server: server, Directory: dir, Select: strings.Join(append(official, "-site*", "done"), " "),
		Unsigned: s.AllowUnsigned}
	fugu.Select = "-all " + site + " done"
	fugu.AllowNoINSTALL = true
	fugu.Unsigned = !contains(p.MirrorFiles, "SHA256.sig")
	p.Rounds = []SetRound{fugu, mirror}
	if base, ok := strings.CutSuffix(dir, "/"+p.Release+"/"+p.Arch); ok {
		p.InstallURL = server + "/" + base
	}
}

// requiredSets refuses a selection that leaves out a set the installer
// requires (bsd, bsd.mp on a multi-CPU machine, base<NN>.tgz): at "done"
// it asks "Are you *SURE* your install is complete without ...?", whose
// default no stops an autoinstall. The tokens are applied as select_sets
// does, left to right, to the kernels and sets it preselects.
func (b *builder) requiredSets(tokens []string) {
	v := b.p.Version
	offered := []string{"bsd", "bsd.mp", "bsd.rd", "base" + v + ".tgz", "comp" + v + ".tgz", "man" + v + ".tgz", "game" + v + ".tgz", "xbase" + v + ".tgz", "xshare" + v + ".tgz", "xfont" + v + ".tgz", "xserv" + v + ".tgz"}
	selected := map[string]bool{}
	for _, f := range offered {
		selected[f] = true
	}
	for _, t := range tokens {
		glob := strings.TrimPrefix(strings.TrimPrefix(t, "+"), "-")
		if glob == "all" {
			glob = "*"
		}
		for _, f := range offered {
			if ok, _ := path.Match(setGlob(glob), f); ok {
				selected[f] = !strings.HasPrefix(t, "-")
			}
		}
	}
	need := []string{"bsd", "base" + v + ".tgz"}
	if b.facts != nil && len(b.facts.CPUs) > 1 {
		need = append(need, "bsd.mp")
	}
	for _, f := range need {
		if !selected[f] {
			b.fail("sets.select", "leaves out %s, which the installer requires: it asks \"Are you *SURE* your install is complete without '%s'?\" and its default no stops the install", f, f)
		}
	}
}

// reservedPaths are written by fugu itself.
var reservedPaths = []string{"/install.site", "/upgrade.site", "/etc/rc.firsttime", "/etc/fugu"}

// siteSet decides the contents of the site set.
func (b *builder) siteSet() {
	p, prof := b.p, b.prof
	for i, pkg := range prof.Packages {
		if !pkgRE.MatchString(pkg) {
			b.fail(fmt.Sprintf("packages[%d]", i), "%q: expected a package name like vim--no_x11 (letters, digits, . _ + %% -)", pkg)
		}
	}
	p.Packages = prof.Packages
	switch prof.Firmware {
	case "", "auto":
		p.FirmwareUpdate = true
	case "none":
	default:
		b.fail("firmware", "%q: expected auto or none", prof.Firmware)
	}
	p.FirmwareURL = b.opts.FirmwareURL
	for i, r := range prof.Doas {
		// One rule per entry, in doas's own grammar: the rules are
		// written to doas.conf one per line.
		b.check(fmt.Sprintf("doas[%d]", i), profiles.CheckDoasRule(r))
	}
	p.Doas = prof.Doas
	p.InstallSiteCallback = b.opts.InstallSiteCallback
	p.FirstBootCallback = b.opts.FirstBootCallback

	paths := make([]string, 0, len(prof.Files))
	for path := range prof.Files {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		b.file(path)
	}
}

// file checks and adds one profile file.
func (b *builder) file(path string) {
	f := b.prof.Files[path]
	key := fmt.Sprintf("files[%q]", path)
	switch {
	case !filePathRE.MatchString(path) || hasDotSegment(path):
		b.fail(key, "expected an absolute path of letters, digits and . _ + @ , = - without . or .. parts")
		return
	case b.reserved(path):
		b.fail(key, "%s is written by fugu itself", path)
		return
	case profiles.BaseSystemPath(path) != "":
		b.fail(key, "%s is %s (expected the path of a file)", path, profiles.BaseSystemPath(path))
		return
	case b.keysStaged(path):
		// Staged files live in stageDir under their own path.
		b.fail(key, "%s shares its staging name with the extra ssh keys fugu stages (%s%s); expected another path", path, stageDir, path)
		return
	}
	mode := int64(0o644)
	if f.Mode != "" {
		m, err := strconv.ParseInt(f.Mode, 8, 64)
		if err != nil || m < 0 || m > 0o7777 {
			b.fail(key+".mode", "%q: expected an octal mode like 0644", f.Mode)
		}
		mode = m
	}
	owner := f.Owner
	if owner == "root" || owner == "root:wheel" {
		owner = ""
	}
	if owner != "" && !ownerRE.MatchString(owner) {
		b.fail(key+".owner", "%q: expected user or user:group", f.Owner)
	}
	b.p.Files = append(b.p.Files, SiteFile{Path: path, Mode: mode, Owner: owner, Content: []byte(f.Content)})
}

// fileDirConflicts refuses a file install.site would put where another
// staged file needs a directory (files["/etc/ssh"] beside the role's
// /etc/ssh/sshd_config, or a file named like a directory fugu writes
// into): the site set could not hold both.
func (b *builder) fileDirConflicts() {
	staged := stagedFiles(b.p)
	isFile := make(map[string]bool, len(staged))
	for _, f := range staged {
		isFile[f.Path] = true
	}
	reported := map[string]bool{}
	for _, f := range staged {
		for d := path.Dir(f.Path); d != "/"; d = path.Dir(d) {
			if isFile[d] && !reported[d] {
				reported[d] = true
				b.fail(fmt.Sprintf("files[%q]", d), "%s is a file here, but %s needs it as a directory (expected one or the other)", d, f.Path)
			}
		}
	}
}

// tarNames refuses a file whose name in the site set, or a directory's
// above it, the archive's ustar headers cannot hold. The installer's tar
// reads ustar; a longer name would stop the site set being made at all.
func (b *builder) tarNames() {
	for _, f := range b.p.Files {
		name := "." + stageDir + f.Path
		for n := name; n != "."; n = path.Dir(n) {
			if n != name {
				n += "/" // a directory entry
			}
			if !ustarName(n) {
				b.fail(fmt.Sprintf("files[%q]", f.Path), "too long for the site set's tar archive (ustar holds a name of at most 100 bytes after the last /, and at most 155 before it)")
				break
			}
			n = strings.TrimSuffix(n, "/")
		}
	}
}

// ustarName reports whether a ustar header holds name: in its 100-byte
// name field, or split at a / into a prefix of at most 155 bytes and a
// name of at most 100, as archive/tar splits it.
func ustarName(name string) bool {
	const nameSize, prefixSize = 100, 155
	if len(name) <= nameSize {
		return true
	}
	// A directory's trailing / cannot be where the name splits.
	limit := min(len(strings.TrimSuffix(name, "/")), prefixSize+1)
	i := strings.LastIndex(name[:limit], "/")
	return i > 0 && i <= prefixSize && len(name)-i-1 <= nameSize && len(name)-i-1 > 0
}

func (b *builder) reserved(path string) bool {
	for _, r := range reservedPaths {
		if path == r || strings.HasPrefix(path, r+"/") {
			return true
		}
	}
	if path == "/etc/doas.conf" && len(b.prof.Doas) > 0 {
		return true
	}
	for _, in := range b.p.Interfaces {
		if path == "/etc/hostname."+in.Name {
			return true
		}
	}
	return false
}

// keysStaged reports whether path is where siteEntries stages the extra
// authorized_keys lines of root or the user.
func (b *builder) keysStaged(path string) bool {
	if path == "/root.authorized_keys" && len(b.prof.Root.SSHKeys) > 1 {
		return true
	}
	u := b.prof.User
	return u != nil && len(u.SSHKeys) > 1 && path == "/"+u.Login+".authorized_keys"
}

func sortFiles(fs []SiteFile) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
}
