package profiles

// The types in this file are the YAML contract of ../shared/PROFILE.md.
// Field names follow the keys exactly; pointers mark "not given" where the
// installer's own default must then apply.

import "fugu/firewall"

// Profile is one profiles/NAME.yaml file, or the result of resolving its
// extends chain and a machine's overrides.
type Profile struct {
	Extends  string          `yaml:"extends,omitempty" json:"extends,omitempty"`
	Release  string          `yaml:"release,omitempty" json:"release,omitempty"`
	Arch     string          `yaml:"arch,omitempty" json:"arch,omitempty"`
	System   System          `yaml:"system,omitempty" json:"system,omitempty"`
	Root     Root            `yaml:"root,omitempty" json:"root,omitempty"`
	User     *User           `yaml:"user,omitempty" json:"user,omitempty"`
	SSHD     SSHD            `yaml:"sshd,omitempty" json:"sshd,omitempty"`
	X11      X11             `yaml:"x11,omitempty" json:"x11,omitempty"`
	Network  Network         `yaml:"network,omitempty" json:"network,omitempty"`
	Disks    Disks           `yaml:"disks,omitempty" json:"disks,omitempty"`
	Sets     Sets            `yaml:"sets,omitempty" json:"sets,omitempty"`
	Packages []string        `yaml:"packages,omitempty" json:"packages,omitempty"`
	Firmware string          `yaml:"firmware,omitempty" json:"firmware,omitempty"`
	Doas     []string        `yaml:"doas,omitempty" json:"doas,omitempty"`
	Files    map[string]File `yaml:"files,omitempty" json:"files,omitempty"`
	Roles    Roles           `yaml:"roles,omitempty" json:"roles,omitempty"`
}

// System is the machine's identity and console.
type System struct {
	Hostname string `yaml:"hostname,omitempty" json:"hostname,omitempty"`
	Domain   string `yaml:"domain,omitempty" json:"domain,omitempty"`
	Timezone string `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Keyboard string `yaml:"keyboard,omitempty" json:"keyboard,omitempty"`
}

// Root is the root account.
type Root struct {
	PasswordHash string   `yaml:"password_hash,omitempty" json:"password_hash,omitempty"`
	SSHKeys      []string `yaml:"ssh_keys,omitempty" json:"ssh_keys,omitempty"`
}

// User is the first user, created by the installer in group wheel.
type User struct {
	Login        string   `yaml:"login,omitempty" json:"login,omitempty"`
	FullName     string   `yaml:"full_name,omitempty" json:"full_name,omitempty"`
	PasswordHash string   `yaml:"password_hash,omitempty" json:"password_hash,omitempty"`
	SSHKeys      []string `yaml:"ssh_keys,omitempty" json:"ssh_keys,omitempty"`
}

// SSHD is the sshd answers.
type SSHD struct {
	Enabled   *bool  `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	RootLogin string `yaml:"root_login,omitempty" json:"root_login,omitempty"` // yes | no | prohibit-password
}

// X11 is the X Window System answers.
type X11 struct {
	Enabled *bool `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	Xenodm  *bool `yaml:"xenodm,omitempty" json:"xenodm,omitempty"`
}

// Network lists the interfaces in the order the installer configures them.
type Network struct {
	Interfaces  []Interface `yaml:"interfaces,omitempty" json:"interfaces,omitempty"`
	Gateway     string      `yaml:"gateway,omitempty" json:"gateway,omitempty"`   // default IPv4 route
	Gateway6    string      `yaml:"gateway6,omitempty" json:"gateway6,omitempty"` // default IPv6 router (static ipv6 only)
	Nameservers []string    `yaml:"nameservers,omitempty" json:"nameservers,omitempty"`
}

// Interface is one network interface: a driver name (re0) or a MAC.
type Interface struct {
	Name     string    `yaml:"name" json:"name"`
	IPv4     string    `yaml:"ipv4,omitempty" json:"ipv4,omitempty"` // dhcp | autoconf | none | ADDRESS/PREFIX
	IPv6     string    `yaml:"ipv6,omitempty" json:"ipv6,omitempty"` // autoconf | none | ADDRESS/PREFIX
	Wireless *Wireless `yaml:"wireless,omitempty" json:"wireless,omitempty"`
}

// Wireless is the join list of an 802.11 interface, in preference order.
type Wireless struct {
	Networks []WirelessNetwork `yaml:"networks,omitempty" json:"networks,omitempty"`
}

// WirelessNetwork is one join entry. WPAKey is a secret.
type WirelessNetwork struct {
	SSID   string `yaml:"ssid" json:"ssid"`
	WPAKey string `yaml:"wpa_key,omitempty" json:"wpa_key,omitempty"`
}

// Disks describes the root disk and any extra disks.
type Disks struct {
	Root  RootDisk    `yaml:"root,omitempty" json:"root,omitempty"`
	Extra []ExtraDisk `yaml:"extra,omitempty" json:"extra,omitempty"`
}

// RootDisk is the disk the installer lays out.
type RootDisk struct {
	Device     string      `yaml:"device,omitempty" json:"device,omitempty"` // sd0, or auto
	Table      string      `yaml:"table,omitempty" json:"table,omitempty"`   // gpt | mbr
	Swap       string      `yaml:"swap,omitempty" json:"swap,omitempty"`     // 16G, or a multiple of memory: 2x
	Partitions []Partition `yaml:"partitions,omitempty" json:"partitions,omitempty"`
	Encrypt    *Encryption `yaml:"encrypt,omitempty" json:"encrypt,omitempty"`
}

// Encryption asks for a softraid CRYPTO root with a passphrase (a secret).
type Encryption struct {
	Passphrase string `yaml:"passphrase" json:"passphrase"`
}

// ExtraDisk is a disk partitioned and mounted by install.site.
type ExtraDisk struct {
	Device     string      `yaml:"device" json:"device"`
	Table      string      `yaml:"table,omitempty" json:"table,omitempty"`
	Wipe       bool        `yaml:"wipe,omitempty" json:"wipe,omitempty"`
	Partitions []Partition `yaml:"partitions,omitempty" json:"partitions,omitempty"`
}

// Partition is one line of a disklabel template: a mount point (or swap),
// a size (4G, 1G-4G, 2G-*, rest) and an optional share of the extra space.
type Partition struct {
	Mount   string `yaml:"mount" json:"mount"`
	Size    string `yaml:"size" json:"size"`
	Percent *int   `yaml:"percent,omitempty" json:"percent,omitempty"`
}

// Sets says where the installer fetches the sets and which it takes.
type Sets struct {
	Server    string   `yaml:"server,omitempty" json:"server,omitempty"`
	Directory string   `yaml:"directory,omitempty" json:"directory,omitempty"`
	Select    []string `yaml:"select,omitempty" json:"select,omitempty"`
	// AllowUnsigned lets the installer go on when Server's directory has
	// no SHA256.sig. Sets fugu serves itself need no such consent.
	AllowUnsigned bool `yaml:"allow_unsigned,omitempty" json:"allow_unsigned,omitempty"`
}

// File is an extra file for the site set.
type File struct {
	Mode    string `yaml:"mode,omitempty" json:"mode,omitempty"`
	Owner   string `yaml:"owner,omitempty" json:"owner,omitempty"`
	Content string `yaml:"content" json:"content"`
}

// Roles holds the optional machine roles.
type Roles struct {
	MailGW *firewall.MailGW `yaml:"mailgw,omitempty" json:"mailgw,omitempty"`
}
