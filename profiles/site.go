package profiles

// Site is a loaded, validated and resolved site directory.
type Site struct {
	// Inventory is machines.yaml as written (after normalisation).
	Inventory Inventory
	// Profiles are the resolved profiles (extends applied), by name.
	Profiles map[string]*Profile
	// Machines are the inventory's machines with their profile resolved
	// and their overrides applied, in file order.
	Machines []*Machine
	// profilePos locates each of Profiles in its files (and those it
	// extends), for ProfileMachine.
	profilePos map[string]*machinePos
}

// With returns a copy of s whose machines are ms: the same inventory,
// profiles and positions, to check some machines alone.
func (s *Site) With(ms ...*Machine) *Site {
	c := *s
	c.Machines = ms
	return &c
}

// ProfileMachine returns the site's profile name as a machine called
// machine, with no entry in machines.yaml (defaults.profile answering the
// machines fugu does not know), or nil when the site has no such profile.
// Its Locate finds a value in the profile's files, and what the profile
// lacks at the nearest parent there, as for the site's own machines.
func (s *Site) ProfileMachine(name, machine string) *Machine {
	p := s.Profiles[name]
	if p == nil {
		return nil
	}
	return &Machine{Name: machine, ProfileName: name, Profile: *p, pos: s.profilePos[name]}
}

// Inventory is machines.yaml.
type Inventory struct {
	Defaults Defaults       `yaml:"defaults,omitempty" json:"defaults,omitempty"`
	Machines []MachineEntry `yaml:"machines,omitempty" json:"machines,omitempty"`
}

// Defaults are the inventory's defaults.
type Defaults struct {
	// Profile answers requests from unknown MACs; empty means 404.
	Profile string `yaml:"profile,omitempty" json:"profile,omitempty"`
}

// MachineEntry is one machine as written in machines.yaml.
type MachineEntry struct {
	Name    string   `yaml:"name" json:"name"`
	MAC     string   `yaml:"mac,omitempty" json:"mac,omitempty"`
	MACs    []string `yaml:"macs,omitempty" json:"macs,omitempty"`
	Profile string   `yaml:"profile" json:"profile"`
	Dmesg   string   `yaml:"dmesg,omitempty" json:"dmesg,omitempty"`
	Memory  string   `yaml:"memory,omitempty" json:"memory,omitempty"`
	Set     *Profile `yaml:"set,omitempty" json:"set,omitempty"`
}

// Machine is one machine ready for rendering.
type Machine struct {
	Name        string
	MACs        []string // normalised: lowercase, colon-separated
	ProfileName string
	// Profile is fully resolved: extends, then the machine's set: overrides;
	// System.Hostname defaults to Name.
	Profile Profile
	// DmesgPath is the dmesg file relative to the site directory, if any,
	// and Dmesg its content.
	DmesgPath string
	Dmesg     []byte
	// MemoryBytes is the machine's memory from machines.yaml; 0 when not
	// given (a dmesg may still tell).
	MemoryBytes int64
	// pos locates the machine's values for problems found after Load;
	// nil for machines made elsewhere.
	pos *machinePos
}
