package profiles

// doc is one key's description in the JSON Schema.
type doc struct {
	text     string
	enum     []string
	intEnum  []int // enum of an integer key
	pattern  string
	min, max *int
	required bool
}

func (d doc) apply(s map[string]any) {
	if d.text != "" {
		s["description"] = d.text
	}
	if d.enum != nil {
		s["enum"] = d.enum
	}
	if d.intEnum != nil {
		s["enum"] = d.intEnum
	}
	if d.pattern != "" {
		s["pattern"] = d.pattern
	}
	if d.min != nil {
		s["minimum"] = *d.min
	}
	if d.max != nil {
		s["maximum"] = *d.max
	}
}

func iptr(n int) *int { return &n }

// Patterns shared by the schema; Load's checks are stricter (they also
// look at meaning, such as whether a time zone exists).
const (
	sizePattern     = `^[0-9]+(\.[0-9]+)?[KkMmGgTt]$`
	partSizePattern = `^(rest|\*|[0-9]+(\.[0-9]+)?[KkMmGgTt]?-(\*|[0-9]+(\.[0-9]+)?[KkMmGgTt])|[0-9]+(\.[0-9]+)?[KkMmGgTt])$`
	macPattern      = `^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$`
	hashPattern     = `^(\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}|\*{13})$`
	hostPattern     = `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`
)

