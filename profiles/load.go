package profiles

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// InventoryFile is the inventory's name in the site directory.
const InventoryFile = "machines.yaml"

var profileNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// loader holds one Load's parsed files.
type loader struct {
	fsys     fs.FS
	origin   origin
	raw      map[string]*yaml.Node // profile name -> its own file's node
	files    map[string]string     // profile name -> file
	resolved map[string]*yaml.Node // profile name -> node after extends
	state    map[string]int        // 1 = resolving, 2 = done
	broken   map[string]bool       // profiles whose file could not be parsed (already reported)
	cut      map[string]bool       // profiles whose extends chain breaks (reported at the extends value)
	ps       Problems
}

// Load reads, resolves and validates the site directory in fsys
// (machines.yaml, profiles/*.yaml, and the dmesg files machines name). It
// returns every problem at once as a Problems error. Load only reads
// fsys, so a server reloads by calling it again and swapping the result.
func Load(fsys fs.FS) (*Site, error) {
	l := &loader{
		fsys:     fsys,
		origin:   make(origin),
		raw:      make(map[string]*yaml.Node),
		files:    make(map[string]string),
		resolved: make(map[string]*yaml.Node),
		state:    make(map[string]int),
		broken:   make(map[string]bool),
		cut:      make(map[string]bool),
	}
	site := &Site{Profiles: make(map[string]*Profile), profilePos: make(map[string]*machinePos)}
	names := l.readProfiles()
	for _, name := range names {
		l.resolve(name, nil)
	}
	for _, name := range names {
		n := l.resolved[name]
		if n == nil {
			continue
		}
		before := len(l.ps)
		p, ok := l.finish(n, l.files[name], "")
		if l.cut[name] {
			// What the broken chain would have given is not missing.
			l.ps = append(l.ps[:before], withoutRequired(l.ps[before:])...)
		}
		if ok {
			site.Profiles[name] = p
			at := &locator{root: n}
			site.profilePos[name] = &machinePos{origin: l.origin, machine: at, profile: at}
		}
	}
	l.readInventory(site)
	if len(l.ps) > 0 {
		return nil, l.ps.dedup()
	}
	return site, nil
}

