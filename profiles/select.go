package profiles

import (
	"errors"
	"fmt"
)

// ErrNoMatch is returned (wrapped) when no machine matches a request.
var ErrNoMatch = errors.New("profiles: no matching machine")

// MachineByName returns the machine of that name in machines.yaml.
func (s *Site) MachineByName(name string) (*Machine, error) {
	for _, m := range s.Machines {
		if m.Name == name {
			return m, nil
		}
	}
	return nil, fmt.Errorf("machine %q: %w", name, ErrNoMatch)
}

// MachineByMAC returns the machine that owns mac (in any accepted form).
// A MAC no machine owns gets ErrNoMatch, even when the inventory has a
// defaults.profile: whether to answer unknown machines is the caller's
// choice (see DefaultMachine).
func (s *Site) MachineByMAC(mac string) (*Machine, error) {
	norm, err := NormalizeMAC(mac)
	if err != nil {
		return nil, fmt.Errorf("machine for MAC: %w", err)
	}
	for _, m := range s.Machines {
		for _, have := range m.MACs {
			if have == norm {
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("MAC %s: %w", norm, ErrNoMatch)
}

// DefaultMachine returns a machine for an unknown MAC built from the
// inventory's defaults.profile, named host-<MAC without colons> (a valid
// host name, the same on every request). Without defaults.profile it
// returns ErrNoMatch, and unknown machines get nothing.
func (s *Site) DefaultMachine(mac string) (*Machine, error) {
	norm, err := NormalizeMAC(mac)
	if err != nil {
		return nil, fmt.Errorf("default machine: %w", err)
	}
	name := s.Inventory.Defaults.Profile
	p := s.Profiles[name]
	if name == "" || p == nil {
		return nil, fmt.Errorf("MAC %s: no defaults.profile: %w", norm, ErrNoMatch)
	}
	host := "host-"
	for i := 0; i < len(norm); i++ {
		if norm[i] != ':' {
			host += norm[i : i+1]
		}
	}
	m := &Machine{Name: host, MACs: []string{norm}, ProfileName: name, Profile: *p.clone()}
	if m.Profile.System.Hostname == "" {
		m.Profile.System.Hostname = host
	}
	return m, nil
}