// schemaDocs describes every key of PROFILE.md. Keys are paths: a.b for
// fields, [] for list items, {} for map values, inventory: for
// machines.yaml.
var schemaDocs = map[string]doc{
	"extends":              {text: "Another profile in profiles/ (its file name without .yaml) whose keys this one starts from: maps merge key by key, lists replace."},
	"release":              {text: "OpenBSD release; sets are named after it (7.8: base78.tgz). Default: " + DefaultRelease + ".", pattern: `^[1-9][0-9]?\.[0-9]$`},
	"arch":                 {text: "OpenBSD architecture. Default: " + DefaultArch + ".", enum: Arches},
	"system":               {text: "The machine's identity and console."},
	"system.hostname":      {text: "Short host name (one label). Default: the machine's name in machines.yaml.", pattern: hostPattern},
	"system.domain":        {text: "DNS domain, like example.org."},
	"system.timezone":      {text: "A zoneinfo name, like Europe/Oslo or UTC."},
	"system.keyboard":      {text: "kbd(8) layout, like no, us or us.dvorak. Default: the installer's.", pattern: `^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`},
	"root":                 {text: "The root account.", required: true},
	"root.password_hash":   {text: "Required. A bcrypt hash ($2a$, $2b$ or $2y$, 60 characters) or 13 asterisks to disable password login. `fugu passwd` makes one; plaintext is rejected.", pattern: hashPattern, required: true},
	"root.ssh_keys":        {text: "authorized_keys lines for root: the installer takes the first, the site set adds the rest."},
	"root.ssh_keys[]":      {text: "One public key line: TYPE BASE64 [COMMENT].", pattern: `^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/=]+( .*)?$`},
	"user":                 {text: "The first user, created by the installer in group wheel."},
	"user.login":           {text: "Login name: a lowercase letter, then lowercase letters, digits, - or _; at most 31; not a system account.", pattern: `^[a-z][-a-z0-9_]{0,30}$`, required: true},
	"user.full_name":       {text: "Full name: at most 100 characters, no : & , \" \\ $ or backquote, no blank before #"},
	"user.password_hash":   {text: "A bcrypt hash or 13 asterisks, as for root.", pattern: hashPattern, required: true},
	"user.ssh_keys":        {text: "authorized_keys lines for the user."},
	"user.ssh_keys[]":      {text: "One public key line: TYPE BASE64 [COMMENT]."},
	"sshd":                 {text: "The sshd answers."},
	"sshd.enabled":         {text: "Start sshd(8) by default. Default: yes."},
	"sshd.root_login":      {text: "Allow root ssh login. Default: no.", enum: []string{"yes", "no", "prohibit-password"}},
	"x11":                  {text: "The X Window System answers."},
	"x11.enabled":          {text: "Do you expect to run the X Window System?"},
	"x11.xenodm":           {text: "Start X with xenodm(1)."},
	"network":              {text: "Network configuration."},
	"network.interfaces":   {text: "Interfaces, in the order the installer configures them."},
	"network.interfaces[]": {text: "One interface."},
	"network.interfaces[].wireless.networks[]":         {text: "One network to join."},
	"network.interfaces[].name":                        {text: "A driver name and unit (re0) or a MAC (six hex bytes, : or - between; written lowercase with colons).", pattern: `^([a-z]+[0-9]+|[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5})$`},
	"network.interfaces[].ipv4":                        {text: "dhcp, autoconf, none or ADDRESS/PREFIX."},
	"network.interfaces[].ipv6":                        {text: "autoconf, none or ADDRESS/PREFIX."},
	"network.interfaces[].wireless":                    {text: "802.11 settings."},
	"network.interfaces[].wireless.networks":           {text: "Networks to join, in preference order; the installer joins the first."},
	"network.interfaces[].wireless.networks[].ssid":    {text: "Network name: up to 32 printable ASCII characters, or 0x and hex digits."},
	"network.interfaces[].wireless.networks[].wpa_key": {text: "Secret. WPA passphrase (8 to 63 characters) or 0x and 64 hex digits. Written only to install.conf and hostname.if (mode 0640)."},
	"network.gateway":                                  {text: "Default IPv4 route (an address, or none); required with a static ipv4."},
	"network.gateway6":                                 {text: "Default IPv6 router; only with a static ipv6."},
	"network.nameservers":                              {text: "DNS servers (IP addresses)."},
	"network.nameservers[]":                            {text: "An IPv4 or IPv6 address."},
	"disks":                                            {text: "The root disk and extra disks."},
	"disks.root":                                       {text: "The disk the installer lays out."},
	"disks.root.device":                                {text: "A disk name (sd0, wd0) or auto: the installer's choice, or with known hardware the first SSD, else the largest disk.", pattern: `^(auto|(sd|wd)[0-9]+)$`},
	"disks.root.table":                                 {text: "Partition table.", enum: []string{"gpt", "mbr"}},
	"disks.root.swap":                                  {text: "Swap: a size (16G) or a multiple of physical memory (2x), which needs the machine's memory.", pattern: `^([0-9]+(\.[0-9]+)?[KkMmGgTt]|[0-9]+(\.[0-9]+)?x)$`},
	"disks.root.partitions":                            {text: "A disklabel template, / first; omitted: OpenBSD's auto layout. At most 15."},
	"disks.root.partitions[]":                          {text: "One template line: mount point, size, optional percent."},
	"disks.root.partitions[].mount":                    {text: "Mount point (an absolute path) or swap."},
	"disks.root.partitions[].size":                     {text: "Size: 1G, a range 4G-32G, at least 2G-*, or rest (last only).", pattern: partSizePattern},
	"disks.root.partitions[].percent":                  {text: "Share of the extra space, 0 to 100; all together at most 100.", min: iptr(0), max: iptr(100)},
	"disks.root.encrypt":                               {text: "Encrypt the root disk with a softraid CRYPTO volume."},
	"disks.root.encrypt.passphrase":                    {text: "Secret. The passphrase the installer gives bioctl."},
	"disks.extra":                                      {text: "Other disks: partitioned and mounted by install.site (the installer cannot)."},
	"disks.extra[]":                                    {text: "One extra disk."},
	"disks.extra[].partitions[]":                       {text: "One template line: mount point, size, optional percent."},
	"disks.extra[].device":                             {text: "A disk name, like sd0.", pattern: `^(sd|wd)[0-9]+$`},
	"disks.extra[].table":                              {text: "Partition table.", enum: []string{"gpt", "mbr"}},
	"disks.extra[].wipe":                               {text: "Write a new partition table even if the disk has one."},
	"disks.extra[].partitions":                         {text: "A disklabel template for this disk."},
	"disks.extra[].partitions[].mount":                 {text: "Mount point (an absolute path) or swap."},
	"disks.extra[].partitions[].size":                  {text: "Size: 1G, a range 4G-32G, at least 2G-*, or rest (last only).", pattern: partSizePattern},
	"disks.extra[].partitions[].percent":               {text: "Share of the extra space, 0 to 100.", min: iptr(0), max: iptr(100)},
	"sets":                                             {text: "Where the installer fetches sets and which it takes."},
	"sets.server":                                      {text: "http://HOST[:PORT] or https://..., no path. Default: fugu's own address.", pattern: `^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._\[\]:-]+/?$`},
	"sets.directory":                                   {text: "Server directory, like pub/OpenBSD/7.8/amd64."},
	"sets.select":                                      {text: "Set name tokens: -game*, +site*, all."},
	"sets.allow_unsigned":                              {text: "Go on when sets.server's directory has no SHA256.sig (the installer then installs its sets unchecked; anyone on a plain http path to it can replace them). Default: false, the install stops there. fugu's own sets directory needs no such consent."},
	"sets.select[]":                                    {text: "A set name or glob, optionally with + or -.", pattern: `^[+-]?[A-Za-z0-9._*?\[\]!-]+$`},
	"packages":                                         {text: "Packages installed at first boot with pkg_add, as pkg_add takes them: vim--no_x11, python--%3.12."},
	"packages[]":                                       {text: "A package name, stem, stem--flavors or stem%branch.", pattern: `^[A-Za-z0-9][A-Za-z0-9._+-]*(%[A-Za-z0-9._+-]+)?$`},
	"firmware":                                         {text: "auto: fw_update at first boot; none: no firmware.", enum: []string{"auto", "none"}},
	"doas":                                             {text: "doas.conf(5) rules, one per item, checked before they are written."},
	"doas[]":                                           {text: "permit|deny [options] USER|:GROUP [as TARGET] [cmd COMMAND [args ...]]", pattern: `^(permit|deny)\s`},
	"files":                                            {text: "Extra files for the site set, by absolute path."},
	"files{}":                                          {text: "One file."},
	"files{}.mode":                                     {text: "Octal mode as a string, like \"0644\".", pattern: `^[0-7]{3,4}$`},
	"files{}.owner":                                    {text: "user or user:group.", pattern: `^[a-z_0-9][a-z0-9_-]*(:[a-z_0-9][a-z0-9_-]*)?$`},
	"files{}.content":                                  {text: "The file's text."},
	"roles":                                            {text: "Optional machine roles."},
	"roles.mailgw":                                     {text: "The spamd/PF mail gateway role: spamd greylisting in front of the mail server, PF overload tables for brute-forcers, and the cron, syslog and newsyslog lines that keep it running. Only egress_interface is required."},

	"inventory:defaults":           {text: "Inventory defaults."},
	"inventory:defaults.profile":   {text: "Profile for requests from unknown MACs; unset: they get 404."},
	"inventory:machines":           {text: "The machines, in order."},
	"inventory:machines[]":         {text: "One machine: its name, MACs, profile and optional facts and overrides."},
	"inventory:machines[].name":    {text: "Unique; becomes the host name unless the profile or set: gives one.", pattern: hostPattern, required: true},
	"inventory:machines[].mac":     {text: "The machine's MAC (any case, : or -).", pattern: macPattern},
	"inventory:machines[].macs":    {text: "More MACs of the same machine."},
	"inventory:machines[].macs[]":  {text: "A MAC.", pattern: macPattern},
	"inventory:machines[].profile": {text: "The profile's name (its file in profiles/ without .yaml).", required: true},
	"inventory:machines[].dmesg":   {text: "A dmesg file in the site, like dmesg/NAME.txt: hardware facts."},
	"inventory:machines[].memory":  {text: "Physical memory, like 32G, when there is no dmesg.", pattern: sizePattern},
	"inventory:machines[].set":     {text: "Per-machine overrides: the same keys as a profile (no extends)."},
}