// readProfiles parses profiles/*.yaml and checks their keys.
func (l *loader) readProfiles() []string {
	matches, err := fs.Glob(l.fsys, "profiles/*.yaml")
	if err != nil {
		l.ps = append(l.ps, Problem{File: "profiles", Message: err.Error()})
	}
	// A .yml file would silently not be a profile.
	if yml, _ := fs.Glob(l.fsys, "profiles/*.yml"); len(yml) > 0 {
		for _, file := range yml {
			l.ps = append(l.ps, Problem{File: file, Message: "profiles end in .yaml (rename it to " + strings.TrimSuffix(path.Base(file), ".yml") + ".yaml)"})
		}
	}
	var names []string
	for _, file := range matches {
		name := strings.TrimSuffix(path.Base(file), ".yaml")
		if !profileNameRE.MatchString(name) {
			l.ps = append(l.ps, Problem{File: file, Message: fmt.Sprintf("%q is not a profile name (expected lowercase letters, digits, - and _)", name)})
			continue
		}
		data, err := fs.ReadFile(l.fsys, file)
		if err != nil {
			l.ps = append(l.ps, Problem{File: file, Message: fmt.Sprintf("read: %v", err)})
			l.broken[name] = true
			continue
		}
		n, ps := parseYAML(file, data, l.origin)
		l.ps = append(l.ps, ps...)
		if n == nil {
			l.broken[name] = true
			continue
		}
		l.ps = append(l.ps, checkKeys(n, reflect.TypeFor[Profile](), "", l.origin)...)
		l.raw[name], l.files[name] = n, file
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// resolve lays each profile over the profile it extends. A missing parent
// or a cycle is reported once at the extends value; the profile then
// stands alone so that its own values are still checked.
func (l *loader) resolve(name string, chain []string) *yaml.Node {
	switch l.state[name] {
	case 2:
		return l.resolved[name]
	case 1:
		return nil
	}
	l.state[name] = 1
	n := l.raw[name]
	ext := lookup(n, "extends")
	var base *yaml.Node
	if ext != nil && !isNull(ext) {
		parent := ext.Value
		at := Problem{File: l.files[name], Line: ext.Line, Col: ext.Column, Path: "extends"}
		switch {
		case ext.Kind != yaml.ScalarNode || l.broken[parent]:
			// Reported already: by checkKeys, or as the parent's syntax error.
			l.cut[name] = true
		case l.raw[parent] == nil:
			at.Message = fmt.Sprintf("no profile %q (expected the name of a file in profiles/ without .yaml; %s)", parent, l.have())
			l.ps = append(l.ps, at)
			l.cut[name] = true
		case l.state[parent] == 1 || parent == name:
			cycle := append(slices.Clone(chain), name, parent)
			at.Message = fmt.Sprintf("extends goes round in a circle: %s", strings.Join(cycle, " -> "))
			l.ps = append(l.ps, at)
			l.cut[name] = true
		default:
			base = l.resolve(parent, append(chain, name))
			l.cut[name] = l.cut[parent]
		}
	}
	n = without(n, "extends", l.origin)
	if base != nil {
		n = merge(base, n, l.origin)
	}
	l.resolved[name], l.state[name] = n, 2
	return n
}

// withoutRequired drops the "required" problems of a profile whose
// extends chain is cut: the keys may well be in the profile it names.
func withoutRequired(ps Problems) Problems {
	var keep Problems
	for _, p := range ps {
		if !strings.HasPrefix(p.Message, "required") {
			keep = append(keep, p)
		}
	}
	return keep
}

// have lists the profiles a name may choose from, for a message.
func (l *loader) have() string {
	if len(l.raw) == 0 {
		return "profiles/ has no profile that loads"
	}
	return "have: " + strings.Join(l.names(), ", ")
}

func (l *loader) names() []string {
	var ns []string
	for n := range l.raw {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// finish decodes a resolved node, applies defaults and normalisation and
// validates the result. hostname is the machine's name, if any.
func (l *loader) finish(n *yaml.Node, file, hostname string) (*Profile, bool) {
	var p Profile
	// A value of the wrong kind leaves p partly decoded; checking the rest
	// would report values as missing that are merely unread.
	if ps := decodeNode(n, &p, file); len(ps) > 0 {
		l.ps = append(l.ps, l.novel(ps)...)
		return nil, false
	}
	p.Extends = ""
	if p.System.Hostname == "" {
		p.System.Hostname = hostname
	}
	normalize(&p)
	r := &reporter{root: n, origin: l.origin, fallback: file}
	validateProfile(&p, r)
	l.ps = append(l.ps, r.ps...)
	return &p, len(r.ps) == 0
}

// novel drops decoder errors on lines that already have a problem: yaml's
// messages repeat, with less detail, what checkKeys said.
func (l *loader) novel(ps Problems) Problems {
	type at struct {
		file string
		line int
	}
	seen := make(map[at]bool, len(l.ps))
	for _, q := range l.ps {
		seen[at{q.File, q.Line}] = true
	}
	var out Problems
	for _, p := range ps {
		if !seen[at{p.File, p.Line}] {
			out = append(out, p)
		}
	}
	return out
}

// normalize puts values into the one form later stages compare and write:
// defaults for release and arch, lowercase host and domain names, MACs in
// colon form, bcrypt hashes as OpenBSD reads them.
func normalize(p *Profile) {
	p.Root.PasswordHash = openBSDHash(p.Root.PasswordHash)
	if p.User != nil {
		p.User.PasswordHash = openBSDHash(p.User.PasswordHash)
	}
	if p.Release == "" {
		p.Release = DefaultRelease
	}
	if p.Arch == "" {
		p.Arch = DefaultArch
	}
	p.System.Hostname = strings.ToLower(p.System.Hostname)
	p.System.Domain = strings.ToLower(p.System.Domain)
	for i := range p.Network.Interfaces {
		ifc := &p.Network.Interfaces[i]
		if looksLikeMAC(ifc.Name) {
			if m, err := NormalizeMAC(ifc.Name); err == nil {
				ifc.Name = m
			}
		}
	}
}

// LoadProfileFile decodes, normalises and validates a single profile file
// outside a site (fugu render --profile FILE). extends cannot be followed
// without a site and is refused.
func LoadProfileFile(name string, data []byte) (*Profile, error) {
	p, _, err := loadProfileFile(name, data)
	return p, err
}

// LoadProfileMachine is LoadProfileFile for rendering the one profile as
// a machine of that name (fugu render --profile FILE). The machine's
// Locate finds a value in file, and what the profile lacks at the
// nearest parent there, so that what planning it finds is reported where
// it goes.
func LoadProfileMachine(file string, data []byte, machine string) (*Machine, error) {
	p, n, err := loadProfileFile(file, data)
	if err != nil {
		return nil, err
	}
	l := &locator{root: n}
	pos := &machinePos{origin: make(origin), machine: l, profile: l}
	pos.origin.mark(n, file)
	return &Machine{Name: machine, ProfileName: machine, Profile: *p, pos: pos}, nil
}

// loadProfileFile is LoadProfileFile that also returns the file's node.
func loadProfileFile(name string, data []byte) (*Profile, *yaml.Node, error) {
	l := &loader{origin: make(origin)}
	n, ps := parseYAML(name, data, l.origin)
	if n == nil {
		return nil, nil, ps
	}
	l.ps = append(ps, checkKeys(n, reflect.TypeFor[Profile](), "", l.origin)...)
	ext := lookup(n, "extends")
	cut := ext != nil && !isNull(ext)
	if cut {
		l.ps = append(l.ps, Problem{File: name, Line: ext.Line, Col: ext.Column, Path: "extends", Message: "extends needs a site directory (render the site's machine with --site DIR --machine NAME, or copy the parent's keys into this file)"})
	}
	// The file's other problems are reported with these, as in a site.
	before := len(l.ps)
	p, _ := l.finish(n, name, "")
	if cut {
		// What the parent would have given is not missing.
		l.ps = append(l.ps[:before], withoutRequired(l.ps[before:])...)
	}
	if len(l.ps) > 0 {
		return nil, nil, l.ps.dedup()
	}
	return p, n, nil
}

// errNoInventory is reported when machines.yaml is missing.
var errNoInventory = errors.New("missing: a site has a machines.yaml (run `fugu profile init` for a starter site)")
