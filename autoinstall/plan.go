package autoinstall

import (
	"errors"
	"fmt"

	"fugu/hardware"
	"fugu/profiles"
)

// Plan is every decision for one machine's install. Render turns it into
// files without deciding anything further. A Plan holds secrets (password
// hashes, WPA keys, a disk passphrase): do not print it.
type Plan struct {
	Machine  string // the inventory name; names the server's URLs
	Hostname string // short form
	Domain   string // "" leaves the DNS domain question to the installer
	Release  string // 7.8
	Arch     string // amd64
	Version  string // 78, as in base78.tgz

	Keyboard string // kbd(8) layout, "default" when the profile sets none
	Timezone string // UTC when the profile sets none (offline installs must answer)

	RootPasswordHash string
	RootSSHKeys      []string // the first goes to the installer, the rest in the site set
	User             *UserPlan

	SSHD      bool
	RootLogin string // yes | no | prohibit-password
	X11       bool
	Xenodm    bool

	Interfaces []NetIf
	// NetDefault: no interface is named and no dmesg says which there
	// are (defaults.profile's unknown machines): install.conf leaves the
	// interface questions to the installer's defaults, the interface it
	// netbooted or fetched its answers on, with autoconf.
	NetDefault  bool
	Gateway     string   // default IPv4 route, "none", or "" when not asked
	Gateway6    string   // default IPv6 router, "none", or "" when not asked
	Nameservers []string // empty leaves the question to the installer's default

	RootDisk string // "" = the installer's default (the first disk)
	// Table is gpt, mbr, or "" for the installer's default (gpt when
	// booted by EFI, else whole).
	Table string
	// EFI is true when the facts show an EFI boot, false when they show a
	// BIOS boot or are unknown.
	EFI bool
	// Passphrase, when set, asks for a softraid CRYPTO root.
	Passphrase string
	// Template is the root disk's disklabel template; nil means the
	// installer's auto layout.
	Template    []TemplateLine
	TemplateURL string
	ExtraDisks  []ExtraDisk

	// Rounds are the "Location of sets?" rounds, in order.
	Rounds      []SetRound
	SiteSetName string // site78-<hostname>.tgz
	SetsDir     string // fugu's per-machine sets directory (no leading /)
	MirrorFiles []string

	Packages       []string
	FirmwareUpdate bool   // queue fw_update (with FirmwareURL) at first boot
	FirmwareURL    string // "" for the default source
	Doas           []string
	Files          []SiteFile // sorted by path
	InstallURL     string     // /etc/installurl for pkg_add and syspatch
	// RoleSetup are scripts (from the site set) install.site runs once
	// the files are in place, such as the mail gateway's setup.
	RoleSetup           []string
	InstallSiteCallback string
	FirstBootCallback   string

	// Warnings are facts that contradict the profile (a dmesg of another
	// machine, say); the profile's explicit choices are kept.
	Warnings []string
}

// UserPlan is the first user.
type UserPlan struct {
	Login, FullName, PasswordHash string
	SSHKeys                       []string
}

// NetIf is one interface as the installer configures it, in order.
type NetIf struct {
	// Name is the answer to "Network interface to configure?": a driver
	// name (em0) or a MAC (the installer then writes hostname.<mac>).
	Name     string
	ByMAC    bool
	Wireless bool
	Networks []profiles.WirelessNetwork // the first is joined by the installer
	IPv4     string                     // autoconf | none | ADDRESS/PREFIX
	IPv6     string                     // autoconf | none | ADDRESS/PREFIX
}

// TemplateLine is one line of a disklabel template.
type TemplateLine struct {
	Mount   string // /, /usr, swap
	Size    string // 1G, 4G-32G, 2G-*, *
	Percent int    // share of the extra space, or -1 for none
	Min     int64  // bytes, for fit checks
}

// ExtraDisk is a disk that install.site partitions, formats and mounts.
type ExtraDisk struct {
	Device   string
	Table    string // gpt | mbr
	Wipe     bool   // also when it already holds partitions
	Template []TemplateLine
}

// SetRound is one round of "Location of sets?" over HTTP.
type SetRound struct {
	Server    string // http://host as answered to "HTTP Server?"
	Directory string
	Select    string // the "Set name(s)?" answer, ending in done
	// SiteSet is true for the round that installs the site set (it asks
	// "Continue without verification?").
	SiteSet bool
	// AllowNoINSTALL answers yes when the directory has no INSTALL.<arch>.
	AllowNoINSTALL bool
	// Unsigned answers yes to "Directory does not contain SHA256.sig.
	// Continue without verification?": fugu's own directory when it lists
	// no SHA256.sig, another server's only with sets.allow_unsigned.
	Unsigned bool
}

// SiteFile is one file of the site set.
type SiteFile struct {
	Path    string // absolute path in the new system
	Mode    int64  // permission bits
	Owner   string // user[:group] when not root:wheel; install.site chowns it
	Content []byte
	// IfAbsent files are maintained on the machine: install.site creates
	// them only when missing.
	IfAbsent bool
	// Role names the role that supplies the file ("mailgw"), "" for the
	// profile's own files.
	Role string
}

// NewPlan makes every decision for machine m. facts may be nil when no
// dmesg is known. It validates every value and returns all problems at
// once, each naming the profile key it comes from.
func NewPlan(m *profiles.Machine, facts *hardware.Facts, opts Options) (*Plan, error) {
	if m == nil {
		return nil, fmt.Errorf("plan: no machine")
	}
	b := &builder{m: m, prof: &m.Profile, facts: facts, opts: opts, p: &Plan{Machine: m.Name}}
	b.errs = append(b.errs, opts.check()...)
	if !machineRE.MatchString(m.Name) {
		b.fail("name", "%q: expected letters, digits, . _ - (it names URLs and files)", m.Name)
	}
	b.system()
	b.accounts()
	b.network()
	b.disks()
	b.sets()
	b.siteSet()
	b.roles()
	b.fileDirConflicts()
	b.tarNames()
	if len(b.errs) > 0 {
		return nil, fmt.Errorf("plan for machine %s: %w", m.Name, errors.Join(b.errs...))
	}
	return b.p, nil
}

// builder carries the inputs and the problems found while planning.
type builder struct {
	m     *profiles.Machine
	prof  *profiles.Profile
	facts *hardware.Facts
	opts  Options
	p     *Plan
	errs  []error
}

// fail records a problem with the profile key it concerns.
func (b *builder) fail(key, format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// warn records a contradiction between the facts and the profile.
func (b *builder) warn(key, format string, args ...any) {
	b.p.Warnings = append(b.p.Warnings, key+": "+fmt.Sprintf(format, args...))
}

// check records err, if any, under key.
func (b *builder) check(key string, err error) bool {
	if err != nil {
		b.errs = append(b.errs, fmt.Errorf("%s: %w", key, err))
		return false
	}
	return true
}

// memory is the machine's physical memory: machines.yaml first, then the
// dmesg; 0 when neither tells.
func (b *builder) memory() int64 {
	if b.m.MemoryBytes > 0 {
		return b.m.MemoryBytes
	}
	if b.facts != nil {
		return b.facts.MemoryBytes
	}
	return 0
}
